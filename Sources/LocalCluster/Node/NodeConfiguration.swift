import Foundation
import KubeAPI

/// One simulated node: its name, capacity, labels and taints.
///
/// Parse from a flags-style string (one node, or `count=N` identical nodes):
///
/// ```
/// name=spot,count=2,cpu=4,memory=8Gi,capacity=spot,zone=a,labels=team:data;tier:batch,taints=dedicated=spark:NoSchedule
/// ```
///
/// Keys: `name`, `count` (names become `<name>-1` … `<name>-N`), `cpu`, `memory`, `pods`,
/// `capacity` (sets `karpenter.sh/capacity-type`), `zone` (sets
/// `topology.kubernetes.io/zone`), `labels` (`key:value` pairs separated by `;`) and
/// `taints` (`key[=value]:Effect` separated by `;`). Or from JSON (see ``parse(json:)``).
public struct NodeConfiguration: Sendable, Hashable {
    /// The label that says whether a node is spot or on-demand capacity.
    public static let capacityTypeLabel = "karpenter.sh/capacity-type"
    /// The label that names the node's zone.
    public static let zoneLabel = "topology.kubernetes.io/zone"

    public var name: String
    public var cpu: Quantity
    public var memory: Quantity
    /// The maximum number of pods (`status.capacity.pods`).
    public var pods: Int
    public var labels: [String: String]
    public var taints: [Taint]

    /// A node; by default 8 cpu, 16Gi memory, 110 pods, on-demand, no taints.
    public init(name: String, cpu: Quantity = Quantity(8), memory: Quantity = Quantity(bytes: 16 << 30), pods: Int = 110,
                labels: [String: String] = [Self.capacityTypeLabel: "on-demand"], taints: [Taint] = []) {
        self.name = name
        self.cpu = cpu
        self.memory = memory
        self.pods = pods
        self.labels = labels
        self.taints = taints
    }

    /// The default: one on-demand node `slipway-node` with 8 cpu and 16Gi.
    public static let defaults = [NodeConfiguration(name: "slipway-node")]

    /// Whether the node is spot capacity.
    public var isSpot: Bool { labels[Self.capacityTypeLabel] == "spot" }
}

/// A malformed node configuration.
public struct NodeConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

extension NodeConfiguration {
    /// Parses one flags-style node description (see the type's documentation).
    ///
    /// - Returns: one node, or `count` nodes.
    public static func parse(flags text: String) throws(NodeConfigurationError) -> [NodeConfiguration] {
        var node = NodeConfiguration(name: "slipway-node")
        var count = 1
        for field in text.split(separator: ",", omittingEmptySubsequences: true) {
            let parts = field.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { throw NodeConfigurationError("node option \"\(field)\" is not key=value") }
            let (key, value) = (parts[0].trimmingCharacters(in: .whitespaces), parts[1].trimmingCharacters(in: .whitespaces))
            switch key {
            case "count":
                guard let n = Int(value), n > 0 else { throw NodeConfigurationError("count must be a positive integer, got \"\(value)\"") }
                count = n
            case "labels":
                for pair in value.split(separator: ";") {
                    let kv = pair.split(separator: ":", maxSplits: 1).map(String.init)
                    node.labels[kv[0]] = kv.count > 1 ? kv[1] : ""
                }
            case "taints":
                node.taints = try value.split(separator: ";").map { item throws(NodeConfigurationError) in try parseTaint(String(item)) }
            default:
                try node.set(key, value)
            }
        }
        return expand(node, count: count)
    }

    /// Parses JSON: either `{"nodes": [...]}` or a bare array of nodes, each
    /// `{"name", "count", "cpu", "memory", "pods", "capacity", "zone", "labels": {…},
    /// "taints": [{"key", "value", "effect"}]}`.
    public static func parse(json data: Data) throws(NodeConfigurationError) -> [NodeConfiguration] {
        guard let value = try? JSON.parse(data) else { throw NodeConfigurationError("node configuration is not valid JSON") }
        guard let items = (value["nodes"] ?? value).arrayValue else {
            throw NodeConfigurationError("node configuration must be a list of nodes or {\"nodes\": [...]}")
        }
        var result: [NodeConfiguration] = []
        for item in items {
            guard let object = item.objectValue else { throw NodeConfigurationError("each node must be an object") }
            var node = NodeConfiguration(name: "slipway-node")
            for (key, field) in object where !["count", "labels", "taints"].contains(key) {
                let text = field.stringValue ?? field.numberValue?.text ?? ""
                try node.set(key, text)
            }
            for (key, label) in object["labels"]?.objectValue ?? JSONObject() { node.labels[key] = label.stringValue ?? "" }
            node.taints = (object["taints"]?.arrayValue ?? []).compactMap { Taint(json: $0) }
            result += expand(node, count: object["count"]?.numberValue?.int ?? 1)
        }
        return result
    }

    private mutating func set(_ key: String, _ value: String) throws(NodeConfigurationError) {
        switch key {
        case "name": name = value
        case "cpu": cpu = try Self.quantity(value, key)
        case "memory": memory = try Self.quantity(value, key)
        case "pods":
            guard let n = Int(value), n > 0 else { throw NodeConfigurationError("pods must be a positive integer, got \"\(value)\"") }
            pods = n
        case "capacity", "capacity-type": labels[Self.capacityTypeLabel] = value
        case "zone": labels[Self.zoneLabel] = value
        default: throw NodeConfigurationError("unknown node option \"\(key)\"")
        }
    }

    private static func quantity(_ text: String, _ key: String) throws(NodeConfigurationError) -> Quantity {
        do { return try Quantity(text) } catch { throw NodeConfigurationError("\(key) \"\(text)\" is not a quantity") }
    }

    /// `key[=value]:Effect`, as `kubectl taint` writes it.
    static func parseTaint(_ text: String) throws(NodeConfigurationError) -> Taint {
        guard let colon = text.lastIndex(of: ":") else { throw NodeConfigurationError("taint \"\(text)\" needs an effect (key=value:NoSchedule)") }
        let effect = String(text[text.index(after: colon)...])
        guard ["NoSchedule", "PreferNoSchedule", "NoExecute"].contains(effect) else {
            throw NodeConfigurationError("taint effect \"\(effect)\" is not NoSchedule, PreferNoSchedule or NoExecute")
        }
        let keyValue = text[..<colon].split(separator: "=", maxSplits: 1).map(String.init)
        guard let key = keyValue.first, !key.isEmpty else { throw NodeConfigurationError("taint \"\(text)\" has no key") }
        return Taint(key: key, value: keyValue.count > 1 ? keyValue[1] : nil, effect: TaintEffect(rawValue: effect))
    }

    private static func expand(_ node: NodeConfiguration, count: Int) -> [NodeConfiguration] {
        guard count > 1 else { return [node] }
        return (1...count).map { index in
            var copy = node
            copy.name = "\(node.name)-\(index)"
            return copy
        }
    }
}
