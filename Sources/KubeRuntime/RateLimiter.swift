import Foundation

/// Decides how long an item waits before it is retried.
///
/// Rate limiters are values: the work queue owns one and passes the current time in, so
/// that a test can drive them with any clock, or with plain dates.
public protocol RateLimiter<Item>: Sendable {
    associatedtype Item: Hashable & Sendable

    /// How long `item` must wait now; counts one more retry of it.
    mutating func when(_ item: Item, now: Date) -> Duration
    /// Stops tracking `item`: its next failure starts again from the smallest delay.
    mutating func forget(_ item: Item)
    /// How many times `item` has been rate limited since it was last forgotten.
    func numRequeues(_ item: Item) -> Int
}

// MARK: - Per-item exponential backoff

/// Waits `base * 2^failures` for an item, up to `max` (client-go's
/// `ItemExponentialFailureRateLimiter`; defaults 5 ms doubling to 1000 s).
public struct ItemExponentialFailureRateLimiter<Item: Hashable & Sendable>: RateLimiter {
    /// The delay after the first failure.
    public var base: Duration
    /// The longest delay, however many failures.
    public var max: Duration
    private var failures: [Item: Int] = [:]

    public init(base: Duration = .milliseconds(5), max: Duration = .seconds(1000)) {
        self.base = base
        self.max = max
    }

    public mutating func when(_ item: Item, now: Date) -> Duration {
        let exponent = failures[item, default: 0]
        failures[item] = exponent + 1
        return Self.backoff(base: base, max: max, exponent: exponent)
    }

    public mutating func forget(_ item: Item) { failures.removeValue(forKey: item) }

    public func numRequeues(_ item: Item) -> Int { failures[item, default: 0] }

    /// `base * 2^exponent`, capped at `max` (also when the product overflows).
    static func backoff(base: Duration, max: Duration, exponent: Int) -> Duration {
        guard exponent < 64 else { return max }
        let seconds = base.seconds * pow(2, Double(exponent))
        guard seconds.isFinite, seconds < max.seconds else { return max }
        return .nanoseconds(Int64((seconds * 1e9).rounded()))
    }
}

// MARK: - Overall token bucket

/// One token bucket shared by all items: at most `burst` retries at once, then `qps` per
/// second (client-go's `BucketRateLimiter`; defaults 10 qps, burst 100).
///
/// Like Go's `rate.Limiter.Reserve`, every call takes a token, possibly in advance: the
/// returned delay is how long until that token exists.
public struct BucketRateLimiter<Item: Hashable & Sendable>: RateLimiter {
    /// Tokens added per second.
    public let qps: Double
    /// The bucket's size: how many retries may happen at once.
    public let burst: Int
    private var tokens: Double
    private var last: Date?

    public init(qps: Double = 10, burst: Int = 100) {
        precondition(qps > 0 && burst > 0, "a token bucket needs qps > 0 and burst > 0")
        self.qps = qps
        self.burst = burst
        self.tokens = Double(burst)
    }

    public mutating func when(_ item: Item, now: Date) -> Duration {
        if let last {
            let elapsed = Swift.max(0, now.timeIntervalSince(last))
            tokens = Swift.min(Double(burst), tokens + elapsed * qps)
        }
        last = now
        tokens -= 1
        guard tokens < 0 else { return .zero }
        return .nanoseconds(Int64((-tokens / qps * 1e9).rounded()))
    }

    public mutating func forget(_ item: Item) {}
    public func numRequeues(_ item: Item) -> Int { 0 }
}

// MARK: - Combinator

/// The longest delay of several limiters; every limiter counts every call
/// (client-go's `MaxOfRateLimiter`).
public struct MaxOfRateLimiter<Item: Hashable & Sendable>: RateLimiter {
    public var limiters: [any RateLimiter<Item>]

    public init(_ limiters: [any RateLimiter<Item>]) { self.limiters = limiters }

    public mutating func when(_ item: Item, now: Date) -> Duration {
        var longest = Duration.zero
        for index in limiters.indices {
            longest = Swift.max(longest, limiters[index].when(item, now: now))
        }
        return longest
    }

    public mutating func forget(_ item: Item) {
        for index in limiters.indices { limiters[index].forget(item) }
    }

    public func numRequeues(_ item: Item) -> Int {
        limiters.map { $0.numRequeues(item) }.max() ?? 0
    }
}

extension MaxOfRateLimiter {
    /// client-go's `DefaultControllerRateLimiter`: per-item backoff from 5 ms to 1000 s,
    /// and overall at most 10 retries per second after a burst of 100.
    public static func defaultController() -> MaxOfRateLimiter<Item> {
        MaxOfRateLimiter([ItemExponentialFailureRateLimiter<Item>(), BucketRateLimiter<Item>()])
    }
}
