import Foundation
import KubeRuntime
import Testing

@Suite("Rate limiters")
struct RateLimiterTests {
    let t0 = Date(timeIntervalSince1970: 1_735_689_600)

    @Test("per-item backoff doubles from 5 ms and caps at 1000 s", arguments: [
        (1, Duration.milliseconds(5)),
        (2, .milliseconds(10)),
        (3, .milliseconds(20)),
        (11, .milliseconds(5120)),
        (18, .milliseconds(655_360)),
        (19, .seconds(1000)),
        (80, .seconds(1000)),
    ])
    func exponentialBackoff(failures: Int, expected: Duration) {
        var limiter = ItemExponentialFailureRateLimiter<String>()
        var last = Duration.zero
        for _ in 0..<failures { last = limiter.when("a", now: t0) }
        #expect(last == expected)
        #expect(limiter.numRequeues("a") == failures)
    }

    @Test func exponentialBackoffIsPerItemAndForgettable() {
        var limiter = ItemExponentialFailureRateLimiter<String>(base: .seconds(1), max: .seconds(60))
        #expect(limiter.when("a", now: t0) == .seconds(1))
        #expect(limiter.when("a", now: t0) == .seconds(2))
        #expect(limiter.when("b", now: t0) == .seconds(1))
        limiter.forget("a")
        #expect(limiter.numRequeues("a") == 0)
        #expect(limiter.numRequeues("b") == 1)
        #expect(limiter.when("a", now: t0) == .seconds(1))
    }

    @Test func tokenBucketAllowsABurstThenQPS() {
        var limiter = BucketRateLimiter<Int>(qps: 10, burst: 100)
        let burst = (0..<100).map { limiter.when($0, now: t0) }
        #expect(burst.allSatisfy { $0 == .zero })
        #expect(limiter.when(100, now: t0) == .milliseconds(100))
        #expect(limiter.when(101, now: t0) == .milliseconds(200))
        // One second later ten tokens came back, two of them already promised.
        let later = t0.addingTimeInterval(1)
        let next = (0..<9).map { limiter.when($0, now: later) }
        #expect(next == Array(repeating: .zero, count: 8) + [.milliseconds(100)])
        #expect(limiter.numRequeues(1) == 0)
    }

    @Test func tokenBucketRefillsNoMoreThanBurst() {
        var limiter = BucketRateLimiter<Int>(qps: 1, burst: 2)
        #expect(limiter.when(0, now: t0) == .zero)
        #expect(limiter.when(0, now: t0) == .zero)
        #expect(limiter.when(0, now: t0) == .seconds(1))
        let muchLater = t0.addingTimeInterval(3600)
        #expect((0..<3).map { limiter.when($0, now: muchLater) } == [.zero, .zero, .seconds(1)])
    }

    @Test func defaultControllerLimiterTakesTheLongerDelay() {
        var limiter = MaxOfRateLimiter<Int>.defaultController()
        // 100 different keys fail at once: each waits its own 5 ms.
        #expect((0..<100).map { limiter.when($0, now: t0) }.allSatisfy { $0 == .milliseconds(5) })
        // The 101st waits for the bucket, longer than its 5 ms.
        #expect(limiter.when(100, now: t0) == .milliseconds(100))
        #expect(limiter.numRequeues(100) == 1)
        limiter.forget(100)
        #expect(limiter.numRequeues(100) == 0)
    }
}
