/// A CEL type as the checker sees it.
public indirect enum CELType: Sendable, Hashable, CustomStringConvertible {
    case int, uint, double, bool, string, bytes, null, duration, timestamp, dyn
    case list(CELType)
    case map(CELType, CELType)
    case object(CELObjectType)
    /// The type of a type value (`int`, `type(x)`).
    case type(CELType?)
    /// Kubernetes' `Quantity`.
    case quantity
    /// A type parameter of an overload (`A` in `list(A)`).
    case param(String)
    /// The type of an expression that failed to check.
    case error

    public var description: String {
        switch self {
        case .int: "int"
        case .uint: "uint"
        case .double: "double"
        case .bool: "bool"
        case .string: "string"
        case .bytes: "bytes"
        case .null: "null_type"
        case .duration: "google.protobuf.Duration"
        case .timestamp: "google.protobuf.Timestamp"
        case .dyn: "dyn"
        case .list(let e): "list(\(e))"
        case .map(let k, let v): "map(\(k), \(v))"
        case .object: "object"
        case .type(let t): t.map { "type(\($0))" } ?? "type"
        case .quantity: "kubernetes.Quantity"
        case .param(let p): p
        case .error: "*error*"
        }
    }

    /// Whether a value of this type may be anything (dyn or an unresolved parameter).
    var isDynamic: Bool {
        switch self {
        case .dyn, .error, .param: true
        default: false
        }
    }
}
