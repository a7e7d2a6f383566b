import KubeAPI
import KubeClient
import Logging
import Synchronization

/// A cache of one resource type that stays in sync with the server, and tells handlers
/// what changed.
///
/// ```swift
/// let pods = Informer(listerWatcher: ClientListerWatcher<Pod>(client: client, namespace: "jobs"),
///                     indexes: [.namespace, .controllerUID], transform: dropManagedFields)
/// await pods.addEventHandler(.enqueueController(into: queue, ownerKind: "BatchJob"))
/// group.addTask { await pods.run() }
/// guard await pods.waitForSync() else { return }   // before the controller starts
/// ```
///
/// Handlers are called one at a time, in the order of the changes, from the informer's
/// task: they must only enqueue, never call the API or wait on anything slow.
public final class Informer<Object: KubeObject>: Sendable {
    private struct State {
        var handlers: [InformerEventHandler<Object>] = []
        var synced = false
        var nextWaiterID = 0
        var syncWaiters: [Int: CheckedContinuation<Bool, Never>] = [:]
    }

    /// The cache. Read it from reconcilers; only the informer writes it.
    public let store: Store<Object>
    private let reflector: Reflector<Object>
    private let state = Mutex(State())

    /// - Parameters:
    ///   - indexes: the store's secondary indexes.
    ///   - storage: how the store keeps its objects (``Store/Storage``).
    ///   - transform: applied to every object before it is cached, e.g. to drop
    ///     `metadata.managedFields` and bound the memory the cache takes.
    public init(
        listerWatcher: some ListerWatcher<Object>,
        indexes: [StoreIndex<Object>] = [.namespace],
        storage: Store<Object>.Storage = .objects,
        clock: any KubeClock = SystemClock(),
        configuration: InformerConfiguration = InformerConfiguration(),
        transform: (@Sendable (Object) -> Object)? = nil,
        logger: Logger? = nil
    ) {
        let store = Store<Object>(indexes: indexes, storage: storage)
        var logger = logger ?? Logger(label: "slipway.informer")
        logger[metadataKey: "resource"] = .string(Object.resource.description)
        self.store = store
        self.reflector = Reflector(
            listerWatcher: listerWatcher, store: store, clock: clock, configuration: configuration,
            transform: transform, logger: logger)
    }

    // MARK: - Handlers

    /// Registers a handler. Add handlers before `run()`; a handler added after the first
    /// list is given every cached object as an addition first.
    public func addEventHandler(_ handler: InformerEventHandler<Object>) async {
        let synced = state.withLock { s in
            s.handlers.append(handler)
            return s.synced
        }
        guard synced else { return }
        for object in store.list() { await handler.onAdd(object) }
    }

    private func deliver(_ change: StoreChange<Object>) async {
        let handlers = state.withLock { $0.handlers }
        for handler in handlers {
            switch change {
            case .added(let object): await handler.onAdd(object)
            case .updated(let old, let new): await handler.onUpdate(old, new)
            case .deleted(let object): await handler.onDelete(object)
            }
        }
    }

    // MARK: - Running

    /// Lists and watches until the task is cancelled. Run it once.
    public func run() async {
        await reflector.run(deliver: { await self.deliver($0) }, synced: { self.markSynced() })
    }

    /// Whether the first list has been stored (and its changes delivered to the handlers).
    public var hasSynced: Bool { state.withLock { $0.synced } }

    /// Waits until the first list has been stored. Returns false if the task is cancelled first.
    public func waitForSync() async -> Bool {
        let id = state.withLock { s in
            defer { s.nextWaiterID += 1 }
            return s.nextWaiterID
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
                let answer: Bool? = state.withLock { s in
                    if s.synced { return true }
                    if Task.isCancelled { return false }
                    s.syncWaiters[id] = continuation
                    return nil
                }
                if let answer { continuation.resume(returning: answer) }
            }
        } onCancel: {
            state.withLock { $0.syncWaiters.removeValue(forKey: id) }?.resume(returning: false)
        }
    }

    private func markSynced() {
        let waiters = state.withLock { s in
            s.synced = true
            defer { s.syncWaiters.removeAll() }
            return Array(s.syncWaiters.values)
        }
        waiters.forEach { $0.resume(returning: true) }
    }
}
