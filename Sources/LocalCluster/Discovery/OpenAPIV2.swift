import Foundation
import KubeAPI

/// `GET /openapi/v2`: a Swagger 2.0 document with the real server's `info` (title
/// `Kubernetes`, version `1.36`) and no paths and no definitions, as gnostic protobuf (what
/// kubectl asks for: `Accept: application/com.github.proto-openapi.spec.v2@v1.0+protobuf`)
/// or as JSON, revalidated by ETag.
///
/// kubectl reads v2 in two places (`reference/kube-api/README.md`, `03-apply-gadget`,
/// `15-openapi-failures`):
/// - the client-side apply of an existing custom resource, where it ends in a JSON merge
///   patch whether v2 has the kind or not;
/// - the client-side validation of a file of `kind: List` (a List is no server kind, so
///   kubectl cannot leave validation to the server's `fieldValidation`): without a
///   document it refuses the whole file. With this one it finds no schema for an item's kind
///   and checks only duplicate keys, and the server validates each item as it validates every
///   request. A real server's document has every kind's schema, so there kubectl refuses an
///   invalid item before sending any (docs/slipway-dev.md lists this difference): the
///   schemas of built-in kinds here are reduced (`OpenAPIKindSchemas`), and one that lacks a
///   field the real server has would make kubectl refuse valid objects.
public enum OpenAPIV2 {
    /// The Content-Type of the protobuf document.
    public static let protobufContentType = "application/com.github.proto-openapi.spec.v2.v1.0+protobuf"

    /// The document's `info.version`: the server's `major.minor`, as the real one says.
    static var version: String { "\(ServerVersion.current.major).\(ServerVersion.current.minor)" }

    /// The document as JSON.
    public static func json() -> JSONValue {
        ["swagger": "2.0", "info": ["title": "Kubernetes", "version": .string(version)], "paths": [:], "definitions": [:]]
    }

    /// The document as gnostic's `openapi.v2.Document` in protobuf: `swagger` (1), `info` (2:
    /// `title` 1, `version` 2), empty `paths` (8) and `definitions` (9).
    public static func protobuf() -> [UInt8] {
        var info = ProtobufWriter()
        info.string(1, "Kubernetes")
        info.string(2, version)
        var document = ProtobufWriter()
        document.string(1, "2.0")
        document.message(2, info.bytes)
        document.message(8, [])
        document.message(9, [])
        return document.bytes
    }

    /// Whether a request's Accept header asks for protobuf.
    public static func wantsProtobuf(accept: String?) -> Bool {
        (accept ?? "").split(separator: ",").contains { $0.contains("protobuf") }
    }
}
