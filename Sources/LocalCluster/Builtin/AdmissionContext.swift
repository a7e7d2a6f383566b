import Foundation
import KubeAPI

/// What the built-in admission steps may read and use: the few objects they look up
/// (fetched before admission, so no snapshot of the store is held while it writes), the
/// cluster IPs and node ports in use, the namespace of the request, and a source of random
/// name suffixes (the token volume's `kube-api-access-x7k2q`).
struct AdmissionContext {
    enum Operation: Sendable { case create, update }

    /// The objects admission may look at, by key (absent: not in the store).
    var objects: [StoreKey: JSONObject]
    /// Cluster IPs and node ports held by services (for a new service's allocation).
    var serviceAllocations: (ips: Set<String>, ports: Set<Int64>) = ([], [])
    var operation: Operation
    /// The namespace of the request (nil for cluster-scoped resources).
    var namespace: String?
    /// Five characters from the API server's name alphabet.
    var nameSuffix: () -> String
    /// Whether the request came through `events.k8s.io` (strict event validation).
    var strictEvents = false
    /// Warnings for the response's `Warning` headers.
    var warnings: [String] = []

    /// A context that can see everything in `store` (for tests and offline checks).
    init(store: ObjectStore, operation: Operation, namespace: String?, nameSuffix: @escaping () -> String) {
        self.init(objects: store.entries.mapValues(\.object), operation: operation, namespace: namespace, nameSuffix: nameSuffix)
        serviceAllocations = ServiceRules.usedAllocations(store)
    }

    init(objects: [StoreKey: JSONObject], operation: Operation, namespace: String?, nameSuffix: @escaping () -> String) {
        self.objects = objects
        self.operation = operation
        self.namespace = namespace
        self.nameSuffix = nameSuffix
    }

    /// An object admission looked up, or nil.
    func lookup(_ type: ResourceType, namespace: String?, name: String) -> JSONObject? {
        objects[StoreKey(type, namespace: namespace, name: name)]
    }

    /// The keys admission of `object` will look up: its namespace, and for a pod its
    /// ServiceAccount and PriorityClass.
    static func lookups(_ type: ResourceType, _ object: JSONObject, namespace: String?) -> [StoreKey] {
        var keys: [StoreKey] = []
        guard let namespace else { return keys }
        keys.append(StoreKey(.namespaces, namespace: nil, name: namespace))
        if type == .pods {
            let spec = object["spec"]?.objectValue ?? JSONObject()
            let account = [spec.string("serviceAccountName"), spec.string("serviceAccount"), "default"].first { !$0.isEmpty } ?? "default"
            keys.append(StoreKey(.serviceAccounts, namespace: namespace, name: account))
            let priorityClass = spec.string("priorityClassName")
            if !priorityClass.isEmpty { keys.append(StoreKey(.priorityClasses, namespace: nil, name: priorityClass)) }
        }
        return keys
    }
}

/// The `403 Forbidden` an admission plugin answers: `pods "x" is forbidden: <reason>`.
enum AdmissionError {
    static func forbidden(_ type: ResourceType, name: String, _ reason: String) -> Status {
        Status(
            code: 403, reason: "Forbidden", message: "\(type.qualifiedName) \"\(name)\" is forbidden: \(reason)",
            details: StoreErrors.details(type, name: name))
    }
}
