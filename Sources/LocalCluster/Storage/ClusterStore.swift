import Foundation
import KubeAPI

/// The ``ObjectStore`` shared by the API server's requests: an actor that runs each
/// operation on the store and delivers the events it produced to live watchers.
public actor ClusterStore {
    /// The store itself; read it for gets and lists.
    public private(set) var store: ObjectStore
    private var watchers: [Int: Watcher] = [:]
    private var nextWatcherID = 0
    private var changeObservers: [Int: AsyncStream<Int64>.Continuation] = [:]

    private struct Watcher {
        var type: ResourceType
        var filter: ObjectFilter
        var continuation: AsyncStream<StoreEvent>.Continuation
        /// A watch of an API client (not of the server's own node components).
        var client: Bool
    }

    /// Where changes are saved (nil: in memory only).
    private let persistence: PersistentLog?

    /// - Parameter persistence: a log every change is recorded in, inside the actor, so
    ///   changes reach it in resourceVersion order.
    public init(_ store: ObjectStore = ObjectStore(), persistence: PersistentLog? = nil) {
        self.store = store
        self.persistence = persistence
    }

    /// Runs a write (or any operation) on the store, records its changes in the
    /// persistence log (if any), then sends every event it recorded to the watchers that
    /// see it.
    ///
    /// - Throws: the operation's error, or `500 InternalError` when the change could not be
    ///   saved (it stays in memory in that case).
    public func perform<T: Sendable>(_ operation: (inout ObjectStore) throws(Status) -> T) throws(Status) -> T {
        let before = store.revision
        defer { deliver(after: before) }
        let result: Result<T, Status>
        do { result = .success(try operation(&store)) } catch { result = .failure(error) }
        if let persistence, store.revision != before {
            do { try persistence.record(store) } catch { throw error.status }
        }
        return try result.get()
    }

    /// A stream of the events of `type` after `resourceVersion` (the backlog first), then
    /// every new one until the caller stops iterating.
    ///
    /// - Throws: `410 Expired` when `resourceVersion` left the history (see
    ///   ``ObjectStore/events(_:after:filter:)``).
    /// - Parameter client: whether an API client watches (``closeClientWatches()`` ends it),
    ///   rather than one of the local node's own components.
    /// - Parameter initialEventsEnd: end the backlog with the BOOKMARK of the watch-list
    ///   protocol (annotated `k8s.io/initial-events-end: "true"`, at the current revision).
    public func watch(
        _ type: ResourceType, after resourceVersion: String, filter: ObjectFilter = ObjectFilter(), client: Bool = false,
        initialEventsEnd: Bool = false
    ) throws(Status) -> AsyncStream<StoreEvent> {
        let backlog = try store.events(type, after: resourceVersion, filter: filter)
        let (stream, continuation) = AsyncStream<StoreEvent>.makeStream(bufferingPolicy: .unbounded)
        for event in backlog { continuation.yield(event) }
        if initialEventsEnd { continuation.yield(store.bookmark(type, initialEventsEnd: true)) }
        let id = nextWatcherID
        nextWatcherID += 1
        watchers[id] = Watcher(type: type, filter: filter, continuation: continuation, client: client)
        continuation.onTermination = { [weak self] _ in
            Task { await self?.removeWatcher(id) }
        }
        return stream
    }

    /// Sends a BOOKMARK at the current resourceVersion to every watcher of `type`.
    public func sendBookmarks(_ type: ResourceType) {
        let bookmark = store.bookmark(type)
        for watcher in watchers.values where watcher.type.qualifiedName == type.qualifiedName {
            watcher.continuation.yield(bookmark)
        }
    }

    /// Ends every watch stream (for shutdown).
    public func closeAllWatches() {
        for watcher in watchers.values { watcher.continuation.finish() }
        watchers.removeAll()
        for observer in changeObservers.values { observer.finish() }
        changeObservers.removeAll()
    }

    /// Ends the API clients' watch streams, as dropped connections would; the local node's
    /// own components (scheduler, kubelet) keep theirs, as they run inside the server.
    public func closeClientWatches() {
        for (id, watcher) in watchers where watcher.client {
            watcher.continuation.finish()
            watchers[id] = nil
        }
    }

    /// The store's revision after every write that changed something (only the newest is
    /// kept while the reader is busy): what the server's own controllers react to.
    public func changes() -> AsyncStream<Int64> {
        let (stream, continuation) = AsyncStream<Int64>.makeStream(bufferingPolicy: .bufferingNewest(1))
        let id = nextWatcherID
        nextWatcherID += 1
        changeObservers[id] = continuation
        continuation.yield(store.revision)
        continuation.onTermination = { [weak self] _ in
            Task { await self?.removeChangeObserver(id) }
        }
        return stream
    }

    private func removeChangeObserver(_ id: Int) { changeObservers[id] = nil }

    /// How many watch streams are open.
    public var watcherCount: Int { watchers.count }

    private func removeWatcher(_ id: Int) { watchers[id] = nil }

    private func deliver(after revision: Int64) {
        guard store.revision > revision else { return }
        for observer in changeObservers.values { observer.yield(store.revision) }
        guard !watchers.isEmpty else { return }
        // History is in resourceVersion order: the new events are its tail (scanning the
        // whole history on every write made writes cost O(history)).
        let history = store.history
        var start = history.endIndex
        while start > history.startIndex, history[start - 1].resourceVersion > revision { start -= 1 }
        let events = history[start...]
        for id in watchers.keys.sorted() {
            guard let watcher = watchers[id] else { continue }
            for event in events {
                if let seen = ObjectStore.visible(event, to: watcher.type, filter: watcher.filter) {
                    watcher.continuation.yield(seen)
                }
            }
        }
    }
}
