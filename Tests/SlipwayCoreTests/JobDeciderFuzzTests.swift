import Foundation
import KubeAPI
import SlipwayAPI
import Testing
@testable import SlipwayCore

/// The generic decider driven by random events — the pods' kubelet transitions, clock steps,
/// suspends and resumes, specs turned invalid and fixed, pods deleted by someone else,
/// creates the API server refuses for good —
/// with invariants checked after every decision, in the style of async-http-client's
/// `StateFuzzTests`. Each seed is a reproducible run (`SLIPWAY_FUZZ_SEEDS=N` runs N seeds
/// per kind instead of the sample CI runs).
@Suite("JobDecider state fuzzing")
struct JobDeciderFuzzTests {
    static let seeds: [UInt64] = Array(0..<UInt64(ProcessInfo.processInfo.environment["SLIPWAY_FUZZ_SEEDS"].flatMap(Int.init) ?? 24))
    static let steps = 160

    @Test(arguments: seeds)
    func batchJobsKeepTheirInvariants(seed: UInt64) throws {
        var rng = SplitMix64(seed: seed)
        let size = Int.random(in: 1...4, using: &rng)
        let job = BatchJobFixtures.job(arraySize: size) { spec in
            spec.parallelism = Int.random(in: 1...size, using: &rng)
            spec.retryStrategy.attempts = Int.random(in: 1...3, using: &rng)
            spec.retryStrategy.backoff.initialSeconds = Int.random(in: 0...20, using: &rng)
            spec.timeouts.startSeconds = Bool.random(using: &rng) ? 60 : nil
            var memory = ResourceAdaptation()
            memory.factor = 2
            memory.max = "2Gi"
            spec.adapt.memory = memory
        }
        var world = FuzzWorld(job: job, rng: rng)
        try world.run(steps: Self.steps) { job, invalid in
            job.spec.retryStrategy.rules = invalid ? [RetryRule(action: .retry, exitCodes: ["5-3"])] : []
        } suspend: { job, suspended in
            job.spec.suspend = suspended
        }
    }

    @Test(arguments: seeds)
    func sparkJobsKeepTheirInvariants(seed: UInt64) throws {
        var rng = SplitMix64(seed: seed &+ 1_000)
        var job = SparkSimulation(SparkJobDeciderTests.adaptive).job
        job.spec.retryStrategy.attempts = Int.random(in: 1...3, using: &rng)
        job.spec.retryStrategy.backoff.initialSeconds = Int.random(in: 0...20, using: &rng)
        var world = FuzzWorld(job: job, rng: rng)
        world.configuration.sparkMaster = "k8s://https://127.0.0.1:6443"
        try world.run(steps: Self.steps) { job, invalid in
            job.spec.dynamicAllocation = invalid ? SparkDynamicAllocationSpec(object: ["enabled": true, "minExecutors": 2, "maxExecutors": 1]) : nil
        } suspend: { job, suspended in
            job.spec.suspend = suspended
        }
    }
}

/// A job, its pods as the API server and kubelet would keep them, and a clock: decisions
/// are applied as the controller applies them (status first, then actions), random events
/// change the pods and the spec in between.
struct FuzzWorld<Kind: JobKind> {
    var job: Kind
    var rng: SplitMix64
    var store = TestPods()
    var pods: [String: Pod] {
        get { store.pods }
        set { store.pods = newValue }
    }
    var now = BatchJobFixtures.t0
    var configuration = DeciderConfiguration()
    var nodeLabels: [String: [String: String]] = [
        "node-a": [:], "od-1": ["karpenter.sh/capacity-type": "on-demand"], "spot-1": ["karpenter.sh/capacity-type": "spot"],
    ]

    /// Pods whose create the server refused for good, with its answer; the next decision's
    /// first create is refused when `refuseNext` is set.
    var refused: [String: String] = [:]
    var refuseNext = false

    init(job: Kind, rng: SplitMix64) {
        self.job = job
        self.rng = rng
    }

    var input: JobInput<Kind> {
        JobInput(
            job: job, pods: store.sorted, nodeLabels: nodeLabels,
            graph: JobGraph(nodes: [JobReference(job): job.graphNode]), now: now, configuration: configuration,
            creations: CreationRecord(failed: Set(refused.keys), refused: refused))
    }

