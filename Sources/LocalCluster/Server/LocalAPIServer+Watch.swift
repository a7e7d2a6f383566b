import Foundation
import KubeAPI

extension LocalAPIServer {
    /// A watch: the backlog after `resourceVersion` (the current objects as ADDED events for
    /// none or `0`), then live events as JSON lines (or single-row Tables for `kubectl get
    /// -w`), bookmarks when asked for, ended after `timeoutSeconds` (30 minutes at most, as
    /// the real server's default).
    ///
    /// The watch-list protocol (`sendInitialEvents=true&resourceVersionMatch=NotOlderThan`,
    /// which kubectl 1.35+ uses for `kubectl wait`) gets the current objects as ADDED events,
    /// then a BOOKMARK annotated `k8s.io/initial-events-end: "true"` at the resourceVersion
    /// they were read at, then the changes after it. A resourceVersion the history no longer
    /// holds is answered, as by the real server, with `200` and one ERROR event (`410 Expired`).
    func watch(_ served: ServedResource, namespace: String?, _ request: HTTPServerRequest, _ writer: some WatchSink) async throws {
        let options = try ListRequest(request, resource: served, namespace: namespace, watch: true)
        var from = options.resourceVersion ?? "0"
        if try consumeForcedGone(), from != "0" {
            try await streamExpired(StoreErrors.tooOldResourceVersion(Int64(from) ?? 0, oldest: await store.store.revision), writer)
            return
        }
        if options.sendInitialEvents {
            if let wanted = options.resourceVersion.flatMap(Int64.init) { try await waitForResourceVersion(wanted) }
            from = "0"
        }
        let opened = await openWatch(served, from: from, options: options)
        switch opened {
        case .success(let stream):
            try await streamEvents(stream, served, bookmarks: options.allowWatchBookmarks, request, writer)
        case .failure(let status) where status.code == 410:
            try await streamExpired(status, writer)
        case .failure(let status):
            throw status
        }
    }

    func openWatch(_ served: ServedResource, from: String, options: ListRequest) async -> Result<AsyncStream<StoreEvent>, Status> {
        do {
            return .success(
                try await store.watch(served.type, after: from, filter: options.filter, client: true, initialEventsEnd: options.sendInitialEvents))
        } catch {
            return .failure(error)
        }
    }

    /// Sends the events of a watch until it ends, the client goes or `timeoutSeconds` passes.
    func streamEvents(
        _ stream: AsyncStream<StoreEvent>, _ served: ServedResource, bookmarks: Bool, _ request: HTTPServerRequest, _ writer: some WatchSink
    ) async throws {
        let table = wantsTable(request)
        let timeout = min(request.query["timeoutSeconds"].flatMap(Int.init) ?? 1800, 1800)
        let epoch = faults.withLock { $0.dropEpoch }
        try await writer.begin()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                var first = true
                for await event in stream {
                    if event.type == .bookmark && !bookmarks { continue }
                    let line = try self.watchLine(event, served, table: table, request, first: first)
                    if event.type != .bookmark { first = false }
                    try await writer.send(line)
                }
            }
            group.addTask { try await Task.sleep(for: .seconds(timeout)) }
            _ = try await group.next()
            group.cancelAll()
        }
        if faults.withLock({ $0.dropEpoch }) != epoch {
            await writer.drop()
        } else {
            try await writer.finish()
        }
    }

    /// `200` and a single ERROR event carrying the `410 Expired` Status.
    func streamExpired(_ status: Status, _ writer: some WatchSink) async throws {
        try await writer.begin()
        try await writer.send(JSON.string(["type": "ERROR", "object": status.json]))
        try await writer.finish()
    }

    // MARK: - WebSocket watches

    /// A watch over a WebSocket: each event is one text frame of JSON, as the real server
    /// sends them to clients that upgrade (the fabric8 client of the Spark driver does). A
    /// request that is not an authorized watch of a served collection gets one ERROR event
    /// carrying the Status a plain request would have got, then the close.
    func serveWebSocketWatch(_ request: HTTPServerRequest, _ session: WebSocketSession) async {
        do {
            try authenticate(request)
            let target = try watchTarget(request)
            try await watch(target.served, namespace: target.namespace, request, session)
        } catch let status as Status {
            try? await session.send(text: JSON.string(["type": "ERROR", "object": status.json]))
        } catch {
            let status = Status(code: 500, reason: "InternalError", message: "Internal error occurred: \(error)")
            try? await session.send(text: JSON.string(["type": "ERROR", "object": status.json]))
        }
    }

    func watchTarget(_ request: HTTPServerRequest) throws -> (served: ServedResource, namespace: String?) {
        guard case .resource(let path)? = APIPath(path: request.path) else {
            throw Status(code: 404, reason: "NotFound", message: "the server could not find the requested resource")
        }
        guard request.method == "GET", path.name == nil, request.query["watch"] == "true" || request.query["watch"] == "1" else {
            throw StoreErrors.badRequest("only watches are served over WebSockets")
        }
        let served = try served(path)
        return (served, served.type.namespaced ? path.namespace : nil)
    }
}

/// Where a watch's events go: a chunked HTTP response (one JSON line per event) or a
/// WebSocket (one text frame per event).
protocol WatchSink: Sendable {
    func begin() async throws
    func send(_ line: String) async throws
    func finish() async throws
    /// Ends without a clean end (a dropped connection, for fault injection).
    func drop() async
}

extension HTTPResponseWriter: WatchSink {
    func begin() async throws { try await start(headers: [("Content-Type", "application/json"), ("Cache-Control", "no-cache, private")]) }
    func send(_ line: String) async throws { try await write(line + "\n") }
    func finish() async throws { try await end() }
}

extension WebSocketSession: WatchSink {
    func begin() async throws {}
    func send(_ line: String) async throws { try await send(text: line) }
    func finish() async throws {}
    func drop() async {}
}

extension LocalAPIServer {
    func watchLine(_ event: StoreEvent, _ served: ServedResource, table: Bool, _ request: HTTPServerRequest, first: Bool) throws -> String {
        var object: JSONValue = .object(event.type == .bookmark ? event.object : served.present(event.object))
        if table, event.type != .bookmark {
            object = tableDocument(served, objects: [event.object], resourceVersion: nil, continueToken: nil, request, forWatch: true, firstEvent: first)
        }
        return JSON.string(["type": .string(event.type.rawValue), "object": object])
    }
}
