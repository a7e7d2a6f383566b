import Foundation
import KubeAPI

extension CELValue {
    /// The CEL value of JSON data of a schema type (`nil`: no schema, the natural mapping).
    /// Strings of format `date-time`/`date` become timestamps, `duration` durations, `byte`
    /// bytes; integers of `number` fields become doubles.
    public static func from(json: JSONValue, type decl: CELDeclType?) -> CELValue {
        if case .null = json { return .null }
        guard let decl, decl.kind != .dyn else { return natural(json) }
        switch (decl.kind, json) {
        case (.object, .object(let o)): return .object(o, decl)
        case (.map, .object(let o)): return .map(o.map { CELMapEntry(key: .string($0.key), value: from(json: $0.value, type: decl.elem)) })
        case (.list, .array(let items)): return .list(items.map { from(json: $0, type: decl.elem) }, decl)
        case (.int, .number(let n)):
            if let i = n.int64, !n.text.contains(".") || n.double == n.double?.rounded() { return .int(i) }
            return .double(n.double ?? 0)
        case (.double, .number(let n)): return .double(n.double ?? 0)
        case (.bytes, .string(let s)):
            guard let data = Data(base64Encoded: s) else { return .error(CELEvalError("invalid base64 in bytes field")) }
            return .bytes([UInt8](data))
        case (.duration, .string(let s)):
            guard let nanos = CELTime.parseDuration(s) else { return .error(CELEvalError("invalid duration \(s.debugDescription)")) }
            return .duration(nanos)
        case (.timestamp, .string(let s)):
            guard let t = CELTime.parseTimestamp(s) else { return .error(CELEvalError("invalid timestamp \(s.debugDescription)")) }
            return .timestamp(seconds: t.seconds, nanos: t.nanos)
        default: return natural(json)
        }
    }

    /// JSON without a schema: integral numbers are ints, others doubles; objects are maps.
    static func natural(_ json: JSONValue) -> CELValue {
        switch json {
        case .null: .null
        case .bool(let b): .bool(b)
        case .string(let s): .string(s)
        case .number(let n):
            if let i = Int64(n.text) { .int(i) } else { .double(n.double ?? 0) }
        case .array(let items): .list(items.map(natural), nil)
        case .object(let o): .map(o.map { CELMapEntry(key: .string($0.key), value: natural($0.value)) })
        }
    }

    /// The value of a field of an object or map (`self.field`), or `no such key`.
    func member(_ name: String) -> CELValue {
        switch self {
        case .object(let o, let decl):
            guard let field = decl.fields[name], let json = o[field.jsonName] else { return .error(CELEvalError("no such key: \(name)")) }
            return CELValue.from(json: json, type: field.type)
        case .map(let entries):
            if let entry = entries.first(where: { if case .string(name) = $0.key { true } else { false } }) { return entry.value }
            return .error(CELEvalError("no such key: \(name)"))
        case .error: return self
        default: return .error(CELEvalError("no such key: \(name)"))
        }
    }

    /// Whether an object or map has the field (`has(self.field)`).
    func hasMember(_ name: String) -> CELValue {
        switch self {
        case .object(let o, let decl):
            guard let field = decl.fields[name] else { return .bool(false) }
            return .bool(o[field.jsonName] != nil)
        case .map(let entries):
            return .bool(entries.contains { if case .string(name) = $0.key { true } else { false } })
        case .error: return self
        default: return .error(CELEvalError("invalid type for field selection."))
        }
    }

    /// The entries of a map or object as key → value.
    var mapEntries: [CELMapEntry]? {
        switch self {
        case .map(let entries): return entries
        case .object(let o, let decl):
            return decl.fields.values.compactMap { field in
                o[field.jsonName].map { CELMapEntry(key: .string(field.name), value: CELValue.from(json: $0, type: field.type)) }
            }
        default: return nil
        }
    }
}
