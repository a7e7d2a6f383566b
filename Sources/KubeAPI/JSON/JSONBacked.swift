/// A typed view over a JSON object.
///
/// Conforming types store the whole object and expose the fields they model as computed
/// properties, so that decode → modify → encode keeps every field the type does not model
/// exactly as the server sent it. Define a field with the subscripts below:
///
/// ```swift
/// public var image: String? { get { self["image"] } set { self["image"] = newValue } }
/// public var env: [EnvVar] { get { self[list: "env"] } set { self[list: "env"] = newValue } }
/// ```
public protocol JSONBacked: JSONRepresentable, Hashable, Codable, CustomStringConvertible {
    var object: JSONObject { get set }
    init(object: JSONObject)
}

extension JSONBacked {
    public init() { self.init(object: JSONObject()) }

    public init?(json: JSONValue) {
        guard case .object(let o) = json else { return nil }
        self.init(object: o)
    }

    public var json: JSONValue { .object(object) }

    public var description: String { JSON.string(json) }

    public init(from decoder: any Decoder) throws {
        let value = try JSONValue(from: decoder)
        guard case .object(let o) = value else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "expected a JSON object"))
        }
        self.init(object: o)
    }

    public func encode(to encoder: any Encoder) throws { try json.encode(to: encoder) }

    /// An optional scalar or object field. Setting nil removes the key.
    public subscript<T: JSONRepresentable>(key: String) -> T? {
        get { object[key].flatMap { T(json: $0) } }
        set {
            if let newValue { object[key] = newValue.json } else { object.removeValue(forKey: key) }
        }
    }

    /// A list field; absent reads as empty. Setting empty on an absent key keeps it absent.
    public subscript<T: JSONRepresentable>(list key: String) -> [T] {
        get { object[key].flatMap { [T](json: $0) } ?? [] }
        set { setCollection(key, newValue.json, isEmpty: newValue.isEmpty) }
    }

    /// A map field with string keys; absent reads as empty.
    public subscript<T: JSONRepresentable>(map key: String) -> [String: T] {
        get { object[key].flatMap { [String: T](json: $0) } ?? [:] }
        set {
            // Keep the existing key order for entries that stay, append new ones.
            var o = object[key]?.objectValue ?? JSONObject()
            for k in o.keys where newValue[k] == nil { o.removeValue(forKey: k) }
            for k in newValue.keys.sorted() {
                let json = newValue[k]!.json
                // An entry whose value did not change keeps its original spelling (`1` vs `"1"`).
                if let old = o[k], let decoded = T(json: old), decoded.json == json { continue }
                o[k] = json
            }
            setCollection(key, .object(o), isEmpty: newValue.isEmpty)
        }
    }

    /// A nested object field; absent reads as an empty object.
    public subscript<T: JSONBacked>(object key: String) -> T {
        get { object[key].flatMap { T(json: $0) } ?? T() }
        set { setCollection(key, newValue.json, isEmpty: newValue.object.isEmpty) }
    }

    private mutating func setCollection(_ key: String, _ value: JSONValue, isEmpty: Bool) {
        if isEmpty && object[key] == nil { return }
        object[key] = value
    }
}

/// An object of unknown shape, for fields that are kept but not modelled.
public struct RawObject: JSONBacked {
    public var object: JSONObject
    public init(object: JSONObject) { self.object = object }
}
