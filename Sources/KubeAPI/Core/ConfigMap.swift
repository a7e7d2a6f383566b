import Foundation

/// `core/v1 ConfigMap`: configuration files for pods — Slipway renders `spark.properties`
/// and the executor pod template into one.
public struct ConfigMap: KubeObject {
    public static let resource = APIResource(group: "", version: "v1", kind: "ConfigMap", plural: "configmaps", namespaced: true)
    public var object: JSONObject
    public init(object: JSONObject) { self.object = object }

    /// UTF-8 entries.
    public var data: [String: String] { get { self[map: "data"] } set { self[map: "data"] = newValue } }
    /// Binary entries, base64-encoded as on the wire; see `binaryValue(forKey:)`.
    public var binaryData: [String: String] { get { self[map: "binaryData"] } set { self[map: "binaryData"] = newValue } }
    public var immutable: Bool? { get { self["immutable"] } set { self["immutable"] = newValue } }

    /// The decoded bytes of a `binaryData` entry; nil if absent or not valid base64.
    public func binaryValue(forKey key: String) -> Data? { binaryData[key].flatMap { Data(base64Encoded: $0) } }

    public mutating func setBinaryValue(_ value: Data, forKey key: String) {
        binaryData[key] = value.base64EncodedString()
    }
}

/// `core/v1 Secret`: credentials. `data` holds base64 text as on the wire; use
/// `value(forKey:)` and `setValue(_:forKey:)` for the decoded bytes. `stringData` is
/// write-only on the server: it is merged into `data` and never returned.
public struct Secret: KubeObject {
    public static let resource = APIResource(group: "", version: "v1", kind: "Secret", plural: "secrets", namespaced: true)
    public var object: JSONObject
    public init(object: JSONObject) { self.object = object }

    public var data: [String: String] { get { self[map: "data"] } set { self[map: "data"] = newValue } }
    public var stringData: [String: String] { get { self[map: "stringData"] } set { self[map: "stringData"] = newValue } }
    /// `Opaque`, `kubernetes.io/dockerconfigjson`, `kubernetes.io/tls`, …
    public var type: String? { get { self["type"] } set { self["type"] = newValue } }
    public var immutable: Bool? { get { self["immutable"] } set { self["immutable"] = newValue } }

    /// The decoded bytes of a `data` entry (or the UTF-8 of a `stringData` one); nil if
    /// absent or not valid base64.
    public func value(forKey key: String) -> Data? {
        if let text = stringData[key] { return Data(text.utf8) }
        return data[key].flatMap { Data(base64Encoded: $0) }
    }

    /// A `data` entry decoded as UTF-8 text.
    public func string(forKey key: String) -> String? { value(forKey: key).flatMap { String(data: $0, encoding: .utf8) } }

    /// Stores `value` base64-encoded in `data`.
    public mutating func setValue(_ value: Data, forKey key: String) { data[key] = value.base64EncodedString() }

    /// Stores UTF-8 text base64-encoded in `data`.
    public mutating func setString(_ value: String, forKey key: String) { setValue(Data(value.utf8), forKey: key) }
}
