import Foundation
import KubeAPI
import KubeClient
import KubeRuntime

/// An in-memory API server for one resource: objects with resourceVersions, paginated
/// lists, and watches the test drives event by event.
actor FakeServer {
    typealias Events = AsyncThrowingStream<WatchEvent<Widget>, any Error>

    private(set) var objects: [ObjectKey: Widget] = [:]
    private(set) var revision = 100
    private(set) var listCalls: [ListOptions] = []
    private(set) var watchCalls: [ListOptions] = []
    /// Errors the next watch() calls throw, first to last.
    private var watchFailures: [any Error] = []
    /// Errors the next list() calls throw, first to last.
    private var listFailures: [any Error] = []
    private var stream: Events.Continuation?
    private var callWaiters: [(lists: Int, watches: Int, continuation: CheckedContinuation<Void, Never>)] = []

    init(_ widgets: [Widget] = []) {
        for widget in widgets {
            revision += 1
            var widget = widget
            widget.metadata.resourceVersion = String(revision)
            objects[Store<Widget>.key(for: widget)] = widget
        }
    }

    // MARK: - API

    func list(_ options: ListOptions) throws -> ObjectList<Widget> {
        listCalls.append(options)
        defer { notify() }
        if !listFailures.isEmpty { throw listFailures.removeFirst() }
        let all = objects.values.sorted { $0.name < $1.name }
        let start = options.continue.flatMap(Int.init) ?? 0
        let end = options.limit.map { min(all.count, start + $0) } ?? all.count
        var list = ObjectList<Widget>()
        list.items = Array(all[start..<end])
        list.metadata.resourceVersion = String(revision)
        if end < all.count { list.metadata.continue = String(end) }
        return list
    }

    func watch(_ options: ListOptions) throws -> Events {
        watchCalls.append(options)
        defer { notify() }
        if !watchFailures.isEmpty { throw watchFailures.removeFirst() }
        let (events, continuation) = Events.makeStream()
        stream?.finish()
        stream = continuation
        return events
    }

    func failNextWatches(with errors: [any Error]) { watchFailures += errors }
    func failNextLists(with errors: [any Error]) { listFailures += errors }

    /// Waits until at least this many list and watch calls were made.
    func waitForCalls(lists: Int = 0, watches: Int = 0) async {
        if listCalls.count >= lists && watchCalls.count >= watches { return }
        await withCheckedContinuation { callWaiters.append((lists, watches, $0)) }
    }

    private func notify() {
        let ready = callWaiters.filter { $0.lists <= listCalls.count && $0.watches <= watchCalls.count }
        callWaiters.removeAll { $0.lists <= listCalls.count && $0.watches <= watchCalls.count }
        ready.forEach { $0.continuation.resume() }
    }

    // MARK: - Changes (sent to the open watch unless `silently`)

    func create(_ widget: Widget, silently: Bool = false) {
        send(.added, put(widget), silently)
    }

    func update(_ name: String, color: String, silently: Bool = false) {
        var widget = objects[ObjectKey(namespace: "default", name: name)]!
        widget.color = color
        send(.modified, put(widget), silently)
    }

    func delete(_ name: String, silently: Bool = false) {
        guard var widget = objects.removeValue(forKey: ObjectKey(namespace: "default", name: name)) else { return }
        revision += 1
        widget.metadata.resourceVersion = String(revision)
        send(.deleted, widget, silently)
    }

    /// A BOOKMARK: the server's revision moved on (other resources changed).
    func bookmark(advancingBy steps: Int = 10) {
        revision += steps
        var marker = Widget()
        marker.metadata.resourceVersion = String(revision)
        stream?.yield(WatchEvent(type: .bookmark, object: marker))
    }

    /// An ERROR event with a Status (HTTP 200 around it), as after etcd compaction.
    func sendError(code: Int, reason: String) {
        let status = Status(code: code, reason: reason, message: "too old resource version")
        stream?.yield(WatchEvent(type: .error, object: Widget(object: status.object)))
    }

    /// The server ends the watch (its timeoutSeconds elapsed).
    func endWatch() { stream?.finish() }

    /// The connection drops.
    func dropConnection() { stream?.finish(throwing: KubeError.transport("connection reset by peer")) }

    private func put(_ widget: Widget) -> Widget {
        revision += 1
        var widget = widget
        widget.metadata.resourceVersion = String(revision)
        objects[Store<Widget>.key(for: widget)] = widget
        return widget
    }

    private func send(_ type: WatchEventType, _ widget: Widget, _ silently: Bool) {
        guard !silently else { return }
        stream?.yield(WatchEvent(type: type, object: widget))
    }
}

/// A `ListerWatcher` on a `FakeServer`.
struct FakeListerWatcher: ListerWatcher {
    let server: FakeServer

    func list(options: ListOptions) async throws -> ObjectList<Widget> { try await server.list(options) }

    func watch(options: ListOptions) async throws -> FakeServer.Events { try await server.watch(options) }
}

/// A gone (410) error as the server throws it for a too-old resourceVersion.
let goneError = KubeError.gone(Status(code: 410, reason: "Expired", message: "too old resource version"))
