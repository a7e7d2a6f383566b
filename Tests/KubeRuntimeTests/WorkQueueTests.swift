import Foundation
@testable import KubeRuntime
import KubeTesting
import Synchronization
import Testing

@Suite("WorkQueue")
struct WorkQueueTests {
    let clock = ManualClock()

    func makeQueue(metrics: any WorkQueueMetrics = NoWorkQueueMetrics()) -> WorkQueue<String> {
        WorkQueue(name: "test", clock: clock, rateLimiter: ItemExponentialFailureRateLimiter(base: .seconds(1), max: .seconds(60)), metrics: metrics)
    }

    @Test func duplicatesCollapseAndOrderIsKept() async {
        let queue = makeQueue()
        for key in ["a", "b", "a", "c", "b"] { await queue.add(key) }
        #expect(await queue.len == 3)
        #expect(await queue.get() == "a")
        #expect(await queue.get() == "b")
        #expect(await queue.get() == "c")
        #expect(await queue.len == 0)
    }

    @Test func aKeyAddedWhileProcessingIsQueuedOnceAfterDone() async {
        let queue = makeQueue()
        await queue.add("a")
        #expect(await queue.get() == "a")
        await queue.add("a")
        await queue.add("a")
        #expect(await queue.len == 0)  // not handed out while a worker holds it
        await queue.add("b")
        #expect(await queue.get() == "b")
        await queue.done("a")
        #expect(await queue.len == 1)
        #expect(await queue.get() == "a")
        await queue.done("a")
        await queue.done("b")
        #expect(await queue.len == 0)
    }

