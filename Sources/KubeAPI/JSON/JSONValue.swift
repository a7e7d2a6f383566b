import OrderedCollections

/// A JSON document as the API server sent it.
///
/// Kubernetes objects carry fields that no client models completely (new API fields,
/// fields of other controllers, `managedFields`). Every object in KubeAPI is a typed view
/// over a `JSONValue`, so that what the code does not model is written back untouched —
/// including key order and the exact text of numbers.
public enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case number(JSONNumber)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)
}

/// A JSON number kept as its literal text, so that int64 values and the spelling of
/// decimals survive a decode → encode round trip exactly.
public struct JSONNumber: Sendable, Hashable, CustomStringConvertible {
    /// The number as it appears in JSON text.
    public let text: String

    /// Wraps literal JSON number text. The caller guarantees it is valid JSON number syntax.
    public init(text: String) { self.text = text }
    public init(_ value: Int) { self.text = String(value) }
    public init(_ value: Int64) { self.text = String(value) }
    public init(_ value: Double) {
        if value.rounded() == value, abs(value) < 1e15 {
            self.text = String(Int64(value))
        } else {
            self.text = "\(value)"
        }
    }

    /// The value as an integer, when it is one (also `1e3`, `2.0`).
    public var int64: Int64? {
        if let v = Int64(text) { return v }
        if let d = Double(text), d.rounded() == d, abs(d) < 9.2e18 { return Int64(d) }
        return nil
    }
    public var int: Int? { int64.map { Int($0) } }
    public var double: Double? { Double(text) }
    public var description: String { text }
}

/// A JSON object that remembers the order of its keys. Equality ignores order, as JSON's does.
public struct JSONObject: Sendable, Hashable, Sequence, ExpressibleByDictionaryLiteral {
    public typealias Storage = OrderedDictionary<String, JSONValue>
    public var storage: Storage

    public init() { storage = [:] }
    public init(_ storage: Storage) { self.storage = storage }
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        storage = Storage(uniqueKeysWithValues: elements)
    }

    public subscript(key: String) -> JSONValue? {
        get { storage[key] }
        set { storage[key] = newValue }
    }

    public var keys: OrderedSet<String> { storage.keys }
    public var count: Int { storage.count }
    public var isEmpty: Bool { storage.isEmpty }

    public func makeIterator() -> Storage.Iterator { storage.makeIterator() }

    @discardableResult
    public mutating func removeValue(forKey key: String) -> JSONValue? { storage.removeValue(forKey: key) }

    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        guard lhs.storage.count == rhs.storage.count else { return false }
        for (key, value) in lhs.storage {
            guard let other = rhs.storage[key], other == value else { return false }
        }
        return true
    }

    public func hash(into hasher: inout Hasher) {
        // Order-independent: combine per-entry hashes commutatively.
        var acc = 0
        for (key, value) in storage {
            var h = Hasher()
            h.combine(key)
            h.combine(value)
            acc ^= h.finalize()
        }
        hasher.combine(storage.count)
        hasher.combine(acc)
    }
}

// MARK: - Literals and accessors

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral, ExpressibleByFloatLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .number(JSONNumber(value)) }
    public init(floatLiteral value: Double) { self = .number(JSONNumber(value)) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(JSONObject(JSONObject.Storage(uniqueKeysWithValues: elements)))
    }
    public init(nilLiteral: ()) { self = .null }
}

extension JSONValue {
    public var stringValue: String? { if case .string(let s) = self { return s } else { return nil } }
    public var boolValue: Bool? { if case .bool(let b) = self { return b } else { return nil } }
    public var numberValue: JSONNumber? { if case .number(let n) = self { return n } else { return nil } }
    public var arrayValue: [JSONValue]? { if case .array(let a) = self { return a } else { return nil } }
    public var objectValue: JSONObject? { if case .object(let o) = self { return o } else { return nil } }
    public var isNull: Bool { if case .null = self { return true } else { return false } }

    /// Member of an object value; nil for other values or a missing key.
    public subscript(key: String) -> JSONValue? {
        get { objectValue?[key] }
        set {
            guard case .object(var o) = self else { return }
            o[key] = newValue
            self = .object(o)
        }
    }

    /// Follows a path of object keys, e.g. `value[path: ["metadata", "name"]]`.
    public subscript(path path: [String]) -> JSONValue? {
        var current: JSONValue? = self
        for key in path { current = current?[key] }
        return current
    }
}
