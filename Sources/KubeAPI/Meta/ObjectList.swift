/// A list response (`PodList`, …): list metadata and typed items.
public struct ObjectList<Item: JSONBacked>: JSONBacked {
    public var object: JSONObject
    public init(object: JSONObject) { self.object = object }

    public var metadata: ListMeta { get { self[object: "metadata"] } set { self[object: "metadata"] = newValue } }
    public var items: [Item] { get { self[list: "items"] } set { self[list: "items"] = newValue } }
}

/// The type of a watch event.
public enum WatchEventType: String, Sendable, Hashable {
    case added = "ADDED"
    case modified = "MODIFIED"
    case deleted = "DELETED"
    case bookmark = "BOOKMARK"
    case error = "ERROR"
}

/// One event of a watch stream. For `.error` the object is a `Status`.
public struct WatchEvent<Object: JSONBacked>: Sendable, Hashable {
    public var type: WatchEventType
    public var object: Object

    public init(type: WatchEventType, object: Object) {
        self.type = type
        self.object = object
    }

    /// Reads `{"type": …, "object": …}`.
    public init(json: JSONValue) throws {
        guard let typeText = json["type"]?.stringValue, let type = WatchEventType(rawValue: typeText) else {
            throw JSONParseError(offset: 0, reason: "watch event without a known type")
        }
        guard let objectJSON = json["object"], let object = Object(json: objectJSON) else {
            throw JSONParseError(offset: 0, reason: "watch event without an object")
        }
        self.type = type
        self.object = object
    }

    public var json: JSONValue { ["type": .string(type.rawValue), "object": object.json] }

    /// The Status of an ERROR event.
    public var status: Status? { type == .error ? Status(object: object.object) : nil }
}
