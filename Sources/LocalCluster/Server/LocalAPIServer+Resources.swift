import Foundation
import KubeAPI

extension LocalAPIServer {
    func served(_ path: ResourcePath) throws(Status) -> ServedResource {
        let (served, groupVersionServed) = registry.withLock { r in
            (r.lookup(group: path.group, version: path.version, plural: path.plural),
             r.resources.contains { $0.group == path.group && $0.version == path.version && $0.type.isCustom })
        }
        guard let served else {
            // A CRD's group/version is served by its own handler, which knows no other resource.
            if groupVersionServed { throw Status.pageNotFound }
            throw Status(code: 404, reason: "NotFound", message: "the server could not find the requested resource")
        }
        return served
    }

    func handleResource(_ path: ResourcePath, _ request: HTTPServerRequest, _ writer: HTTPResponseWriter) async throws {
        let served = try served(path)
        let namespace = served.type.namespaced ? path.namespace : nil
        if served.type.namespaced, path.name != nil || request.method == "POST", namespace == nil {
            throw Status(code: 404, reason: "NotFound", message: "the server could not find the requested resource")
        }
        let subresource = try checkSubresource(path.subresource, served)
        try checkWriteOptions(request)
        switch (request.method, path.name) {
        case ("GET", nil) where request.query["watch"] == "true" || request.query["watch"] == "1":
            try await watch(served, namespace: namespace, request, writer)
        case ("GET", nil): try await list(served, namespace: namespace, request, writer)
        case ("POST", nil) where served.type == .bindings: try await bind(namespace ?? "", nil, request, writer)
        case ("POST", nil): try await create(served, namespace: namespace, request, writer)
        case ("DELETE", nil): try await deleteCollection(served, namespace: namespace, request, writer)
        case ("GET", let name?) where path.subresource == "log": try await podLog(namespace ?? "", name, request, writer)
        case ("POST", let name?) where path.subresource == "binding": try await bind(namespace ?? "", name, request, writer)
        case ("POST", let name?) where path.subresource == "eviction": try await evict(namespace ?? "", name, request, writer)
        case ("PUT", let name?) where path.subresource == "finalize": try await finalizeNamespace(name, request, writer)
        case ("GET", let name?): try await get(served, namespace: namespace, name: name, request, writer)
        case ("PUT", let name?): try await replace(served, namespace: namespace, name: name, subresource: subresource, request, writer)
        case ("PATCH", let name?): try await patch(served, namespace: namespace, name: name, subresource: subresource, request, writer)
        case ("DELETE", let name?) where subresource == .main && served.type == .namespaces: try await deleteNamespace(name, request, writer)
        case ("DELETE", let name?) where subresource == .main: try await delete(served, namespace: namespace, name: name, request, writer)
        default:
            throw Status(code: 405, reason: "MethodNotAllowed", message: "the server does not allow this method on the requested resource")
        }
    }

    /// `dryRun` (only `All`) and `fieldValidation` (`Ignore`, `Strict`, `Warn` or none) of
    /// a create, update or patch; anything else is `422` on the verb's options.
    func checkWriteOptions(_ request: HTTPServerRequest) throws(Status) {
        let kinds = ["POST": "CreateOptions", "PUT": "UpdateOptions", "PATCH": "PatchOptions"]
        guard let kind = kinds[request.method] else { return }
        var errors: [FieldError] = []
        if let dryRun = request.query["dryRun"], dryRun != "All" {
            errors.append(FieldError(.notSupported, field: "dryRun", value: .array([.string(dryRun)]), detail: "supported values: \"All\""))
        }
        if let validation = request.query["fieldValidation"], !["", "Ignore", "Strict", "Warn"].contains(validation) {
            errors.append(FieldError(
                .notSupported, field: "fieldValidation", value: .string(validation), detail: "supported values: \"\", \"Ignore\", \"Strict\", \"Warn\""))
        }
        if !errors.isEmpty { throw StoreErrors.invalidOptions(kind: kind, errors) }
    }

    func checkSubresource(_ name: String?, _ served: ServedResource) throws(Status) -> Subresource {
        guard let name else { return .main }
        guard served.subresources.contains(name) else {
            throw Status(code: 404, reason: "NotFound", message: "the server could not find the requested resource")
        }
        return name == "status" ? .status : .main
    }

    // MARK: - Read

