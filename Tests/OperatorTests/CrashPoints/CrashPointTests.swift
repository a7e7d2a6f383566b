import Foundation
import KubeAPI
import KubeClient
import KubeTesting
import LocalCluster
import SlipwayAPI
import SlipwayControllers
import SlipwayDevTesting
import Testing

/// Faults as tests, Sieve-style (OSDI '22), in-process: each scenario runs once without
/// faults on a fresh `slipway dev`, counting the operator's API writes and watch events and
/// recording its end state. Then, for the chosen crash points k, the operator dies right
/// after its k-th write (it never sees the answer) and a fresh one starts on the same
/// server; separately the k-th watch event is lost, and the caches lag by a few events.
/// Every run must end as the fault-free one did (`EndState`: statuses — phase, conditions,
/// attempts, history — and one pod per attempt, modulo uids and times), and the invariants
/// of `InvariantSampler` must hold at every change it watched.
///
/// Which points run: `SLIPWAY_CRASH_POINTS` = `sample` (default: of every third point, from
/// an offset the seed picks, `SLIPWAY_CRASH_MAX` (3) per scenario picked by the seed —
/// `SLIPWAY_CRASH_SEED`, else the day), `all`, or a list (`3,7`); lost events likewise with
/// `SLIPWAY_DROP_POINTS` (default: 1 per scenario); `none` runs none. `SLIPWAY_CRASH_SCENARIOS` (`pipeline,queue-admission`)
/// picks scenarios. `scripts/crash-points.sh` runs them all and prints the counts.
@Suite("Crash points: the operator crashed after every write, lost events, stale caches", .serialized)
struct CrashPointTests {
    struct Run {
        var end: EndState?
        var writes = 0
        var watchEvents = 0
        var crashed = false
        var violations: [String] = []
        var finished = false
    }

    static let timeout: Duration = .seconds(180)

    /// Runs `scenario` once on a fresh cluster with `fault` injected into the operator.
    static func run(_ scenario: CrashScenario, _ fault: Fault) async throws -> Run {
        var run = Run()
        try await withDevCluster(configure: { $0.bookmarkInterval = .seconds(1) }) { cluster, kubectl in
            let client = KubernetesClient(configuration: cluster.clientConfiguration(userAgent: "crash-points"))
            let faults = FaultInterceptor(fault)
            var embedded = try await EmbeddedOperatorHarness.start(cluster, interceptor: faults)
            // After the operator installed the CRDs the sampler watches.
            let sampler = InvariantSampler(client: client, queueLimit: scenario.queueLimit)
            await sampler.start()
            var restarted = false
            do {
                try await kubectl.require(["apply", "-f", "-"], input: scenario.manifests)
                run.finished = try await eventually(timeout: timeout, interval: .milliseconds(200)) {
                    if !restarted, faults.crashed {
                        // The dead operator is stopped; a fresh one (no faults) starts on the same server.
                        await embedded.stop()
                        embedded = try await EmbeddedOperatorHarness.start(cluster)
                        restarted = true
                    }
                    return try await EndState.finished(scenario, client: client)
                }
                run.end = try await EndState.settled(scenario, client: client)
            } catch {
                await embedded.stop()
                await sampler.stop()
                try? await client.shutdown()
                throw error
            }
            await embedded.stop()
            await sampler.stop()
            try? await client.shutdown()
            let counts = faults.counts.withLock { $0 }
            run.writes = counts.writes
            run.watchEvents = counts.watchEvents
            run.crashed = counts.crashed
            run.violations = sampler.violations
        }
        return run
    }

    /// The seed of the sample: `SLIPWAY_CRASH_SEED`, else the day (CI covers other points
    /// each day; the report prints the seed to run a sample again).
    static let seed: UInt64 = UInt64(ProcessInfo.processInfo.environment["SLIPWAY_CRASH_SEED"] ?? "")
        ?? UInt64(Date().timeIntervalSince1970 / 86_400)

