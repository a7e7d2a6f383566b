import Foundation
import KubeAPI

/// One thing the garbage collector did.
public enum GarbageCollectionAction: Sendable, Hashable {
    /// A dependent whose owners are all gone (or being deleted in the foreground) was deleted.
    case deleted(StoreKey)
    /// Owner references to `ownerUID` were removed from a dependent (Orphan policy, or a
    /// dangling reference next to a live owner).
    case removedOwnerReference(StoreKey, ownerUID: String)
    /// The collector finished its work on an owner and removed its finalizer.
    case removedFinalizer(StoreKey, String)
}

extension ObjectStore {
    /// Runs the garbage collector until nothing is left to do and returns what it did, in order.
    ///
    /// An explicit, deterministic step the server calls after writes (the real
    /// kube-controller-manager does the same asynchronously):
    /// - an owner with the `orphan` finalizer: its dependents lose their reference to it,
    ///   then the finalizer goes;
    /// - an owner with `foregroundDeletion`: its dependents are deleted (in the foreground
    ///   too); once none with `blockOwnerDeletion: true` is left, the finalizer goes;
    /// - a dependent all of whose owners are gone is deleted (Background); references to
    ///   missing owners next to a live owner are removed.
    ///
    /// Each pass looks only at the objects a write since the last pass may have given work
    /// (``collectorQueue``): one being deleted, one whose owner is gone or never existed, an
    /// owner being deleted whose dependents changed. A pass that acts writes, which queues
    /// what its writes affect for the next pass; the loop ends when nothing is queued.
    @discardableResult
    public mutating func collectGarbage(now: Date) -> [GarbageCollectionAction] {
        var actions: [GarbageCollectionAction] = []
        // The bound only guards against a bug.
        for _ in 0..<max(16, entries.count * 4) {
            guard !collectorQueue.isEmpty else { break }
            let keys = collectorQueue.sorted()
            collectorQueue.removeAll(keepingCapacity: true)
            actions += collectOnce(keys, now: now)
        }
        return actions
    }

    /// Keeps the collector's graph and queue as `key` is written (`stored`) or deleted.
    mutating func noteForCollector(_ key: StoreKey, previous: JSONObject?, stored: JSONObject, deleted: Bool) {
        let before = Self.ownerUIDs(previous)
        let after = deleted ? [] : Self.ownerUIDs(stored)
        for uid in before.subtracting(after) {
            dependentsByOwner[uid]?.remove(key)
            if dependentsByOwner[uid]?.isEmpty == true { dependentsByOwner[uid] = nil }
        }
        for uid in after.subtracting(before) { dependentsByOwner[uid, default: []].insert(key) }
        // An owner being deleted looks again when one of its dependents changes or goes
        // (foreground deletion waits for them; a dependent added meanwhile is deleted too).
        for uid in before.union(after) {
            if let owner = uidIndex[uid], entries[owner]?.object.meta("deletionTimestamp") != nil { collectorQueue.insert(owner) }
        }
        guard !deleted else {
            collectorQueue.remove(key)
            // Its dependents have lost an owner.
            if let uid = stored.meta("uid")?.stringValue, let dependents = dependentsByOwner[uid] { collectorQueue.formUnion(dependents) }
            return
        }
        if stored.meta("deletionTimestamp") != nil || after.contains(where: { uidIndex[$0] == nil }) { collectorQueue.insert(key) }
    }

    /// The uids an object's owner references name.
    static func ownerUIDs(_ object: JSONObject?) -> Set<String> {
        guard let references = object?.meta("ownerReferences")?.arrayValue else { return [] }
        return Set(references.compactMap { $0["uid"]?.stringValue })
    }

    private mutating func collectOnce(_ keys: [StoreKey], now: Date) -> [GarbageCollectionAction] {
        var actions: [GarbageCollectionAction] = []
        for key in keys {
            guard let entry = entries[key] else { continue }
            let meta = entry.object.metadata
            if meta.deletionTimestamp != nil, let uid = meta.uid {
                if meta.finalizers.contains(GCFinalizer.orphan) {
                    actions += orphanDependents(of: uid)
                    actions += removeFinalizer(GCFinalizer.orphan, at: key)
                    continue
                }
                if meta.finalizers.contains(GCFinalizer.foregroundDeletion) {
                    actions += deleteDependentsInForeground(of: uid, now: now)
                    if !dependents(of: uid).contains(where: { blocks($0, ownerUID: uid) }) {
                        actions += removeFinalizer(GCFinalizer.foregroundDeletion, at: key)
                    }
                    continue
                }
            }
            actions += collectDependent(at: key, now: now)
        }
        return actions
    }

    /// Deletes a dependent whose owners are all missing; drops dangling references otherwise.
    private mutating func collectDependent(at key: StoreKey, now: Date) -> [GarbageCollectionAction] {
        guard let entry = entries[key] else { return [] }
        let refs = entry.object.metadata.ownerReferences
        let missing = refs.filter { uidIndex[$0.uid] == nil }
        guard !refs.isEmpty, !missing.isEmpty else { return [] }
        if missing.count == refs.count {
            guard entry.object.meta("deletionTimestamp") == nil else { return [] }
            _ = try? delete(entry.type, namespace: key.namespace, name: key.name, options: DeleteOptions(propagationPolicy: .background), now: now)
            return [.deleted(key)]
        }
        var updated = entry.object
        updated.metadata.ownerReferences = refs.filter { uidIndex[$0.uid] != nil }
        write(entry.type, key: key, existing: entry.object, updated: updated)
        return missing.map { .removedOwnerReference(key, ownerUID: $0.uid) }
    }

    private mutating func orphanDependents(of uid: String) -> [GarbageCollectionAction] {
        var actions: [GarbageCollectionAction] = []
        for key in dependents(of: uid) {
            guard let entry = entries[key] else { continue }
            var updated = entry.object
            updated.metadata.ownerReferences = entry.object.metadata.ownerReferences.filter { $0.uid != uid }
            write(entry.type, key: key, existing: entry.object, updated: updated)
            actions.append(.removedOwnerReference(key, ownerUID: uid))
        }
        return actions
    }

    private mutating func deleteDependentsInForeground(of uid: String, now: Date) -> [GarbageCollectionAction] {
        var actions: [GarbageCollectionAction] = []
        for key in dependents(of: uid) {
            guard let entry = entries[key], entry.object.meta("deletionTimestamp") == nil else { continue }
            _ = try? delete(entry.type, namespace: key.namespace, name: key.name, options: DeleteOptions(propagationPolicy: .foreground), now: now)
            actions.append(.deleted(key))
        }
        return actions
    }

    private mutating func removeFinalizer(_ finalizer: String, at key: StoreKey) -> [GarbageCollectionAction] {
        guard let entry = entries[key] else { return [] }
        var updated = entry.object
        updated.metadata.finalizers = entry.object.metadata.finalizers.filter { $0 != finalizer }
        write(entry.type, key: key, existing: entry.object, updated: updated)
        return [.removedFinalizer(key, finalizer)]
    }

    /// Keys of the objects with an owner reference to `uid`, in etcd order.
    func dependents(of uid: String) -> [StoreKey] {
        (dependentsByOwner[uid] ?? []).sorted()
    }

    private func blocks(_ key: StoreKey, ownerUID: String) -> Bool {
        entries[key]?.object.metadata.ownerReferences.contains { $0.uid == ownerUID && $0.blockOwnerDeletion == true } ?? false
    }
}
