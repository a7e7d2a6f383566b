import KubeAPI

/// Why a `application/vnd.kubernetes.protobuf` request body could not be decoded.
///
/// Every case is a client error: the server answers `400 BadRequest` with ``status``.
public enum ProtobufDecodingError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The body does not start with the four magic bytes `k8s\0`.
    case missingMagic
    /// The body ended inside a field.
    case truncated
    /// The bytes are not valid protobuf (bad tag, wire type or varint).
    case malformed(String)
    /// A field has a different wire type than its schema says.
    case wrongWireType(field: String, expected: UInt8, actual: UInt8)
    /// A `string` field is not valid UTF-8.
    case invalidUTF8(field: String)
    /// `runtime.Unknown.contentEncoding` is set (kubectl never compresses the inner object).
    case unsupportedContentEncoding(String)
    /// The envelope names a kind this server cannot decode from protobuf.
    case unsupportedKind(apiVersion: String, kind: String)
    /// The envelope names a different kind than the URL's resource.
    case kindMismatch(expected: String, actual: String)

    /// The message of the `400 BadRequest` Status.
    public var description: String {
        switch self {
        case .missingMagic:
            return "provided object is not a Kubernetes protobuf message: missing the k8s\\0 prefix"
        case .truncated:
            return "unexpected end of protobuf message"
        case .malformed(let reason):
            return "malformed protobuf message: \(reason)"
        case .wrongWireType(let field, let expected, let actual):
            return "protobuf field \(field): wire type \(actual), expected \(expected)"
        case .invalidUTF8(let field):
            return "protobuf field \(field): string is not valid UTF-8"
        case .unsupportedContentEncoding(let encoding):
            return "unsupported protobuf content encoding \"\(encoding)\""
        case .unsupportedKind(let apiVersion, let kind):
            return "no kind \"\(kind)\" is registered for version \"\(apiVersion)\" in the protobuf decoder"
        case .kindMismatch(let expected, let actual):
            return "the protobuf body is a \(actual), expected \(expected)"
        }
    }

    /// The `400 BadRequest` Status the API server answers with.
    public var status: Status { StoreErrors.badRequest(description) }
}
