import Foundation
import KubeAPI
import KubeClient
import KubeRuntime
import KubeTesting
import Testing

/// The Lease as an API server keeps it: optimistic concurrency on a resourceVersion, and
/// candidates that can be cut off.
actor LeaseServer {
    private(set) var lease: VersionedLeaseRecord?
    private var revision = 0
    private var partitioned: Set<String> = []
    private var losingNextUpdateAnswer = false

    init(seed: LeaseRecord? = nil) {
        if let seed { lease = VersionedLeaseRecord(record: seed, resourceVersion: "0") }
    }

    func get(by candidate: String) throws -> VersionedLeaseRecord? {
        try reachable(candidate)
        return lease
    }

    func create(_ record: LeaseRecord, by candidate: String) throws -> VersionedLeaseRecord {
        try reachable(candidate)
        guard lease == nil else { throw KubeError.alreadyExists(Status(code: 409, reason: "AlreadyExists", message: "exists")) }
        return store(record)
    }

    func update(_ record: LeaseRecord, resourceVersion: String, by candidate: String) throws -> VersionedLeaseRecord {
        try reachable(candidate)
        guard lease?.resourceVersion == resourceVersion else {
            throw KubeError.conflict(Status(code: 409, reason: "Conflict", message: "the object has been modified"))
        }
        let stored = store(record)
        if losingNextUpdateAnswer {
            losingNextUpdateAnswer = false
            throw KubeError.transport("connection reset after the request was sent")
        }
        return stored
    }

    /// The next update is applied, but its answer never reaches the candidate (a request
    /// cancelled or cut off in flight).
    func loseAnswerToNextUpdate() { losingNextUpdateAnswer = true }

    /// Another process (not under test) renews the lease it holds.
    func renew(by holder: String, at time: Date) {
        var record = lease?.record ?? LeaseRecord(holderIdentity: holder, leaseDurationSeconds: 15, acquireTime: time, renewTime: time, leaseTransitions: 0)
        record.renewTime = time
        _ = store(record)
    }

    func partition(_ candidate: String) { partitioned.insert(candidate) }

    private func reachable(_ candidate: String) throws {
        if partitioned.contains(candidate) { throw KubeError.transport("no route to host") }
    }

    private func store(_ record: LeaseRecord) -> VersionedLeaseRecord {
        revision += 1
        lease = VersionedLeaseRecord(record: record, resourceVersion: String(revision))
        return lease!
    }
}

struct FakeLeaseLock: LeaseLock {
    let server: LeaseServer
    let candidate: String
    var description: String { "slipway-system/slipway-leader" }

    func get() async throws -> VersionedLeaseRecord? { try await server.get(by: candidate) }
    func create(_ record: LeaseRecord) async throws -> VersionedLeaseRecord { try await server.create(record, by: candidate) }
    func update(_ record: LeaseRecord, resourceVersion: String) async throws -> VersionedLeaseRecord {
        try await server.update(record, resourceVersion: resourceVersion, by: candidate)
    }
}

@Suite("Leader election")
struct LeaderElectorTests {
    let clock = ManualClock()
    var t0: Date { Date(timeIntervalSince1970: 1_735_689_600) }

    func elector(_ identity: String, _ server: LeaseServer, release: Bool = true, leading: @escaping @Sendable () async -> Void = {}) -> LeaderElector {
        LeaderElector(
            identity: identity, lock: FakeLeaseLock(server: server, candidate: identity),
            configuration: LeaderElectionConfiguration(jitterFactor: 0, releaseOnCancel: release), clock: clock, leading: leading)
    }

    /// Starts candidate `identity` on a lease it can take, and waits until it leads.
    func startLeading(
        _ identity: String, _ server: LeaseServer, release: Bool = true
    ) async -> (events: AsyncStream<LeaderElectionEvent>.Iterator, run: Task<Void, Never>) {
        let candidate = elector(identity, server, release: release)
        var events = candidate.events.makeAsyncIterator()
        let run = Task { await candidate.run() }
        #expect(await events.next() == .newLeader(identity))
        #expect(await events.next() == .startedLeading)
        return (events, run)
    }

    /// Waits until the elector under test sleeps for its next retry.
    func waitForRetry() async { await clock.waitForSleepers { $0 == [.seconds(2)] } }

    @Test func acquiresAFreeLeaseAndRenewsIt() async {
        let server = LeaseServer()
        let a = elector("a", server)
        var events = a.events.makeAsyncIterator()
        let run = Task { await a.run() }
        #expect(await events.next() == .newLeader("a"))
        #expect(await events.next() == .startedLeading)
        #expect(await a.isLeader)
        #expect(await server.lease?.record == LeaseRecord(holderIdentity: "a", leaseDurationSeconds: 15, acquireTime: t0, renewTime: t0, leaseTransitions: 0))

        await waitForRetry()
        clock.advance(by: .seconds(2))
        await waitForRetry()
        let renewed = await server.lease?.record
        #expect(renewed?.renewTime == t0 + .seconds(2))
        #expect(renewed?.acquireTime == t0)
        #expect(renewed?.holderIdentity == "a")
        run.cancel()
        await run.value
    }

