import Foundation
import KubeAPI
import KubeTesting
import Testing

@testable import LocalCluster

@Suite struct GarbageCollectionTests {
    private func exists(_ store: ObjectStore, _ name: String) -> Bool {
        (try? store.get(.configMaps, namespace: "demo", name: name)) != nil
    }

    @Test func backgroundDeletesDependentsAfterTheOwner() throws {
        var store = try makeStore()
        let owner = try store.create(.configMaps, configMap("owner"), now: t0)
        _ = try store.create(.configMaps, owned("child", by: owner), now: t0)
        guard case .deleted = try store.delete(.configMaps, namespace: "demo", name: "owner", now: t0) else {
            Issue.record("owner should go at once"); return
        }
        #expect(exists(store, "child"))
        let actions = store.collectGarbage(now: t0)
        #expect(actions == [.deleted(StoreKey(.configMaps, namespace: "demo", name: "child"))])
        #expect(!exists(store, "child"))
        #expect(store.collectGarbage(now: t0).isEmpty)
    }

    @Test func foregroundDeletesBlockingDependentsFirst() throws {
        var store = try makeStore()
        let owner = try store.create(.configMaps, configMap("owner"), now: t0)
        _ = try store.create(.configMaps, owned("child", by: owner, block: true), now: t0)
        let before = store.revision
        guard case .pending(let pending) = try store.delete(.configMaps, namespace: "demo", name: "owner", options: .init(propagationPolicy: .foreground), now: t0) else {
            Issue.record("owner should wait for its dependents"); return
        }
        #expect(pending.metadata.finalizers == ["foregroundDeletion"])
        #expect(pending.metadata.deletionTimestamp == t0)
        _ = store.collectGarbage(now: t0)
        #expect(!exists(store, "owner") && !exists(store, "child"))
        let deletions = try store.events(.configMaps, after: String(before)).filter { $0.type == .deleted }.map(\.key.name)
        #expect(deletions == ["child", "owner"])
    }

    @Test func orphanRemovesOwnerReferences() throws {
        var store = try makeStore()
        let owner = try store.create(.configMaps, configMap("owner"), now: t0)
        _ = try store.create(.configMaps, owned("child", by: owner), now: t0)
        _ = try store.delete(.configMaps, namespace: "demo", name: "owner", options: .init(propagationPolicy: .orphan), now: t0)
        #expect(exists(store, "owner"))
        let actions = store.collectGarbage(now: t0)
        #expect(actions.contains(.removedOwnerReference(StoreKey(.configMaps, namespace: "demo", name: "child"), ownerUID: owner.metadata.uid!)))
        #expect(!exists(store, "owner"))
        #expect(try store.get(.configMaps, namespace: "demo", name: "child").metadata.ownerReferences.isEmpty)
    }

    @Test func danglingReferenceNextToALiveOwnerIsRemoved() throws {
        var store = try makeStore()
        let a = try store.create(.configMaps, configMap("a"), now: t0)
        let b = try store.create(.configMaps, configMap("b"), now: t0)
        var child = owned("child", by: a)
        child.metadata.ownerReferences += [OwnerReference(apiVersion: "v1", kind: "ConfigMap", name: "b", uid: b.metadata.uid!)]
        _ = try store.create(.configMaps, child, now: t0)
        _ = try store.delete(.configMaps, namespace: "demo", name: "a", now: t0)
        _ = store.collectGarbage(now: t0)
        #expect(try store.get(.configMaps, namespace: "demo", name: "child").metadata.ownerReferences.map(\.name) == ["b"])
    }

    /// The collector looks only at what writes queued for it. Random creates (owner
    /// references to live, deleted or never-existing objects, some blocking), deletes with
    /// every propagation policy and finalizer removals, each followed by a collection as the
    /// server makes one: after every step, a collection over every object finds nothing left
    /// to do (the incremental collector reached the full one's fixpoint), and the owner
    /// graph equals the one recomputed from the objects.
    @Test(arguments: 0..<12)
    func collectingWhatChangedReachesTheFullCollectionsFixpoint(seed: UInt64) throws {
        var store = try makeStore()
        var rng = SeededRandom(seed: seed)
        var uids: [String] = []
        func name() -> String { "o\(rng.below(24))" }
        for step in 0..<300 {
            switch rng.below(10) {
            case 0...4:
                var object = configMap(name())
                if !uids.isEmpty {
                    object.metadata.ownerReferences = (0..<rng.below(3)).map { _ in
                        let uid = rng.below(6) == 0 ? "never-\(rng.below(3))" : uids[rng.below(uids.count)]
                        return OwnerReference(apiVersion: "v1", kind: "ConfigMap", name: "x", uid: uid, blockOwnerDeletion: rng.below(2) == 0)
                    }
                    object.metadata.ownerReferences = Array(Dictionary(object.metadata.ownerReferences.map { ($0.uid, $0) }, uniquingKeysWith: { a, _ in a }).values)
                        .sorted { $0.uid < $1.uid }
                }
                if rng.below(4) == 0 { object.metadata.finalizers = ["example.com/hold"] }
                if let created = try? store.create(.configMaps, object, now: t0), let uid = created.metadata.uid { uids.append(uid) }
            case 5...7:
                let policy: PropagationPolicy = [.background, .foreground, .orphan][rng.below(3)]
                _ = try? store.delete(.configMaps, namespace: "demo", name: name(), options: LocalCluster.DeleteOptions(propagationPolicy: policy), now: t0)
            default:
                if var object = try? store.get(.configMaps, namespace: "demo", name: name()), !object.metadata.finalizers.isEmpty {
                    object.metadata.finalizers.removeAll { $0 == "example.com/hold" }
                    _ = try? store.update(.configMaps, object, now: t0)
                }
            }
            _ = store.collectGarbage(now: t0)
            #expect(store.collectorQueue.isEmpty, "step \(step)")
            var full = store
            full.collectorQueue = Set(full.entries.keys)
            let left = full.collectGarbage(now: t0)
            #expect(left.isEmpty, "step \(step): a full collection still did \(left)")
            var graph: [String: Set<StoreKey>] = [:]
            for (key, entry) in store.entries {
                for uid in ObjectStore.ownerUIDs(entry.object) { graph[uid, default: []].insert(key) }
            }
            #expect(graph == store.dependentsByOwner, "step \(step)")
        }
    }

    /// A delete in a large store looks at the deleted object's dependents, not at every object.
    @Test func aCollectionLooksOnlyAtWhatTheWriteAffected() throws {
        var store = try makeStore()
        let owner = try store.create(.configMaps, configMap("owner"), now: t0)
        for i in 0..<2_000 { _ = try store.create(.configMaps, configMap("other-\(i)"), now: t0) }
        _ = try store.create(.configMaps, owned("child", by: owner), now: t0)
        #expect(store.collectGarbage(now: t0).isEmpty)
        _ = try store.delete(.configMaps, namespace: "demo", name: "owner", now: t0)
        #expect(store.collectorQueue == [StoreKey(.configMaps, namespace: "demo", name: "child")])
        #expect(store.collectGarbage(now: t0) == [.deleted(StoreKey(.configMaps, namespace: "demo", name: "child"))])
    }
}
