/// `metav1.LabelSelector`: which objects a Service, Job or query selects by their labels.
///
/// The JSON form (`matchLabels` and `matchExpressions`) appears in specs; the string form
/// (`app=x,tier!=db,env in (a,b),!legacy`) is what `kubectl -l` and the `labelSelector=`
/// query parameter use. Both have the semantics of `k8s.io/apimachinery`: all
/// requirements must hold; an empty selector selects everything.
public struct LabelSelector: JSONBacked {
    public var object: JSONObject
    public init(object: JSONObject) { self.object = object }

    public init(matchLabels: [String: String], matchExpressions: [LabelSelectorRequirement] = []) {
        self.init()
        self.matchLabels = matchLabels
        self.matchExpressions = matchExpressions
    }

    public var matchLabels: [String: String] { get { self[map: "matchLabels"] } set { self[map: "matchLabels"] = newValue } }
    public var matchExpressions: [LabelSelectorRequirement] {
        get { self[list: "matchExpressions"] }
        set { self[list: "matchExpressions"] = newValue }
    }

    /// True when the selector has no requirement and so selects every object.
    public var isEmpty: Bool { matchLabels.isEmpty && matchExpressions.isEmpty }

    /// Whether `labels` satisfy every requirement. A requirement that is not valid
    /// (an unknown operator, `In` without values) matches nothing, so a bad selector
    /// never selects more than intended.
    public func matches(_ labels: [String: String]) -> Bool {
        for (key, value) in matchLabels where labels[key] != value { return false }
        return matchExpressions.allSatisfy { $0.matches(labels) }
    }

    /// The string form a client sends as `labelSelector=`: requirements sorted by key,
    /// values sorted (`LabelSelectorAsSelector(…).String()`), e.g. `app=x,env in (a,b),!legacy`.
    public var selectorString: String {
        var terms: [(key: String, text: String)] = matchLabels.map { ($0.key, "\($0.key)=\($0.value)") }
        terms += matchExpressions.map { ($0.key, $0.selectorString) }
        return terms.enumerated()
            .sorted { $0.element.key != $1.element.key ? $0.element.key < $1.element.key : $0.offset < $1.offset }
            .map(\.element.text)
            .joined(separator: ",")
    }
}

/// One `matchExpressions` entry: a key, an operator and values.
public struct LabelSelectorRequirement: JSONBacked {
    public var object: JSONObject
    public init(object: JSONObject) { self.object = object }

    public init(key: String, operator op: LabelSelectorOperator, values: [String] = []) {
        self.init()
        self.key = key
        self.operator = op
        self.values = values
    }

    public var key: String { get { self["key"] ?? "" } set { self["key"] = newValue } }
    public var `operator`: LabelSelectorOperator {
        get { self["operator"] ?? .other("") }
        set { self["operator"] = newValue }
    }
    public var values: [String] { get { self[list: "values"] } set { self[list: "values"] = newValue } }

    public func matches(_ labels: [String: String]) -> Bool {
        switch self.operator {
        case .in:
            guard !values.isEmpty, let value = labels[key] else { return false }
            return values.contains(value)
        case .notIn:
            guard !values.isEmpty else { return false }
            guard let value = labels[key] else { return true }
            return !values.contains(value)
        case .exists: return labels[key] != nil
        case .doesNotExist: return labels[key] == nil
        case .other: return false
        }
    }

    /// `key in (a,b)`, `key notin (a)`, `key`, `!key`.
    public var selectorString: String {
        let list = values.sorted().joined(separator: ",")
        switch self.operator {
        case .in: return "\(key) in (\(list))"
        case .notIn: return "\(key) notin (\(list))"
        case .exists: return key
        case .doesNotExist: return "!\(key)"
        case .other(let op): return "\(key) \(op) (\(list))"
        }
    }
}

/// The operator of a label selector requirement.
public enum LabelSelectorOperator: OpenStringEnum {
    case `in`, notIn, exists, doesNotExist
    case other(String)

    public init(rawValue: String) {
        switch rawValue {
        case "In": self = .in
        case "NotIn": self = .notIn
        case "Exists": self = .exists
        case "DoesNotExist": self = .doesNotExist
        default: self = .other(rawValue)
        }
    }

    public var rawValue: String {
        switch self {
        case .in: return "In"
        case .notIn: return "NotIn"
        case .exists: return "Exists"
        case .doesNotExist: return "DoesNotExist"
        case .other(let s): return s
        }
    }
}
