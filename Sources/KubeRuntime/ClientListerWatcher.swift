import KubeAPI
import KubeClient

/// Lists and watches one resource type through a `KubernetesClient`, in one namespace (or
/// all of them) and optionally narrowed by label and field selectors.
public struct ClientListerWatcher<Object: KubeObject>: ListerWatcher {
    public let client: KubernetesClient
    /// The namespace to watch; nil for all namespaces (and for cluster-scoped resources).
    public let namespace: String?
    /// Narrows what is cached, e.g. `app.kubernetes.io/managed-by=slipway`.
    public let labelSelector: String?
    /// Narrows what is cached, e.g. `status.phase!=Succeeded`.
    public let fieldSelector: String?

    public init(client: KubernetesClient, namespace: String? = nil, labelSelector: String? = nil, fieldSelector: String? = nil) {
        self.client = client
        self.namespace = namespace
        self.labelSelector = labelSelector
        self.fieldSelector = fieldSelector
    }

    public func list(options: ListOptions) async throws -> ObjectList<Object> {
        try await client.list(Object.self, namespace: namespace, options: scoped(options))
    }

    public func watch(options: ListOptions) async throws -> WatchStream<Object> {
        try await client.watch(Object.self, namespace: namespace, options: scoped(options))
    }

    /// The reflector's options plus this lister-watcher's selectors.
    private func scoped(_ options: ListOptions) -> ListOptions {
        var options = options
        options.labelSelector = labelSelector
        options.fieldSelector = fieldSelector
        return options
    }
}
