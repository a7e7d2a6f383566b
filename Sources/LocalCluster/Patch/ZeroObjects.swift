import KubeAPI

/// The zero value of a built-in kind as Go serialises it: the fields without `omitempty`
/// present, as null or empty. The real field manager compares a new object with this, so a
/// field that is null there and set in the new object counts as changed but not as added
/// (no `"."` entry for the list itself), and a field left at its zero value is nobody's.
enum ZeroObjects {
    static let metadata: JSONValue = ["creationTimestamp": nil]

    static func of(_ kind: String, apiVersion: String) -> JSONObject {
        var zero: JSONObject = ["metadata": metadata]
        switch (kind, apiVersion) {
        case ("Pod", _):
            zero["spec"] = ["containers": nil]
            zero["status"] = [:]
        case ("Service", _):
            zero["spec"] = [:]
            zero["status"] = ["loadBalancer": [:]]
        case ("Namespace", _), ("Node", _):
            zero["spec"] = [:]
            zero["status"] = [:]
        case ("CustomResourceDefinition", _):
            zero["spec"] = ["group": "", "names": ["plural": "", "kind": ""], "scope": "", "versions": nil]
            zero["status"] = ["conditions": nil, "acceptedNames": ["plural": "", "kind": ""], "storedVersions": nil]
        case ("Lease", _):
            zero["spec"] = [:]
        case ("CustomResourceDefinition", _):
            zero["spec"] = ["group": "", "names": ["plural": "", "kind": ""], "scope": "", "versions": nil]
            zero["status"] = ["acceptedNames": ["plural": "", "kind": ""], "storedVersions": nil]
        case ("PriorityClass", _):
            zero["value"] = 0
        case ("Event", "events.k8s.io/v1"):
            for key in ["eventTime", "deprecatedFirstTimestamp", "deprecatedLastTimestamp"] { zero[key] = .null }
            zero["regarding"] = [:]
            zero["deprecatedSource"] = [:]
        case ("Event", _):
            for key in ["firstTimestamp", "lastTimestamp", "eventTime"] { zero[key] = .null }
            zero["involvedObject"] = [:]
            zero["source"] = [:]
            zero["reportingComponent"] = ""
            zero["reportingInstance"] = ""
        default:
            break
        }
        return zero
    }
}