    func get(_ served: ServedResource, namespace: String?, name: String, _ request: HTTPServerRequest, _ writer: HTTPResponseWriter) async throws {
        let object = try await store.store.get(served.type, namespace: namespace, name: name)
        if wantsTable(request) {
            try await respondTable(served, objects: [object], resourceVersion: object.meta("resourceVersion")?.stringValue, continueToken: nil, request, writer)
        } else {
            try await respondJSON(.object(served.present(object)), writer)
        }
    }

    func list(_ served: ServedResource, namespace: String?, _ request: HTTPServerRequest, _ writer: HTTPResponseWriter) async throws {
        let options = try ListRequest(request, resource: served, namespace: namespace, watch: false)
        var exact: Int64?
        if let text = options.resourceVersion, text != "0", let value = Int64(text) {
            try await waitForResourceVersion(value)
            if options.match == .exact { exact = value }
        }
        let result = try await store.store.list(
            served.type,
            options: ListOptions(filter: options.filter, limit: options.limit, continueToken: options.continueToken, exactResourceVersion: exact))
        if wantsTable(request) {
            try await respondTable(served, objects: result.items, resourceVersion: result.resourceVersion, continueToken: result.continueToken, request, writer)
            return
        }
        var metadata: JSONObject = ["resourceVersion": .string(result.resourceVersion)]
        if let token = result.continueToken {
            metadata["continue"] = .string(token)
        } else if served.type.isCustom {
            // An unstructured list always carries `continue`, empty on the last page.
            metadata["continue"] = ""
        }
        if let remaining = result.remainingItemCount { metadata["remainingItemCount"] = .number(JSONNumber(remaining)) }
        let list: JSONValue = [
            "kind": .string(served.kind + "List"), "apiVersion": .string(served.resource.apiVersion),
            "metadata": .object(metadata), "items": .array(result.items.map { .object(Self.listItem(served.present($0), served)) }),
        ]
        try await respondJSON(list, writer)
    }

    /// Waits (3 seconds at most, as the real watch cache) until the store has reached a
    /// resourceVersion a client asked not to go below; then `504 Timeout` with
    /// `ResourceVersionTooLarge`.
    func waitForResourceVersion(_ wanted: Int64) async throws {
        guard await store.store.revision < wanted else { return }
        let deadline = ContinuousClock.now.advanced(by: .seconds(3))
        let reached = await withTaskGroup(of: Bool.self) { group in
            group.addTask { [store] in
                for await revision in await store.changes() where revision >= wanted { return true }
                return false
            }
            group.addTask {
                try? await Task.sleep(until: deadline)
                return false
            }
            let first = await group.next() ?? false
            group.cancelAll()
            return first
        }
        if !reached {
            var status = StoreErrors.tooLargeResourceVersion(wanted, current: await store.store.revision)
            status.message = "Timeout: " + (status.message ?? "")
            throw status
        }
    }

    /// Items of a built-in kind's list carry no `kind` and `apiVersion` (the typed list
    /// omits them); custom resources keep theirs.
    static func listItem(_ object: JSONObject, _ served: ServedResource) -> JSONObject {
        guard !served.type.isCustom else { return object }
        var item = object
        item.removeValue(forKey: "kind")
        item.removeValue(forKey: "apiVersion")
        return item
    }

    // MARK: - Write

    func create(_ served: ServedResource, namespace: String?, _ request: HTTPServerRequest, _ writer: HTTPResponseWriter) async throws {
        let object = try bodyObject(request, served)
        if served.type.isCustom, !(object.meta("resourceVersion")?.stringValue ?? "").isEmpty {
            // The custom resource registry refuses it as an internal error (no reason).
            var status = Status(code: 500, reason: "", message: "resourceVersion should not be set on objects to be created")
            status.reason = nil
            throw status
        }
        if let bodyNamespace = object["metadata"]?["namespace"]?.stringValue, let namespace, bodyNamespace != namespace {
            throw StoreErrors.badRequest("the namespace of the provided object does not match the namespace sent on the request")
        }
        let admitted = try await admitWrite(served, object, old: nil, request, namespace: namespace)
        try await store(created: admitted.object, served, namespace: namespace, request, writer, headers: admitted.headers)
    }

    /// Stores an admitted new object (unless `dryRun=All`) and answers 201 with it.
    func store(
        created object: JSONObject, _ served: ServedResource, namespace: String?, _ request: HTTPServerRequest, _ writer: HTTPResponseWriter,
        headers: [(String, String)] = []
    ) async throws {
        let now = self.now()
        let dryRun = isDryRun(request)
        let created = try await store.perform { s throws(Status) in
            // A dry run works on a copy (which copies the store); a real write mutates in place.
            guard dryRun else { return try s.create(served.type, object, namespace: namespace, now: now) }
            var copy = s
            var created = try copy.create(served.type, object, namespace: namespace, now: now)
            created.setMeta("resourceVersion", nil)
            return created
        }
        if !dryRun { try await afterWrite(served, created) }
        try await respondJSON(.object(served.present(created)), status: 201, writer, headers: headers)
    }

