import Foundation
import KubeAPI
import Testing

@testable import LocalCluster

/// `/openapi/v2` (``OpenAPIV2``): the real server's document begins as this one does, and
/// kubectl's request gets protobuf.
@Suite("OpenAPI v2 document against the wire reference")
struct DiscoveryOpenAPIV2Tests {
    /// The real document (`03-apply-gadget/014`, its first bytes recorded) starts with
    /// `swagger` and `info` exactly as ours; ours then has empty `paths` and `definitions`.
    @Test func theProtobufDocumentBeginsAsTheRealOne() throws {
        let body = try #require(Reference.body("03-apply-gadget/014-GET-openapi_v2.json"))
        #expect(body["content_type"]?.stringValue == OpenAPIV2.protobufContentType)
        let head = try #require(body["base64_head"]?.stringValue.flatMap { Data(base64Encoded: $0) }.map { [UInt8]($0) })
        let ours = OpenAPIV2.protobuf()
        // swagger "2.0" (5 bytes), info {title "Kubernetes", version "1.36"} (20 bytes).
        #expect(Array(ours.prefix(25)) == Array(head.prefix(25)))
        #expect(head[25] == 0x42, "the real document goes on with its paths (field 8)")
        #expect(Array(ours.dropFirst(25)) == [0x42, 0x00, 0x4A, 0x00], "empty paths (8) and definitions (9)")
    }

    @Test func jsonCarriesTheSameDocument() {
        let json = OpenAPIV2.json()
        #expect(json["swagger"] == "2.0")
        #expect(json["info"] == ["title": "Kubernetes", "version": "1.36"])
        #expect(json["paths"] == [:] && json["definitions"] == [:])
    }

    @Test func kubectlsAcceptAsksForProtobuf() throws {
        let record = try #require(Reference.record("03-apply-gadget/014-GET-openapi_v2.json"))
        #expect(OpenAPIV2.wantsProtobuf(accept: record["request"]?["headers"]?["Accept"]?.stringValue))
        #expect(!OpenAPIV2.wantsProtobuf(accept: "application/json"))
        #expect(!OpenAPIV2.wantsProtobuf(accept: nil))
    }
}
