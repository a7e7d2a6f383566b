import Synchronization

/// Whether this operator process is ready, for `/readyz`: the controllers report their
/// caches, the runner reports leader election, the process reports shutdown.
///
/// Ready means one of:
/// - no leader election, and every controller's caches have listed once;
/// - leading, and every controller's caches have listed once;
/// - standing by: another replica holds the Lease and this one is waiting to take over
///   (its controllers do not run, so it has no caches to wait for).
///
/// Not ready while starting, while caches fill, after losing the Lease, and once a
/// graceful shutdown began. Liveness (`/healthz`) is the process answering at all.
public final class OperatorHealth: Sendable {
    /// This replica's part in leader election.
    public enum Election: Sendable, Hashable {
        /// Leader election is off: the controllers run as soon as the process starts.
        case disabled
        /// Trying to acquire the Lease; its holder is not known yet.
        case acquiring
        /// Another replica (`leader`) holds the Lease; this one takes over when it lapses.
        case standby(leader: String)
        /// This replica holds the Lease and runs the controllers.
        case leading
    }

    private struct State {
        var election = Election.disabled
        var caches: [String: @Sendable () -> Bool] = [:]
        var stopping = false
    }

    private let state = Mutex(State())

    public init() {}

    /// Reports a controller's caches (`synced` is asked on every readiness check); nil
    /// when the controller stopped.
    public func trackCaches(_ controller: String, synced: (@Sendable () -> Bool)?) {
        state.withLock { $0.caches[controller] = synced }
    }

    /// Reports a change in leader election.
    public func setElection(_ election: Election) {
        state.withLock { $0.election = election }
    }

    /// Reports that a graceful shutdown began: not ready from now on.
    public func setStopping() {
        state.withLock { $0.stopping = true }
    }

    /// Whether the process is ready, and why (or why not) in one line.
    public var readiness: (ready: Bool, reason: String) {
        let (election, caches, stopping) = state.withLock { ($0.election, $0.caches, $0.stopping) }
        if stopping { return (false, "shutting down") }
        switch election {
        case .acquiring:
            return (false, "waiting for leader election: the Lease holder is not known yet")
        case .standby(let leader):
            return (true, "standing by; the leader is \(leader)")
        case .disabled, .leading:
            let role = election == .leading ? "leading" : "running"
            if caches.isEmpty { return (false, "\(role); controllers not started yet") }
            let unsynced = caches.filter { !$0.value() }.keys.sorted()
            if !unsynced.isEmpty { return (false, "\(role); caches not synced yet: \(unsynced.joined(separator: ", "))") }
            return (true, "\(role); caches synced")
        }
    }
}
