/// `group/version` plus kind, as in `apiVersion` and `kind`.
public struct GroupVersionKind: Sendable, Hashable, CustomStringConvertible {
    public var group: String
    public var version: String
    public var kind: String

    public init(group: String, version: String, kind: String) {
        self.group = group
        self.version = version
        self.kind = kind
    }

    /// Splits `apiVersion` ("v1", "apps/v1") and combines it with a kind.
    public init(apiVersion: String, kind: String) {
        if let slash = apiVersion.firstIndex(of: "/") {
            group = String(apiVersion[..<slash])
            version = String(apiVersion[apiVersion.index(after: slash)...])
        } else {
            group = ""
            version = apiVersion
        }
        self.kind = kind
    }

    public var apiVersion: String { group.isEmpty ? version : "\(group)/\(version)" }
    public var description: String { "\(apiVersion), Kind=\(kind)" }
}

/// What a client needs to build a resource's URL: group, version, plural name, scope.
public struct APIResource: Sendable, Hashable, CustomStringConvertible {
    public var group: String
    public var version: String
    public var kind: String
    /// The plural, lower-case resource name used in URLs ("pods", "batchjobs").
    public var plural: String
    public var namespaced: Bool

    public init(group: String, version: String, kind: String, plural: String, namespaced: Bool) {
        self.group = group
        self.version = version
        self.kind = kind
        self.plural = plural
        self.namespaced = namespaced
    }

    public var gvk: GroupVersionKind { GroupVersionKind(group: group, version: version, kind: kind) }
    public var apiVersion: String { gvk.apiVersion }
    public var description: String { group.isEmpty ? plural : "\(plural).\(group)" }

    /// The URL path of the collection, e.g. `/api/v1/namespaces/demo/pods`.
    public func collectionPath(namespace: String?) -> String {
        var path = group.isEmpty ? "/api/\(version)" : "/apis/\(group)/\(version)"
        if namespaced, let namespace { path += "/namespaces/\(namespace)" }
        return path + "/\(plural)"
    }

    /// The URL path of one object, optionally with a subresource (`status`, `log`).
    public func objectPath(namespace: String?, name: String, subresource: String? = nil) -> String {
        var path = collectionPath(namespace: namespace) + "/\(name)"
        if let subresource { path += "/\(subresource)" }
        return path
    }
}

/// A Kubernetes object of a known resource type.
public protocol KubeObject: JSONBacked {
    static var resource: APIResource { get }
}

extension KubeObject {
    public var apiVersion: String? { get { self["apiVersion"] } set { self["apiVersion"] = newValue } }
    public var kind: String? { get { self["kind"] } set { self["kind"] = newValue } }
    public var metadata: ObjectMeta { get { self[object: "metadata"] } set { self[object: "metadata"] = newValue } }

    /// A new object with `apiVersion`, `kind` and the name (and namespace) set.
    public init(name: String, namespace: String? = nil) {
        self.init()
        apiVersion = Self.resource.apiVersion
        kind = Self.resource.kind
        metadata.name = name
        if let namespace { metadata.namespace = namespace }
    }

    /// `namespace/name`, or `name` for cluster-scoped objects: the key of caches and queues.
    public var key: String { ObjectKey(namespace: metadata.namespace, name: metadata.name ?? "").description }
}

/// `namespace/name` — the key used by stores and workqueues.
public struct ObjectKey: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var namespace: String?
    public var name: String

    public init(namespace: String?, name: String) {
        self.namespace = namespace.flatMap { $0.isEmpty ? nil : $0 }
        self.name = name
    }

    /// Parses `namespace/name` or `name`.
    public init(_ key: String) {
        if let slash = key.firstIndex(of: "/") {
            self.init(namespace: String(key[..<slash]), name: String(key[key.index(after: slash)...]))
        } else {
            self.init(namespace: nil, name: key)
        }
    }

    public var description: String { namespace.map { "\($0)/\(name)" } ?? name }
    public static func < (l: ObjectKey, r: ObjectKey) -> Bool { l.description < r.description }
}

/// An object of any kind, for dynamic clients and CRDs the code does not model.
public struct DynamicObject: JSONBacked {
    public var object: JSONObject
    public init(object: JSONObject) { self.object = object }

    public var apiVersion: String? { get { self["apiVersion"] } set { self["apiVersion"] = newValue } }
    public var kind: String? { get { self["kind"] } set { self["kind"] = newValue } }
    public var metadata: ObjectMeta { get { self[object: "metadata"] } set { self[object: "metadata"] = newValue } }
}
