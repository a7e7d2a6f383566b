import Foundation
import KubeAPI

extension LocalAPIServer {
    /// What the decoder makes of a request's object before anything else: built-in kinds
    /// are type-checked (`400`) and defaulted. Managed fields are recorded from this form.
    func decode(_ served: ServedResource, _ object: JSONObject, old: JSONObject?) throws(Status) -> JSONObject {
        guard !served.type.isCustom, served.type != .customResourceDefinitions, served.view == nil else { return object }
        return try BuiltinAdmission.decode(served.type, object, old: old)
    }

    /// Checks and completes an object before it is stored (create, update, patch): CRDs are
    /// defaulted and validated as the real server does; custom resources are pruned,
    /// defaulted and validated against their structural schema (unknown fields refused
    /// under `fieldValidation=Strict`); built-in kinds go through the real server's
    /// admission and validation (``BuiltinAdmission``), whose warnings are returned.
    func admit(
        _ served: ServedResource, _ object: JSONObject, old: JSONObject?, _ request: HTTPServerRequest, subresource: Subresource = .main,
        namespace: String? = nil
    ) async throws(Status) -> Admitted {
        let name = object["metadata"]?["name"]?.stringValue ?? object["metadata"]?["generateName"]?.stringValue ?? ""
        if served.type == .customResourceDefinitions {
            return try admitCRD(object, old: old, subresource: subresource)
        }
        guard served.type.isCustom else {
            let requestNamespace = namespace ?? object["metadata"]?["namespace"]?.stringValue
            // Only what admission looks at is read from the store (a snapshot held across
            // the request would make every concurrent write copy the whole store).
            let keys = AdmissionContext.lookups(served.type, object, namespace: requestNamespace)
            let isService = served.type == .services && old == nil
            let (objects, allocations) = try await store.perform { s throws(Status) in
                let found = keys.compactMap { key in s.entries[key].map { (key, $0.object) } }
                return (Dictionary(found, uniquingKeysWith: { a, _ in a }), isService ? ServiceRules.usedAllocations(s) : ([], []))
            }
            var context = AdmissionContext(
                objects: objects, operation: old == nil ? .create : .update, namespace: requestNamespace, nameSuffix: { NameSuffix.random() })
            context.serviceAllocations = allocations
            context.strictEvents = served.group == "events.k8s.io"
            let admitted = try BuiltinAdmission.admit(served.type, object, old: old, subresource: subresource, context: &context)
            return Admitted(object: admitted, warnings: context.warnings)
        }
        return try admitCustom(served, object, old: old, request, subresource: subresource)
    }

    /// A custom resource as the real server takes it in: unknown and duplicate fields
    /// (refused under `fieldValidation=Strict`, warned about unless `Ignore`), a name made
    /// from `generateName`, pruning and defaulting, then ``CustomResourceValidation`` of the
    /// object as it would be stored (for `/status`, the stored object with the new status).
    func admitCustom(
        _ served: ServedResource, _ object: JSONObject, old: JSONObject?, _ request: HTTPServerRequest, subresource: Subresource
    ) throws(Status) -> Admitted {
        guard let schema = served.schema, let pipeline = SchemaPipeline(schema: schema) else { return Admitted(object: object) }
        var object = GoJSONNumbers.normalize(.object(object)).objectValue ?? object
        if old == nil, (object.meta("name")?.stringValue ?? "").isEmpty, let prefix = object.meta("generateName")?.stringValue, !prefix.isEmpty {
            object.setMeta("name", .string(prefix + NameSuffix.random()))
        }
        // An object of another kind gets none of this kind's defaults, and is refused.
        let kind = object["kind"]?.stringValue ?? served.kind
        var outcome = pipeline.process(.object(object), validate: false)
        if kind != served.kind { outcome.object = SchemaPruner(schema: pipeline.schema).prune(.object(object)).object }
        let duplicates = Self.duplicateFields(request)
        let fieldValidation = request.query["fieldValidation"] ?? ""
        if fieldValidation == "Strict", !outcome.unknownFields.isEmpty, request.method == "PATCH",
           !(request.header("Content-Type") ?? "").lowercased().hasPrefix("application/apply-patch") {
            // A patch is decoded after it is applied: the error names the patched object.
            let list = outcome.unknownFields.map { "unknown field \(FieldError.quote($0))" }.joined(separator: ", ")
            let error = FieldError(.invalid, field: "patch", value: .string(JSON.string(Self.sortingKeys(.object(object)))), detail: "strict decoding error: " + list)
            var details = StatusDetails()
            details.causes = [error.cause]
            throw Status(code: 422, reason: "Invalid", message: " \"\" is invalid: \(error.description)", details: details)
        }
        if fieldValidation == "Strict", !outcome.unknownFields.isEmpty || !duplicates.isEmpty {
            throw SchemaPruner.strictError(kind: served.kind, version: served.version, unknownFields: outcome.unknownFields, duplicateFields: duplicates)
        }
        let admitted = outcome.object.objectValue ?? object
        // The stored object as the server reads it (with today's defaults).
        let old = old.map(served.present)
        var candidate = admitted
        if let old, served.type.hasStatusSubresource {
            if subresource == .status {
                candidate = old
                candidate["status"] = admitted["status"]
            } else {
                candidate["status"] = old["status"]
            }
        } else if old == nil, served.type.hasStatusSubresource {
            candidate.removeValue(forKey: "status")
        }
        var errors = CustomResourceValidation.validate(candidate, old: old, schema: pipeline.schema)
        if kind != served.kind { errors.insert(FieldError(.invalid, field: "kind", value: .string(kind), detail: "must be \(served.kind)"), at: 0) }
        let name = candidate.meta("name")?.stringValue ?? ""
        let warnings = fieldValidation == "Ignore" ? [] : SchemaPruner.warnings(unknownFields: outcome.unknownFields, duplicateFields: duplicates)
        if !errors.isEmpty { throw StoreErrors.invalid(served.type, name: name, causes: errors.causes).withWarnings(warnings) }
        return Admitted(object: admitted, warnings: warnings)
    }