    /// `steps` rounds of one random event and one decision, checking the invariants after each.
    mutating func run(
        steps: Int, invalidate: (inout Kind, Bool) -> Void, suspend: (inout Kind, Bool) -> Void
    ) throws {
        var invariants = Invariants<Kind>()
        var invalid = false
        var suspended = false
        for step in 0..<steps {
            switch Int.random(in: 0..<100, using: &rng) {
            case 0..<45: kubelet()
            case 45..<70: now = now.addingTimeInterval(TimeInterval(Int.random(in: 0...90, using: &rng)))
            case 70..<78:
                suspended.toggle()
                suspend(&job, suspended)
            case 78..<83:
                invalid.toggle()
                invalidate(&job, invalid)
                job.metadata.generation = (job.metadata.generation ?? 1) + 1
            case 83..<90: deleteSomePod()
            case 90..<93: refuseNext = true
            default: break
            }
            let input = self.input
            let decision = JobDecider<Kind>.decide(input)
            try #require(decision == JobDecider<Kind>.decide(input), "step \(step): the same input decided twice differently")
            try invariants.check(decision, input: input, step: step)
            let creates = decision.actions.compactMap { if case .create(let objects) = $0 { objects.pod.metadata.name } else { nil } }
            #expect(!creates.contains { refused[$0] != nil }, "step \(step): a refused create \(creates) was requested again")
            apply(decision)
        }
    }

    mutating func apply(_ decision: JobDecision<Kind.Status>) {
        if let status = decision.status { job.status = status }
        var actions = decision.actions
        if refuseNext, let i = actions.firstIndex(where: { if case .create = $0 { true } else { false } }),
           case .create(let objects) = actions[i], let name = objects.pod.metadata.name {
            // The executor stops at the refused create: nothing after it is performed.
            refused[name] = #"422 Invalid: Pod "\#(name)" is invalid: spec.containers[1].name: Duplicate value: "main""#
            actions = Array(actions[..<i])
            refuseNext = false
        }
        _ = store.apply(actions, now: now)
    }

    /// Someone deletes a pod (the finalizer keeps an unrecorded one until it is released).
    mutating func deleteSomePod() {
        let names = pods.keys.sorted()
        guard let name = names.randomElement(using: &rng) else { return }
        let time = now
        store.pods[name]?.metadata.deletionTimestamp = time
        store.dropIfGone(name)
    }

    /// The kubelet, scheduler or a Spark driver moves one pod on.
    mutating func kubelet() {
        let names = pods.filter { !($0.value.status.phase?.isFinished ?? false) }.keys.sorted()
        guard let name = names.randomElement(using: &rng), var pod = store.pods[name] else { return }
        let node = ["node-a", "od-1", "spot-1"].randomElement(using: &rng)!
        if pod.status.phase == .running {
            switch Int.random(in: 0..<5, using: &rng) {
            case 0: BatchJobFixtures.succeeded(&pod, at: now)
            case 1: BatchJobFixtures.failed(&pod, exitCode: Int32.random(in: 1...3, using: &rng), at: now)
            case 2: BatchJobFixtures.oomKilled(&pod, at: now)
            case 3: BatchJobFixtures.disrupted(&pod, at: now)
            default: startExecutors(of: pod)
            }
        } else {
            switch Int.random(in: 0..<4, using: &rng) {
            case 0: BatchJobFixtures.imagePullFailing(&pod, at: now)
            case 1: BatchJobFixtures.unschedulable(&pod, at: now)
            default: BatchJobFixtures.running(&pod, node: node, at: now)
            }
        }
        pods[name] = pod
    }

