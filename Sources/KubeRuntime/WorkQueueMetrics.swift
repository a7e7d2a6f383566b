/// Observes a work queue: how deep it is, how many keys arrive, how long they wait and how
/// often they are retried. Implementations must be cheap and must not block; every method
/// has a no-op default, so an implementation provides only what it exports.
public protocol WorkQueueMetrics: Sendable {
    /// The number of keys waiting to be processed changed.
    func depthChanged(queue: String, depth: Int)
    /// A key was added (also when it collapsed into one already waiting).
    func added(queue: String)
    /// A key left the queue for a worker after waiting `latency`.
    func dequeued(queue: String, latency: Duration)
    /// A worker finished a key after working on it for `duration`.
    func processed(queue: String, duration: Duration)
    /// A key was scheduled again through the rate limiter.
    func retried(queue: String)
}

extension WorkQueueMetrics {
    public func depthChanged(queue: String, depth: Int) {}
    public func added(queue: String) {}
    public func dequeued(queue: String, latency: Duration) {}
    public func processed(queue: String, duration: Duration) {}
    public func retried(queue: String) {}
}

/// Metrics that go nowhere: the default.
public struct NoWorkQueueMetrics: WorkQueueMetrics {
    public init() {}
}
