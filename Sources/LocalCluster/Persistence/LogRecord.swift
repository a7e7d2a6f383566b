import KubeAPI

/// One line of the store log (JSON lines, one record per line).
///
/// - `{"op":"revision","rv":N}`: the snapshot header; the store's revision is N.
/// - `{"op":"put","rv":R,"type":{…},"object":{…}}`: the object (with its resourceVersion)
///   is stored under its key.
/// - `{"op":"delete","rv":R,"resource":…,"namespace":…,"name":…}`: the key is removed.
enum LogRecord: Sendable, Hashable {
    case revision(Int64)
    case put(Int64, ResourceType, JSONObject)
    case delete(Int64, StoreKey)

    /// The record of a store event, or nil for events that change nothing (bookmarks).
    init?(_ event: StoreEvent) {
        switch event.type {
        case .added, .modified: self = .put(event.resourceVersion, event.resource, event.object)
        case .deleted: self = .delete(event.resourceVersion, event.key)
        case .bookmark, .error: return nil
        }
    }

    /// The line's JSON text, without the newline.
    var encoded: [UInt8] {
        let line: JSONObject
        switch self {
        case .revision(let rv):
            line = ["op": "revision", "rv": .number(JSONNumber(rv))]
        case .put(let rv, let type, let object):
            line = ["op": "put", "rv": .number(JSONNumber(rv)), "type": .object(Self.encode(type)), "object": .object(object)]
        case .delete(let rv, let key):
            line = [
                "op": "delete", "rv": .number(JSONNumber(rv)), "resource": .string(key.resource),
                "namespace": key.namespace.map { .string($0) } ?? .null, "name": .string(key.name),
            ]
        }
        return JSON.serialize(.object(line))
    }

    /// Parses one line; the error says what is wrong with it.
    init(decoding line: ArraySlice<UInt8>) throws(LogRecordError) {
        let value: JSONValue
        do { value = try JSON.parse(line) } catch { throw LogRecordError("not JSON: \(error)") }
        guard let rv = value["rv"]?.numberValue?.int64 else { throw LogRecordError("missing rv") }
        switch value["op"]?.stringValue {
        case "revision":
            self = .revision(rv)
        case "put":
            guard let type = value["type"]?.objectValue.flatMap(Self.decodeType), let object = value["object"]?.objectValue else {
                throw LogRecordError("put without a valid type and object")
            }
            self = .put(rv, type, object)
        case "delete":
            guard let resource = value["resource"]?.stringValue, let name = value["name"]?.stringValue else {
                throw LogRecordError("delete without resource and name")
            }
            self = .delete(rv, StoreKey(resource: resource, namespace: value["namespace"]?.stringValue, name: name))
        default:
            throw LogRecordError("unknown op")
        }
    }

    static func encode(_ type: ResourceType) -> JSONObject {
        let resource = type.resource
        return [
            "group": .string(resource.group), "version": .string(resource.version), "kind": .string(resource.kind),
            "plural": .string(resource.plural), "namespaced": .bool(resource.namespaced),
            "statusSubresource": .bool(type.hasStatusSubresource), "custom": .bool(type.isCustom),
            "tracksGeneration": .bool(type.tracksGeneration),
        ]
    }

    static func decodeType(_ json: JSONObject) -> ResourceType? {
        guard let group = json["group"]?.stringValue, let version = json["version"]?.stringValue,
            let kind = json["kind"]?.stringValue, let plural = json["plural"]?.stringValue,
            let namespaced = json["namespaced"]?.boolValue
        else { return nil }
        return ResourceType(
            APIResource(group: group, version: version, kind: kind, plural: plural, namespaced: namespaced),
            hasStatusSubresource: json["statusSubresource"]?.boolValue ?? false,
            isCustom: json["custom"]?.boolValue ?? false,
            tracksGeneration: json["tracksGeneration"]?.boolValue)
    }
}

/// What is wrong with a log line.
struct LogRecordError: Error, Sendable {
    var reason: String
    init(_ reason: String) { self.reason = reason }
}

/// The state a log replays to: objects by key and the last revision.
struct ReplayedState: Sendable {
    var objects: [StoreKey: (type: ResourceType, object: JSONObject)] = [:]
    var revision: Int64 = 0

    /// Applies one record.
    mutating func apply(_ record: LogRecord) {
        switch record {
        case .revision(let rv):
            revision = max(revision, rv)
        case .put(let rv, let type, let object):
            let key = StoreKey(type, namespace: object.meta("namespace")?.stringValue, name: object.meta("name")?.stringValue ?? "")
            objects[key] = (type, object)
            revision = max(revision, rv)
        case .delete(let rv, let key):
            objects[key] = nil
            revision = max(revision, rv)
        }
    }

    /// Replays the log's bytes. A last line without its newline (a write cut short by a
    /// crash) is ignored; so is an unparsable last line. A bad line before the last is
    /// ``PersistenceError/corrupt(path:line:reason:)``.
    static func replay(_ bytes: [UInt8], path: String) throws(PersistenceError) -> ReplayedState {
        var state = ReplayedState()
        var lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        // The last piece is empty (the log ends with a newline) or a torn write.
        lines.removeLast()
        for (index, line) in lines.enumerated() where !line.isEmpty {
            do {
                state.apply(try LogRecord(decoding: line))
            } catch {
                if index == lines.count - 1 { break }
                throw .corrupt(path: path, line: index + 1, reason: error.reason)
            }
        }
        return state
    }
}
