import KubeAPI

/// The protobuf request bodies `kubectl create namespace|configmap|secret` send.
enum ProtobufBody {
    static func decode(_ bytes: [UInt8]) throws(Status) -> JSONValue {
        do {
            return .object(try KubernetesProtobuf.decodeObject(bytes))
        } catch {
            throw error.status
        }
    }
}
