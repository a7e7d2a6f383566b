import Foundation
import KubeAPI

/// A token bucket: `rate` tokens per second, at most `burst` stored. Pure: the caller passes
/// the time, and learns how long until a token is free or takes one that is.
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

    /// How long until a whole token is available (zero when one is).
    public mutating func timeUntilToken(now: Date) -> Duration {
        refill(now: now)
        if tokens >= 1 { return .zero }
        return .nanoseconds(Int64(((1 - tokens) / rate * 1e9).rounded(.up)))
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

/// Which waiting requests the client-side rate limit lets go first, when one is set and
/// its budget is short: what starts or stops work before what reports on it.
public enum RequestPriority: Int, Sendable, Hashable, CaseIterable {
    /// Status writes, Events, reads, lists and watches.
    case low = 0
    /// Creates and deletes of anything but Events: a job's pods, a driver's Service and
    /// ConfigMap (applied with PATCH: a server-side apply of an owned object), pod deletes.
    case high = 1

    public static func of(method: String, path: String) -> RequestPriority {
        let resource = RequestResource.of(path: path)
        if resource == "events" || resource.contains("/") { return .low }
        switch method {
        case "POST", "DELETE": return .high
        case "PATCH": return resource == "services" || resource == "configmaps" ? .high : .low
        default: return .low
        }
    }
}

/// The line of requests waiting for the rate limit: higher priority first, then first
/// come, first served. Pure.
struct RateLimitLine<Waiter> {
    private var lines: [[Waiter]] = Array(repeating: [], count: RequestPriority.allCases.count)

    var count: Int { lines.reduce(0) { $0 + $1.count } }
    var isEmpty: Bool { lines.allSatisfy(\.isEmpty) }

    mutating func append(_ waiter: Waiter, priority: RequestPriority) { lines[priority.rawValue].append(waiter) }

    /// The next waiter to go: the oldest of the highest priority waiting.
    mutating func next() -> Waiter? {
        for priority in RequestPriority.allCases.reversed() where !lines[priority.rawValue].isEmpty {
            return lines[priority.rawValue].removeFirst()
        }
        return nil
    }
}

/// The client-side request rate limit: a token bucket on an injected clock. A request takes
/// a token at once when one is free and nobody waits; otherwise it joins the line, which
/// one task drains as tokens come, highest priority first (``RequestPriority``) — so
/// when the budget is short a job's pods are created before status refreshes and Events.
actor RequestRateLimiter {
    private var bucket: TokenBucket
    private let clock: any KubeClock
    private var line = RateLimitLine<CheckedContinuation<Void, Never>>()
    private var draining = false

    init(qps: Double, burst: Int, clock: any KubeClock) {
        bucket = TokenBucket(rate: qps, burst: burst)
        self.clock = clock
    }

    /// Requests waiting for a token.
    var waiting: Int { line.count }

    func acquire(priority: RequestPriority = .low) async {
        if line.isEmpty, bucket.tryTake(now: clock.now()) { return }
        await withCheckedContinuation { continuation in
            line.append(continuation, priority: priority)
            if !draining {
                draining = true
                Task { await drain() }
            }
        }
    }

    /// Lets the waiting requests go, one per token, until none waits.
    private func drain() async {
        while !line.isEmpty {
            let wait = bucket.timeUntilToken(now: clock.now())
            if wait > .zero { try? await clock.sleep(for: wait) }
            guard bucket.tryTake(now: clock.now()) else { continue }
            line.next()?.resume()
        }
        draining = false
    }
}
