import Foundation

/// The source of time for everything that waits or stamps: rate limits, backoff, leases,
/// credential expiry, event timestamps. Production uses `SystemClock`; tests use the test
/// kit's `ManualClock`, which moves only when the test says so.
public protocol KubeClock: Sendable {
    /// The current wall-clock time.
    func now() -> Date
    /// Suspends for `duration`; throws `CancellationError` when the task is cancelled.
    func sleep(for duration: Duration) async throws
}

/// The real clock.
public struct SystemClock: KubeClock {
    public init() {}
    public func now() -> Date { Date() }
    public func sleep(for duration: Duration) async throws { try await Task.sleep(for: duration) }
}

extension Duration {
    /// The duration in seconds as a Double.
    public var seconds: Double {
        let c = components
        return Double(c.seconds) + Double(c.attoseconds) / 1e18
    }
}

extension Date {
    public static func + (date: Date, duration: Duration) -> Date { date.addingTimeInterval(duration.seconds) }
}
