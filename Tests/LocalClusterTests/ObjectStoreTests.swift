import Foundation
import KubeAPI
import Testing

@testable import LocalCluster

@Suite struct ObjectStoreTests {
    @Test func resourceVersionIsMonotonicAndSharedAcrossResources() throws {
        var store = try makeStore()
        let a = try store.create(.configMaps, configMap("a"), now: t0)
        let g = try store.create(gadgets, gadget("g"), now: t0)
        var b = a
        b["data"] = ["k": "w"]
        let a2 = try store.update(.configMaps, b, now: t0)
        let rvs = [a, g, a2].compactMap { $0.meta("resourceVersion")?.stringValue.flatMap { Int64($0) } }
        #expect(rvs == [2, 3, 4])
        #expect(store.resourceVersion == "4")
        // The same object again is no write.
        _ = try store.update(.configMaps, a2, now: t0)
        #expect(store.revision == 4)
    }

    @Test func createSetsServerFields() throws {
        var store = try makeStore()
        let g = try store.create(gadgets, gadget("g"), now: t0)
        #expect(g.metadata.uid?.count == 36)
        #expect(g.metadata.creationTimestamp == t0)
        #expect(g.metadata.generation == 1)
        let c = try store.create(.configMaps, configMap("c"), now: t0)
        #expect(c.metadata.generation == nil)
    }

