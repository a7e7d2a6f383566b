import Foundation
import KubeAPI

/// The API server's storage: every object of every resource, one cluster-wide
/// resourceVersion, a bounded history of changes for watches, and the rules the real
/// kube-apiserver applies on create, update and delete.
///
/// `ObjectStore` is a value with no IO and no clock: time comes in as `now`, uids and
/// `generateName` suffixes from an injected ``IdentifierGenerator``. The HTTP server wraps
/// it in an actor (``ClusterStore``) that also feeds watchers; tests drive it directly.
///
/// Every write bumps ``revision`` by one and records one ``StoreEvent``; a write that
/// changes nothing (the same object again) bumps nothing, as in the real server.
public struct ObjectStore: Sendable {
    /// Tunables of the store.
    public struct Configuration: Sendable {
        /// How many events the watch history keeps; older resourceVersions get 410 Expired.
        public var historyLimit: Int
        public init(historyLimit: Int = 1000) { self.historyLimit = max(1, historyLimit) }
    }

    /// One stored object and the resource it belongs to.
    struct Entry: Sendable {
        var type: ResourceType
        var object: JSONObject
    }

    public let configuration: Configuration
    var identifiers: any IdentifierGenerator
    var entries: [StoreKey: Entry] = [:]
    var uidIndex: [String: StoreKey] = [:]
    /// The garbage collector's graph: owner uid → keys of the objects with an owner
    /// reference to it (kept by ``commit(_:key:object:event:)``).
    var dependentsByOwner: [String: Set<StoreKey>] = [:]
    /// The keys the garbage collector has to look at, kept by every write, so that a
    /// collection costs what changed, not the whole store (``collectGarbage(now:)``).
    var collectorQueue: Set<StoreKey> = []
    /// The watch history, oldest first.
    var history: [StoreEvent] = []
    /// The resourceVersion just before the oldest event in ``history``: the oldest a watch
    /// may resume from.
    public internal(set) var historyStart: Int64 = 0

    /// The current (latest) cluster-wide resourceVersion.
    public internal(set) var revision: Int64 = 0

    /// An empty store.
    public init(configuration: Configuration = Configuration(), identifiers: any IdentifierGenerator = SeededIdentifierGenerator()) {
        self.configuration = configuration
        self.identifiers = identifiers
    }

    /// The current resourceVersion as the API returns it.
    public var resourceVersion: String { String(revision) }

    /// How many objects the store holds.
    public var count: Int { entries.count }

    // MARK: - Get

    /// The object, or `404 NotFound` with the real server's body.
    public func get(_ type: ResourceType, namespace: String?, name: String) throws(Status) -> JSONObject {
        guard let entry = entries[StoreKey(type, namespace: namespace, name: name)] else {
            throw StoreErrors.notFound(type, name: name)
        }
        return entry.object
    }

    /// The object with this uid, of any resource, if it exists.
    public func object(withUID uid: String) -> (ResourceType, JSONObject)? {
        guard let key = uidIndex[uid], let entry = entries[key] else { return nil }
        return (entry.type, entry.object)
    }

    // MARK: - Writing

    /// Stores `object` at `key` under a new resourceVersion and records the event.
    @discardableResult
    mutating func commit(_ type: ResourceType, key: StoreKey, object: JSONObject, event: WatchEventType) -> JSONObject {
        let previous = entries[key]?.object
        revision += 1
        var stored = object.droppingEmptyMetadataLists()
        stored.setMeta("resourceVersion", .string(String(revision)))
        let uid = stored.meta("uid")?.stringValue
        if event == .deleted {
            entries[key] = nil
            if let uid { uidIndex[uid] = nil }
        } else {
            entries[key] = Entry(type: type, object: stored)
            if let uid { uidIndex[uid] = key }
        }
        noteForCollector(key, previous: previous, stored: stored, deleted: event == .deleted)
        record(StoreEvent(resourceVersion: revision, type: event, resource: type, key: key, object: stored, previous: previous))
        return stored
    }

    mutating func record(_ event: StoreEvent) {
        history.append(event)
        // Trimmed in batches of an eighth of the limit: dropping one event from the front of
        // a long array on every write would cost O(history) per write.
        let excess = history.count - configuration.historyLimit
        if excess > max(0, configuration.historyLimit / 8 - 1) {
            historyStart = history[excess - 1].resourceVersion
            history.removeFirst(excess)
        }
    }

    /// Forgets the watch history: watches, exact lists and continue tokens from before now
    /// are `410 Expired`, as they are for a real API server whose watch cache starts now.
    public mutating func forgetHistory() {
        history.removeAll()
        historyStart = revision
    }

    /// Keys of all stored objects in etcd order.
    var sortedKeys: [StoreKey] { entries.keys.sorted() }
}

// MARK: - Metadata helpers

extension JSONObject {
    /// A `metadata` field.
    func meta(_ key: String) -> JSONValue? { self["metadata"]?[key] }

    /// Sets or (with nil) removes a `metadata` field, creating `metadata` when needed.
    mutating func setMeta(_ key: String, _ value: JSONValue?) {
        var metadata = self["metadata"]?.objectValue ?? JSONObject()
        if let value { metadata[key] = value } else { metadata.removeValue(forKey: key) }
        self["metadata"] = .object(metadata)
    }

    /// The object without empty `finalizers` and `ownerReferences` (the server omits them).
    func droppingEmptyMetadataLists() -> JSONObject {
        var result = self
        for field in ["finalizers", "ownerReferences"] where meta(field)?.arrayValue?.isEmpty == true {
            result.setMeta(field, nil)
        }
        return result
    }

    /// The typed metadata view.
    var metadata: ObjectMeta {
        get { ObjectMeta(object: self["metadata"]?.objectValue ?? JSONObject()) }
        set { self["metadata"] = newValue.json }
    }
}
