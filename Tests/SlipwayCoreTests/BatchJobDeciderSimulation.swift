import Testing
import Foundation
import KubeAPI
import SlipwayAPI
@testable import SlipwayCore

/// A controller and API server in miniature: feeds ``BatchJobDecider/decide(_:)`` and
/// applies its decision as the reconciler would (status first, then actions), with a
/// pod cache the test changes as the kubelet would. Time moves only when the test says.
struct DeciderSimulation {
    var job: BatchJob
    var pods: [String: Pod] = [:]
    var podEvents: [String: [AttemptEvent]] = [:]
    var nodeLabels: [String: [String: String]] = [
        "node-spot": [BatchJobFixtures.capacityKey: "spot"],
        "node-od": [BatchJobFixtures.capacityKey: "on-demand"],
        "node-a": [:],
    ]
    var goneNodes: Set<String> = []
    var dependencies: [String: DependencyState] = [:]
    var validationErrors: [String] = []
    var now = BatchJobFixtures.t0
    var configuration = DeciderConfiguration()
    /// Every event the decisions asked for, in order.
    var events: [(reason: String, message: String)] = []
    var jobDeleted = false
    private var nextUID = 0

    init(_ job: BatchJob) { self.job = job }

    var input: DecisionInput {
        DecisionInput(
            job: job, pods: pods.values.sorted { ($0.metadata.name ?? "") < ($1.metadata.name ?? "") },
            podEvents: podEvents, nodeLabels: nodeLabels, goneNodes: goneNodes, dependencies: dependencies,
            validationErrors: validationErrors, now: now, configuration: configuration)
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
        for action in decision.actions {
            switch action {
            case .createPod(var pod):
                guard let name = pod.metadata.name, pods[name] == nil else { continue }
                nextUID += 1
                pod.metadata.uid = "pod-uid-\(nextUID)"
                pod.metadata.creationTimestamp = now
                pod.status.phase = .pending
                pods[name] = pod
            case .deletePod(let name, _):
                pods[name]?.metadata.deletionTimestamp = now
                dropIfGone(name)
            case .releasePod(let name, _):
                pods[name]?.metadata.finalizers.removeAll { $0 == SlipwayLabels.recordFinalizer }
                dropIfGone(name)
            case .event(_, let reason, let message):
                events.append((reason, message))
            case .deleteJob:
                jobDeleted = true
            case .submitSpark:
                Issue.record("a BatchJob decision submitted a Spark driver")
            }
        }
    }

    /// A deleted pod without finalizers leaves the store.
    private mutating func dropIfGone(_ name: String) {
        guard let pod = pods[name], pod.metadata.isBeingDeleted, pod.metadata.finalizers.isEmpty else { return }
        pods[name] = nil
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
        decision.actions.compactMap { if case .createPod(let pod) = $0 { return pod.metadata.name } else { return nil } }
    }

    static func deleted(_ decision: Decision) -> [String] {
        decision.actions.compactMap { if case .deletePod(let name, _) = $0 { return name } else { return nil } }
    }

    static func released(_ decision: Decision) -> [String] {
        decision.actions.compactMap { if case .releasePod(let name, _) = $0 { return name } else { return nil } }
    }

    func condition(_ type: String) -> Condition? { job.status.conditions.first { $0.type == type } }
}
