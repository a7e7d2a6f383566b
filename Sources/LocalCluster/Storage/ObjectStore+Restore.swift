import KubeAPI

extension ObjectStore {
    /// A store that holds exactly `objects`, as they were saved, at `revision`.
    ///
    /// Used to rebuild the store after a restart: objects keep their uids and
    /// resourceVersions; ``revision`` is `revision` (or the highest object resourceVersion,
    /// if that is larger). The watch history starts empty at that revision, so a watch
    /// from an older resourceVersion gets `410 Expired`, as after an etcd compaction.
    ///
    /// - Parameters:
    ///   - objects: each object with its resource; the key comes from its metadata.
    ///   - identifiers: the source of new uids. Pass one that does not repeat the uids of
    ///     the previous run (for example a ``SeededIdentifierGenerator`` with a new seed).
    public init(
        restoring objects: [(type: ResourceType, object: JSONObject)], revision: Int64,
        configuration: Configuration = Configuration(), identifiers: any IdentifierGenerator
    ) {
        self.init(configuration: configuration, identifiers: identifiers)
        var latest = revision
        for (type, object) in objects {
            let name = object.meta("name")?.stringValue ?? ""
            let key = StoreKey(type, namespace: object.meta("namespace")?.stringValue, name: name)
            entries[key] = Entry(type: type, object: object)
            if let uid = object.meta("uid")?.stringValue { uidIndex[uid] = key }
            if let rv = object.meta("resourceVersion")?.stringValue.flatMap({ Int64($0) }) { latest = max(latest, rv) }
        }
        self.revision = latest
        self.historyStart = latest
        for (key, entry) in entries {
            for uid in Self.ownerUIDs(entry.object) { dependentsByOwner[uid, default: []].insert(key) }
        }
        // The first collection after a restart looks at everything once.
        collectorQueue = Set(entries.keys)
    }

    /// Every stored object with its resource, in key (etcd) order: what a snapshot saves.
    public var storedObjects: [(type: ResourceType, object: JSONObject)] {
        sortedKeys.compactMap { key in entries[key].map { ($0.type, $0.object) } }
    }
}
