import Foundation
import KubeAPI

/// `nodeSelector` and `requiredDuringSchedulingIgnoredDuringExecution` node affinity, with
/// the scheduler's semantics: terms are ORed, expressions within a term ANDed, an empty term
/// list matches nothing.
enum NodeAffinity {
    /// Whether `node` satisfies the pod's nodeSelector and required node affinity.
    static func matches(pod: Pod, node: Node) -> Bool {
        let labels = node.metadata.labels
        for (key, value) in pod.spec.nodeSelector where labels[key] != value { return false }
        guard let required = pod.spec.affinity?.nodeAffinity?.object["requiredDuringSchedulingIgnoredDuringExecution"]?.objectValue
        else { return true }
        let terms = required["nodeSelectorTerms"]?.arrayValue ?? []
        return terms.contains { term in
            guard let term = term.objectValue else { return false }
            let expressions = term["matchExpressions"]?.arrayValue ?? []
            let fields = term["matchFields"]?.arrayValue ?? []
            if expressions.isEmpty && fields.isEmpty { return false }
            let fieldValues = ["metadata.name": node.metadata.name ?? ""]
            return expressions.allSatisfy { matches($0, labels: labels) } && fields.allSatisfy { matches($0, labels: fieldValues) }
        }
    }

    /// One `NodeSelectorRequirement` against a label map.
    static func matches(_ requirement: JSONValue, labels: [String: String]) -> Bool {
        guard let key = requirement["key"]?.stringValue, let op = requirement["operator"]?.stringValue else { return false }
        let values = (requirement["values"]?.arrayValue ?? []).compactMap(\.stringValue)
        let label = labels[key]
        switch op {
        case "In": return label.map(values.contains) ?? false
        case "NotIn": return label.map { !values.contains($0) } ?? true
        case "Exists": return label != nil
        case "DoesNotExist": return label == nil
        case "Gt", "Lt":
            guard let label, let have = Int64(label), values.count == 1, let want = Int64(values[0]) else { return false }
            return op == "Gt" ? have > want : have < want
        default: return false
        }
    }
}
