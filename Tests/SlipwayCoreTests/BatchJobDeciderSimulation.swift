import Testing
import Foundation
import KubeAPI
import SlipwayAPI
@testable import SlipwayCore

typealias BatchJobDecider = JobDecider<BatchJob>
typealias Decision = JobDecision<BatchJobStatus>

/// A controller and API server in miniature: feeds ``JobDecider/decide(_:)`` a BatchJob and
/// applies its decision as the reconciler would (status first, then actions), with a
/// pod cache the test changes as the kubelet would. Time moves only when the test says.
struct DeciderSimulation {
    var job: BatchJob
    var store = TestPods()
    var pods: [String: Pod] {
        get { store.pods }
        set { store.pods = newValue }
    }
    var podEvents: [String: [AttemptEvent]] = [:]
    var nodeLabels: [String: [String: String]] = [
        "node-spot": [BatchJobFixtures.capacityKey: "spot"],
        "node-od": [BatchJobFixtures.capacityKey: "on-demand"],
        "node-a": [:],
    ]
    var goneNodes: Set<String> = []
    /// The parents' states by name (of the kind the job's `dependsOn` gives them).
    var dependencies: [String: DependencyState] = [:]
    var now = BatchJobFixtures.t0
    var configuration = DeciderConfiguration()
    /// Every event the decisions asked for, in order.
    var events: [(reason: String, message: String)] = []
    var jobDeleted = false

    init(_ job: BatchJob) { self.job = job }

    var input: JobInput<BatchJob> {
        JobInput(
            job: job, pods: store.sorted,
            podEvents: podEvents, nodeLabels: nodeLabels, goneNodes: goneNodes, graph: Self.graph(job, dependencies),
            now: now, configuration: configuration)
    }

    /// The graph of `job` and its parents in `states` (parents without dependencies of their own).
    static func graph<Kind: JobKind>(_ job: Kind, _ states: [String: DependencyState]) -> JobGraph {
        var nodes = [JobReference(job): job.graphNode]
        for parent in job.graphNode.parents {
            if let state = states[parent.name] { nodes[parent] = JobGraphNode(state: state, parents: []) }
        }
        return JobGraph(nodes: nodes)
    }

    var status: BatchJobStatus { job.status }

    /// One reconcile at `now + advance`.
    @discardableResult
    mutating func step(advance seconds: TimeInterval = 0) -> Decision {
        now = now.addingTimeInterval(seconds)
        let decision = BatchJobDecider.decide(input)
        apply(decision)
        return decision
    }

    mutating func apply(_ decision: Decision) {
        if let status = decision.status { job.status = status }
        let (recorded, deleted) = store.apply(decision.actions, now: now)
        events += recorded
        jobDeleted = jobDeleted || deleted
    }

    /// Changes pod `name` as the kubelet or scheduler would, at `now`.
    mutating func kubelet(_ name: String, _ change: (inout Pod, Date) -> Void) {
        guard var pod = pods[name] else { fatalError("no pod \(name) in \(pods.keys.sorted())") }
        change(&pod, now)
        pods[name] = pod
    }

    /// Pod names, sorted.
    var podNames: [String] { pods.keys.sorted() }

    /// Names of pods created by `decision`.
    static func created(_ decision: Decision) -> [String] {
        decision.actions.compactMap { if case .create(let objects) = $0 { return objects.pod.metadata.name } else { return nil } }
    }

    static func deleted(_ decision: Decision) -> [String] {
        decision.actions.compactMap { if case .deletePod(let name, _) = $0 { return name } else { return nil } }
    }

    static func released(_ decision: Decision) -> [String] {
        decision.actions.compactMap { if case .releasePod(let name, _) = $0 { return name } else { return nil } }
    }

    func condition(_ type: String) -> Condition? { job.status.conditions.first { $0.type == type } }
}
