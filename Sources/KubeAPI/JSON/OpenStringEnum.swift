/// A string enumeration that Kubernetes may extend in a later release.
///
/// Kubernetes adds values to "enum" fields over time (new pod phases, event types,
/// service types), so a client must keep a value it does not know instead of failing to
/// decode the object. Conforming enums have one case per known value and `other(String)`
/// for the rest; equality compares the raw text, so `.other("Pending") == .pending`.
public protocol OpenStringEnum: RawRepresentable, JSONRepresentable, Hashable, CustomStringConvertible
where RawValue == String {
    /// Maps known text to its case and anything else to `.other`.
    init(rawValue: String)
}

extension OpenStringEnum {
    public init?(json: JSONValue) {
        guard case .string(let s) = json else { return nil }
        self.init(rawValue: s)
    }
    public var json: JSONValue { .string(rawValue) }
    public var description: String { rawValue }
    public static func == (l: Self, r: Self) -> Bool { l.rawValue == r.rawValue }
    public func hash(into hasher: inout Hasher) { hasher.combine(rawValue) }
}

/// `intstr.IntOrString`: a port number or a port name, a count or a percentage.
public enum IntOrString: JSONRepresentable, Hashable, CustomStringConvertible, ExpressibleByIntegerLiteral,
    ExpressibleByStringLiteral
{
    case int(Int)
    case string(String)

    public init(integerLiteral value: Int) { self = .int(value) }
    public init(stringLiteral value: String) { self = .string(value) }

    public init?(json: JSONValue) {
        switch json {
        case .number(let n): guard let i = n.int else { return nil }; self = .int(i)
        case .string(let s): self = .string(s)
        default: return nil
        }
    }

    public var json: JSONValue {
        switch self {
        case .int(let i): return .number(JSONNumber(i))
        case .string(let s): return .string(s)
        }
    }

    public var description: String {
        switch self {
        case .int(let i): return String(i)
        case .string(let s): return s
        }
    }
}
