import KubeAPI
import Synchronization

/// One change a `Store` made, reported so that an informer can notify its handlers.
public enum StoreChange<Object: KubeObject>: Sendable {
    case added(Object)
    case updated(old: Object, new: Object)
    case deleted(Object)
}

/// The cache of one resource type that an informer fills and reconcilers read.
///
/// Reads are synchronous and cheap (a lock around a dictionary), so a reconciler can read
/// the cache as often as it likes. Objects are keyed by `namespace/name`; the secondary
/// indexes given at creation are kept up to date on every write.
public final class Store<Object: KubeObject>: Sendable {
    /// How a store keeps its objects.
    public enum Storage: Sendable, Hashable {
        /// As the decoded objects: a read costs nothing.
        case objects
        /// In ``CompactJSON``'s binary form, decoded again on every read: a fraction of the
        /// memory of ``objects`` (and less than JSON text: the store numbers the keys), for a
        /// decode per object read. For the bulk caches (jobs, pods, their events) that
        /// reconcilers read a few objects at a time, by index.
        case compact
    }

    private enum Entry {
        case object(Object)
        case compact([UInt8])
    }

    private struct State {
        var items: [ObjectKey: Entry] = [:]
        /// index name → index value → keys.
        var indices: [String: [String: Set<ObjectKey>]] = [:]
        var resourceVersion: String?
        /// The key table of the compact entries.
        var keys = CompactJSON.Keys()
    }

    private let indexes: [String: StoreIndex<Object>]
    private let storage: Storage
    private let state = Mutex(State())

    /// A store with the given secondary indexes (by default, by namespace), keeping its objects
    /// as `storage` says.
    public init(indexes: [StoreIndex<Object>] = [.namespace], storage: Storage = .objects) {
        self.indexes = Dictionary(indexes.map { ($0.name, $0) }, uniquingKeysWith: { _, last in last })
        self.storage = storage
    }

    /// The key of `object` in a store: its namespace and name.
    public static func key(for object: Object) -> ObjectKey {
        ObjectKey(namespace: object.metadata.namespace, name: object.metadata.name ?? "")
    }

    // MARK: - Writes

    /// Inserts or replaces `object`; returns the object it replaced.
    @discardableResult
    public func add(_ object: Object) -> Object? {
        state.withLock { put(object, into: &$0) }
    }

    /// The same as `add`: inserts or replaces `object`; returns the object it replaced.
    @discardableResult
    public func update(_ object: Object) -> Object? { add(object) }

    /// Removes the object with `object`'s key; returns what was stored.
    @discardableResult
    public func delete(_ object: Object) -> Object? {
        let key = Self.key(for: object)
        return state.withLock { remove(key, from: &$0) }
    }

    /// Replaces the whole content with `objects` (the result of a list) and reports what
    /// changed: a deletion for every object that vanished (in key order), then an addition
    /// or an update for every listed object (in list order).
    @discardableResult
    public func replace(_ objects: [Object], resourceVersion: String?) -> [StoreChange<Object>] {
        state.withLock { s in
            let listed = Set(objects.map(Self.key(for:)))
            var changes: [StoreChange<Object>] = []
            for key in s.items.keys.sorted() where !listed.contains(key) {
                if let old = remove(key, from: &s) { changes.append(.deleted(old)) }
            }
            for object in objects {
                if let old = put(object, into: &s) {
                    changes.append(.updated(old: old, new: object))
                } else {
                    changes.append(.added(object))
                }
            }
            s.resourceVersion = resourceVersion
            return changes
        }
    }

    // MARK: - Reads

    /// The object stored under `key`.
    public func get(_ key: ObjectKey) -> Object? {
        let (entry, keys) = state.withLock { ($0.items[key], $0.keys.names) }
        return entry.flatMap { Self.decode($0, keys: keys) }
    }

    /// The object named `name` in `namespace` (nil for cluster-scoped objects).
    public func get(name: String, namespace: String?) -> Object? { get(ObjectKey(namespace: namespace, name: name)) }

    /// Every object, in key order.
    public func list() -> [Object] {
        let (entries, keys) = state.withLock { s in (s.items.sorted { $0.key < $1.key }.map(\.value), s.keys.names) }
        return entries.compactMap { Self.decode($0, keys: keys) }
    }

    /// Every key, in order.
    public func keys() -> [ObjectKey] { state.withLock { $0.items.keys.sorted() } }

    /// The number of objects.
    public var count: Int { state.withLock { $0.items.count } }

    /// The resourceVersion of the last `replace`.
    public var resourceVersion: String? { state.withLock { $0.resourceVersion } }

    /// The objects whose index `indexName` contains `value`, in key order.
    /// Precondition: the store was created with that index.
    public func byIndex(_ indexName: String, value: String) -> [Object] {
        precondition(indexes[indexName] != nil, "the store has no index named \(indexName)")
        let (entries, keys) = state.withLock { s in
            ((s.indices[indexName]?[value] ?? []).sorted().compactMap { s.items[$0] }, s.keys.names)
        }
        return entries.compactMap { Self.decode($0, keys: keys) }
    }

    /// The objects whose `index` contains `value`, in key order.
    public func byIndex(_ index: StoreIndex<Object>, value: String) -> [Object] {
        byIndex(index.name, value: value)
    }

    /// How many objects the index `indexName` has under `value`, without reading them.
    /// Precondition: the store was created with that index.
    public func count(inIndex indexName: String, value: String) -> Int {
        precondition(indexes[indexName] != nil, "the store has no index named \(indexName)")
        return state.withLock { $0.indices[indexName]?[value]?.count ?? 0 }
    }

    /// The values present in the index `indexName`, sorted.
    public func indexValues(_ indexName: String) -> [String] {
        state.withLock { s in (s.indices[indexName] ?? [:]).filter { !$0.value.isEmpty }.keys.sorted() }
    }

    // MARK: - Internals (called with the lock held)

    private func put(_ object: Object, into s: inout State) -> Object? {
        let key = Self.key(for: object)
        let entry: Entry = switch storage {
        case .objects: .object(object)
        case .compact: .compact(CompactJSON.encode(object.json, keys: &s.keys))
        }
        let keys = s.keys.names
        let old = s.items.updateValue(entry, forKey: key).flatMap { Self.decode($0, keys: keys) }
        if let old { unindex(old, key: key, in: &s) }
        index(object, key: key, in: &s)
        return old
    }

    private func remove(_ key: ObjectKey, from s: inout State) -> Object? {
        let keys = s.keys.names
        guard let old = s.items.removeValue(forKey: key).flatMap({ Self.decode($0, keys: keys) }) else { return nil }
        unindex(old, key: key, in: &s)
        return old
    }

    /// The object an entry holds. What the store encoded itself always decodes.
    private static func decode(_ entry: Entry, keys: [String]) -> Object? {
        switch entry {
        case .object(let object): object
        case .compact(let bytes): CompactJSON.decode(bytes, keys: keys).flatMap(Object.init(json:))
        }
    }

    private func index(_ object: Object, key: ObjectKey, in s: inout State) {
        for (name, index) in indexes {
            for value in index.values(object) { s.indices[name, default: [:]][value, default: []].insert(key) }
        }
    }

    private func unindex(_ object: Object, key: ObjectKey, in s: inout State) {
        for (name, index) in indexes {
            for value in index.values(object) {
                s.indices[name]?[value]?.remove(key)
                if s.indices[name]?[value]?.isEmpty == true { s.indices[name]?[value] = nil }
            }
        }
    }
}
