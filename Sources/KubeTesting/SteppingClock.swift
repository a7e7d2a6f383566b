import Foundation
import KubeClient
import Synchronization

/// A clock whose `sleep` returns at once after moving time forward by the requested
/// duration, and records it. For code whose waits a test wants to assert (Retry-After,
/// backoff, rate limits) without waiting.
public final class SteppingClock: KubeClock {
    private let state: Mutex<(now: Date, sleeps: [Duration])>

    public init(start: Date = Date(timeIntervalSince1970: 1_735_689_600)) {
        state = Mutex((start, []))
    }

    public func now() -> Date { state.withLock { $0.now } }

    public func sleep(for duration: Duration) async throws {
        try Task.checkCancellation()
        state.withLock {
            $0.now = $0.now + duration
            $0.sleeps.append(duration)
        }
    }

    /// Every sleep requested so far, in order.
    public var sleeps: [Duration] { state.withLock { $0.sleeps } }
}
