import Foundation
import KubeClient
import Synchronization

/// The real clock moved by an offset a test sets: `now()` is the wall clock plus the offset,
/// `sleep` really sleeps. For end-to-end tests of time-driven controllers (a schedule's
/// slots) against a real server: the test jumps the controller's time across minutes
/// without waiting for them.
public final class OffsetClock: KubeClock {
    private let offset = Mutex<TimeInterval>(0)

    public init() {}

    public func now() -> Date { Date().addingTimeInterval(offset.withLock { $0 }) }

    public func sleep(for duration: Duration) async throws { try await Task.sleep(for: duration) }

    /// From now on `now()` reads `date` plus the real time that passes.
    public func set(now date: Date) { offset.withLock { $0 = date.timeIntervalSinceNow } }
}
