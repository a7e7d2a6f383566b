import KubeAPI
import Logging
import Synchronization

/// Runs a `Reconciler` on the keys of a `WorkQueue` with a fixed number of workers.
///
/// Informer event handlers add keys to `queue`; the controller's workers take them one at a
/// time (never the same key twice at once) and act on the `ReconcileResult` as described in
/// `Reconciler`. Run it in a task; cancelling that task stops the controller:
/// idle workers stop at once, busy ones finish their current reconcile (it is not
/// cancelled, so a reconcile is never interrupted between two writes), and `run()` returns
/// when all of them are done. Keys still waiting are left: the next leader sees the same
/// state anyway.
public final class Controller<R: Reconciler>: Sendable {
    /// The controller's name, used in logs.
    public let name: String
    /// The queue the workers take keys from; informer handlers add to it.
    public let queue: WorkQueue<ObjectKey>
    /// How many keys are reconciled concurrently.
    public let workers: Int
    private let reconciler: R
    private let logger: Logger
    private let stopping = Mutex(false)

    /// - Parameters:
    ///   - queue: shared with the informers' handlers, which add keys to it.
    ///   - workers: how many keys are reconciled at once (each key by one worker at a time).
    public init(name: String, queue: WorkQueue<ObjectKey>, reconciler: R, workers: Int = 1, logger: Logger? = nil) {
        precondition(workers > 0, "a controller needs at least one worker")
        self.name = name
        self.queue = queue
        self.reconciler = reconciler
        self.workers = workers
        var logger = logger ?? Logger(label: "slipway.controller")
        logger[metadataKey: "controller"] = .string(name)
        self.logger = logger
    }

    /// Runs the workers until the task is cancelled or the queue is shut down, then waits
    /// for the reconciles in flight to finish.
    public func run() async {
        logger.info("starting workers", metadata: ["workers": .stringConvertible(workers)])
        // The workers run in their own task so that cancelling `run()` does not cancel a
        // reconcile halfway; cancellation is turned into a queue shutdown instead.
        let pool = Task { [self] in
            await withDiscardingTaskGroup { group in
                for _ in 0..<workers { group.addTask { await self.work() } }
            }
        }
        await withTaskCancellationHandler {
            await pool.value
        } onCancel: {
            stopping.withLock { $0 = true }
            let queue = self.queue
            Task { await queue.shutDown() }
        }
        logger.info("workers stopped")
    }

    private func work() async {
        while !stopping.withLock({ $0 }), let key = await queue.get() {
            await process(key)
            await queue.done(key)
        }
    }

    /// Reconciles one key and schedules it again as its result says.
    func process(_ key: ObjectKey) async {
        var logger = logger
        logger[metadataKey: "key"] = .string(key.description)
        logger[metadataKey: "namespace"] = .string(key.namespace ?? "")
        logger[metadataKey: "name"] = .string(key.name)
        do {
            let result = try await reconciler.reconcile(key)
            if let delay = result.requeueAfter {
                await queue.forget(key)
                await queue.addAfter(key, delay)
            } else if result.requeue {
                await queue.addRateLimited(key)
            } else {
                await queue.forget(key)
            }
        } catch let error as TerminalError {
            logger.error("reconcile failed, not retrying", metadata: ["error": "\(error.underlying)"])
            await queue.forget(key)
        } catch {
            let retries = await queue.numRequeues(key)
            logger.warning("reconcile failed, retrying", metadata: ["error": "\(error)", "retries": "\(retries)"])
            await queue.addRateLimited(key)
        }
    }
}