    @Test func aKeyIsNeverProcessedByTwoWorkersAtOnce() async {
        let queue = makeQueue()
        let counters = Counters()
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<4 {
                group.addTask {
                    while let key = await queue.get() {
                        let fresh = counters.inFlight.withLock { $0.insert(key).inserted }
                        if !fresh { counters.overlaps.withLock { $0 += 1 } }
                        // Re-add the key while holding it, and let other workers run.
                        await queue.add(key)
                        for _ in 0..<3 { await Task.yield() }
                        counters.inFlight.withLock { _ = $0.remove(key) }
                        counters.processed.withLock { $0 += 1 }
                        await queue.done(key)
                    }
                }
            }
            for round in 0..<50 {
                for key in ["a", "b", "c"] { await queue.add(key) }
                if round % 10 == 0 { await Task.yield() }
            }
            while counters.processed.withLock({ $0 }) < 100 { await Task.yield() }
            await queue.shutDown()
        }
        #expect(counters.overlaps.withLock { $0 } == 0)
        #expect(counters.processed.withLock { $0 } >= 100)
    }

    @Test func addAfterFiresOnlyWhenTheClockPassesTheDelay() async {
        let queue = makeQueue()
        await queue.addAfter("a", .seconds(10))
        await clock.waitForSleepers(count: 1)
        #expect(await queue.len == 0)
        clock.advance(by: .milliseconds(9_999))
        #expect(clock.sleeperCount == 1)
        #expect(await queue.len == 0)
        clock.advance(by: .milliseconds(1))
        #expect(await queue.get() == "a")
    }

    @Test func addAfterKeepsTheEarlierTimeForAKey() async {
        let queue = makeQueue()
        await queue.addAfter("a", .seconds(5))
        await clock.waitForSleepers(count: 1)
        await queue.addAfter("a", .seconds(1))
        await clock.waitForSleepers { $0 == [.seconds(1)] }
        await queue.addAfter("a", .seconds(3))  // later than the pending 1 s: ignored
        #expect(clock.pendingDeadlines == [.seconds(1)])
        clock.advance(by: .seconds(1))
        #expect(await queue.get() == "a")
        #expect(clock.sleeperCount == 0)
    }

    /// Many delayed keys share one sleeping task, woken for the earliest; each comes out when
    /// its own time has passed, in time order.
    @Test func manyDelayedKeysShareOneTimerAndFireInTimeOrder() async {
        let queue = makeQueue()
        for (key, seconds) in [("c", 30), ("a", 10), ("d", 40), ("b", 20)] { await queue.addAfter(key, .seconds(seconds)) }
        await clock.waitForSleepers { $0 == [.seconds(10)] }
        var out: [String] = []
        for _ in 0..<4 {
            await clock.waitForSleepers(count: 1)
            #expect(clock.pendingDeadlines == [.seconds(10)], "one task sleeps, until the next key's time")
            clock.advance(by: .seconds(10))
            out.append(await queue.get() ?? "nil")
            await queue.done(out.last!)
        }
        #expect(out == ["a", "b", "c", "d"])
        #expect(await queue.len == 0)
    }

    @Test func timerHeapPopsInTimeThenInsertionOrder() {
        var heap = TimerHeap<String>()
        let base = Date(timeIntervalSince1970: 1_000)
        var random = SystemRandomNumberGenerator()
        var expected: [(Date, Int)] = []
        for id in 0..<500 {
            let at = base.addingTimeInterval(Double(Int.random(in: 0..<50, using: &random)))
            heap.push(at, id, "k\(id)")
            expected.append((at, id))
        }
        expected.sort { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
        var popped: [(Date, Int)] = []
        while let top = heap.pop() { popped.append((top.readyAt, top.id)) }
        #expect(popped.map(\.1) == expected.map(\.1))
    }

    @Test func addRateLimitedBacksOffPerKeyUntilForgotten() async {
        let queue = makeQueue()
        await queue.addRateLimited("a")
        await clock.waitForSleepers { $0 == [.seconds(1)] }
        clock.advance(by: .seconds(1))
        #expect(await queue.get() == "a")
        await queue.addRateLimited("a")
        await clock.waitForSleepers { $0 == [.seconds(2)] }
        #expect(await queue.numRequeues("a") == 2)
        await queue.forget("a")
        #expect(await queue.numRequeues("a") == 0)
    }

    @Test func shutDownHandsOutWaitingKeysThenNil() async {
        let queue = makeQueue()
        await queue.add("a")
        await queue.shutDown()
        await queue.add("b")  // ignored
        #expect(await queue.get() == "a")
        #expect(await queue.get() == nil)
    }

    @Test func shutDownWakesIdleWorkersAndDropsDelayedAdds() async {
        let queue = makeQueue()
        let worker = Task { await queue.get() }
        await queue.addAfter("late", .seconds(1))
        await clock.waitForSleepers(count: 1)
        await queue.shutDown()
        #expect(await worker.value == nil)
        #expect(clock.sleeperCount == 0)
    }

    @Test func cancellingAWaitingGetReturnsNil() async {
        let queue = makeQueue()
        let worker = Task { await queue.get() }
        await Task.yield()
        worker.cancel()
        #expect(await worker.value == nil)
        await queue.add("a")
        #expect(await queue.get() == "a")
    }

    @Test func shutDownWithDrainWaitsForKeysInFlight() async {
        let queue = makeQueue()
        let log = EventLog()
        await queue.add("a")
        #expect(await queue.get() == "a")
        let drain = Task {
            await queue.shutDownWithDrain()
            await log.append("drained")
        }
        while await !queue.isShuttingDown { await Task.yield() }
        await log.append("done a")
        await queue.done("a")
        await drain.value
        #expect(await log.all == ["done a", "drained"])
    }

    @Test func metricsSeeAddsDepthLatencyAndRetries() async {
        let metrics = RecordingMetrics()
        let queue = makeQueue(metrics: metrics)
        await queue.add("a")
        await queue.add("b")
        clock.advance(by: .seconds(3))
        _ = await queue.get()
        await queue.addRateLimited("a")
        let seen = metrics.state.withLock { $0 }
        #expect(seen.adds == 2)
        #expect(seen.depths == [1, 2, 1])
        #expect(seen.latencies == [.seconds(3)])
        #expect(seen.retries == 1)
    }
}

final class Counters: Sendable {
    let inFlight = Mutex<Set<String>>([])
    let overlaps = Mutex(0)
    let processed = Mutex(0)
}

final class RecordingMetrics: WorkQueueMetrics {
    struct Seen { var adds = 0, retries = 0, depths: [Int] = [], latencies: [Duration] = [] }
    let state = Mutex(Seen())
    func added(queue: String) { state.withLock { $0.adds += 1 } }
    func depthChanged(queue: String, depth: Int) { state.withLock { $0.depths.append(depth) } }
    func dequeued(queue: String, latency: Duration) { state.withLock { $0.latencies.append(latency) } }
    func retried(queue: String) { state.withLock { $0.retries += 1 } }
}
