import Foundation
import KubeClient
import Synchronization

/// A clock that moves only when the test says so.
///
/// Code under test sleeps on it exactly as on the system clock; the test then waits until
/// that code is blocked (`waitForSleepers(count:)`) and moves time forward
/// (`advance(by:)`), which resumes every sleeper whose deadline has passed, earliest first.
/// No test needs a real sleep, and the order of events is deterministic.
///
/// ```swift
/// let clock = ManualClock()
/// let task = Task { try await clock.sleep(for: .seconds(5)) }
/// await clock.waitForSleepers(count: 1)
/// clock.advance(by: .seconds(5))   // the sleeper resumes
/// ```
public final class ManualClock: KubeClock {
    private struct Sleeper {
        var deadline: Duration
        var continuation: CheckedContinuation<Void, any Error>
    }

    private struct SleeperWaiter {
        var condition: @Sendable (_ pendingDeadlines: [Duration]) -> Bool
        var continuation: CheckedContinuation<Void, Never>
    }

    private struct State {
        /// Time since `start`, kept as a `Duration` so that deadlines compare exactly.
        var elapsed: Duration = .zero
        var nextID = 0
        var sleepers: [Int: Sleeper] = [:]
        var sleeperWaiters: [SleeperWaiter] = []

        var pendingDeadlines: [Duration] { sleepers.values.map { $0.deadline - elapsed }.sorted() }

        /// Removes and returns the waiters whose condition now holds.
        mutating func takeSatisfiedWaiters() -> [CheckedContinuation<Void, Never>] {
            guard !sleeperWaiters.isEmpty else { return [] }
            let pending = pendingDeadlines
            var ready: [CheckedContinuation<Void, Never>] = []
            sleeperWaiters.removeAll { waiter in
                guard waiter.condition(pending) else { return false }
                ready.append(waiter.continuation)
                return true
            }
            return ready
        }
    }

    private let start: Date
    private let state = Mutex(State())

    /// A clock that starts at `start` (by default 2025-01-01T00:00:00Z, so that test output is stable).
    public init(start: Date = Date(timeIntervalSince1970: 1_735_689_600)) {
        self.start = start
    }

    // MARK: - KubeClock

    public func now() -> Date {
        start + state.withLock { $0.elapsed }
    }

    /// Suspends until `advance(by:)` or `set(_:)` moves time to or past now + `duration`.
    /// Throws `CancellationError` when the task is cancelled, at once.
    public func sleep(for duration: Duration) async throws {
        try Task.checkCancellation()
        let id = state.withLock { s in
            defer { s.nextID += 1 }
            return s.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                register(id: id, duration: duration, continuation: continuation)
            }
        } onCancel: {
            let (sleeper, waiters) = state.withLock { s in (s.sleepers.removeValue(forKey: id), s.takeSatisfiedWaiters()) }
            sleeper?.continuation.resume(throwing: CancellationError())
            waiters.forEach { $0.resume() }
        }
    }

    private func register(id: Int, duration: Duration, continuation: CheckedContinuation<Void, any Error>) {
        enum Outcome { case registered([CheckedContinuation<Void, Never>]), cancelled, due }
        let outcome: Outcome = state.withLock { s in
            // Checked under the lock: a cancellation after this point finds the sleeper.
            if Task.isCancelled { return .cancelled }
            if duration <= .zero { return .due }
            s.sleepers[id] = Sleeper(deadline: s.elapsed + duration, continuation: continuation)
            return .registered(s.takeSatisfiedWaiters())
        }
        switch outcome {
        case .cancelled: continuation.resume(throwing: CancellationError())
        case .due: continuation.resume()
        case .registered(let waiters): waiters.forEach { $0.resume() }
        }
    }

    // MARK: - Moving time

    /// Moves time forward and resumes, earliest deadline first, every sleeper that is due.
    public func advance(by duration: Duration) {
        precondition(duration >= .zero, "ManualClock cannot go back in time")
        move { $0 += duration }
    }

    /// Sets the current time. Moving forward resumes the sleepers that are due; moving
    /// backward resumes none.
    public func set(_ date: Date) {
        let target = Duration.seconds(date.timeIntervalSince(start))
        move { $0 = target }
    }

    private func move(_ change: (inout Duration) -> Void) {
        let (due, waiters) = state.withLock { s in
            change(&s.elapsed)
            let ready = s.sleepers.filter { $0.value.deadline <= s.elapsed }
                .sorted { ($0.value.deadline, $0.key) < ($1.value.deadline, $1.key) }
            for (id, _) in ready { s.sleepers.removeValue(forKey: id) }
            return (ready.map(\.value.continuation), s.takeSatisfiedWaiters())
        }
        due.forEach { $0.resume() }
        waiters.forEach { $0.resume() }
    }

    // MARK: - Observing sleepers

    /// How many tasks are suspended in `sleep(for:)` right now.
    public var sleeperCount: Int { state.withLock { $0.sleepers.count } }

    /// Suspends until at least `count` tasks are suspended in `sleep(for:)`: the point where
    /// the code under test waits for time to move.
    public func waitForSleepers(count: Int) async {
        await waitForSleepers { $0.count >= count }
    }

    /// Suspends until `condition` holds for the pending deadlines (durations from now,
    /// earliest first), e.g. `{ $0 == [.seconds(2)] }`: "exactly one task waits, for 2 s".
    /// The condition is checked whenever a sleeper starts, ends, or time moves.
    public func waitForSleepers(where condition: @escaping @Sendable (_ pendingDeadlines: [Duration]) -> Bool) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let ready = state.withLock { s in
                if condition(s.pendingDeadlines) { return true }
                s.sleeperWaiters.append(SleeperWaiter(condition: condition, continuation: continuation))
                return false
            }
            if ready { continuation.resume() }
        }
    }

    /// The deadlines of the current sleepers, earliest first, as durations from now.
    public var pendingDeadlines: [Duration] { state.withLock { $0.pendingDeadlines } }
}
