import KubeAPI

/// The envelope of every `application/vnd.kubernetes.protobuf` body: the four magic bytes
/// `k8s\0` followed by a `runtime.Unknown` message that names the object's type and holds
/// the object's own protobuf encoding in `raw`.
///
/// `runtime.Unknown` (k8s.io/apimachinery/pkg/runtime/generated.proto): `typeMeta` = 1
/// (`apiVersion` = 1, `kind` = 2), `raw` = 2, `contentEncoding` = 3, `contentType` = 4.
public struct ProtobufEnvelope: Sendable, Hashable {
    /// The magic prefix, `k8s` and a zero byte.
    public static let magic: [UInt8] = [0x6B, 0x38, 0x73, 0x00]

    /// `typeMeta.apiVersion`, e.g. `v1`.
    public var apiVersion: String
    /// `typeMeta.kind`, e.g. `ConfigMap`.
    public var kind: String
    /// The protobuf encoding of the object itself.
    public var raw: [UInt8]
    /// Empty unless the raw bytes are compressed (never, for kubectl).
    public var contentEncoding: String
    /// Usually empty (meaning protobuf).
    public var contentType: String

    /// Creates an envelope from its parts.
    public init(apiVersion: String, kind: String, raw: [UInt8], contentEncoding: String = "", contentType: String = "") {
        self.apiVersion = apiVersion
        self.kind = kind
        self.raw = raw
        self.contentEncoding = contentEncoding
        self.contentType = contentType
    }

    /// Reads the envelope of a request body; unknown fields are skipped.
    ///
    /// - Throws: ``ProtobufDecodingError/missingMagic`` when the body does not start with
    ///   `k8s\0`, or another ``ProtobufDecodingError`` for malformed bytes.
    public init(decoding body: some Collection<UInt8>) throws(ProtobufDecodingError) {
        let bytes = Array(body)
        guard bytes.count >= 4, Array(bytes[0..<4]) == Self.magic else { throw .missingMagic }
        self.init(apiVersion: "", kind: "", raw: [])
        var reader = ProtobufReader(bytes[4...])
        while let field = try reader.nextField() {
            let wireType = field.wireType
            switch field.number {
            case 1: try readTypeMeta(reader.readMessage(wireType, field: "typeMeta"))
            case 2: raw = Array(try reader.readMessage(wireType, field: "raw"))
            case 3: contentEncoding = try reader.readString(wireType, field: "contentEncoding")
            case 4: contentType = try reader.readString(wireType, field: "contentType")
            default: try reader.skip(wireType)
            }
        }
    }

    private mutating func readTypeMeta(_ bytes: ArraySlice<UInt8>) throws(ProtobufDecodingError) {
        var reader = ProtobufReader(bytes)
        while let field = try reader.nextField() {
            let wireType = field.wireType
            switch field.number {
            case 1: apiVersion = try reader.readString(wireType, field: "typeMeta.apiVersion")
            case 2: kind = try reader.readString(wireType, field: "typeMeta.kind")
            default: try reader.skip(wireType)
            }
        }
    }
}

/// Decoding of Kubernetes protobuf request bodies into the JSON objects the rest of the
/// server works with.
///
/// kubectl's typed client (`kubectl create namespace|configmap|secret`) sends
/// `Content-Type: application/vnd.kubernetes.protobuf` and does not fall back to JSON on
/// `415`, so the server decodes those kinds here — and the `DeleteOptions` that typed
/// clients send with DELETE (`helm uninstall` deleting its release Secrets). The result is the object exactly as its
/// JSON form would be: `kind`, `apiVersion`, `metadata` and the kind's fields, with
/// empty and zero values omitted as Go's `omitempty` does, and `bytes` fields in base64.
public enum KubernetesProtobuf {
    /// The protobuf media type.
    public static let mediaType = "application/vnd.kubernetes.protobuf"

    /// The kinds that can be decoded, as `apiVersion/kind`.
    public static let supportedKinds: Set<String> = ["v1/ConfigMap", "v1/Secret", "v1/Namespace", "v1/DeleteOptions"]

    /// Decodes a protobuf request body into the object's JSON form.
    ///
    /// - Throws: ``ProtobufDecodingError`` (answer `400 BadRequest` with its
    ///   ``ProtobufDecodingError/status``), including
    ///   ``ProtobufDecodingError/unsupportedKind(apiVersion:kind:)`` for a kind outside
    ///   ``supportedKinds``.
    public static func decodeObject(_ body: some Collection<UInt8>) throws(ProtobufDecodingError) -> JSONObject {
        let envelope = try ProtobufEnvelope(decoding: body)
        guard envelope.contentEncoding.isEmpty else { throw .unsupportedContentEncoding(envelope.contentEncoding) }
        let raw = envelope.raw[...]
        var fields: JSONObject
        switch (envelope.apiVersion, envelope.kind) {
        case ("v1", "ConfigMap"): fields = try CoreV1Protobuf.configMap(raw)
        case ("v1", "Secret"): fields = try CoreV1Protobuf.secret(raw)
        case ("v1", "Namespace"): fields = try CoreV1Protobuf.namespace(raw)
        case ("v1", "DeleteOptions"): fields = try MetaV1Protobuf.deleteOptions(raw)
        default: throw .unsupportedKind(apiVersion: envelope.apiVersion, kind: envelope.kind)
        }
        var object: JSONObject = ["kind": .string(envelope.kind), "apiVersion": .string(envelope.apiVersion)]
        for (key, value) in fields { object[key] = value }
        return object
    }

    /// Decodes a protobuf request body that must be an object of `type` (the URL's resource).
    ///
    /// - Throws: ``ProtobufDecodingError/kindMismatch(expected:actual:)`` when the envelope
    ///   names another kind, or any error of ``decodeObject(_:)``.
    public static func decodeObject(_ body: some Collection<UInt8>, as type: ResourceType) throws(ProtobufDecodingError) -> JSONObject {
        let object = try decodeObject(body)
        let actual = "\(object["apiVersion"]?.stringValue ?? "")/\(object["kind"]?.stringValue ?? "")"
        let expected = "\(type.resource.apiVersion)/\(type.resource.kind)"
        guard actual == expected else { throw .kindMismatch(expected: expected, actual: actual) }
        return object
    }
}
