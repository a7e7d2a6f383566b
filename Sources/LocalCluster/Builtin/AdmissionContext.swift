import Foundation
import KubeAPI

/// What the built-in admission steps may read and use: a snapshot of the store (for
/// ServiceAccounts, PriorityClasses and namespaces), the namespace and name of the request,
/// and a source of random name suffixes (the token volume's `kube-api-access-x7k2q`).
struct AdmissionContext {
    enum Operation: Sendable { case create, update }

    var store: ObjectStore
    var operation: Operation
    /// The namespace of the request (nil for cluster-scoped resources).
    var namespace: String?
    /// Five characters from the API server's name alphabet.
    var nameSuffix: () -> String
    /// Whether the request came through `events.k8s.io` (strict event validation).
    var strictEvents = false
    /// Warnings for the response's `Warning` headers.
    var warnings: [String] = []

    /// An object of the store, or nil.
    func lookup(_ type: ResourceType, namespace: String?, name: String) -> JSONObject? {
        try? store.get(type, namespace: namespace, name: name)
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
