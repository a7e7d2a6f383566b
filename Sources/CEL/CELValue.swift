import Foundation
import KubeAPI

/// A CEL value at runtime. Objects and maps built from JSON keep their schema type so that
/// field access, equality and `has()` follow Kubernetes' rules.
public indirect enum CELValue: Sendable, CustomStringConvertible {
    case int(Int64)
    case uint(UInt64)
    case double(Double)
    case bool(Bool)
    case string(String)
    case bytes([UInt8])
    case null
    case list([CELValue], CELDeclType?)
    /// A map with string keys (JSON objects under `additionalProperties`, or dynamic data).
    case map([CELMapEntry])
    /// A schema object: JSON properties with their declared types.
    case object(JSONObject, CELDeclType)
    /// Nanoseconds.
    case duration(Int64)
    /// Seconds and nanoseconds since the Unix epoch (UTC).
    case timestamp(seconds: Int64, nanos: Int32)
    case quantity(Quantity)
    case type(CELType)
    case error(CELEvalError)

    public var description: String {
        switch self {
        case .int(let i): String(i)
        case .uint(let u): "\(u)u"
        case .double(let d): String(d)
        case .bool(let b): String(b)
        case .string(let s): s.debugDescription
        case .bytes(let b): "b\(b)"
        case .null: "null"
        case .list(let items, _): "[" + items.map(\.description).joined(separator: ", ") + "]"
        case .map(let entries): "{" + entries.map { "\($0.key): \($0.value)" }.joined(separator: ", ") + "}"
        case .object(let o, _): JSON.string(.object(o))
        case .duration(let n): CELTime.formatDuration(n)
        case .timestamp(let s, let n): CELTime.formatTimestamp(seconds: s, nanos: n)
        case .quantity(let q): "Quantity(\(q))"
        case .type(let t): t.description
        case .error(let e): "error: \(e.message)"
        }
    }

    public var isError: Bool { if case .error = self { true } else { false } }

    /// The value's runtime type (for `type()` and overload dispatch).
    public var type: CELType {
        switch self {
        case .int: .int
        case .uint: .uint
        case .double: .double
        case .bool: .bool
        case .string: .string
        case .bytes: .bytes
        case .null: .null
        case .list(_, let decl): .list(decl?.elem?.celType ?? .dyn)
        case .map: .map(.string, .dyn)
        case .object(_, let decl): .object(CELObjectType(decl))
        case .duration: .duration
        case .timestamp: .timestamp
        case .quantity: .quantity
        case .type(let t): .type(t)
        case .error: .error
        }
    }
}

/// One entry of a map value.
public struct CELMapEntry: Sendable {
    public var key: CELValue
    public var value: CELValue
}

/// A runtime error (`no such key: x`, `division by zero`, `no such overload`).
public struct CELEvalError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }

    static func noSuchOverload(_ function: String) -> CELEvalError { CELEvalError("no such overload: \(function)") }
}
