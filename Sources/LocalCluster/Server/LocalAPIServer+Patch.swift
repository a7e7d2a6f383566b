import Foundation
import KubeAPI

extension LocalAPIServer {
    func patch(
        _ served: ServedResource, namespace: String?, name: String, subresource: Subresource, _ request: HTTPServerRequest,
        _ writer: HTTPResponseWriter
    ) async throws {
        let contentType = (request.header("Content-Type") ?? "").lowercased()
        let patchBody = try RequestBody.object(request)
        let current = try? await store.store.get(served.type, namespace: namespace, name: name)
        guard let current else {
            guard contentType.hasPrefix("application/apply-patch") else { throw StoreErrors.notFound(served.type, name: name) }
            try await applyCreate(served, namespace: namespace, name: name, patchBody, request, writer)
            return
        }
        var patched = try applyPatch(contentType, patchBody, to: current, served)
        if contentType.hasPrefix("application/apply-patch") {
            patched = recordManager(patched, manager: request.query["fieldManager"], operation: "Apply", now: now())
        }
        patched = try admit(served, patched, old: current, request, subresource: subresource)
        let updated = try await write(served, patched, namespace: namespace, name: name, subresource: subresource, dryRun: isDryRun(request))
        try await respondJSON(.object(updated), writer)
    }

    /// Applies a patch of the given media type to the stored object.
    func applyPatch(_ contentType: String, _ patch: JSONValue, to current: JSONObject, _ served: ServedResource) throws(Status) -> JSONObject {
        let result: JSONValue
        if contentType.hasPrefix("application/merge-patch+json") {
            result = JSONMergePatch.apply(patch, to: .object(current))
        } else if contentType.hasPrefix("application/json-patch+json") {
            do { result = try JSONPatch.apply(patch, to: .object(current)) } catch {
                throw Status(code: 422, reason: "Invalid", message: "the server rejected our request due to an error in our request: \(error)")
            }
        } else if contentType.hasPrefix("application/strategic-merge-patch+json") {
            guard !served.type.isCustom else { throw unsupportedPatch() }
            do { result = try StrategicMergePatch.apply(patch, to: .object(current), schema: PatchSchema.forKind(served.kind)) } catch {
                throw Status(code: 422, reason: "Invalid", message: "the server rejected our request due to an error in our request: \(error)")
            }
        } else if contentType.hasPrefix("application/apply-patch") {
            // Server-side apply, simplified: the applied configuration is merged into the
            // object (lists replaced); field ownership and conflicts are not tracked.
            result = JSONMergePatch.apply(Self.withoutNulls(patch), to: .object(current))
        } else {
            throw unsupportedPatch()
        }
        guard case .object(var object) = result else { throw StoreErrors.badRequest("the patched object is not a JSON object") }
        // A patch may not move the object: name and namespace stay those of the URL.
        object["metadata"]?["name"] = current["metadata"]?["name"]
        if current["metadata"]?["namespace"] != nil { object["metadata"]?["namespace"] = current["metadata"]?["namespace"] }
        return object
    }

    func unsupportedPatch() -> Status {
        Status(
            code: 415, reason: "UnsupportedMediaType",
            message: "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml")
    }

    /// Server-side apply of an object that does not exist yet: a create.
    func applyCreate(
        _ served: ServedResource, namespace: String?, name: String, _ body: JSONValue, _ request: HTTPServerRequest,
        _ writer: HTTPResponseWriter
    ) async throws {
        guard request.query["fieldManager"] != nil else {
            throw Status(code: 422, reason: "Invalid", message: "PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required for apply patch")
        }
        guard case .object(var object) = Self.withoutNulls(body) else { throw StoreErrors.badRequest("the applied configuration must be an object") }
        object["metadata"]?["name"] = .string(name)
        object = recordManager(object, manager: request.query["fieldManager"], operation: "Apply", now: now())
        object = try admit(served, object, old: nil, request)
        let now = self.now()
        let dryRun = isDryRun(request)
        let created = try await store.perform { s throws(Status) in
            var target = s
            let result = try target.create(served.type, object, namespace: namespace, now: now)
            if !dryRun { s = target }
            return result
        }
        if !dryRun { try await afterWrite(served, created) }
        try await respondJSON(.object(created), status: 201, writer)
    }

    /// Notes the field manager in `metadata.managedFields` (one entry per manager).
    func recordManager(_ object: JSONObject, manager: String?, operation: String, now: Date) -> JSONObject {
        guard let manager else { return object }
        var object = object
        var entries = object["metadata"]?["managedFields"]?.arrayValue ?? []
        entries.removeAll { $0["manager"]?.stringValue == manager && $0["operation"]?.stringValue == operation }
        entries.append([
            "manager": .string(manager), "operation": .string(operation), "apiVersion": object["apiVersion"] ?? "v1",
            "time": now.json, "fieldsType": "FieldsV1",
        ])
        if object["metadata"] == nil { object["metadata"] = .object([:]) }
        object["metadata"]?["managedFields"] = .array(entries)
        return object
    }

    static func withoutNulls(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(let o):
            var result = JSONObject()
            for (k, v) in o where !v.isNull { result[k] = withoutNulls(v) }
            return .object(result)
        case .array(let a): return .array(a.map(withoutNulls))
        default: return value
        }
    }
}
