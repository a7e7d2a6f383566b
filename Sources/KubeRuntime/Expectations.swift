import Foundation
import KubeClient
import Synchronization

/// What a controller expects its caches to show after its own creates, per object key —
/// the runtime's `ControllerExpectations`, written once for every controller.
///
/// A cache lags behind the API server: a reconcile that runs before the watch delivered the
/// pods it just created would see them missing and create them again (deterministic names
/// make that an AlreadyExists, but it is wasted work and a decision made on stale data). So:
///
/// - after creating, ``created(_:for:)``; until ``satisfied(for:seen:)`` sees every name in
///   the cache (or `timeout` passed: then the cache is trusted again), the reconciler waits;
/// - a create that failed is noted (``createFailed(_:for:)``), so the decision asks for it
///   again at once instead of after its grace period; one the server refused for good
///   keeps the server's answer (``refusedCreations(for:)``), so the decision can end the job;
/// - a creation whose whole work (a pod and the objects it owns) succeeded is noted
///   (``completed(_:for:)``), so a creation cut short — an error between the pod and what it
///   owns, or a restart of the process — is the one the decision completes.
///
/// All of it lives in this process only: after a restart nothing is expected, nothing has
/// failed and nothing is known complete, which the decisions handle (they re-request and
/// adopt).
public final class Expectations<Key: Hashable & Sendable>: Sendable {
    private struct Entry {
        var pending: Set<String> = []
        var since: Date?
        var failed: Set<String> = []
        var refused: [String: String] = [:]
        var completed: Set<String> = []
    }

    private let clock: any KubeClock
    private let timeout: Duration
    private let entries = Mutex<[Key: Entry]>([:])

    /// Expectations read against `clock`; one not met within `timeout` is dropped.
    public init(clock: any KubeClock, timeout: Duration = .seconds(60)) {
        self.clock = clock
        self.timeout = timeout
    }

    /// `names` were created (or adopted) for `key`: wait until the cache shows them. A
    /// name created is no longer a failed create.
    public func created(_ names: some Sequence<String>, for key: Key) {
        let now = clock.now()
        let names = Array(names)
        entries.withLock { all in
            var entry = all[key] ?? Entry()
            entry.pending.formUnion(names)
            entry.failed.subtract(names)
            for name in names { entry.refused[name] = nil }
            entry.since = now
            all[key] = entry
        }
    }

    /// The whole creation of `names` (each pod and what it owns) succeeded.
    public func completed(_ names: some Sequence<String>, for key: Key) {
        entries.withLock { $0[key, default: Entry()].completed.formUnion(names) }
    }

    /// The create of `name` failed (not AlreadyExists): it is asked for again at once. With
    /// `refusal` (the server's answer in words) the server refused it for good.
    public func createFailed(_ name: String, for key: Key, refusal: String? = nil) {
        entries.withLock { all in
            var entry = all[key] ?? Entry()
            entry.failed.insert(name)
            entry.refused[name] = refusal
            all[key] = entry
        }
    }

    /// Whether the cache (`seen`: the names it holds for `key`) shows every creation
    /// expected; true also once the expectation is older than the timeout.
    public func satisfied(for key: Key, seen: Set<String>) -> Bool {
        let now = clock.now()
        let limit = TimeInterval(timeout.components.seconds) + TimeInterval(timeout.components.attoseconds) / 1e18
        return entries.withLock { all in
            guard var entry = all[key], !entry.pending.isEmpty else { return true }
            entry.pending.subtract(seen)
            if entry.pending.isEmpty || (entry.since.map { now.timeIntervalSince($0) > limit } ?? true) {
                entry.pending = []
                entry.since = nil
                all[key] = entry
                return true
            }
            all[key] = entry
            return false
        }
    }

    /// Creations for `key` whose last request failed.
    public func failedCreations(for key: Key) -> Set<String> { entries.withLock { $0[key]?.failed ?? [] } }

    /// Creations for `key` the server refused for good, with its answer.
    public func refusedCreations(for key: Key) -> [String: String] { entries.withLock { $0[key]?.refused ?? [:] } }

    /// Creations for `key` whose whole work succeeded in this process.
    public func completedCreations(for key: Key) -> Set<String> { entries.withLock { $0[key]?.completed ?? [] } }

    /// Drops everything about `key` (its object is gone).
    public func forget(_ key: Key) {
        entries.withLock { _ = $0.removeValue(forKey: key) }
    }
}
