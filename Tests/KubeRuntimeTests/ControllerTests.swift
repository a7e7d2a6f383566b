import KubeAPI
import KubeRuntime
import KubeTesting
import Testing

/// Lets a test hold reconciles in flight and release them one by one.
actor Gate {
    private var open: Set<String> = []
    private var waiting: [String: CheckedContinuation<Void, Never>] = [:]

    func pass(_ name: String) async {
        if open.remove(name) != nil { return }
        await withCheckedContinuation { waiting[name] = $0 }
    }

    func release(_ name: String) {
        if let continuation = waiting.removeValue(forKey: name) { continuation.resume() } else { open.insert(name) }
    }
}

@Suite("Controller")
struct ControllerTests {
    let clock = ManualClock()
    let log = EventLog()

    func key(_ name: String) -> ObjectKey { ObjectKey(namespace: "default", name: name) }

    func makeQueue() -> WorkQueue<ObjectKey> {
        WorkQueue(clock: clock, rateLimiter: ItemExponentialFailureRateLimiter(base: .seconds(1), max: .seconds(60)))
    }

    @Test func workersReconcileDifferentKeysConcurrently() async {
        let gate = Gate()
        let log = self.log
        let queue = makeQueue()
        let controller = Controller(name: "test", queue: queue, reconciler: ReconcilerFunction { key in
            await log.append("start \(key.name)")
            await gate.pass(key.name)
            await log.append("end \(key.name)")
            return .done
        }, workers: 3)
        let run = Task { await controller.run() }
        for name in ["a", "b", "c"] { await queue.add(key(name)) }
        // All three are in flight before any finishes: three workers.
        #expect(Set(await log.next(3)) == ["start a", "start b", "start c"])
        for name in ["b", "a", "c"] {
            await gate.release(name)
            #expect(await log.next() == ["end \(name)"])
        }
        run.cancel()
        await run.value
    }

    @Test func anErrorRequeuesWithBackoffAndSuccessForgets() async {
        let log = self.log
        let queue = makeQueue()
        let controller = Controller(name: "test", queue: queue, reconciler: ReconcilerFunction { key in
            let count = await log.all.count
            await log.append("reconcile \(key.name)")
            if count < 2 { throw ReconcileFailure() }
            return .done
        })
        let run = Task { await controller.run() }
        await queue.add(key("a"))
        #expect(await log.next() == ["reconcile a"])
        await clock.waitForSleepers { $0 == [.seconds(1)] }
        #expect(await queue.numRequeues(key("a")) == 1)
        clock.advance(by: .seconds(1))
        #expect(await log.next() == ["reconcile a"])
        await clock.waitForSleepers { $0 == [.seconds(2)] }
        clock.advance(by: .seconds(2))
        #expect(await log.next() == ["reconcile a"])
        await queue.shutDownWithDrain()
        await run.value
        #expect(await queue.numRequeues(key("a")) == 0)
    }

    @Test func requeueAfterAddsTheKeyAgainOnTheClock() async {
        let log = self.log
        let queue = makeQueue()
        let controller = Controller(name: "test", queue: queue, reconciler: ReconcilerFunction { key in
            await log.append("reconcile \(key.name)")
            return .requeue(after: .seconds(30))
        })
        let run = Task { await controller.run() }
        await queue.add(key("a"))
        #expect(await log.next() == ["reconcile a"])
        await clock.waitForSleepers { $0 == [.seconds(30)] }
        clock.advance(by: .seconds(29))
        #expect(clock.sleeperCount == 1)
        clock.advance(by: .seconds(1))
        #expect(await log.next() == ["reconcile a"])
        #expect(await queue.numRequeues(key("a")) == 0)
        run.cancel()
        await run.value
    }

    @Test func terminalErrorsAreNotRetried() async {
        let log = self.log
        let queue = makeQueue()
        let controller = Controller(name: "test", queue: queue, reconciler: ReconcilerFunction { key in
            await log.append("reconcile \(key.name)")
            throw TerminalError(ReconcileFailure())
        })
        let run = Task { await controller.run() }
        await queue.add(key("a"))
        #expect(await log.next() == ["reconcile a"])
        await queue.shutDownWithDrain()
        await run.value
        #expect(clock.sleeperCount == 0)
        #expect(await queue.numRequeues(key("a")) == 0)
    }

    @Test func cancellationLetsTheReconcileInFlightFinishAndTakesNoMoreKeys() async {
        let gate = Gate()
        let log = self.log
        let queue = makeQueue()
        let controller = Controller(name: "test", queue: queue, reconciler: ReconcilerFunction { key in
            await log.append("start \(key.name)")
            await gate.pass(key.name)
            await log.append("end \(key.name) cancelled=\(Task.isCancelled)")
            return .done
        })
        let run = Task {
            await controller.run()
            await log.append("stopped")
        }
        await queue.add(key("a"))
        await queue.add(key("b"))
        #expect(await log.next() == ["start a"])
        run.cancel()
        while await !queue.isShuttingDown { await Task.yield() }
        await gate.release("a")
        await run.value
        #expect(await log.next(2) == ["end a cancelled=false", "stopped"])
        #expect(await queue.len == 1)  // b was left for the next leader
    }
}

struct ReconcileFailure: Error {}
