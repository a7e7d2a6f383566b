import Foundation
import KubeAPI
import KubeClient
import KubeRuntime
import KubeTesting
import Testing

/// A namespaced custom resource served by the fake server.
struct Gizmo: KubeObject {
    static let resource = APIResource(group: "test.slipway.dev", version: "v1", kind: "Gizmo", plural: "gizmos", namespaced: true)
    var object: JSONObject
    init(object: JSONObject) { self.object = object }
}

/// Informer changes as a stream, so the test waits for events instead of sleeping.
struct ChangeLog {
    let stream: AsyncStream<String>
    let handler: InformerEventHandler<Gizmo>

    init() {
        let (stream, continuation) = AsyncStream<String>.makeStream()
        self.stream = stream
        handler = InformerEventHandler(
            onAdd: { continuation.yield("add \($0.metadata.name!)") },
            onUpdate: { _, new in continuation.yield("update \(new.metadata.name!)") },
            onDelete: { continuation.yield("delete \($0.metadata.name!)") })
    }

    /// Collects changes until every expected one has arrived; returns them in arrival order.
    func await(_ expected: Set<String>, iterator: inout AsyncStream<String>.Iterator) async -> [String] {
        var seen: [String] = []
        var missing = expected
        while !missing.isEmpty, let change = await iterator.next() {
            seen.append(change)
            missing.remove(change)
        }
        return seen
    }
}

@Suite("Informer over HTTP against a scripted API server")
struct InformerOverHTTPTests {
    func storeState(_ store: Store<Gizmo>) -> [String: JSONValue] {
        Dictionary(uniqueKeysWithValues: store.list().map { ($0.metadata.name!, $0.json) })
    }

    @Test func relistsAfterGoneAndEndsEqualToTheServer() async throws {
        let server = try await FakeResourceServer.start(resource: Gizmo.resource)
        let client = KubernetesClient(
            configuration: ClientConfiguration(server: server.http.url, namespace: "demo", qps: nil, maxRetries: 0),
            clock: SteppingClock())
        for name in ["a", "b", "c"] { await server.put(name, spec: ["size": 1]) }

        let informer = Informer(
            listerWatcher: ClientListerWatcher<Gizmo>(client: client, namespace: "demo"), clock: SteppingClock(),
            configuration: InformerConfiguration(pageSize: 2, minimumWatchDuration: .zero))
        let log = ChangeLog()
        await informer.addEventHandler(log.handler)
        var changes = log.stream.makeAsyncIterator()
        let running = Task { await informer.run() }

        #expect(await informer.waitForSync())
        #expect(await log.await(["add a", "add b", "add c"], iterator: &changes).count == 3)

        // Live changes arrive through the watch.
        await server.put("d", spec: ["size": 4])
        #expect(await log.await(["add d"], iterator: &changes) == ["add d"])

        // ERROR 410 mid-stream, after changes the watch never delivered and the history is gone.
        await server.waitForWatches()
        await server.pauseWatches()
        await server.delete("b")
        await server.put("a", spec: ["size": 2])
        await server.put("e", spec: ["size": 5])
        await server.compact()
        await server.resumeWatches()
        await server.expireWatches()
        _ = await log.await(["delete b", "update a", "add e"], iterator: &changes)
        #expect(storeState(informer.store) == (await server.objects))

        // HTTP 410 on reconnect: the connection drops, the history is compacted meanwhile.
        await server.waitForWatches()
        let listsBefore = server.listCount
        await server.pauseWatches()
        await server.delete("c")
        await server.put("f", spec: ["size": 6])
        await server.compact()
        await server.resumeWatches()
        let staleVersion = informer.store.resourceVersion ?? ""
        await server.dropWatches()
        _ = await log.await(["delete c", "add f"], iterator: &changes)
        #expect(storeState(informer.store) == (await server.objects))
        #expect(server.listCount > listsBefore, "a 410 leads to a fresh list")
        // One healthy watch from that version, then one refused with 410, never another.
        #expect(server.watchResourceVersions.filter { $0 == staleVersion }.count == 2, "never a loop on the stale version")

        // A bookmark moves the resourceVersion the next watch resumes from.
        await server.waitForWatches()
        let bookmarked = await server.advanceRevision()
        await server.bookmark()
        await server.put("g", spec: ["size": 7])
        _ = await log.await(["add g"], iterator: &changes)
        await server.waitForWatches()
        let watchesBefore = server.watchResourceVersions.count
        await server.dropWatches()
        await server.put("h", spec: ["size": 8])
        _ = await log.await(["add h"], iterator: &changes)
        let resumedFrom = server.watchResourceVersions.dropFirst(watchesBefore).first
        #expect(resumedFrom.flatMap(Int.init) ?? 0 > Int(bookmarked)!, "resumed after the bookmark, not before it")
        #expect(storeState(informer.store) == (await server.objects))

        running.cancel()
        await running.value
        try await client.shutdown()
        await server.shutdown()
    }
}
