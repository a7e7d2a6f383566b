import Foundation
import KubeAPI
import Yams

/// Reads request bodies in the forms clients send: JSON, YAML (server-side apply), and —
/// for the kinds kubectl creates that way — the Kubernetes protobuf envelope.
enum RequestBody {
    static func object(_ request: HTTPServerRequest) throws(Status) -> JSONValue {
        let type = (request.header("Content-Type") ?? "application/json").lowercased()
        if type.hasPrefix("application/vnd.kubernetes.protobuf") {
            return try ProtobufBody.decode(request.body)
        }
        if type.contains("yaml") { return try yaml(request.body) }
        do {
            return try JSON.parse(request.body)
        } catch {
            throw StoreErrors.badRequest("the request body is not valid JSON: \(error)")
        }
    }

    static func yaml(_ bytes: [UInt8]) throws(Status) -> JSONValue {
        let text = String(decoding: bytes, as: UTF8.self)
        do {
            guard let node = try Yams.compose(yaml: text) else { return .object([:]) }
            return try convert(node)
        } catch let status as Status {
            throw status
        } catch {
            throw StoreErrors.badRequest("the request body is not valid YAML: \(error)")
        }
    }

    /// YAML node → JSON, keeping mapping order; scalars resolved by their YAML 1.1 tags.
    static func convert(_ node: Yams.Node) throws -> JSONValue {
        switch node {
        case .mapping(let mapping):
            var object = JSONObject()
            for (key, value) in mapping {
                guard let k = key.string else { throw StoreErrors.badRequest("YAML mapping keys must be strings") }
                object[k] = try convert(value)
            }
            return .object(object)
        case .sequence(let sequence):
            return .array(try sequence.map(convert))
        case .scalar(let scalar):
            guard scalar.style == .plain else { return .string(scalar.string) }
            if node.null != nil { return .null }
            if let b = node.bool { return .bool(b) }
            if let i = node.int { return .number(JSONNumber(i)) }
            if let d = node.float, d.isFinite { return .number(JSONNumber(d)) }
            return .string(scalar.string)
        case .alias:
            throw StoreErrors.badRequest("YAML aliases are not supported")
        }
    }
}
