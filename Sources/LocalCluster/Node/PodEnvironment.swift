import Foundation
import KubeAPI

/// A reference the kubelet could not resolve: the container waits with
/// `CreateContainerConfigError` and this message.
struct ContainerConfigError: Error, Sendable {
    var message: String
}

/// Resolves a container's environment as the kubelet does: `envFrom` first, then `env`
/// in order (`value` with `$(VAR)` expansion, `fieldRef`, `resourceFieldRef`,
/// `configMapKeyRef`, `secretKeyRef`).
struct PodEnvironment {
    var pod: Pod
    var snapshot: ObjectStore
    var node: NodeConfiguration
    /// The pod's address (`status.podIP`); nil: the one in its status, else the node's.
    var podIP: String? = nil

    private var namespace: String { pod.metadata.namespace ?? "" }

    func resolve(_ container: Container) throws(ContainerConfigError) -> [(String, String)] {
        var result: [(String, String)] = []
        var values: [String: String] = [:]
        func add(_ name: String, _ value: String) {
            if values[name] == nil { result.append((name, value)) } else if let i = result.firstIndex(where: { $0.0 == name }) { result[i].1 = value }
            values[name] = value
        }
        for source in container.envFrom {
            let prefix = source.prefix ?? ""
            if let ref = source.configMapRef, let data = try data(.configMaps, ref.name, optional: ref.optional ?? false) {
                for key in data.keys.sorted() { add(prefix + key, data[key]!) }
            }
            if let ref = source.secretRef, let data = try data(.secrets, ref.name, optional: ref.optional ?? false) {
                for key in data.keys.sorted() { add(prefix + key, data[key]!) }
            }
        }
        for variable in container.env {
            if let source = variable.valueFrom {
                if let value = try value(of: source, container: container) { add(variable.name, value) }
            } else {
                add(variable.name, Self.expand(variable.value ?? "", values))
            }
        }
        return result
    }

    private func value(of source: EnvVarSource, container: Container) throws(ContainerConfigError) -> String? {
        if let field = source.fieldRef {
            guard let value = fieldValue(field.fieldPath) else { throw ContainerConfigError(message: "unsupported fieldPath: \(field.fieldPath)") }
            return value
        }
        if let resource = source.resourceFieldRef {
            return resourceValue(resource.object, default: container)
        }
        for (type, selector) in [(ResourceType.configMaps, source.configMapKeyRef), (.secrets, source.secretKeyRef)] {
            guard let selector else { continue }
            let optional = selector.optional ?? false
            guard let data = try data(type, selector.name, optional: optional) else { return nil }
            guard let value = data[selector.key] else {
                if optional { return nil }
                let kind = type == .configMaps ? "ConfigMap" : "Secret"
                throw ContainerConfigError(message: "couldn't find key \(selector.key) in \(kind) \(namespace)/\(selector.name ?? "")")
            }
            return value
        }
        return nil
    }

    /// The value of a downward-API field path.
    func fieldValue(_ path: String) -> String? {
        let meta = pod.metadata
        switch path {
        case "metadata.name": return meta.name ?? ""
        case "metadata.namespace": return namespace
        case "metadata.uid": return meta.uid ?? ""
        case "metadata.labels": return Self.render(meta.labels)
        case "metadata.annotations": return Self.render(meta.annotations)
        case "spec.nodeName": return pod.spec.nodeName ?? node.name
        case "spec.serviceAccountName": return pod.spec.serviceAccountName ?? "default"
        case "status.podIP", "status.podIPs": return podIP ?? pod.status.podIP ?? NodeObject.address
        case "status.hostIP", "status.hostIPs": return NodeObject.address
        default:
            for (prefix, map) in [("metadata.labels['", meta.labels), ("metadata.annotations['", meta.annotations)]
            where path.hasPrefix(prefix) && path.hasSuffix("']") {
                return map[String(path.dropFirst(prefix.count).dropLast(2))] ?? ""
            }
            return nil
        }
    }

    /// `limits.memory`, `requests.cpu`…, divided by `divisor` and rounded up; a missing
    /// limit is the node's allocatable.
    func resourceValue(_ reference: JSONObject, default container: Container) -> String {
        let name = reference["containerName"]?.stringValue
        let target = name.flatMap { n in (pod.spec.containers + pod.spec.initContainers).first { $0.name == n } } ?? container
        let resource = reference["resource"]?.stringValue ?? ""
        let parts = resource.split(separator: ".", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { return "" }
        let isCPU = parts[1] == "cpu"
        let map = parts[0] == "limits" ? target.resources.limits : target.resources.requests
        let fallback = parts[0] == "limits" ? (isCPU ? node.cpu : node.memory) : Quantity.zero
        let quantity = map[parts[1]] ?? (parts[0] == "requests" ? target.resources.limits[parts[1]] : nil) ?? fallback
        let divisor = reference["divisor"].flatMap { Quantity(json: $0) } ?? Quantity(1)
        let (value, unit) = isCPU ? (quantity.milliValue, divisor.milliValue) : (quantity.value, divisor.value)
        guard unit > 0 else { return String(value) }
        return String(max(isCPU ? 1 : 0, (value + unit - 1) / unit))
    }

    /// A ConfigMap's data (binaryData too) or a Secret's decoded data; nil when optional and missing.
    func data(_ type: ResourceType, _ name: String?, optional: Bool) throws(ContainerConfigError) -> [String: String]? {
        let name = name ?? ""
        guard let object = try? snapshot.get(type, namespace: namespace, name: name) else {
            if optional { return nil }
            throw ContainerConfigError(message: "\(type == .configMaps ? "configmap" : "secret") \"\(name)\" not found")
        }
        var result: [String: String] = [:]
        let plain = type == .configMaps ? ["data"] : ["stringData"]
        for field in plain { for (k, v) in object[field]?.objectValue ?? JSONObject() { result[k] = v.stringValue ?? "" } }
        let encoded = type == .configMaps ? "binaryData" : "data"
        for (k, v) in object[encoded]?.objectValue ?? JSONObject() {
            result[k] = Data(base64Encoded: v.stringValue ?? "").map { String(decoding: $0, as: UTF8.self) } ?? ""
        }
        return result
    }

    /// `$(VAR)` expansion of env values, command and args, as the kubelet does it: defined
    /// variables are replaced, `$$` becomes `$` (so `$$(VAR)` stays literal), unknown
    /// references stay as written.
    static func expand(_ text: String, _ values: [String: String]) -> String {
        guard text.contains("$") else { return text }
        var result = ""
        var rest = Substring(text)
        while let dollar = rest.firstIndex(of: "$") {
            result += rest[..<dollar]
            let after = rest[rest.index(after: dollar)...]
            if after.hasPrefix("$") {
                result += "$"
                rest = after.dropFirst()
            } else if after.hasPrefix("("), let close = after.firstIndex(of: ")"), let value = values[String(after[after.index(after: after.startIndex)..<close])] {
                result += value
                rest = after[after.index(after: close)...]
            } else {
                result += "$"
                rest = after
            }
        }
        return result + rest
    }

    /// `key="value"` lines, sorted, as downward-API files render label maps.
    static func render(_ map: [String: String]) -> String {
        map.keys.sorted().map { "\($0)=\"\(map[$0]!)\"" }.joined(separator: "\n")
    }
}
