import Foundation

/// A token bucket: `rate` tokens per second, at most `burst` stored. Pure: the caller passes
/// the time, and gets back how long to wait before its request may go. Reservations may
/// drive the level negative, so waiting callers are served in order (client-go's behaviour).
public struct TokenBucket: Sendable, Hashable {
    public let rate: Double
    public let burst: Int
    private var tokens: Double
    private var last: Date?

    public init(rate: Double, burst: Int) {
        precondition(rate > 0 && burst > 0, "token bucket needs a positive rate and burst")
        self.rate = rate
        self.burst = burst
        self.tokens = Double(burst)
    }

    /// Takes one token and returns how long the caller must wait before using it (zero when one was available).
    public mutating func reserve(now: Date) -> Duration {
        refill(now: now)
        tokens -= 1
        if tokens >= 0 { return .zero }
        return .nanoseconds(Int64((-tokens / rate * 1e9).rounded(.up)))
    }

    /// Takes a token only if one is available now.
    public mutating func tryTake(now: Date) -> Bool {
        refill(now: now)
        guard tokens >= 1 else { return false }
        tokens -= 1
        return true
    }

    private mutating func refill(now: Date) {
        if let last {
            let elapsed = max(0, now.timeIntervalSince(last))
            tokens = min(Double(burst), tokens + elapsed * rate)
        }
        last = now
    }
}

/// The client-side request rate limit: a token bucket on an injected clock.
actor RequestRateLimiter {
    private var bucket: TokenBucket
    private let clock: any KubeClock

    init(qps: Double, burst: Int, clock: any KubeClock) {
        bucket = TokenBucket(rate: qps, burst: burst)
        self.clock = clock
    }

    func acquire() async throws {
        let wait = bucket.reserve(now: clock.now())
        if wait > .zero { try await clock.sleep(for: wait) }
    }
}
