import Foundation
import KubeAPI

extension LocalAPIServer {
    /// A watch: the backlog after `resourceVersion`, then live events as JSON lines (or
    /// single-row Tables for `kubectl get -w`), bookmarks when asked for, ended after
    /// `timeoutSeconds` (30 minutes at most, as the real server's default).
    func watch(_ served: ServedResource, namespace: String?, _ request: HTTPServerRequest, _ writer: HTTPResponseWriter) async throws {
        let filter = try ObjectFilter(namespace: namespace, labelSelector: request.query["labelSelector"], fieldSelector: request.query["fieldSelector"])
        var from = request.query["resourceVersion"] ?? ""
        if try consumeForcedGone(), !from.isEmpty, from != "0" {
            throw StoreErrors.tooOldResourceVersion(Int64(from) ?? 0, oldest: await store.store.revision)
        }
        if from.isEmpty || from == "0" { from = "0" }
        let stream = try await store.watch(served.type, after: from, filter: filter, client: true)
        let bookmarks = request.query["allowWatchBookmarks"] == "true"
        let table = wantsTable(request)
        let timeout = min(request.query["timeoutSeconds"].flatMap(Int.init) ?? 1800, 1800)
        let epoch = faults.withLock { $0.dropEpoch }
        try await writer.start(headers: [("Content-Type", "application/json"), ("Cache-Control", "no-cache, private")])
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                var first = true
                for await event in stream {
                    if event.type == .bookmark && !bookmarks { continue }
                    let line = try self.watchLine(event, served, table: table, request, first: first)
                    if event.type != .bookmark { first = false }
                    try await writer.write(line + "\n")
                }
            }
            group.addTask { try await Task.sleep(for: .seconds(timeout)) }
            _ = try await group.next()
            group.cancelAll()
        }
        if faults.withLock({ $0.dropEpoch }) != epoch {
            await writer.drop()
        } else {
            try await writer.end()
        }
    }

    func watchLine(_ event: StoreEvent, _ served: ServedResource, table: Bool, _ request: HTTPServerRequest, first: Bool) throws -> String {
        var object: JSONValue = .object(event.object)
        if table, event.type != .bookmark {
            object = tableDocument(served, objects: [event.object], resourceVersion: nil, continueToken: nil, request, forWatch: true, firstEvent: first)
        }
        return JSON.string(["type": .string(event.type.rawValue), "object": object])
    }

    // MARK: - Pods: log and binding

    func podLog(_ namespace: String, _ name: String, _ request: HTTPServerRequest, _ writer: HTTPResponseWriter) async throws {
        let pod = try await store.store.get(.pods, namespace: namespace, name: name)
        let container = request.query["container"] ?? pod["spec"]?["containers"]?.arrayValue?.first?["name"]?.stringValue
        let tail = request.query["tailLines"].flatMap(Int.init)
        let hooks = self.hooks.withLock { $0 }
        if request.query["follow"] == "true", let follow = hooks.followLog {
            let lines = try await follow(namespace, name, container, tail)
            try await writer.start(headers: [("Content-Type", "text/plain")])
            for await line in lines { try await writer.write(line + "\n") }
            try await writer.end()
            return
        }
        guard let read = hooks.readLog else {
            throw StoreErrors.badRequest("container \"\(container ?? "")\" in pod \"\(name)\" is waiting to start: no node runs it")
        }
        let text = try await read(namespace, name, container, tail, request.query["previous"] == "true")
        try await writer.respond(status: 200, headers: [("Content-Type", "text/plain")], body: text)
    }

    func bind(_ namespace: String, _ name: String, _ request: HTTPServerRequest, _ writer: HTTPResponseWriter) async throws {
        let body = try RequestBody.object(request)
        guard let node = body[path: ["target", "name"]]?.stringValue else {
            throw Status(code: 422, reason: "Invalid", message: "Binding \"\(name)\" is invalid: target.name: Required value")
        }
        let now = self.now()
        _ = try await store.perform { s throws(Status) in
            var pod = try s.get(.pods, namespace: namespace, name: name)
            if let bound = pod["spec"]?["nodeName"]?.stringValue, !bound.isEmpty {
                throw Status(code: 409, reason: "Conflict", message: "Operation cannot be fulfilled on pods/binding \"\(name)\": pod \(name) is already assigned to node \"\(bound)\"")
            }
            pod["spec"]?["nodeName"] = .string(node)
            return try s.update(.pods, pod, namespace: namespace, name: name, now: now)
        }
        try await respondJSON(Status(code: 201, reason: "", message: "").json, status: 201, writer)
    }
}
