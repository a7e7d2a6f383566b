import Foundation
import KubeAPI
import Testing

@testable import LocalCluster

@Suite struct WatchAndListTests {
    @Test func watchBacklogAfterAResourceVersion() throws {
        var store = try makeStore()
        let a = try store.create(.configMaps, configMap("a"), now: t0)
        _ = try store.create(gadgets, gadget("g"), now: t0)
        var changed = a
        changed["data"] = ["k": "2"]
        _ = try store.update(.configMaps, changed, now: t0)
        _ = try store.delete(.configMaps, namespace: "demo", name: "a", now: t0)
        let events = try store.events(.configMaps, after: a.metadata.resourceVersion!)
        #expect(events.map(\.type) == [.modified, .deleted])
        #expect(events.map(\.resourceVersion) == [4, 5])
        #expect(try store.events(.configMaps, after: "0").isEmpty)
    }

    @Test func watchTooOldIs410WithTheRealMessage() throws {
        var store = try makeStore(historyLimit: 3)
        for i in 0..<5 { _ = try store.create(.configMaps, configMap("c\(i)"), now: t0) }
        // 6 writes, 3 kept (rv 4...6): rv 3 is the oldest that can resume.
        #expect(try store.events(.configMaps, after: "3").count == 3)
        let expired = status { () throws(Status) in _ = try store.events(.configMaps, after: "1") }
        #expect(expired?.json == parse(#"{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"too old resource version: 1 (3)","reason":"Expired","code":410}"#))
        #expect(status { () throws(Status) in _ = try store.events(.configMaps, after: "99") }?.code == 504)
    }

    @Test func selectorTransitionsBecomeAddedAndDeleted() throws {
        var store = try makeStore()
        let start = store.resourceVersion
        var c = try store.create(.configMaps, configMap("c", labels: #"{"app":"x"}"#), now: t0)
        c.metadata.labels = ["app": "y"]
        c = try store.update(.configMaps, c, now: t0)
        c.metadata.labels = ["app": "x"]
        _ = try store.update(.configMaps, c, now: t0)
        let filter = try ObjectFilter(namespace: "demo", labelSelector: "app=x", fieldSelector: nil)
        #expect(try store.events(.configMaps, after: start, filter: filter).map(\.type) == [.added, .deleted, .added])
    }

    @Test func bookmarkCarriesTheCurrentResourceVersion() throws {
        let store = try makeStore()
        let bookmark = store.bookmark(.configMaps).watchEvent.json
        #expect(bookmark == parse(#"{"type":"BOOKMARK","object":{"kind":"ConfigMap","apiVersion":"v1","metadata":{"resourceVersion":"1"}}}"#))
    }

    @Test func subscribersGetBacklogThenNewEvents() async throws {
        let cluster = ClusterStore(try makeStore())
        let stream = try await cluster.watch(.configMaps, after: "1")
        try await cluster.perform { (s: inout ObjectStore) throws(Status) in _ = try s.create(.configMaps, configMap("a"), now: t0) }
        try await cluster.perform { (s: inout ObjectStore) throws(Status) in _ = try s.create(gadgets, gadget("g"), now: t0) }
        try await cluster.perform { (s: inout ObjectStore) throws(Status) in _ = try s.delete(.configMaps, namespace: "demo", name: "a", now: t0) }
        var seen: [WatchEventType] = []
        for await event in stream {
            seen.append(event.type)
            if seen.count == 2 { break }
        }
        #expect(seen == [.added, .deleted])
    }

    @Test(arguments: [
        ("app=web", nil, ["a", "c"]),
        ("app in (web,db)", nil, ["a", "b", "c"]),
        (nil, "metadata.name=b", ["b"]),
        (nil, "metadata.name!=b", ["a", "c"]),
        ("app=web", "data.k=v2", ["c"]),
        (nil, "metadata.namespace=other", []),
    ] as [(String?, String?, [String])])
    func selectors(label: String?, field: String?, expected: [String]) throws {
        var store = try makeStore()
        _ = try store.create(.configMaps, configMap("a", labels: #"{"app":"web"}"#), now: t0)
        _ = try store.create(.configMaps, configMap("b", labels: #"{"app":"db"}"#), now: t0)
        var c = configMap("c", labels: #"{"app":"web"}"#)
        c["data"] = ["k": "v2"]
        _ = try store.create(.configMaps, c, now: t0)
        let filter = try ObjectFilter(namespace: nil, labelSelector: label, fieldSelector: field)
        let names = try store.list(.configMaps, options: .init(filter: filter)).items.compactMap(\.metadata.name)
        #expect(names == expected)
    }

    @Test func paginationWithContinue() throws {
        var store = try makeStore()
        for name in ["g1", "g2", "g3"] { _ = try store.create(gadgets, gadget(name), now: t0) }
        let first = try store.list(gadgets, options: .init(filter: .init(namespace: "demo"), limit: 2))
        #expect(first.items.compactMap(\.metadata.name) == ["g1", "g2"])
        #expect(first.remainingItemCount == 1)
        let token = try ContinueToken(decoding: try #require(first.continueToken))
        #expect(token == ContinueToken(resourceVersion: 4, start: "/g2\u{0}"))
        _ = try store.create(gadgets, gadget("g0"), now: t0)
        let second = try store.list(gadgets, options: .init(filter: .init(namespace: "demo"), limit: 2, continueToken: first.continueToken))
        #expect(second.items.compactMap(\.metadata.name) == ["g3"])
        #expect(second.continueToken == nil)
        #expect(second.resourceVersion == first.resourceVersion)
    }

    @Test func realServerTokenDecodes() throws {
        let token = try ContinueToken(decoding: "eyJ2IjoibWV0YS5rOHMuaW8vdjEiLCJydiI6MTU1ODksInN0YXJ0IjoiL2cxXHUwMDAwIn0")
        #expect(token == ContinueToken(resourceVersion: 15589, start: "/g1\u{0}"))
        #expect(token.encoded == "eyJ2IjoibWV0YS5rOHMuaW8vdjEiLCJydiI6MTU1ODksInN0YXJ0IjoiL2cxXHUwMDAwIn0")
    }

    @Test func expiredContinueIs410() throws {
        var store = try makeStore(historyLimit: 2)
        for name in ["a", "b", "c"] { _ = try store.create(.configMaps, configMap(name), now: t0) }
        let first = try store.list(.configMaps, options: .init(limit: 1))
        for name in ["d", "e", "f"] { _ = try store.create(.configMaps, configMap(name), now: t0) }
        let e = status { () throws(Status) in _ = try store.list(.configMaps, options: .init(limit: 1, continueToken: first.continueToken)) }
        #expect(e?.code == 410 && e?.reason == "Expired")
        #expect(status { () throws(Status) in _ = try store.list(.configMaps, options: .init(continueToken: "!!")) }?.code == 400)
    }
}