    @Test func generateNameAppendsFiveCharacters() throws {
        var store = try makeStore()
        let a = try store.create(.configMaps, obj(#"{"metadata":{"generateName":"job-","namespace":"demo"}}"#), now: t0)
        let b = try store.create(.configMaps, obj(#"{"metadata":{"generateName":"job-","namespace":"demo"}}"#), now: t0)
        let nameA = try #require(a.metadata.name)
        #expect(nameA.hasPrefix("job-") && nameA.count == 9)
        #expect(nameA != b.metadata.name)
        #expect(nameA.dropFirst(4).allSatisfy { "bcdfghjklmnpqrstvwxz2456789".contains($0) })
    }

    /// Messages, reasons, codes and details exactly as recorded in reference/kube-api.
    @Test func errorBodiesMatchTheRealServer() throws {
        var store = try makeStore()
        _ = try store.create(gadgets, gadget("g1"), now: t0)
        let notFound = status { () throws(Status) in _ = try store.get(gadgets, namespace: "demo", name: "g2") }
        #expect(notFound?.json == parse(#"{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"gadgets.reference.example.com \"g2\" not found","reason":"NotFound","details":{"name":"g2","group":"reference.example.com","kind":"gadgets"},"code":404}"#))
        let cmNotFound = status { () throws(Status) in _ = try store.get(.configMaps, namespace: "demo", name: "settings") }
        #expect(cmNotFound?.json == parse(#"{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"configmaps \"settings\" not found","reason":"NotFound","details":{"name":"settings","kind":"configmaps"},"code":404}"#))
        let exists = status { () throws(Status) in _ = try store.create(gadgets, gadget("g1"), now: t0) }
        #expect(exists?.message == "gadgets.reference.example.com \"g1\" already exists")
        #expect(exists?.reason == "AlreadyExists" && exists?.code == 409)
        var stale = gadget("g1", size: 2)
        stale.setMeta("resourceVersion", "1")
        let conflict = status { () throws(Status) in _ = try store.update(gadgets, stale, now: t0) }
        #expect(conflict?.json == parse(#"{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Operation cannot be fulfilled on gadgets.reference.example.com \"g1\": the object has been modified; please apply your changes to the latest version and try again","reason":"Conflict","details":{"name":"g1","group":"reference.example.com","kind":"gadgets"},"code":409}"#))
        let noNamespace = status { () throws(Status) in _ = try store.create(.pods, obj(#"{"metadata":{"name":"p","namespace":"nope"}}"#), now: t0) }
        #expect(noNamespace?.message == "namespaces \"nope\" not found" && noNamespace?.code == 404)
    }

    @Test func podAlreadyExistsMessage() throws {
        var store = try makeStore()
        _ = try store.create(.pods, obj(#"{"metadata":{"name":"x","namespace":"demo"}}"#), now: t0)
        let e = status { () throws(Status) in _ = try store.create(.pods, obj(#"{"metadata":{"name":"x","namespace":"demo"}}"#), now: t0) }
        #expect(e?.message == "pods \"x\" already exists")
    }

    @Test func deleteBodyMatchesTheRealServer() throws {
        var store = try makeStore()
        let g = try store.create(gadgets, gadget("g-bad"), now: t0)
        guard case .deleted(let last) = try store.delete(gadgets, namespace: "demo", name: "g-bad", now: t0) else {
            Issue.record("expected an immediate delete"); return
        }
        let body = StoreErrors.deleted(gadgets, object: last)
        #expect(body.json == parse(#"{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Success","details":{"name":"g-bad","group":"reference.example.com","kind":"gadgets","uid":"\#(g.metadata.uid!)"}}"#))
    }

    @Test func updateWithoutResourceVersionIsUnconditional() throws {
        var store = try makeStore()
        _ = try store.create(gadgets, gadget("g", size: 1), now: t0)
        let updated = try store.update(gadgets, gadget("g", size: 2), now: t0)
        #expect(updated["spec"]?["size"] == 2)
        #expect(updated.metadata.generation == 2)
    }

    @Test(arguments: [
        // (change, subresource, expected generation, expected spec.size, expected status.phase)
        (#"{"spec":{"size":2}}"#, Subresource.main, 2, 2, nil),
        (#"{"spec":{"size":1},"status":{"phase":"X"}}"#, .main, 1, 1, nil),
        (#"{"spec":{"size":9},"status":{"phase":"Ready"}}"#, .status, 1, 1, "Ready"),
        (#"{"spec":{"size":1},"metadata":{"labels":{"a":"b"}}}"#, .main, 1, 1, nil),
    ] as [(String, Subresource, Int64, Int, String?)])
    func statusSubresourceAndGenerationRules(change: String, subresource: Subresource, generation: Int64, size: Int, phase: String?) throws {
        var store = try makeStore()
        _ = try store.create(gadgets, gadget("g"), now: t0)
        var body = gadget("g")
        for (k, v) in obj(change) {
            if k == "metadata" { body.setMeta("labels", v["labels"]) } else { body[k] = v }
        }
        let result = try store.update(gadgets, body, subresource: subresource, now: t0)
        #expect(result.metadata.generation == generation)
        #expect(result["spec"]?["size"] == .number(JSONNumber(size)))
        #expect(result["status"]?["phase"]?.stringValue == phase)
    }

    @Test func finalizersKeepTheObjectUntilRemoved() throws {
        var store = try makeStore()
        _ = try store.create(.configMaps, configMap("f", extra: #","finalizers":["example.com/keep"]"#), now: t0)
        let later = t0.addingTimeInterval(60)
        guard case .pending(let pending) = try store.delete(.configMaps, namespace: "demo", name: "f", now: later) else {
            Issue.record("expected pending deletion"); return
        }
        #expect(pending.metadata.deletionTimestamp == later)
        #expect(pending.metadata.deletionGracePeriodSeconds == 0)
        #expect(try store.get(.configMaps, namespace: "demo", name: "f").metadata.isBeingDeleted)
        var cleared = pending
        cleared.metadata.finalizers = []
        _ = try store.update(.configMaps, cleared, now: later)
        #expect(status { () throws(Status) in _ = try store.get(.configMaps, namespace: "demo", name: "f") }?.code == 404)
        #expect(try store.events(.configMaps, after: pending.metadata.resourceVersion!).map(\.type) == [.deleted])
    }

    @Test func deletePreconditions() throws {
        var store = try makeStore()
        let c = try store.create(.configMaps, configMap("c"), now: t0)
        let uid = status { () throws(Status) in _ = try store.delete(.configMaps, namespace: "demo", name: "c", options: .init(preconditionUID: "other"), now: t0) }
        #expect(uid?.message == "Operation cannot be fulfilled on configmaps \"c\": Precondition failed: UID in precondition: other, UID in object meta: \(c.metadata.uid!)")
        let rv = status { () throws(Status) in _ = try store.delete(.configMaps, namespace: "demo", name: "c", options: .init(preconditionResourceVersion: "1"), now: t0) }
        #expect(rv?.code == 409 && rv?.reason == "Conflict")
    }
}
