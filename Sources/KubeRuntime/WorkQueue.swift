import DequeModule
import Foundation
import KubeClient

/// A queue of keys to reconcile, with client-go's workqueue semantics.
///
/// - A key waits at most once: adding a key that is already waiting does nothing.
/// - A key is never processed by two workers at once: a key added while a worker holds it
///   is queued again once, when that worker calls `done(_:)`.
/// - `addAfter` and `addRateLimited` add later, on the injected clock.
/// - After `shutDown()` adds are ignored and `get()` returns the keys still waiting, then nil.
///
/// Every worker follows the same contract:
/// ```swift
/// while let key = await queue.get() {
///     defer { Task { await queue.done(key) } }   // or call done(key) when finished
///     …
/// }
/// ```
public actor WorkQueue<Key: Hashable & Sendable> {
    private struct Waiter {
        var id: Int
        var continuation: CheckedContinuation<Key?, Never>
    }

    /// A key's pending delayed add: when, and which of its delays (an earlier one replaces it).
    private struct Timer {
        var readyAt: Date
        var id: Int
    }

    /// The queue's name, passed to metrics.
    public nonisolated let name: String
    private let clock: any KubeClock
    private let metrics: any WorkQueueMetrics
    private var rateLimiter: any RateLimiter<Key>

    private var queue: Deque<Key> = []
    private var dirty: Set<Key> = []
    private var enqueuedAt: [Key: Date] = [:]
    private var processing: [Key: Date] = [:]
    private var waiters: Deque<Waiter> = []
    /// The pending delayed add of each key, and all of them ordered by time (entries whose
    /// id no longer matches `timers` were replaced and are skipped). One task sleeps until the
    /// earliest: a task per delayed key cost about 600 bytes each, 15 MB with 25,000 pods.
    private var timers: [Key: Timer] = [:]
    private var timerHeap = TimerHeap<Key>()
    private var wake: (at: Date, task: Task<Void, Never>)?
    private var drainWaiters: [CheckedContinuation<Void, Never>] = []
    private var nextID = 0
    private var shuttingDown = false

    /// - Parameters:
    ///   - rateLimiter: decides the delay of `addRateLimited`; by default client-go's
    ///     controller rate limiter (per-key 5 ms…1000 s, overall 10 qps burst 100).
    public init(
        name: String = "",
        clock: any KubeClock = SystemClock(),
        rateLimiter: any RateLimiter<Key> = MaxOfRateLimiter<Key>.defaultController(),
        metrics: any WorkQueueMetrics = NoWorkQueueMetrics()
    ) {
        self.name = name
        self.clock = clock
        self.rateLimiter = rateLimiter
        self.metrics = metrics
    }

    // MARK: - Adding

    /// Queues `key` unless it is already waiting; a key being processed waits for `done`.
    public func add(_ key: Key) {
        guard !shuttingDown else { return }
        metrics.added(queue: name)
        guard dirty.insert(key).inserted else { return }
        guard processing[key] == nil else { return }
        enqueue(key)
    }

    /// Adds `key` once `delay` has passed on the clock. A key already scheduled keeps the
    /// earlier of the two times.
    public func addAfter(_ key: Key, _ delay: Duration) {
        guard !shuttingDown else { return }
        guard delay > .zero else { return add(key) }
        let readyAt = clock.now() + delay
        if let existing = timers[key], existing.readyAt <= readyAt { return }
        let timer = Timer(readyAt: readyAt, id: takeID())
        timers[key] = timer
        timerHeap.push(timer.readyAt, timer.id, key)
        scheduleWake()
    }

    /// Adds `key` after the delay the rate limiter gives it (one more retry).
    public func addRateLimited(_ key: Key) {
        guard !shuttingDown else { return }
        metrics.retried(queue: name)
        addAfter(key, rateLimiter.when(key, now: clock.now()))
    }

    /// Resets the rate limiter's memory of `key`; call after it was processed successfully.
    public func forget(_ key: Key) { rateLimiter.forget(key) }

    /// How many times `key` went through `addRateLimited` since it was last forgotten.
    public func numRequeues(_ key: Key) -> Int { rateLimiter.numRequeues(key) }

    // MARK: - Processing

    /// The next key to process; suspends until there is one. Returns nil once the queue is
    /// shut down and empty, or when the calling task is cancelled.
    public func get() async -> Key? {
        if let key = takeFront() { return key }
        if shuttingDown { return nil }
        let id = takeID()
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Key?, Never>) in
                if Task.isCancelled {
                    continuation.resume(returning: nil)
                } else {
                    waiters.append(Waiter(id: id, continuation: continuation))
                }
            }
        } onCancel: {
            Task { await self.cancelWaiter(id) }
        }
    }

    /// Marks `key` as finished. If it was added meanwhile, it is queued again now.
    public func done(_ key: Key) {
        guard let started = processing.removeValue(forKey: key) else { return }
        metrics.processed(queue: name, duration: elapsed(since: started))
        if dirty.contains(key) {
            enqueue(key)
        } else if processing.isEmpty {
            drainWaiters.forEach { $0.resume() }
            drainWaiters.removeAll()
        }
    }

    /// The number of keys waiting (not counting those being processed).
    public var len: Int { queue.count }

    /// Whether `shutDown()` was called.
    public var isShuttingDown: Bool { shuttingDown }

    // MARK: - Shutting down

    /// Ignores further adds, drops delayed adds and wakes idle workers, whose `get()` then
    /// returns nil. Keys already waiting are still handed out.
    public func shutDown() {
        guard !shuttingDown else { return }
        shuttingDown = true
        wake?.task.cancel()
        wake = nil
        timers.removeAll()
        timerHeap = TimerHeap<Key>()
        let idle = waiters
        waiters.removeAll()
        idle.forEach { $0.continuation.resume(returning: nil) }
    }

    /// Shuts down, then waits until every key handed out has been marked `done`.
    public func shutDownWithDrain() async {
        shutDown()
        guard !processing.isEmpty else { return }
        await withCheckedContinuation { drainWaiters.append($0) }
    }

    // MARK: - Internals

    private func enqueue(_ key: Key) {
        enqueuedAt[key] = clock.now()
        if let waiter = waiters.popFirst() {
            queue.append(key)
            waiter.continuation.resume(returning: takeFront())
        } else {
            queue.append(key)
            metrics.depthChanged(queue: name, depth: queue.count)
        }
    }

    private func takeFront() -> Key? {
        guard let key = queue.popFirst() else { return nil }
        dirty.remove(key)
        processing[key] = clock.now()
        if let added = enqueuedAt.removeValue(forKey: key) {
            metrics.dequeued(queue: name, latency: elapsed(since: added))
        }
        metrics.depthChanged(queue: name, depth: queue.count)
        return key
    }

    /// Drops replaced entries off the top, then makes sure one task sleeps until the earliest
    /// delayed add (replacing a task that would wake later).
    private func scheduleWake() {
        while let top = timerHeap.top, timers[top.key]?.id != top.id { timerHeap.pop() }
        guard !shuttingDown, let next = timerHeap.top?.readyAt else { return }
        if let wake, wake.at <= next { return }
        wake?.task.cancel()
        let delay = Duration.seconds(max(0, next.timeIntervalSince(clock.now())))
        let clock = self.clock
        let task = Task { [weak self] in
            do { try await clock.sleep(for: delay) } catch { return }
            await self?.fireDue(wokenFor: next)
        }
        wake = (next, task)
    }

    /// Adds every key whose time has come, then sleeps until the next one.
    private func fireDue(wokenFor: Date) {
        guard wake?.at == wokenFor else { return }
        wake = nil
        // The sleep ended: what it was for is due, whatever the wall clock says now.
        let now = max(clock.now(), wokenFor)
        while let top = timerHeap.top, top.readyAt <= now {
            timerHeap.pop()
            guard timers[top.key]?.id == top.id else { continue }
            timers.removeValue(forKey: top.key)
            add(top.key)
        }
        scheduleWake()
    }

    private func cancelWaiter(_ id: Int) {
        guard let index = waiters.firstIndex(where: { $0.id == id }) else { return }
        waiters.remove(at: index).continuation.resume(returning: nil)
    }

    private func takeID() -> Int {
        defer { nextID += 1 }
        return nextID
    }

    private func elapsed(since date: Date) -> Duration {
        .seconds(max(0, clock.now().timeIntervalSince(date)))
    }
}

