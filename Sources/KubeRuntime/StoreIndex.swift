import KubeAPI

/// A named secondary index of a `Store`: the values an object is found under.
///
/// A reconciler that asks "which pods belong to this job?" should read an index, not scan
/// the cache: `store.byIndex(.controllerUID, value: job.metadata.uid!)`.
public struct StoreIndex<Object: KubeObject>: Sendable {
    /// The name `byIndex` looks the index up by.
    public let name: String
    /// The index values of one object; empty when the object is not indexed.
    public let values: @Sendable (Object) -> [String]

    public init(name: String, values: @escaping @Sendable (Object) -> [String]) {
        self.name = name
        self.values = values
    }
}

extension StoreIndex {
    /// Objects by `metadata.namespace` (cluster-scoped objects are not indexed).
    public static var namespace: StoreIndex {
        StoreIndex(name: "namespace") { object in object.metadata.namespace.map { [$0] } ?? [] }
    }

    /// Objects by the UID of their controller owner reference: the children of an owner.
    public static var controllerUID: StoreIndex {
        StoreIndex(name: "controllerUID") { object in
            guard let uid = object.metadata.controllerReference?.uid, !uid.isEmpty else { return [] }
            return [uid]
        }
    }

    /// Objects by the value of the label `key` (objects without the label are not indexed).
    /// The index is named `label:<key>`.
    public static func label(_ key: String) -> StoreIndex {
        StoreIndex(name: "label:\(key)") { object in object.metadata.labels[key].map { [$0] } ?? [] }
    }
}