    /// The holder "x" stops renewing (optionally after one last renewal at `lastRenewal`
    /// seconds, which the standby sees at its next retry 2 s later). A standby takes over
    /// at its first retry after `leaseDuration` passed on its own clock since it saw the
    /// lease change — whatever the record's timestamps say (here: 1970).
    @Test(arguments: [(nil as Int?, 16), (10, 28)])
    func aStandbyTakesOverOnlyAfterTheLeaseExpiresOnItsClock(lastRenewal: Int?, takeover: Int) async {
        let ancient = Date(timeIntervalSince1970: 0)
        let server = LeaseServer(seed: LeaseRecord(holderIdentity: "x", leaseDurationSeconds: 15, acquireTime: ancient, renewTime: ancient, leaseTransitions: 4))
        let b = elector("b", server)
        var events = b.events.makeAsyncIterator()
        let run = Task { await b.run() }
        #expect(await events.next() == .newLeader("x"))
        await waitForRetry()

        var elapsed = 0
        while !(await b.isLeader) {
            if elapsed == lastRenewal { await server.renew(by: "x", at: clock.now()) }
            #expect(elapsed < takeover, "took over too late")
            clock.advance(by: .seconds(2))
            elapsed += 2
            await waitForRetry()
        }
        #expect(elapsed == takeover)
        #expect(await events.next() == .newLeader("b"))
        #expect(await events.next() == .startedLeading)
        let record = await server.lease?.record
        #expect(record?.holderIdentity == "b")
        #expect(record?.leaseTransitions == 5)
        #expect(record?.acquireTime == t0 + .seconds(takeover))
        run.cancel()
        await run.value
    }

    @Test func losingTheLeaseAtTheRenewDeadlineStopsLeadingAtOnce() async {
        let server = LeaseServer()
        let log = EventLog()
        let idle = ManualClock()
        let a = elector("a", server) {
            await log.append("leading")
            try? await idle.sleep(for: .seconds(3600))
            await log.append("leading cancelled=\(Task.isCancelled)")
        }
        var events = a.events.makeAsyncIterator()
        let run = Task { await a.run() }
        #expect(await events.next() == .newLeader("a"))
        #expect(await events.next() == .startedLeading)
        #expect(await log.next() == ["leading"])
        await waitForRetry()

        await server.partition("a")
        clock.advance(by: .seconds(2))  // renewing starts failing; the deadline is 10 s away
        for t in stride(from: 2, to: 12, by: 2) {
            await clock.waitForSleepers { $0 == [.seconds(2), .seconds(12 - t)] }
            #expect(await a.isLeader, "still leading at \(t) s")
            clock.advance(by: .seconds(2))
        }
        #expect(await events.next() == .stoppedLeading)
        #expect(await log.next() == ["leading cancelled=true"])
        await run.value
        #expect(await !a.isLeader)
        #expect(await events.next() == nil)
    }

    @Test func cancellingTheLeaderReleasesTheLeaseForAQuickSuccessor() async {
        let server = LeaseServer()
        let leader = await startLeading("a", server)
        var events = leader.events
        let run = leader.run
        await waitForRetry()

        run.cancel()
        await run.value
        #expect(await events.next() == .stoppedLeading)
        #expect(await events.next() == nil)
        let released = await server.lease?.record
        #expect(released?.holderIdentity == "")
        #expect(released?.leaseDurationSeconds == 1)
        #expect(released?.leaseTransitions == 0)

        // A successor does not wait for the old lease to expire.
        let (_, bRun) = await startLeading("b", server)
        #expect(await server.lease?.record.leaseTransitions == 1)
        bRun.cancel()
        await bRun.value
    }

    /// A renewal the server applied but whose answer was lost leaves the leader with a stale
    /// resourceVersion; releasing still works because it reads the lease afresh.
    @Test func aRenewalWhoseAnswerWasLostDoesNotStopTheRelease() async {
        let server = LeaseServer()
        let leader = await startLeading("a", server)
        var events = leader.events
        let run = leader.run
        await waitForRetry()

        await server.loseAnswerToNextUpdate()
        clock.advance(by: .seconds(2))  // the renewal lands on the server, its answer is lost
        await clock.waitForSleepers { $0 == [.seconds(2), .seconds(10)] }
        #expect(await server.lease?.record.renewTime == t0 + .seconds(2))

        run.cancel()
        await run.value
        #expect(await events.next() == .stoppedLeading)
        let released = await server.lease?.record
        #expect(released?.holderIdentity == "")
        #expect(released?.leaseDurationSeconds == 1)
    }

    @Test func withoutReleaseOnCancelTheLeaseIsLeftToExpire() async {
        let server = LeaseServer()
        let (_, run) = await startLeading("a", server, release: false)
        run.cancel()
        await run.value
        #expect(await server.lease?.record.holderIdentity == "a")
    }
}
