import Foundation
import KubeAPI

/// A scripted API server for one namespaced resource: list, and watch from a
/// resourceVersion with a bounded history — enough to test informers over real HTTP. The
/// test changes objects and injects faults (compaction → 410, ERROR events, dropped
/// connections); every change is streamed to open watches as the real server does.
public final class FakeResourceServer: Sendable {
    public let resource: APIResource
    public let http: ScriptedHTTPServer
    private let state: FakeResourceState

    public static func start(resource: APIResource) async throws -> FakeResourceServer {
        let state = FakeResourceState(resource: resource)
        let http = try await ScriptedHTTPServer.start { request, responder in
            try await state.serve(request, responder)
        }
        return FakeResourceServer(resource: resource, http: http, state: state)
    }

    private init(resource: APIResource, http: ScriptedHTTPServer, state: FakeResourceState) {
        self.resource = resource
        self.http = http
        self.state = state
    }

    /// Creates or replaces an object (namespace "demo"); open watches see ADDED or MODIFIED.
    @discardableResult
    public func put(_ name: String, spec: JSONValue) async -> String { await state.put(name, spec: spec) }
    /// Deletes an object; open watches see DELETED.
    public func delete(_ name: String) async { await state.delete(name) }
    /// Forgets the event history: watches from an older resourceVersion get HTTP 410.
    public func compact() async { await state.compact() }
    /// Sends an ERROR event (410 Expired) on every open watch and closes them.
    public func expireWatches() async { await state.broadcast(.expire) }
    /// Closes every open watch's connection without ending the response.
    public func dropWatches() async { await state.broadcast(.drop) }
    /// Keeps later changes from open watches (they stay in the history) until `resumeWatches()`:
    /// a slow server, so a test can make changes that a watcher misses.
    public func pauseWatches() async { await state.setPaused(true) }
    public func resumeWatches() async { await state.setPaused(false) }
    /// Advances the resourceVersion without a change to this resource, as writes to other
    /// resources do on a real server (resourceVersions are cluster-wide). Returns it.
    @discardableResult
    public func advanceRevision() async -> String { await state.advanceRevision() }
    /// Sends a BOOKMARK at the current resourceVersion on every open watch.
    public func bookmark() async { await state.broadcast(.bookmark) }
    /// Returns once at least `count` watches are streaming, so that a fault injected next
    /// reaches an open watch.
    public func waitForWatches(count: Int = 1) async { await state.waitForWatchers(count: count) }
    /// Number of watch requests currently streaming.
    public var openWatches: Int { get async { await state.watcherCount } }
    /// The objects as the server holds them, by name.
    public var objects: [String: JSONValue] { get async { await state.objects } }
    /// The resourceVersion parameter of every watch request, in order.
    public var watchResourceVersions: [String] {
        http.requests.filter { $0.query["watch"] == "true" }.map { $0.query["resourceVersion"] ?? "" }
    }
    /// Number of list (non-watch GET) requests so far.
    public var listCount: Int { http.requests.filter { $0.method == "GET" && $0.query["watch"] == nil }.count }

    public func shutdown() async {
        await state.broadcast(.end)
        await http.shutdown()
    }
}

enum WatchSignal: Sendable {
    case line(String)
    case expire, drop, bookmark, end
}