    /// A value with every object's keys in order, as Go encodes its maps.
    static func sortingKeys(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(let o):
            var out = JSONObject()
            for key in o.keys.sorted() { out[key] = sortingKeys(o[key] ?? .null) }
            return .object(out)
        case .array(let items): return .array(items.map(sortingKeys))
        default: return value
        }
    }

    /// The keys a JSON create or update body repeats (patch bodies are not objects to store).
    static func duplicateFields(_ request: HTTPServerRequest) -> [String] {
        guard request.method == "POST" || request.method == "PUT" else { return [] }
        let type = (request.header("Content-Type") ?? "application/json").lowercased()
        guard type.contains("json") else { return [] }
        return DuplicateFields.find(in: request.body)
    }

    /// Decoding, managed fields and admission in the real server's order: for built-in kinds
    /// the managed fields are recorded from the decoded, defaulted request (so admission's
    /// additions are nobody's), for CRDs and custom resources after pruning and defaulting.
    func admitWrite(
        _ served: ServedResource, _ object: JSONObject, old: JSONObject?, _ request: HTTPServerRequest, subresource: Subresource = .main,
        namespace: String? = nil, recordManagedFields: Bool = true
    ) async throws(Status) -> Admitted {
        if served.type.isCustom || served.type == .customResourceDefinitions {
            var admitted = try await admit(served, object, old: old, request, subresource: subresource, namespace: namespace)
            if recordManagedFields { admitted.object = recordUpdate(served, old: old, new: admitted.object, request, subresource: subresource) }
            return admitted
        }
        // Repeated keys are the decoder's: refused under Strict, warned about unless Ignore.
        let duplicates = Self.duplicateFields(request)
        let fieldValidation = request.query["fieldValidation"] ?? ""
        if fieldValidation == "Strict", !duplicates.isEmpty {
            throw SchemaPruner.strictError(kind: served.kind, version: served.version, unknownFields: [], duplicateFields: duplicates)
        }
        // A view (events.k8s.io) records managed fields in its own form, then converts.
        var decoded = try decode(served, object, old: old)
        if recordManagedFields { decoded = recordUpdate(served, old: old.map(served.present), new: decoded, request, subresource: subresource) }
        var admitted = try await admit(served, served.stored(decoded), old: old, request, subresource: subresource, namespace: namespace)
        if fieldValidation != "Ignore" { admitted.warnings = SchemaPruner.warnings(unknownFields: [], duplicateFields: duplicates) + admitted.warnings }
        return admitted
    }

    /// Defaults and validates a CRD (``CRDValidation``); the status is the server's own: on
    /// create the first storage version is stored, on update the old status is kept and a new
    /// storage version added. Warns of unrecognized formats the request introduces.
    func admitCRD(_ object: JSONObject, old: JSONObject?, subresource: Subresource = .main) throws(Status) -> Admitted {
        let defaulted = CRDDefinition.applyingDefaults(to: .object(object))
        let validation = CRDValidation(defaulted, old: old.map(JSONValue.object))
        let errors = subresource == .status ? validation.validateStatusUpdate() : validation.validate()
        if !errors.isEmpty { throw CRDDefinition(defaulted).invalidStatus(errors) }
        var result = defaulted.objectValue ?? object
        if let old, subresource == .main {
            var status = old["status"]?.objectValue ?? JSONObject()
            status["storedVersions"] = .array(validation.preparedStoredVersions.map { .string($0) })
            result["status"] = .object(status)
        } else if old == nil {
            result["status"] = CRDDefinition(defaulted).initialStatus
        }
        return Admitted(object: result, warnings: subresource == .main ? validation.warnings : [])
    }

    /// Gives a new namespace its `default` ServiceAccount and root CA ConfigMap; keeps the
    /// registry in step with CRDs after they are written, and marks a new CRD Established
    /// (names accepted) once its resources are served.
    func afterWrite(_ served: ServedResource, _ object: JSONObject) async throws {
        if served.type == .namespaces, let name = object["metadata"]?["name"]?.stringValue {
            try await ensureNamespaceDefaults(name)
        }
        guard served.type == .customResourceDefinitions else { return }
        try registerCRD(object)
        let established = object["status"]?["conditions"]?.arrayValue?.contains {
            $0["type"]?.stringValue == "Established" && $0["status"]?.stringValue == "True"
        } ?? false
        guard !established, let name = object["metadata"]?["name"]?.stringValue else { return }
        let definition = CRDDefinition(.object(object))
        var updated = object
        updated["status"] = definition.establishedStatus(transitionTime: RFC3339.format(now()))
        updated["metadata"]?["resourceVersion"] = nil
        let now = self.now()
        // The apiextensions controllers write the status as `kube-apiserver`.
        updated = ServerSideApply.recordUpdate(
            old: Self.without("spec", object), new: Self.without("spec", updated), manager: "kube-apiserver", now: now,
            apiVersion: ResourceType.customResourceDefinitions.resource.apiVersion, subresource: "status",
            schema: ServerSideApply.schema(kind: "CustomResourceDefinition", openAPI: nil, isCustom: false))
        updated["spec"] = object["spec"]
        _ = try await store.perform { s throws(Status) in
            try s.update(.customResourceDefinitions, updated, name: name, subresource: .status, now: now)
        }
    }

    /// Deleting a CRD deletes every object of its resources.
    func afterDelete(_ served: ServedResource, _ object: JSONObject) async throws {
        guard served.type == .customResourceDefinitions, let name = object["metadata"]?["name"]?.stringValue else { return }
        let types = registry.withLock { r in r.resources.filter { $0.crdName == name }.map(\.type) }
        registry.withLock { $0.removeCustomResources(forCRD: name) }
        let now = self.now()
        for type in types {
            _ = try? await store.perform { s throws(Status) in
                for item in try s.list(type).items {
                    let meta = item["metadata"]
                    _ = try? s.delete(type, namespace: meta?["namespace"]?.stringValue, name: meta?["name"]?.stringValue ?? "", now: now)
                }
            }
        }
    }

    /// Serves the resources a CRD defines.
    func registerCRD(_ crd: JSONObject) throws {
        guard let name = crd["metadata"]?["name"]?.stringValue else { return }
        let definition = CRDDefinition(.object(crd))
        registry.withLock { $0.setCustomResources(definition.servedResources, forCRD: name) }
    }
}

/// An admitted object and the warnings its admission produced (`Warning` headers).
struct Admitted {
    var object: JSONObject
    var warnings: [String] = []

    /// The `Warning` response headers: `299 - "<text>"`.
    var headers: [(String, String)] { warnings.map { ("Warning", "299 - \(FieldError.quote($0))") } }
}

/// The suffixes the API server appends to generated names: five characters from an
/// alphabet without vowels and look-alike characters.
enum NameSuffix {
    static let alphabet = Array("bcdfghjklmnpqrstvwxz2456789")

    static func random() -> String {
        var generator = SystemRandomNumberGenerator()
        return String((0..<5).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] })
    }
}
