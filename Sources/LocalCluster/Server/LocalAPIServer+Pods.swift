import Foundation
import KubeAPI

extension LocalAPIServer {
    // MARK: - pods/log

    /// `pods/log`: the container is checked first (`400`), then a pod no node runs answers
    /// `204` with no body, one bound to a node that does not exist `404` (naming the node, as
    /// the real server words it), and one on a local node its log.
    func podLog(_ namespace: String, _ name: String, _ request: HTTPServerRequest, _ writer: HTTPResponseWriter) async throws {
        let pod = try await store.store.get(.pods, namespace: namespace, name: name)
        let spec = pod["spec"]?.objectValue ?? JSONObject()
        let names = (spec.objects("initContainers") + spec.objects("containers") + spec.objects("ephemeralContainers")).map { $0.string("name") }
        let containers = spec.objects("containers").map { $0.string("name") }
        var container = request.query["container"] ?? ""
        if container.isEmpty {
            guard containers.count == 1 else {
                throw StoreErrors.badRequest("a container name must be specified for pod \(name), choose one of: [\(containers.joined(separator: " "))]")
            }
            container = containers[0]
        } else if !names.contains(container) {
            throw StoreErrors.badRequest("container \(container) is not valid for pod \(name)")
        }
        let node = spec.string("nodeName")
        guard !node.isEmpty else {
            try await writer.respond(status: 204, body: "")
            return
        }
        guard (try? await store.store.get(.nodes, namespace: nil, name: node)) != nil else {
            throw StoreErrors.notFound(.pods, name: node)
        }
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
            throw StoreErrors.badRequest("container \"\(container)\" in pod \"\(name)\" is waiting to start: no node runs it")
        }
        let text = try await read(namespace, name, container, tail, request.query["previous"] == "true")
        try await writer.respond(status: 200, headers: [("Content-Type", "text/plain")], body: text)
    }

    // MARK: - pods/binding and bindings

    /// `pods/{name}/binding` (and the `bindings` collection, which names the pod in the
    /// body): sets `spec.nodeName` and the `PodScheduled` condition, once.
    func bind(_ namespace: String, _ name: String?, _ request: HTTPServerRequest, _ writer: HTTPResponseWriter) async throws {
        let body = try RequestBody.object(request)
        let bodyName = body[path: ["metadata", "name"]]?.stringValue ?? ""
        if let name, bodyName != name { throw StoreErrors.badRequest("name in URL does not match name in Binding object") }
        let podName = name ?? bodyName
        guard let node = body[path: ["target", "name"]]?.stringValue, !node.isEmpty else {
            throw StoreErrors.invalid(.bindings, name: podName, causes: [FieldError(.required, field: "target.name").cause])
        }
        let now = self.now()
        let dryRun = isDryRun(request)
        _ = try await store.perform { s throws(Status) in
            var pod = try s.get(.pods, namespace: namespace, name: podName)
            if pod.meta("deletionTimestamp") != nil {
                throw StoreErrors.conflict(.bindings, name: podName, reason: "pod \(podName) is being deleted, cannot be assigned to a host")
            }
            if let bound = pod["spec"]?["nodeName"]?.stringValue, !bound.isEmpty {
                throw Status(
                    code: 409, reason: "Conflict",
                    message: "Operation cannot be fulfilled on pods/binding \"\(podName)\": pod \(podName) is already assigned to node \"\(bound)\"",
                    details: StoreErrors.details(.bindings, name: podName))
            }
            pod["spec"]?["nodeName"] = .string(node)
            pod.editObject("status") { status in
                var conditions = (status["conditions"]?.arrayValue ?? []).filter { $0["type"]?.stringValue != "PodScheduled" }
                conditions.append(["type": "PodScheduled", "status": "True", "lastProbeTime": nil, "lastTransitionTime": now.json])
                status["conditions"] = .array(conditions)
            }
            guard !dryRun else { return pod }
            return try s.bind(pod, namespace: namespace, name: podName)
        }
        try await respondJSON(Self.success(201), status: 201, writer)
    }

    /// The `Success` Status some subresources answer with.
    static func success(_ code: Int) -> JSONValue {
        ["kind": "Status", "apiVersion": "v1", "metadata": [:], "status": "Success", "code": .number(JSONNumber(code))]
    }

    // MARK: - pods/eviction

    /// `pods/{name}/eviction`: with no disruption budget to consult, the pod is marked
    /// `DisruptionTarget` (`EvictionByEvictionAPI`) and deleted as a `DELETE` would.
    func evict(_ namespace: String, _ name: String, _ request: HTTPServerRequest, _ writer: HTTPResponseWriter) async throws {
        let body = try RequestBody.object(request)
        if let bodyName = body[path: ["metadata", "name"]]?.stringValue, bodyName != name {
            throw StoreErrors.badRequest("name in URL does not match name in Eviction object")
        }
        let pod = try await store.store.get(.pods, namespace: namespace, name: name)
        let options = try deleteOptions(body: body["deleteOptions"] ?? .object([:]), request)
        if !isDryRun(request), pod["spec"]?["nodeName"]?.stringValue?.isEmpty == false {
            let now = self.now()
            _ = try? await store.perform { s throws(Status) in
                var marked = try s.get(.pods, namespace: namespace, name: name)
                marked.editObject("status") { status in
                    var conditions = (status["conditions"]?.arrayValue ?? []).filter { $0["type"]?.stringValue != "DisruptionTarget" }
                    conditions.append([
                        "type": "DisruptionTarget", "status": "True", "lastProbeTime": nil, "lastTransitionTime": now.json,
                        "reason": "EvictionByEvictionAPI", "message": "Eviction API: evicting",
                    ])
                    status["conditions"] = .array(conditions)
                }
                return try s.update(.pods, marked, namespace: namespace, name: name, subresource: .status, now: now)
            }
        }
        _ = try await deletePod(namespace: namespace, name: name, options: options, dryRun: isDryRun(request))
        try await respondJSON(Self.success(201), status: 201, writer)
    }

    // MARK: - DELETE of a pod

    /// Deletes a pod as the real registry does: the answer is the pod with its
    /// `deletionTimestamp`, grace period and bumped generation. A pod no node runs, or one
    /// that has finished, goes at once; a running one stays for its grace period (a
    /// negative grace counts as 1 second) until its node has stopped it.
    func deletePod(namespace: String, name: String, options: ParsedDeleteOptions, dryRun: Bool) async throws -> JSONObject {
        let now = self.now()
        return try await store.perform { s throws(Status) in
            let current = try s.get(.pods, namespace: namespace, name: name)
            var grace = max(options.grace ?? current["spec"]?["terminationGracePeriodSeconds"]?.numberValue?.int64 ?? 30, 0)
            if let requested = options.grace, requested < 0 { grace = 1 }
            let phase = current["status"]?["phase"]?.stringValue ?? ""
            if (current["spec"]?["nodeName"]?.stringValue ?? "").isEmpty || phase == "Succeeded" || phase == "Failed" { grace = 0 }
            if dryRun {
                var copy = s
                return try copy.deletePod(namespace: namespace, name: name, graceSeconds: grace, options: options.store, now: now)
            }
            let result = try s.deletePod(namespace: namespace, name: name, graceSeconds: grace, options: options.store, now: now)
            _ = s.collectGarbage(now: now)
            return result
        }
    }
}
