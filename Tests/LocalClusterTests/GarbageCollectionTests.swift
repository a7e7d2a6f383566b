import Foundation
import KubeAPI
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
}