    /// The points of `count` to run, as `variable` asks.
    static func points(_ count: Int, variable: String, sample defaultSample: Int) -> [Int] {
        let environment = ProcessInfo.processInfo.environment
        guard count > 0 else { return [] }
        switch environment[variable] ?? "sample" {
        case "all":
            return Array(1...count)
        case "sample":
            // Every third point from an offset the seed picks, then at most `most` of them, picked by the seed.
            let most = Int(environment["SLIPWAY_CRASH_MAX"] ?? "") ?? defaultSample
            let every = Array(stride(from: 1 + Int(seed % 3), through: count, by: 3))
            let shuffled = every.sorted { (UInt64($0) &* 0x9E37_79B9_7F4A_7C15 ^ seed) < (UInt64($1) &* 0x9E37_79B9_7F4A_7C15 ^ seed) }
            return Array(shuffled.prefix(most)).sorted()
        case let list:
            return list.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }.filter { (1...count).contains($0) }
        }
    }

    /// One line per scenario for scripts/crash-points.sh.
    static func report(_ scenario: CrashScenario, _ what: String, points: Int, ran: Int, failed: [String]) {
        print("CRASHPOINTS scenario=\(scenario.name) kind=\(what) points=\(points) ran=\(ran) failed=\(failed.count)"
            + (failed.isEmpty ? "" : " at=\(failed.joined(separator: ","))"))
    }

    /// Checks one faulty run against the reference; returns whether it matched.
    static func check(_ run: Run, against reference: EndState, _ scenario: CrashScenario, _ fault: Fault) -> Bool {
        #expect(run.finished, "\(scenario.name), \(fault): the jobs did not finish within \(timeout)\n\(run.end?.description ?? "")")
        #expect(run.violations.isEmpty, "\(scenario.name), \(fault): invariants broken:\n\(run.violations.joined(separator: "\n"))")
        let same = run.end == reference
        #expect(same, "\(scenario.name), \(fault): the end state differs from the fault-free run's:\n\(run.end.map(reference.diff) ?? "none")")
        return run.finished && run.violations.isEmpty && same
    }

    @Test(arguments: CrashScenario.all)
    func everyFaultEndsAsTheFaultFreeRun(_ scenario: CrashScenario) async throws {
        if let only = ProcessInfo.processInfo.environment["SLIPWAY_CRASH_SCENARIOS"], !only.split(separator: ",").contains(Substring(scenario.name)) {
            return
        }
        let reference = try await Self.run(scenario, .none)
        #expect(reference.finished, "\(scenario.name): the fault-free run did not finish\n\(reference.end?.description ?? "")")
        #expect(reference.violations.isEmpty, "\(scenario.name): invariants broken without faults:\n\(reference.violations.joined(separator: "\n"))")
        guard let expected = reference.end, reference.finished else { return }
        print("CRASHPOINTS scenario=\(scenario.name) reference writes=\(reference.writes) watchEvents=\(reference.watchEvents) seed=\(Self.seed)\n\(expected)")

        let crashPoints = Self.points(reference.writes, variable: "SLIPWAY_CRASH_POINTS", sample: 3)
        try await Self.runAll(scenario, "crash-after-write", points: reference.writes, faults: crashPoints.map(Fault.crashAfterWrite), expected)
        let dropPoints = Self.points(reference.watchEvents, variable: "SLIPWAY_DROP_POINTS", sample: 1)
        try await Self.runAll(scenario, "drop-watch-event", points: reference.watchEvents, faults: dropPoints.map(Fault.dropWatchEvent), expected)
        try await Self.runAll(scenario, "stale-cache", points: 1, faults: [.staleCache(events: 2)], expected)
    }

    /// Runs `scenario` once per fault, checks each run, and reports the count.
    static func runAll(_ scenario: CrashScenario, _ kind: String, points: Int, faults: [Fault], _ expected: EndState) async throws {
        var failed: [String] = []
        for fault in faults {
            let run = try await run(scenario, fault)
            if !check(run, against: expected, scenario, fault) { failed.append(fault.point) }
        }
        report(scenario, kind, points: points, ran: faults.count, failed: failed)
    }
}

