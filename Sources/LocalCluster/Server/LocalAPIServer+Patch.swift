import Foundation
import KubeAPI

extension LocalAPIServer {
    /// How often a patch is applied again to a newer object when another write came between
    /// its read and its write. The API server's update loop retries such a patch until it
    /// lands (Kubernetes' integration test `TestPatchConflicts`: 100 concurrent patches of one
    /// object all succeed); this bound only guards against a loop without end. A patch that
    /// sets a resourceVersion of its own conflicts at once instead.
    static let patchConflictRetries = 1_000

    func patch(
        _ served: ServedResource, namespace: String?, name: String, subresource: Subresource, _ request: HTTPServerRequest,
        _ writer: HTTPResponseWriter
    ) async throws {
        let contentType = (request.header("Content-Type") ?? "").lowercased()
        let patchBody = try RequestBody.object(request)
        for retry in 0...Self.patchConflictRetries {
            let current = try? await store.store.get(served.type, namespace: namespace, name: name)
            guard let current else {
                guard contentType.hasPrefix("application/apply-patch") else { throw StoreErrors.notFound(served.type, name: name) }
                try await applyCreate(served, namespace: namespace, name: name, patchBody, request, writer)
                return
            }
            let admitted: Admitted
            if contentType.hasPrefix("application/apply-patch") {
                let applied = try serverSideApply(served, patchBody, to: served.present(current), request, subresource: subresource)
                admitted = try await admitWrite(served, applied, old: current, request, subresource: subresource, namespace: namespace, recordManagedFields: false)
            } else {
                let patched = try applyPatch(contentType, patchBody, to: served.present(current), served)
                admitted = try await admitWrite(served, patched, old: current, request, subresource: subresource, namespace: namespace)
            }
            let unconditional = admitted.object["metadata"]?["resourceVersion"] == current["metadata"]?["resourceVersion"]
            let updated: JSONObject
            do {
                updated = try await write(served, admitted.object, namespace: namespace, name: name, subresource: subresource, dryRun: isDryRun(request))
            } catch let status as Status where status.code == 409 && unconditional && retry < Self.patchConflictRetries
                && status.message?.hasSuffix(StoreErrors.modified) == true {
                continue
            }
            try await respondJSON(.object(served.present(updated)), writer, headers: admitted.headers)
            return
        }
    }

    /// Applies a patch of the given media type to the stored object.
    func applyPatch(_ contentType: String, _ patch: JSONValue, to current: JSONObject, _ served: ServedResource) throws(Status) -> JSONObject {
        let result: JSONValue
        if contentType.hasPrefix("application/merge-patch+json") {
            result = JSONMergePatch.apply(patch, to: .object(current))
        } else if contentType.hasPrefix("application/json-patch+json") {
            guard case .array = patch else {
                throw StoreErrors.badRequest("error decoding patch: json: cannot unmarshal \(JSONKind.of(patch)) into Go value of type []handlers.jsonPatchOp")
            }
            do { result = try JSONPatch.apply(patch, to: .object(current)) } catch {
                throw Status(code: 422, reason: "Invalid", message: "the server rejected our request due to an error in our request: \(error)")
            }
        } else if contentType.hasPrefix("application/strategic-merge-patch+json") {
            guard !served.type.isCustom else { throw unsupportedPatch() }
            do { result = try StrategicMergePatch.apply(patch, to: .object(current), schema: PatchSchema.forKind(served.kind)) } catch {
                if error.malformed { throw StoreErrors.badRequest(error.message) }
                throw Status(code: 422, reason: "Invalid", message: "the server rejected our request due to an error in our request: \(error)")
            }
        } else {
            throw unsupportedPatch()
        }
        guard case .object(var object) = result else { throw StoreErrors.badRequest("the patched object is not a JSON object") }
        // A patch may not move the object: name and namespace stay those of the URL.
        object["metadata"]?["name"] = current["metadata"]?["name"]
        if current["metadata"]?["namespace"] != nil { object["metadata"]?["namespace"] = current["metadata"]?["namespace"] }
        return object
    }

