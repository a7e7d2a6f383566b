import KubeAPI

// Read this file first: it is the whole contract between the runtime and a controller.

/// Makes the cluster match what one object asks for.
///
/// ## Why a reconciler gets a key and not an event
///
/// Reconciliation is *level-based*, not edge-based. The runtime does not tell you what
/// happened ("a pod was deleted", "the spec changed"); it tells you which object to look
/// at, and you compare the desired state (the object's spec) with the observed state (the
/// informers' caches) and act on the difference. This is what makes a controller correct
/// in a distributed system where:
///
/// - events are coalesced: ten changes to an object while it waits in the queue become one
///   call, so a reconciler that counted events would count wrong;
/// - events are lost: a watch drops, a 410 Gone forces a relist, the operator restarts or
///   loses its lease — none of that may change the outcome, and it does not, because the
///   next call sees the current state of the world anyway;
/// - your own writes come back: a status update you made triggers another call, which must
///   find nothing to do (reconcile is idempotent).
///
/// So: read the object from the cache by its key (it may be gone — then clean up or do
/// nothing), compute what should exist, make the smallest change toward it, and return.
///
/// ## What the runtime does with the result
///
/// | outcome                         | the key is…                                          |
/// |---------------------------------|------------------------------------------------------|
/// | `.done`                         | forgotten by the rate limiter; back when it changes   |
/// | `.requeue(after: d)`            | forgotten, then added again after `d` (a timer)       |
/// | `.requeueRateLimited`           | added again after the rate limiter's backoff          |
/// | a thrown error                  | logged and added again after the rate limiter's backoff |
/// | a thrown `TerminalError`        | logged and forgotten: retrying cannot help             |
///
/// A key is never reconciled by two workers at once, so a reconciler needs no locking of
/// its own per object.
public protocol Reconciler: Sendable {
    /// Brings the object with `key` (namespace/name) to its desired state.
    func reconcile(_ key: ObjectKey) async throws -> ReconcileResult
}

/// What to do with a key after a successful reconcile.
public struct ReconcileResult: Sendable, Hashable {
    /// Reconcile again after this delay even if nothing changes (for deadlines, polling).
    public var requeueAfter: Duration?
    /// Reconcile again after the rate limiter's backoff. Ignored when `requeueAfter` is set.
    public var requeue: Bool

    public init(requeueAfter: Duration? = nil, requeue: Bool = false) {
        self.requeueAfter = requeueAfter
        self.requeue = requeue
    }

    /// Nothing more to do until something changes.
    public static let done = ReconcileResult()

    /// Look again after `delay`.
    public static func requeue(after delay: Duration) -> ReconcileResult { ReconcileResult(requeueAfter: delay) }

    /// Look again after the rate limiter's backoff.
    public static let requeueRateLimited = ReconcileResult(requeue: true)
}

/// An error that retrying cannot fix (invalid spec, missing permission that needs a human).
/// The controller logs it and does not requeue; the reconciler should also say so in the
/// object's status so that the user sees it.
public struct TerminalError: Error, Sendable, CustomStringConvertible {
    public var underlying: any Error

    public init(_ underlying: any Error) { self.underlying = underlying }

    public var description: String { "terminal: \(underlying)" }
}

/// A reconciler made from a closure, for tests and small controllers.
public struct ReconcilerFunction: Reconciler {
    private let body: @Sendable (ObjectKey) async throws -> ReconcileResult

    public init(_ body: @escaping @Sendable (ObjectKey) async throws -> ReconcileResult) { self.body = body }

    public func reconcile(_ key: ObjectKey) async throws -> ReconcileResult { try await body(key) }
}