    /// A running Spark driver creates its executors, owned by it, as Spark's driver does.
    mutating func startExecutors(of driver: Pod) {
        guard driver.metadata.labels[SparkLabels.role] == SparkRole.driver.rawValue, let app = driver.metadata.labels[SparkLabels.appSelector],
              let driverName = driver.metadata.name, let uid = driver.metadata.uid else { return }
        for id in 1...2 {
            let name = "\(driverName)-exec-\(id)"
            guard pods[name] == nil else { continue }
            var pod = Pod(name: name, namespace: driver.metadata.namespace)
            pod.metadata.uid = "exec-uid-\(name)"
            pod.metadata.creationTimestamp = now
            pod.metadata.labels = [SparkLabels.appSelector: app, SparkLabels.role: SparkRole.executor.rawValue]
            pod.metadata.ownerReferences = [OwnerReference(apiVersion: "v1", kind: "Pod", name: driverName, uid: uid, controller: true)]
            pod.spec.containers = [Container(name: SparkLabels.executorContainer, image: "apache/spark:4.0.5")]
            pod.status.phase = .pending
            pods[name] = pod
        }
    }
}

/// What must hold after every decision, whatever happened before.
struct Invariants<Kind: JobKind> {
    var attempts: [Int: Int] = [:]
    var done: Set<Int> = []
    var created = 0
    var finished = false

    mutating func check(_ decision: JobDecision<Kind.Status>, input: JobInput<Kind>, step: Int) throws {
        let status = try #require(decision.status)
        let settings = input.job.settings(input.configuration)
        let units = Kind.units(of: status, size: settings.units)
        for unit in 0..<settings.units {
            if done.contains(unit) { #expect(units.isDone(unit), "step \(step): unit \(unit) was done and is not any more") }
            guard !units.isDone(unit) else {
                done.insert(unit)
                continue
            }
            let attempt = units.attempt(unit)
            #expect(attempt >= attempts[unit, default: 0], "step \(step): unit \(unit) went back from attempt \(attempts[unit, default: 0]) to \(attempt)")
            attempts[unit] = attempt
            #expect(units.state(unit).countedFailures <= settings.attempts, "step \(step): unit \(unit) counted more failures than allowed")
        }
        #expect(status.attempts >= created, "step \(step): status.attempts went back")
        created = status.attempts
        let creates = decision.actions.compactMap { if case .create(let objects) = $0 { objects.pod.metadata.name } else { nil } }
        if !creates.isEmpty {
            #expect(!settings.suspend, "step \(step): \(creates) created for a suspended job")
            #expect(!status.conditions.isTrue(.invalid), "step \(step): \(creates) created for an invalid job")
            #expect(!finished, "step \(step): \(creates) created for a finished job")
        }
        let isFinished = status.conditions.isTrue(.succeeded) || status.conditions.isTrue(.failed)
        #expect(!finished || isFinished, "step \(step): a finished job came back to life")
        finished = finished || isFinished
        let limits = Kind.historyLimits(input.configuration)
        #expect(status.history.count <= limits.total, "step \(step): history has \(status.history.count) records")
        if let perUnit = limits.perUnit {
            for unit in Set(status.history.map(\.unit)) {
                #expect(status.history.filter { $0.unit == unit }.count <= perUnit, "step \(step): unit \(unit) has too many records")
            }
        }
        // Live pods (not finished, not being deleted) after this decision's deletes: at most one per unit.
        let deleted = Set(decision.actions.compactMap { if case .deletePod(let name, _) = $0 { name } else { nil } })
        var live: [Int: [String]] = [:]
        for attempt in Kind.attempts(in: input) where !(attempt.pod.status.phase?.isFinished ?? false)
            && !attempt.pod.metadata.isBeingDeleted && !deleted.contains(attempt.name) {
            live[attempt.unit, default: []].append(attempt.name)
        }
        for name in creates {
            let unit = Kind.attempts(in: JobInput(job: input.job, pods: input.pods + [pod(named: name, in: decision)], now: input.now))
                .first { $0.name == name }?.unit ?? -1
            live[unit, default: []].append(name)
        }
        for (unit, names) in live { #expect(Set(names).count <= 1, "step \(step): unit \(unit) has live pods \(names)") }
    }

    func pod(named name: String, in decision: JobDecision<Kind.Status>) -> Pod {
        for case .create(let objects) in decision.actions where objects.pod.metadata.name == name {
            var pod = objects.pod
            pod.metadata.uid = "new"
            return pod
        }
        return Pod()
    }
}

/// A small, fast, seedable generator (SplitMix64), so every fuzz run can be replayed.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
