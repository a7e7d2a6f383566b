import KubeAPI
import KubeClient
import KubeRuntime
import KubeTesting
import Testing

@Suite("Informer and reflector")
struct InformerTests {
    let clock = ManualClock()
    let log = EventLog()

    func start(
        _ server: FakeServer, pageSize: Int? = 500, transform: (@Sendable (Widget) -> Widget)? = nil
    ) async -> (Informer<Widget>, Task<Void, Never>) {
        let informer = Informer(
            listerWatcher: FakeListerWatcher(server: server), clock: clock,
            configuration: InformerConfiguration(pageSize: pageSize), transform: transform)
        let log = self.log
        await informer.addEventHandler(InformerEventHandler(
            onAdd: { await log.append("add \($0.name)") },
            onUpdate: { _, new in await log.append("update \(new.name)") },
            onDelete: { await log.append("delete \($0.name)") }))
        #expect(!informer.hasSynced)
        let run = Task { await informer.run() }
        #expect(await informer.waitForSync())
        return (informer, run)
    }

    func expectStoreMatches(_ informer: Informer<Widget>, _ server: FakeServer) async {
        let expected = await server.objects.values.sorted { $0.name < $1.name }
        #expect(informer.store.list() == expected)
    }

    @Test func listsInPagesThenWatchesFromTheListsVersion() async {
        let server = FakeServer([Widget("a"), Widget("b"), Widget("c")])
        let (informer, run) = await start(server, pageSize: 2)
        #expect(await log.next(3) == ["add a", "add b", "add c"])
        await server.waitForCalls(watches: 1)

        let lists = await server.listCalls
        #expect(lists.map(\.limit) == [2, 2])
        #expect(lists.map(\.continue) == [nil, "2"])
        let watch = await server.watchCalls[0]
        #expect(watch.resourceVersion == "103")
        #expect(watch.allowWatchBookmarks == true)
        #expect((300...600).contains(watch.timeoutSeconds ?? 0))

        await server.create(Widget("d"))
        await server.update("a", color: "red")
        await server.delete("b")
        #expect(await log.next(3) == ["add d", "update a", "delete b"])
        await expectStoreMatches(informer, server)
        run.cancel()
        await run.value
    }

    @Test func bookmarkMovesTheResourceVersionOnly() async {
        let server = FakeServer([Widget("a")])
        let (informer, run) = await start(server)
        #expect(await log.next() == ["add a"])
        await server.waitForCalls(watches: 1)

        await server.bookmark(advancingBy: 10)
        await server.endWatch()
        await server.waitForCalls(watches: 2)
        #expect(await server.watchCalls.map(\.resourceVersion) == ["101", "111"])
        #expect(await server.listCalls.count == 1)
        #expect(informer.store.count == 1)
        run.cancel()
        await run.value
        #expect(await log.all == ["add a"])
    }

    @Test func expiredErrorEventMidStreamRelistsAndConverges() async {
        let server = FakeServer([Widget("a"), Widget("b"), Widget("c")])
        let (informer, run) = await start(server)
        #expect(await log.next(3) == ["add a", "add b", "add c"])
        await server.waitForCalls(watches: 1)
        await server.update("a", color: "blue")
        #expect(await log.next() == ["update a"])

        // Changes the watch never delivers (compacted away), then ERROR 410 Expired.
        await server.delete("b", silently: true)
        await server.create(Widget("d"), silently: true)
        await server.update("c", color: "green", silently: true)
        await server.sendError(code: 410, reason: "Expired")

        #expect(await log.next(4) == ["delete b", "update a", "update c", "add d"])
        await server.waitForCalls(lists: 2, watches: 2)
        // The next watch starts from the fresh list, never from the stale version.
        #expect(await server.watchCalls.map(\.resourceVersion) == ["103", "107"])
        await expectStoreMatches(informer, server)
        run.cancel()
        await run.value
    }

    @Test func goneThrownByAWatchRelistsOnceAndWatchesFromTheNewVersion() async {
        let server = FakeServer([Widget("a")])
        let (informer, run) = await start(server)
        #expect(await log.next() == ["add a"])
        await server.waitForCalls(watches: 1)
        await server.update("a", color: "x")
        #expect(await log.next() == ["update a"])

        await server.delete("a", silently: true)
        await server.create(Widget("e"), silently: true)
        await server.failNextWatches(with: [goneError])
        await server.endWatch()

        #expect(await log.next(2) == ["delete a", "add e"])
        await server.waitForCalls(lists: 2, watches: 3)
        #expect(await server.watchCalls.map(\.resourceVersion) == ["101", "102", "104"])
        #expect(await server.listCalls.count == 2)
        await expectStoreMatches(informer, server)
        #expect(clock.sleeperCount == 0)  // relisting after one 410 does not wait
        run.cancel()
        await run.value
    }

    @Test func droppedConnectionResumesFromTheLastSeenVersionAfterBackoff() async {
        let server = FakeServer([Widget("a")])
        let (_, run) = await start(server)
        await server.waitForCalls(watches: 1)
        await server.create(Widget("b"))
        #expect(await log.next(2) == ["add a", "add b"])

        await server.dropConnection()
        await clock.waitForSleepers { $0 == [.milliseconds(800)] }
        #expect(await server.watchCalls.count == 1)
        clock.advance(by: .milliseconds(800))
        await server.waitForCalls(watches: 2)
        #expect(await server.watchCalls.map(\.resourceVersion) == ["101", "102"])
        #expect(await server.listCalls.count == 1)
        run.cancel()
        await run.value
    }

