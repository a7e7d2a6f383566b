import KubeAPI

/// The protobuf request bodies `kubectl create namespace|configmap|secret` send.
enum ProtobufBody {
    static func decode(_ bytes: [UInt8]) throws(Status) -> JSONValue {
        throw Status(
            code: 415, reason: "UnsupportedMediaType",
            message: "the body of type application/vnd.kubernetes.protobuf is not supported yet")
    }
}