/// A binary min-heap of delayed adds by time (then by id: the order they were made).
struct TimerHeap<Key: Sendable>: Sendable {
    private var entries: [(readyAt: Date, id: Int, key: Key)] = []

    var top: (readyAt: Date, id: Int, key: Key)? { entries.first }
    var count: Int { entries.count }

    private static func before(_ a: (readyAt: Date, id: Int, key: Key), _ b: (readyAt: Date, id: Int, key: Key)) -> Bool {
        a.readyAt != b.readyAt ? a.readyAt < b.readyAt : a.id < b.id
    }

    mutating func push(_ readyAt: Date, _ id: Int, _ key: Key) {
        entries.append((readyAt, id, key))
        var child = entries.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard Self.before(entries[child], entries[parent]) else { break }
            entries.swapAt(child, parent)
            child = parent
        }
    }

    @discardableResult
    mutating func pop() -> (readyAt: Date, id: Int, key: Key)? {
        guard !entries.isEmpty else { return nil }
        entries.swapAt(0, entries.count - 1)
        let first = entries.removeLast()
        var parent = 0
        while true {
            let (left, right) = (2 * parent + 1, 2 * parent + 2)
            var smallest = parent
            if left < entries.count, Self.before(entries[left], entries[smallest]) { smallest = left }
            if right < entries.count, Self.before(entries[right], entries[smallest]) { smallest = right }
            guard smallest != parent else { break }
            entries.swapAt(parent, smallest)
            parent = smallest
        }
        return first
    }
}
