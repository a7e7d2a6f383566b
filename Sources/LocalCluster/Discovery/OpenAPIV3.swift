import KubeAPI

/// OpenAPI v3 documents as the real API server publishes them: the `/openapi/v3` index and
/// one document per group-version (`/openapi/v3/api/v1`, `/openapi/v3/apis/{g}/{v}`).
///
/// kubectl reads them on `apply`, `create -f` and `replace` (default strict validation): it
/// looks for a PATCH operation whose `x-kubernetes-group-version-kind` is the object's GVK
/// and which has a `fieldValidation` query parameter, and then leaves validation to the
/// server. For built-in kinds it also computes strategic merge patches from the
/// `x-kubernetes-patch-*` annotations of the component schemas.
///
/// `/openapi/v2` carries no schemas (``OpenAPIV2``): kubectl needs v3 for all of the above.
public enum OpenAPIV3 {
    /// The index path of a group-version: `api/v1` or `apis/{group}/{version}`.
    public static func documentPath(group: String, version: String) -> String {
        group.isEmpty ? "api/\(version)" : "apis/\(group)/\(version)"
    }

    /// The `GET /openapi/v3` body: `{"paths": {"apis/g/v": {"serverRelativeURL": "/openapi/v3/apis/g/v?hash=H"}}}`
    /// for every served group-version, where `H` is ``hash(of:)`` of that group-version's
    /// document. (Served as `text/plain; charset=utf-8` by the real server.)
    public static func index(_ registry: ResourceRegistry) -> JSONValue {
        var paths = JSONObject()
        let entries = registry.groupVersions.map { gv in (documentPath(group: gv.group, version: gv.version), gv) }
        for (path, gv) in entries.sorted(by: { $0.0 < $1.0 }) {
            guard let document = document(registry, group: gv.group, version: gv.version) else { continue }
            paths[path] = ["serverRelativeURL": .string("/openapi/v3/\(path)?hash=\(hash(of: document))")]
        }
        return ["paths": .object(paths)]
    }

    /// A stable content hash of a document (upper-case hex SHA-256 of its serialized form),
    /// used as the index's `?hash=` and as the document's ETag.
    public static func hash(of document: JSONValue) -> String {
        SHA256.hexDigest(JSON.serialize(document))
    }

    /// The document of one group-version, or nil when nothing is served there (answer 404).
    ///
    /// Paths: the collection (list, create, deletecollection), the item (get, put, delete,
    /// patch), the all-namespaces list of namespaced resources and the `status`, `log` and
    /// `binding` subresources. Schemas: the kind and its list, the CRD's structural schema
    /// wrapped with apiVersion/kind/metadata for custom resources, a reduced schema with
    /// strategic-merge annotations for built-in kinds, and the meta/v1 types they reference.
    public static func document(_ registry: ResourceRegistry, group: String, version: String) -> JSONValue? {
        let served = Discovery.resources(registry, group: group, version: version)
        guard !served.isEmpty else { return nil }
        let custom = served.allSatisfy { $0.crdName != nil }
        var paths = JSONObject()
        var schemas = JSONObject()
        for resource in served {
            for (path, item) in OpenAPIPaths.paths(for: resource) { paths[path] = item }
            for (name, schema) in OpenAPIKindSchemas.schemas(for: resource) { schemas[name] = schema }
        }
        for (name, schema) in OpenAPIMetaSchemas.all { schemas[name] = schema }
        let info: JSONValue = custom
            ? ["title": "Kubernetes CRD Swagger", "version": "v0.1.0"]
            : ["title": "Kubernetes", "version": .string("\(ServerVersion.current.major).\(ServerVersion.current.minor)")]
        return [
            "openapi": "3.0.0",
            "info": info,
            "paths": .object(sorted(paths)),
            "components": ["schemas": .object(sorted(schemas))],
        ]
    }

    /// The component schema name of a kind: `com.example.reference.v1.Gadget` for a custom
    /// resource (reversed group), `io.k8s.api.core.v1.Pod` / `io.k8s.api.coordination.v1.Lease`
    /// for built-ins, and the apiextensions-apiserver package name for CRDs.
    public static func schemaName(group: String, version: String, kind: String, custom: Bool) -> String {
        if custom { return (group.split(separator: ".").reversed().map(String.init) + [version, kind]).joined(separator: ".") }
        if group == "apiextensions.k8s.io" { return "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.\(version).\(kind)" }
        let short = group.isEmpty ? "core" : group.replacingSuffix(".k8s.io")
        return "io.k8s.api.\(short).\(version).\(kind)"
    }

    static func sorted(_ object: JSONObject) -> JSONObject {
        var result = JSONObject()
        for key in object.keys.sorted() { result[key] = object[key] }
        return result
    }
}

extension String {
    func replacingSuffix(_ suffix: String) -> String {
        hasSuffix(suffix) ? String(dropLast(suffix.count)) : self
    }
}
