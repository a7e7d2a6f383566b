import Foundation
import Synchronization
import Testing
@testable import KubeClient

/// When the client-side rate limit is short, what starts work goes before what reports on it.
@Suite struct RateLimitPriorityTests {
    @Test(arguments: [
        ("POST", "/api/v1/namespaces/d/pods", RequestPriority.high),
        ("DELETE", "/api/v1/namespaces/d/pods/p", .high),
        ("PATCH", "/api/v1/namespaces/d/services/s", .high),
        ("PATCH", "/api/v1/namespaces/d/configmaps/c", .high),
        ("PUT", "/apis/slipway.dev/v1alpha1/namespaces/d/batchjobs/b/status", .low),
        ("PUT", "/api/v1/namespaces/d/pods/p", .low),
        ("POST", "/api/v1/namespaces/d/events", .low),
        ("PATCH", "/api/v1/namespaces/d/events/e", .low),
        ("PATCH", "/api/v1/namespaces/d/pods/p/status", .low),
        ("GET", "/api/v1/namespaces/d/pods", .low),
    ])
    func createsAndDeletesGoFirst(method: String, path: String, expected: RequestPriority) {
        #expect(RequestPriority.of(method: method, path: path) == expected)
    }

    @Test func theLineServesHigherPriorityFirstThenInOrder() {
        var line = RateLimitLine<String>()
        line.append("status-1", priority: .low)
        line.append("pod-1", priority: .high)
        line.append("event-1", priority: .low)
        line.append("pod-2", priority: .high)
        #expect(line.count == 4)
        var order: [String] = []
        while let next = line.next() { order.append(next) }
        #expect(order == ["pod-1", "pod-2", "status-1", "event-1"])
        #expect(line.isEmpty)
    }

    /// Three requests wait for a 1-per-second budget, a status write and an Event first and
    /// a pod create last: the create gets the next token.
    @Test func aCreateOvertakesWaitingStatusWrites() async throws {
        let clock = GatedClock()
        let limiter = RequestRateLimiter(qps: 1, burst: 1, clock: clock)
        await limiter.acquire(priority: .low)  // the burst
        let served = ServedLog()
        var tasks: [Task<Void, Never>] = []
        for (name, priority) in [("status", RequestPriority.low), ("event", .low), ("pod", .high)] {
            let before = await limiter.waiting
            tasks.append(Task {
                await limiter.acquire(priority: priority)
                await served.append(name)
            })
            // The next one joins only once this one waits in line.
            try await Self.waitUntil { await limiter.waiting > before }
        }
        for expected in 1...3 {
            await clock.release()
            try await Self.waitUntil { await served.names.count >= expected }
        }
        for task in tasks { await task.value }
        #expect(await served.names == ["pod", "status", "event"])
    }

    struct NeverHappened: Error {}

    /// Polls `condition` for up to 30 s.
    static func waitUntil(_ condition: () async -> Bool) async throws {
        for _ in 0..<3000 {
            if await condition() { return }
            try await Task.sleep(for: .milliseconds(10))
        }
        throw NeverHappened()
    }
}

actor ServedLog {
    private(set) var names: [String] = []
    func append(_ name: String) { names.append(name) }
}

/// A clock whose sleeps end only when the test releases them (each release moves time on by
/// the slept duration).
final class GatedClock: KubeClock {
    private let state = Mutex<(now: Date, sleepers: [(Duration, CheckedContinuation<Void, Never>)])>((Date(timeIntervalSince1970: 0), []))

    func now() -> Date { state.withLock { $0.now } }

    func sleep(for duration: Duration) async throws {
        await withCheckedContinuation { continuation in state.withLock { $0.sleepers.append((duration, continuation)) } }
    }

    /// Ends the oldest sleep once one has begun (waiting up to 30 s for one).
    func release() async {
        for _ in 0..<3000 {
            let next: CheckedContinuation<Void, Never>? = state.withLock { state in
                guard !state.sleepers.isEmpty else { return nil }
                let (duration, continuation) = state.sleepers.removeFirst()
                state.now = state.now.addingTimeInterval(Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18)
                return continuation
            }
            if let next {
                next.resume()
                return
            }
            try? await Task.sleep(for: .milliseconds(5))
        }
    }
}