    /// `422` for an apply without `fieldManager`.
    static var fieldManagerRequired: Status {
        var details = StatusDetails()
        details.group = "meta.k8s.io"
        details.kind = "PatchOptions"
        details.name = ""
        details.causes = [FieldError(.required, field: "fieldManager", detail: "is required for apply patch").cause]
        return Status(
            code: 422, reason: "Invalid", message: "PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required for apply patch",
            details: details)
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
            throw Self.fieldManagerRequired
        }
        guard case .object(var object) = Self.withoutNulls(body) else { throw StoreErrors.badRequest("the applied configuration must be an object") }
        if let bodyName = object["metadata"]?["name"]?.stringValue, !bodyName.isEmpty, bodyName != name {
            throw StoreErrors.badRequest("the name of the object (\(bodyName)) does not match the name on the URL (\(name))")
        }
        object["metadata"]?["name"] = .string(name)
        object = try serverSideApply(served, .object(object), to: nil, request)
        let admitted = try await admitWrite(served, object, old: nil, request, namespace: namespace, recordManagedFields: false)
        try await store(created: admitted.object, served, namespace: namespace, request, writer, headers: admitted.headers)
    }

    /// Server-side apply of `body` (an `application/apply-patch+yaml` configuration) to
    /// `current` (nil to create), with field ownership and conflicts.
    func serverSideApply(
        _ served: ServedResource, _ body: JSONValue, to current: JSONObject?, _ request: HTTPServerRequest, subresource: Subresource = .main
    ) throws(Status) -> JSONObject {
        guard let manager = request.query["fieldManager"], !manager.isEmpty else {
            throw Self.fieldManagerRequired
        }
        guard case .object(let applied) = body else { throw StoreErrors.badRequest("the applied configuration must be an object") }
        if served.type.isCustom, request.query["fieldValidation"] == "Strict", let schema = served.schema.flatMap(SchemaNode.init),
           let unknown = SchemaPruner(schema: schema).prune(body).unknownFields.first {
            // The apply's typed conversion fails on an undeclared field: the server answers 500.
            let namespace = applied["metadata"]?["namespace"]?.stringValue ?? ""
            let name = applied["metadata"]?["name"]?.stringValue ?? ""
            let gvk = "\(applied["apiVersion"]?.stringValue ?? ""), Kind=\(applied["kind"]?.stringValue ?? "")"
            var status = Status(
                code: 500, reason: "",
                message: "failed to create typed patch object (\(namespace)/\(name); \(gvk)): .\(unknown): field not declared in schema")
            status.reason = nil
            throw status
        }
        // The configuration must name the resource's kind and, when it names one, the object
        // of the URL.
        let apiVersion = applied["apiVersion"]?.stringValue ?? ""
        let kind = applied["kind"]?.stringValue ?? ""
        if apiVersion != served.resource.apiVersion || kind != served.kind {
            let parts = apiVersion.split(separator: "/", maxSplits: 1).map(String.init)
            let (group, version) = parts.count == 2 ? (parts[0], parts[1]) : ("", parts.first ?? "")
            throw StoreErrors.badRequest("invalid object type: \(group)/\(version), Kind=\(kind)")
        }
        if let current, let name = applied["metadata"]?["name"]?.stringValue, !name.isEmpty,
           let urlName = current["metadata"]?["name"]?.stringValue, name != urlName {
            throw StoreErrors.badRequest("the name of the object (\(name)) does not match the name on the URL (\(urlName))")
        }
        var object = try ServerSideApply.apply(
            applied: applied, to: current, manager: manager, force: request.query["force"] == "true", now: now(),
            apiVersion: served.resource.apiVersion, schema: ServerSideApply.schema(kind: served.kind, openAPI: served.schema, isCustom: served.type.isCustom),
            subresource: subresource == .status ? "status" : nil)
        // An apply may not move the object: name and namespace stay those of the URL.
        if let current {
            object["metadata"]?["name"] = current["metadata"]?["name"]
            if current["metadata"]?["namespace"] != nil { object["metadata"]?["namespace"] = current["metadata"]?["namespace"] }
        }
        return object
    }

    /// Records a create, update or non-apply patch in `metadata.managedFields` (an `Update`
    /// by the `fieldManager` query parameter, or the User-Agent's program name).
    func recordUpdate(_ served: ServedResource, old: JSONObject?, new: JSONObject, _ request: HTTPServerRequest, subresource: Subresource = .main) -> JSONObject {
        let manager = request.query["fieldManager"].flatMap { $0.isEmpty ? nil : $0 } ?? ServerSideApply.manager(userAgent: request.header("User-Agent"))
        // The fields a write cannot change are nobody's: `status` through the main resource,
        // `spec` through `/status` (the strategies' reset fields).
        let reset: String? = !served.type.hasStatusSubresource ? nil : (subresource == .status ? "spec" : "status")
        // A create compares with the Go type's zero value, as the real field manager does.
        let before = old ?? (served.type.isCustom ? nil : ZeroObjects.of(served.kind, apiVersion: served.resource.apiVersion))
        let recorded = ServerSideApply.recordUpdate(
            old: before.map { Self.without(reset, $0) }, new: Self.without(reset, new), manager: manager, now: now(),
            apiVersion: served.resource.apiVersion, subresource: subresource == .status ? "status" : nil,
            schema: ServerSideApply.schema(kind: served.kind, openAPI: served.schema, isCustom: served.type.isCustom))
        var result = new
        result["metadata"]?["managedFields"] = recorded["metadata"]?["managedFields"]
        return result
    }

    static func without(_ field: String?, _ object: JSONObject) -> JSONObject {
        guard let field else { return object }
        var copy = object
        copy.removeValue(forKey: field)
        return copy
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
