import KubeAPI
import KubeClient

/// The two API calls a reflector needs, for one resource type in one scope (a namespace,
/// a label selector…). `ClientListerWatcher` implements it on `KubernetesClient`; tests use
/// an in-memory fake.
///
/// The reflector sets `limit`, `continue`, `resourceVersion`, `allowWatchBookmarks` and
/// `timeoutSeconds` in the options it passes; an implementation adds its own scope
/// (selectors) and must keep those.
public protocol ListerWatcher<Object>: Sendable {
    associatedtype Object: KubeObject
    associatedtype Events: AsyncSequence where Events.Element == WatchEvent<Object>

    /// One page of the list.
    func list(options: ListOptions) async throws -> ObjectList<Object>

    /// A watch from `options.resourceVersion`. Throws the HTTP error (e.g. `KubeError.gone`)
    /// when the server refuses it; the sequence ends when the server closes the stream and
    /// throws when the connection drops.
    func watch(options: ListOptions) async throws -> Events
}
