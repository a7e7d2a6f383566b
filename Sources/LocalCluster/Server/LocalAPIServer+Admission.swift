import Foundation
import KubeAPI

extension LocalAPIServer {
    /// Checks and completes an object before it is stored (create, update, patch): CRDs are
    /// defaulted and validated as the real server does; custom resources are pruned,
    /// defaulted and validated against their structural schema (unknown fields refused
    /// under `fieldValidation=Strict`); built-in kinds get the server's basic checks.
    func admit(
        _ served: ServedResource, _ object: JSONObject, old: JSONObject?, _ request: HTTPServerRequest, subresource: Subresource = .main
    ) throws(Status) -> JSONObject {
        let name = object["metadata"]?["name"]?.stringValue ?? object["metadata"]?["generateName"]?.stringValue ?? ""
        if served.type == .customResourceDefinitions {
            return try admitCRD(object, old: old)
        }
        guard served.type.isCustom else {
            let errors = BuiltinValidation.validate(.object(object), plural: served.plural)
            if !errors.isEmpty { throw StoreErrors.invalid(served.type, name: name, causes: errors.causes) }
            return object
        }
        guard let schema = served.schema, let pipeline = SchemaPipeline(schema: schema) else { return object }
        let outcome = pipeline.process(.object(object))
        if !outcome.unknownFields.isEmpty, (request.query["fieldValidation"] ?? "Warn") == "Strict" {
            throw SchemaPruner.strictError(kind: served.kind, version: served.version, unknownFields: outcome.unknownFields)
        }
        if !outcome.errors.isEmpty { throw StoreErrors.invalid(served.type, name: name, causes: outcome.errors.causes) }
        return outcome.object.objectValue ?? object
    }

    func admitCRD(_ object: JSONObject, old: JSONObject?) throws(Status) -> JSONObject {
        let defaulted = CRDDefinition.applyingDefaults(to: .object(object))
        let definition = CRDDefinition(defaulted)
        let errors = definition.validate()
        if !errors.isEmpty { throw definition.invalidStatus(errors) }
        var result = defaulted.objectValue ?? object
        if old == nil { result["status"] = definition.initialStatus }
        return result
    }

    /// Keeps the registry in step with CRDs after they are written, and marks a new CRD
    /// Established (names accepted) once its resources are served.
    func afterWrite(_ served: ServedResource, _ object: JSONObject) async throws {
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
