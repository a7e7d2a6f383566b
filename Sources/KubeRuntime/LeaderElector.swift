import Foundation
import KubeClient
import Logging

/// Timing of leader election. The defaults are client-go's: a standby takes over at most
/// `leaseDuration` after the leader stopped renewing; the leader gives up leading when it
/// could not renew for `renewDeadline`, which is shorter, so two leaders never overlap as
/// long as clocks run at the same rate.
public struct LeaderElectionConfiguration: Sendable {
    /// How long a standby waits, after it last saw the lease change, before taking over (15 s).
    public var leaseDuration: Duration
    /// How long the leader keeps trying to renew before it gives up leading (10 s).
    public var renewDeadline: Duration
    /// The interval between attempts to acquire or renew (2 s).
    public var retryPeriod: Duration
    /// Attempts to acquire wait `retryPeriod * (1 + random(0..<jitterFactor))`.
    public var jitterFactor: Double
    /// Whether to release the lease when `run()` is cancelled, so that a successor need not
    /// wait for it to expire.
    public var releaseOnCancel: Bool

    public init(
        leaseDuration: Duration = .seconds(15), renewDeadline: Duration = .seconds(10), retryPeriod: Duration = .seconds(2),
        jitterFactor: Double = 1.2, releaseOnCancel: Bool = true
    ) {
        precondition(leaseDuration > renewDeadline, "leaseDuration must be greater than renewDeadline")
        precondition(renewDeadline > retryPeriod, "renewDeadline must be greater than retryPeriod")
        self.leaseDuration = leaseDuration
        self.renewDeadline = renewDeadline
        self.retryPeriod = retryPeriod
        self.jitterFactor = jitterFactor
        self.releaseOnCancel = releaseOnCancel
    }
}

/// What happened to leadership, in order.
public enum LeaderElectionEvent: Sendable, Hashable {
    /// This candidate acquired the lease and started leading.
    case startedLeading
    /// This candidate stopped leading: it lost the lease or was cancelled.
    case stoppedLeading
    /// The lease is now held by this identity (also reported for ourselves).
    case newLeader(String)
}

/// Elects one leader among the replicas of the operator through a Lease, with client-go's
/// semantics.
///
/// A candidate acquires the lease when it does not exist, was released, or has not changed
/// for `leaseDuration` — measured on *this* process's clock from the moment it observed the
/// last change, never from the timestamps in the record, so clock skew between machines
/// does not matter. The leader renews every `retryPeriod`; if it cannot renew for
/// `renewDeadline` it stops leading at once (the `leading` task is cancelled) and `run()`
/// returns. When `run()` is cancelled, the leader releases the lease.
public actor LeaderElector {
    /// This candidate's identity, written to the lease as `holderIdentity` (usually the pod name).
    public nonisolated let identity: String
    /// `startedLeading`, `stoppedLeading` and `newLeader` events, in order. Finishes when `run()` returns.
    public nonisolated let events: AsyncStream<LeaderElectionEvent>

    let lock: any LeaseLock
    let clock: any KubeClock
    let configuration: LeaderElectionConfiguration
    let logger: Logger
    private let leading: @Sendable () async -> Void
    private let eventSink: AsyncStream<LeaderElectionEvent>.Continuation

    var observed: VersionedLeaseRecord?
    var observedTime: Date?
    private var reportedLeader: String?
    /// Whether this candidate is leading right now.
    public private(set) var isLeader = false

    /// - Parameter leading: the work to do while leading; it runs in its own task, which is
    ///   cancelled as soon as leadership is lost.
    public init(
        identity: String, lock: any LeaseLock, configuration: LeaderElectionConfiguration = LeaderElectionConfiguration(),
        clock: any KubeClock = SystemClock(), logger: Logger? = nil, leading: @escaping @Sendable () async -> Void = {}
    ) {
        self.identity = identity
        self.lock = lock
        self.configuration = configuration
        self.clock = clock
        var logger = logger ?? Logger(label: "slipway.leader-election")
        logger[metadataKey: "identity"] = .string(identity)
        logger[metadataKey: "lease"] = .string(lock.description)
        self.logger = logger
        self.leading = leading
        (events, eventSink) = AsyncStream.makeStream(of: LeaderElectionEvent.self)
    }

    /// The current holder of the lease as last observed, if any.
    public var leader: String? { observed.map(\.record.holderIdentity).flatMap { $0.isEmpty ? nil : $0 } }

    // MARK: - Running

    /// Acquires the lease, leads while renewing it, and returns when leadership is lost or
    /// the task is cancelled (after releasing the lease, if so configured). Call it once.
    public func run() async {
        defer { eventSink.finish() }
        guard await acquire() else { return }
        isLeader = true
        logger.info("started leading")
        let work = Task { [leading] in await leading() }
        eventSink.yield(.startedLeading)
        await renewUntilLost()
        isLeader = false
        work.cancel()
        logger.info("stopped leading")
        eventSink.yield(.stoppedLeading)
        if Task.isCancelled && configuration.releaseOnCancel {
            // Let the leading work stop before a successor can start; release outside the
            // cancelled task so that the request is not cancelled too.
            await work.value
            await Task { await self.release() }.value
        }
    }

    private func acquire() async -> Bool {
        logger.info("waiting to acquire the lease")
        while !Task.isCancelled {
            if await attempt() { return true }
            let jitter = configuration.jitterFactor > 0 ? Double.random(in: 0..<configuration.jitterFactor) : 0
            do { try await clock.sleep(for: configuration.retryPeriod * (1 + jitter)) } catch { return false }
        }
        return false
    }

    private func renewUntilLost() async {
        while !Task.isCancelled {
            guard await renewWithinDeadline() else { return }
            do { try await clock.sleep(for: configuration.retryPeriod) } catch { return }
        }
    }

    /// Retries renewing every `retryPeriod` until it works or `renewDeadline` passes.
    private func renewWithinDeadline() async -> Bool {
        let clock = self.clock
        let deadline = configuration.renewDeadline
        let renewed = await withTaskGroup(of: Bool.self) { group in
            group.addTask { await self.pollRenew() }
            group.addTask {
                try? await clock.sleep(for: deadline)
                return false
            }
            let first = await group.next() ?? false
            group.cancelAll()
            return first
        }
        if !renewed && !Task.isCancelled {
            logger.error("could not renew the lease within the renew deadline", metadata: ["deadline": "\(deadline)"])
        }
        return renewed
    }

    private func pollRenew() async -> Bool {
        while !Task.isCancelled {
            if await attempt() { return true }
            do { try await clock.sleep(for: configuration.retryPeriod) } catch { return false }
        }
        return false
    }

    private func attempt() async -> Bool {
        let succeeded = await tryAcquireOrRenew()
        reportLeader()
        return succeeded
    }

    private func reportLeader() {
        guard let holder = leader, holder != reportedLeader else { return }
        reportedLeader = holder
        logger.info("new leader", metadata: ["leader": .string(holder)])
        eventSink.yield(.newLeader(holder))
    }
}