actor FakeResourceState {
    let resource: APIResource
    var objects: [String: JSONValue] = [:]
    var revision = 100
    var history: [(rv: Int, line: String)] = []
    var oldestRetained = 100
    var watchers: [UUID: AsyncStream<WatchSignal>.Continuation] = [:]
    var paused = false
    var watcherWaiters: [(count: Int, continuation: CheckedContinuation<Void, Never>)] = []

    init(resource: APIResource) { self.resource = resource }

    var watcherCount: Int { watchers.count }

    func object(_ name: String, spec: JSONValue, rv: Int) -> JSONValue {
        [
            "apiVersion": .string(resource.apiVersion), "kind": .string(resource.kind),
            "metadata": ["name": .string(name), "namespace": "demo", "uid": .string("uid-\(name)"), "resourceVersion": .string(String(rv))],
            "spec": spec,
        ]
    }

    func put(_ name: String, spec: JSONValue) -> String {
        revision += 1
        let type = objects[name] == nil ? "ADDED" : "MODIFIED"
        let obj = object(name, spec: spec, rv: revision)
        objects[name] = obj
        record(type, obj)
        return String(revision)
    }

    func delete(_ name: String) {
        guard var obj = objects.removeValue(forKey: name) else { return }
        revision += 1
        if case .object(var o) = obj, case .object(var meta)? = o["metadata"] {
            meta["resourceVersion"] = .string(String(revision))
            o["metadata"] = .object(meta)
            obj = .object(o)
        }
        record("DELETED", obj)
    }

    func record(_ type: String, _ obj: JSONValue) {
        let line = JSON.string(["type": .string(type), "object": obj])
        history.append((revision, line))
        guard !paused else { return }
        for continuation in watchers.values { continuation.yield(.line(line)) }
    }

    func setPaused(_ value: Bool) { paused = value }

    func advanceRevision() -> String {
        revision += 1
        return String(revision)
    }

    func compact() {
        history.removeAll()
        oldestRetained = revision
    }

    func broadcast(_ signal: WatchSignal) {
        for continuation in watchers.values { continuation.yield(signal) }
    }

    func subscribe(from rv: Int) -> (backlog: [String], stream: AsyncStream<WatchSignal>, id: UUID)? {
        guard rv >= oldestRetained else { return nil }
        let (stream, continuation) = AsyncStream<WatchSignal>.makeStream()
        let id = UUID()
        watchers[id] = continuation
        defer { wakeWatcherWaiters() }
        return (history.filter { $0.rv > rv }.map(\.line), stream, id)
    }

    func unsubscribe(_ id: UUID) { watchers[id] = nil }

    func waitForWatchers(count: Int) async {
        if watchers.count >= count { return }
        await withCheckedContinuation { watcherWaiters.append((count, $0)) }
    }

    private func wakeWatcherWaiters() {
        let ready = watcherWaiters.filter { $0.count <= watchers.count }
        watcherWaiters.removeAll { $0.count <= watchers.count }
        for waiter in ready { waiter.continuation.resume() }
    }

    func listBody() -> String {
        let items = objects.keys.sorted().map { objects[$0]! }
        return JSON.string([
            "apiVersion": .string(resource.apiVersion), "kind": .string(resource.kind + "List"),
            "metadata": ["resourceVersion": .string(String(revision))], "items": .array(items),
        ])
    }

    func status(_ code: Int, _ reason: String, _ message: String) -> String {
        JSON.string(Status(code: code, reason: reason, message: message).json)
    }

    func serve(_ request: ScriptedRequest, _ responder: ScriptedResponder) async throws {
        guard request.query["watch"] == "true" else {
            try await responder.respond(status: 200, body: listBody())
            return
        }
        let from = Int(request.query["resourceVersion"] ?? "") ?? revision
        guard let subscription = subscribe(from: from) else {
            let message = "too old resource version: \(from) (\(oldestRetained))"
            try await responder.respond(status: 410, body: status(410, "Expired", message))
            return
        }
        defer { unsubscribe(subscription.id) }
        try await responder.start()
        for line in subscription.backlog { try await responder.write(line + "\n") }
        for await signal in subscription.stream {
            switch signal {
            case .line(let line):
                try await responder.write(line + "\n")
            case .bookmark:
                let object: JSONValue = [
                    "kind": .string(resource.kind), "apiVersion": .string(resource.apiVersion),
                    "metadata": ["resourceVersion": .string(String(revision))],
                ]
                try await responder.write(JSON.string(["type": "BOOKMARK", "object": object]) + "\n")
            case .expire:
                let body = try JSON.parse(status(410, "Expired", "The resourceVersion for the provided watch is too old."))
                try await responder.write(JSON.string(["type": "ERROR", "object": body]) + "\n")
                try await responder.end()
                return
            case .drop:
                await responder.drop()
                return
            case .end:
                try await responder.end()
                return
            }
        }
    }
}