    /// A watch that ran for a while and then lost its connection (a load balancer, an API
    /// server restart) resumes from the last version at once, as client-go's does; one that
    /// breaks at once (above) backs off.
    @Test func aWatchThatRanAWhileResumesAtOnceWhenItsConnectionBreaks() async {
        let server = FakeServer([Widget("a")])
        let (_, run) = await start(server)
        await server.waitForCalls(watches: 1)
        #expect(await log.next(1) == ["add a"])
        clock.advance(by: .seconds(5))
        await server.dropConnection()
        // Without advancing the clock: a backoff would never let the second watch happen.
        for _ in 0..<100_000 where await server.watchCalls.count < 2 { await Task.yield() }
        #expect(await server.watchCalls.map(\.resourceVersion) == ["101", "101"])
        #expect(await server.listCalls.count == 1)
        #expect(clock.pendingDeadlines.isEmpty, "no backoff: \(clock.pendingDeadlines)")
        run.cancel()
        await run.value
    }

    @Test func failingWatchesBackOffDoublingAndAHealthyWatchResetsIt() async {
        let server = FakeServer([Widget("a")])
        let refused = KubeError.transport("connection refused")
        await server.failNextWatches(with: [refused, refused, refused])
        let (_, run) = await start(server)

        var delays: [Duration] = []
        for attempt in 1...3 {
            await server.waitForCalls(watches: attempt)
            await clock.waitForSleepers(count: 1)
            delays += clock.pendingDeadlines
            clock.advance(by: clock.pendingDeadlines[0])
        }
        #expect(delays == [.milliseconds(800), .milliseconds(1600), .milliseconds(3200)])

        await server.waitForCalls(watches: 4)
        await server.create(Widget("b"))
        #expect(await log.next(2) == ["add a", "add b"])
        await server.dropConnection()
        await clock.waitForSleepers(count: 1)
        #expect(clock.pendingDeadlines == [.milliseconds(800)])
        run.cancel()
        await run.value
    }

    @Test func aFailedListIsRetriedAfterBackoffBeforeSync() async {
        let server = FakeServer([Widget("a")])
        await server.failNextLists(with: [KubeError.forbidden(Status(code: 403, reason: "Forbidden", message: "no")), KubeError.transport("refused")])
        let informer = Informer(listerWatcher: FakeListerWatcher(server: server), clock: clock)
        let run = Task { await informer.run() }
        await clock.waitForSleepers { $0 == [.milliseconds(800)] }
        #expect(!informer.hasSynced)
        clock.advance(by: .milliseconds(800))
        await clock.waitForSleepers { $0 == [.milliseconds(1600)] }
        #expect(!informer.hasSynced)
        clock.advance(by: .milliseconds(1600))
        #expect(await informer.waitForSync())
        #expect(await server.listCalls.count == 3)
        #expect(informer.store.count == 1)
        run.cancel()
        await run.value
    }

    @Test func waitForSyncReturnsFalseWhenCancelled() async {
        let server = FakeServer()
        await server.failNextLists(with: [KubeError.transport("refused")])
        let informer = Informer(listerWatcher: FakeListerWatcher(server: server), clock: clock)
        let run = Task { await informer.run() }
        let waiter = Task { await informer.waitForSync() }
        await clock.waitForSleepers(count: 1)
        waiter.cancel()
        #expect(await waiter.value == false)
        run.cancel()
        await run.value
    }

    @Test func transformIsAppliedBeforeCaching() async {
        var managed = Widget("a")
        managed.metadata.object["managedFields"] = [["manager": "kubectl"]]
        let server = FakeServer([managed])
        let dropManagedFields: @Sendable (Widget) -> Widget = { widget in
            var widget = widget
            widget.metadata.object.removeValue(forKey: "managedFields")
            return widget
        }
        let (informer, run) = await start(server, transform: dropManagedFields)
        await server.waitForCalls(watches: 1)
        var another = Widget("b")
        another.metadata.object["managedFields"] = [["manager": "helm"]]
        await server.create(another)
        #expect(await log.next(2) == ["add a", "add b"])

        #expect(informer.store.count == 2)
        #expect(informer.store.list().allSatisfy { $0.metadata.object["managedFields"] == nil })
        #expect(await server.objects.values.allSatisfy { $0.metadata.object["managedFields"] != nil })
        run.cancel()
        await run.value
    }

    @Test func aHandlerAddedAfterSyncGetsTheCachedObjects() async {
        let server = FakeServer([Widget("a"), Widget("b")])
        let (informer, run) = await start(server)
        #expect(await log.next(2) == ["add a", "add b"])
        let late = EventLog()
        await informer.addEventHandler(InformerEventHandler(onAdd: { await late.append("late add \($0.name)") }))
        #expect(await late.next(2) == ["late add a", "late add b"])
        run.cancel()
        await run.value
    }

    @Test func enqueueControllerHandlerEnqueuesTheOwner() async {
        let queue = WorkQueue<ObjectKey>(clock: clock)
        let handler = InformerEventHandler<Widget>.enqueueController(into: queue, ownerKind: "Job")
        await handler.onAdd(Widget("pod-1", owner: "job1"))
        await handler.onUpdate(Widget("pod-2", owner: "job1"), Widget("pod-2", owner: "job2"))
        await handler.onDelete(Widget("orphan"))
        #expect(await queue.len == 2)
        #expect(await queue.get() == ObjectKey(namespace: "default", name: "job1"))
        #expect(await queue.get() == ObjectKey(namespace: "default", name: "job2"))
    }
}
