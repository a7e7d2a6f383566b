/// `core/v1 Toleration`: lets a pod run on nodes with a matching taint (spot nodes,
/// dedicated pools).
public struct Toleration: JSONBacked {
    public var object: JSONObject
    public init(object: JSONObject) { self.object = object }

    public init(key: String?, operator op: TolerationOperator? = nil, value: String? = nil, effect: TaintEffect? = nil) {
        self.init()
        self.key = key
        self.operator = op
        self.value = value
        self.effect = effect
    }

    /// Empty with operator `Exists` means every key.
    public var key: String? { get { self["key"] } set { self["key"] = newValue } }
    /// `Equal` when absent.
    public var `operator`: TolerationOperator? { get { self["operator"] } set { self["operator"] = newValue } }
    public var value: String? { get { self["value"] } set { self["value"] = newValue } }
    /// Empty means every effect.
    public var effect: TaintEffect? { get { self["effect"] } set { self["effect"] = newValue } }
    public var tolerationSeconds: Int64? { get { self["tolerationSeconds"] } set { self["tolerationSeconds"] = newValue } }

    /// Whether this toleration tolerates `taint`, with the scheduler's rules.
    public func tolerates(_ taint: Taint) -> Bool {
        if let effect, !effect.rawValue.isEmpty, effect != taint.effect { return false }
        let key = self.key ?? ""
        if !key.isEmpty, key != taint.key { return false }
        switch self.operator ?? .equal {
        case .exists: return true
        case .equal, .other(""): return (value ?? "") == (taint.value ?? "")
        case .other: return false
        }
    }
}

/// `Exists` or `Equal`.
public enum TolerationOperator: OpenStringEnum {
    case exists, equal
    case other(String)

    public init(rawValue: String) {
        switch rawValue {
        case "Exists": self = .exists
        case "Equal": self = .equal
        default: self = .other(rawValue)
        }
    }

    public var rawValue: String {
        switch self {
        case .exists: return "Exists"
        case .equal: return "Equal"
        case .other(let s): return s
        }
    }
}

/// `NoSchedule`, `PreferNoSchedule` or `NoExecute`.
public enum TaintEffect: OpenStringEnum {
    case noSchedule, preferNoSchedule, noExecute
    case other(String)

    public init(rawValue: String) {
        switch rawValue {
        case "NoSchedule": self = .noSchedule
        case "PreferNoSchedule": self = .preferNoSchedule
        case "NoExecute": self = .noExecute
        default: self = .other(rawValue)
        }
    }

    public var rawValue: String {
        switch self {
        case .noSchedule: return "NoSchedule"
        case .preferNoSchedule: return "PreferNoSchedule"
        case .noExecute: return "NoExecute"
        case .other(let s): return s
        }
    }
}

/// `core/v1 Taint`: a node repels pods that do not tolerate it.
public struct Taint: JSONBacked {
    public var object: JSONObject
    public init(object: JSONObject) { self.object = object }

    public init(key: String, value: String? = nil, effect: TaintEffect) {
        self.init()
        self.key = key
        self.value = value
        self.effect = effect
    }

    public var key: String { get { self["key"] ?? "" } set { self["key"] = newValue } }
    public var value: String? { get { self["value"] } set { self["value"] = newValue } }
    public var effect: TaintEffect { get { self["effect"] ?? .other("") } set { self["effect"] = newValue } }
}