    func replace(
        _ served: ServedResource, namespace: String?, name: String, subresource: Subresource, _ request: HTTPServerRequest,
        _ writer: HTTPResponseWriter
    ) async throws {
        let object = try bodyObject(request, served)
        if let bodyName = object["metadata"]?["name"]?.stringValue, !bodyName.isEmpty, bodyName != name {
            throw StoreErrors.badRequest("the name of the object (\(bodyName)) does not match the name on the URL (\(name))")
        }
        let old = try await store.store.get(served.type, namespace: namespace, name: name)
        if served.type.isCustom, (object.meta("resourceVersion")?.stringValue ?? "").isEmpty {
            throw StoreErrors.resourceVersionRequired(served.type, name: name)
        }
        let admitted = try await admitWrite(served, object, old: old, request, subresource: subresource, namespace: namespace)
        let updated = try await write(served, admitted.object, namespace: namespace, name: name, subresource: subresource, dryRun: isDryRun(request))
        try await respondJSON(.object(served.present(updated)), writer, headers: admitted.headers)
    }

    func write(_ served: ServedResource, _ object: JSONObject, namespace: String?, name: String, subresource: Subresource, dryRun: Bool) async throws -> JSONObject {
        let now = self.now()
        let updated = try await store.perform { s throws(Status) in
            guard !dryRun else {
                var copy = s
                return try copy.update(served.type, object, namespace: namespace, name: name, subresource: subresource, now: now)
            }
            let result = try s.update(served.type, object, namespace: namespace, name: name, subresource: subresource, now: now)
            // Garbage collection can only have work after an update of an object being
            // deleted (a finalizer removed: it may be gone now, or its dependents may go).
            if result["metadata"]?["deletionTimestamp"] != nil { _ = s.collectGarbage(now: now) }
            return result
        }
        if !dryRun { try await afterWrite(served, updated) }
        return updated
    }

    func delete(_ served: ServedResource, namespace: String?, name: String, _ request: HTTPServerRequest, _ writer: HTTPResponseWriter) async throws {
        let options = try deleteOptions(request)
        let dryRun = isDryRun(request)
        if served.type == .pods {
            let pod = try await deletePod(namespace: namespace ?? "", name: name, options: options, dryRun: dryRun)
            try await respondJSON(.object(pod), writer)
            return
        }
        let now = self.now()
        let result = try await store.perform { s throws(Status) in
            guard !dryRun else {
                var copy = s
                return try copy.delete(served.type, namespace: namespace, name: name, options: options.store, now: now)
            }
            let result = try s.delete(served.type, namespace: namespace, name: name, options: options.store, now: now)
            _ = s.collectGarbage(now: now)
            return result
        }
        switch result {
        case .deleted(let object):
            if !dryRun { try await afterDelete(served, object) }
            if served.type == .customResourceDefinitions {
                try await respondJSON(.object(CRDDefinition.terminating(object, at: RFC3339.format(now))), writer)
                return
            }
            let returnsObject = served.type == .services
            try await respondJSON(returnsObject ? .object(object) : StoreErrors.deleted(served.type, object: object).json, writer)
        case .pending(let object):
            try await respondJSON(.object(served.present(object)), writer)
        }
    }

    func deleteCollection(_ served: ServedResource, namespace: String?, _ request: HTTPServerRequest, _ writer: HTTPResponseWriter) async throws {
        guard served.verbs.contains("deletecollection") else {
            throw Status(code: 405, reason: "MethodNotAllowed", message: "the server does not allow this method on the requested resource")
        }
        let filter = try ObjectFilter(namespace: namespace, labelSelector: request.query["labelSelector"], fieldSelector: request.query["fieldSelector"])
        let items = try await store.store.list(served.type, options: ListOptions(filter: filter)).items
        let now = self.now()
        for item in items {
            let meta = ObjectMeta(json: item["metadata"] ?? .null) ?? ObjectMeta()
            _ = try? await store.perform { s throws(Status) in
                _ = try s.delete(served.type, namespace: meta.namespace, name: meta.name ?? "", now: now)
                _ = s.collectGarbage(now: now)
            }
        }
        let list: JSONValue = [
            "kind": .string(served.kind + "List"), "apiVersion": .string(served.resource.apiVersion),
            "metadata": ["resourceVersion": .string(await store.store.resourceVersion)], "items": .array(items.map { .object($0) }),
        ]
        try await respondJSON(list, writer)
    }

    /// The grace period of a pod delete, or nil when the pod is to go at once (never
    /// scheduled, finished, or grace 0 asked for).
    func podGrace(namespace: String?, name: String, requested: Int64?) async throws -> Int64? {
        let pod = try await store.store.get(.pods, namespace: namespace, name: name)
        guard pod["spec"]?["nodeName"]?.stringValue?.isEmpty == false else { return nil }
        if let phase = pod["status"]?["phase"]?.stringValue, phase == "Succeeded" || phase == "Failed" { return nil }
        let grace = requested ?? pod["spec"]?["terminationGracePeriodSeconds"]?.numberValue?.int64 ?? 30
        return grace > 0 ? grace : nil
    }

    // MARK: - Helpers

    func isDryRun(_ request: HTTPServerRequest) -> Bool { request.query["dryRun"] == "All" }

    func wantsTable(_ request: HTTPServerRequest) -> Bool {
        (request.header("Accept") ?? "").contains("as=Table")
    }

    /// The request body as an object of the addressed resource.
    func bodyObject(_ request: HTTPServerRequest, _ served: ServedResource) throws(Status) -> JSONObject {
        guard case .object(let object) = try RequestBody.object(request) else {
            throw StoreErrors.badRequest("the request body must be a JSON object")
        }
        if let apiVersion = object["apiVersion"]?.stringValue, apiVersion != served.resource.apiVersion {
            var status = StoreErrors.badRequest(
                "the API version in the data (\(apiVersion)) does not match the expected API version (\(served.resource.apiVersion))")
            if served.type.isCustom, !["Ignore", "Strict"].contains(request.query["fieldValidation"] ?? "") {
                // Decoded without a schema of that version, everything but the type and
                // metadata was unknown.
                let unknown = object.keys.filter { !["apiVersion", "kind", "metadata"].contains($0) }.sorted()
                status = status.withWarnings(SchemaPruner.warnings(unknownFields: unknown))
            }
            throw status
        }
        var result = object
        result["apiVersion"] = .string(served.resource.apiVersion)
        if served.type.isCustom {
            // Custom resources decode as unstructured objects: a kind is required, and a
            // different one is left for validation to refuse (422).
            guard let kind = object["kind"]?.stringValue, !kind.isEmpty else {
                let text = String(decoding: request.body, as: UTF8.self)
                throw StoreErrors.badRequest(
                    "the object provided is unrecognized (must be of type \(served.kind)): Object 'Kind' is missing in '\(text)' (\(text.prefix(30)) ...)")
            }
            return result
        }
        if let kind = object["kind"]?.stringValue, kind != served.kind {
            throw StoreErrors.badRequest("the kind in the data (\(kind)) does not match the expected kind (\(served.kind))")
        }
        result["kind"] = .string(served.kind)
        return result
    }

    struct ParsedDeleteOptions {
        var store: DeleteOptions
        var grace: Int64?
    }

    func deleteOptions(_ request: HTTPServerRequest) throws(Status) -> ParsedDeleteOptions {
        var body: JSONValue = .object([:])
        if !request.body.isEmpty { body = try RequestBody.object(request) }
        return try deleteOptions(body: body, request)
    }

    /// `DeleteOptions` from a body (a DELETE's, or an Eviction's `deleteOptions`) and the query.
    func deleteOptions(body: JSONValue, _ request: HTTPServerRequest) throws(Status) -> ParsedDeleteOptions {
        let policyText = body["propagationPolicy"]?.stringValue ?? request.query["propagationPolicy"]
        var policy: PropagationPolicy?
        if let policyText {
            guard let p = PropagationPolicy(rawValue: policyText) else {
                throw StoreErrors.badRequest("propagationPolicy: Unsupported value: \"\(policyText)\": supported values: \"Foreground\", \"Background\", \"Orphan\"")
            }
            policy = p
        }
        if body["orphanDependents"]?.boolValue == true { policy = .orphan }
        let grace = body["gracePeriodSeconds"]?.numberValue?.int64 ?? request.query["gracePeriodSeconds"].flatMap { Int64($0) }
        let options = DeleteOptions(
            preconditionUID: body[path: ["preconditions", "uid"]]?.stringValue,
            preconditionResourceVersion: body[path: ["preconditions", "resourceVersion"]]?.stringValue, propagationPolicy: policy)
        return ParsedDeleteOptions(store: options, grace: grace)
    }
}
