import Foundation
import KubeAPI

/// The scheduler's decision for one pod.
public enum SchedulingDecision: Sendable, Hashable {
    /// Bind the pod to this node.
    case bind(String)
    /// No node fits; the message is the one the real scheduler writes into the
    /// `PodScheduled` condition and the `FailedScheduling` event.
    case unschedulable(String)
}

/// A pure scheduler with the default scheduler's filters: NodeUnschedulable,
/// TaintToleration (NoSchedule/NoExecute), NodeAffinity (nodeSelector and required node
/// affinity) and NodeResourcesFit (cpu, memory and pod count against allocatable minus the
/// requests of the node's non-terminated pods). Among fitting nodes it picks the least
/// allocated one (ties by name), like the default `LeastAllocated` score.
public enum Scheduler {
    /// Decides where `pod` goes.
    ///
    /// - Parameters:
    ///   - nodes: every node of the cluster.
    ///   - podsOnNodes: the pods bound to each node, by node name; terminated pods are ignored.
    public static func schedule(_ pod: Pod, nodes: [Node], podsOnNodes: [String: [Pod]]) -> SchedulingDecision {
        guard !nodes.isEmpty else { return .unschedulable("no nodes available to schedule pods") }
        let request = PodResources.requests(of: pod)
        var failures: [String: Int] = [:]
        var unresolvable = 0
        var best: (name: String, score: Double)?
        for node in nodes.sorted(by: { ($0.metadata.name ?? "") < ($1.metadata.name ?? "") }) {
            let name = node.metadata.name ?? ""
            let active = (podsOnNodes[name] ?? []).filter { !($0.status.phase?.isFinished ?? false) }
            switch filter(pod, request: request, node: node, podsOnNode: active) {
            case .fits(let score):
                if best == nil || score > best!.score { best = (name, score) }
            case .fails(let reasons, let resolvable):
                for reason in reasons { failures[reason, default: 0] += 1 }
                if !resolvable { unresolvable += 1 }
            }
        }
        if let best { return .bind(best.name) }
        return .unschedulable(message(total: nodes.count, failures: failures, unresolvable: unresolvable))
    }

    /// The real scheduler's FitError text, with the preemption post-filter's explanation.
    static func message(total: Int, failures: [String: Int], unresolvable: Int) -> String {
        let reasons = failures.map { "\($0.value) \($0.key)" }.sorted()
        var preemption: [String] = []
        if unresolvable > 0 { preemption.append("\(unresolvable) Preemption is not helpful for scheduling") }
        if total - unresolvable > 0 { preemption.append("\(total - unresolvable) No preemption victims found for incoming pod") }
        return "0/\(total) nodes are available: \(reasons.joined(separator: ", ")). "
            + "preemption: 0/\(total) nodes are available: \(preemption.sorted().joined(separator: ", "))."
    }

    enum FilterResult {
        case fits(score: Double)
        /// Reasons of the first failing filter; resolvable only for resource shortage.
        case fails([String], resolvable: Bool)
    }

    /// Runs the filters in the default profile's order; the first failing one decides.
    static func filter(_ pod: Pod, request: PodResources, node: Node, podsOnNode: [Pod]) -> FilterResult {
        let tolerations = pod.spec.tolerations
        if node.spec.unschedulable == true,
           !tolerations.contains(where: { $0.tolerates(Taint(key: "node.kubernetes.io/unschedulable", effect: .noSchedule)) }) {
            return .fails(["node(s) were unschedulable"], resolvable: false)
        }
        if let taint = untoleratedTaint(node: node, tolerations: tolerations) {
            return .fails(["node(s) had untolerated taint {\(taint.key): \(taint.value ?? "")}"], resolvable: false)
        }
        if !NodeAffinity.matches(pod: pod, node: node) {
            return .fails(["node(s) didn't match Pod's node affinity/selector"], resolvable: false)
        }
        return fit(request: request, node: node, podsOnNode: podsOnNode)
    }

    /// The first NoSchedule/NoExecute taint the pod does not tolerate; a node that is not
    /// Ready counts as tainted `node.kubernetes.io/not-ready:NoSchedule`.
    static func untoleratedTaint(node: Node, tolerations: [Toleration]) -> Taint? {
        var taints = node.spec.taints
        if node.status.condition("Ready") != nil, !node.status.isReady {
            taints.append(Taint(key: "node.kubernetes.io/not-ready", effect: .noSchedule))
        }
        return taints.first { taint in
            (taint.effect == .noSchedule || taint.effect == .noExecute) && !tolerations.contains { $0.tolerates(taint) }
        }
    }

    private static func fit(request: PodResources, node: Node, podsOnNode: [Pod]) -> FilterResult {
        let allocatable = node.status.allocatable
        let used = podsOnNode.reduce(PodResources()) { $0 + PodResources.requests(of: $1) }
        let cpu = allocatable["cpu"]?.milliValue ?? 0
        let memory = allocatable["memory"]?.value ?? 0
        let maxPods = allocatable["pods"]?.value ?? 110
        var reasons: [String] = []
        if Int64(podsOnNode.count) + 1 > maxPods { reasons.append("Too many pods") }
        let wantCPU = PodResources.saturatingSum(used.milliCPU, request.milliCPU)
        let wantMemory = PodResources.saturatingSum(used.memory, request.memory)
        if request.milliCPU > 0, wantCPU > cpu { reasons.append("Insufficient cpu") }
        if request.memory > 0, wantMemory > memory { reasons.append("Insufficient memory") }
        guard reasons.isEmpty else { return .fails(reasons, resolvable: true) }
        // Fits, so 0 ≤ want ≤ allocatable unless something requested a negative amount (the API
        // server refuses those); compute in Double so that no case traps.
        let freeCPU = cpu > 0 ? (Double(cpu) - Double(wantCPU)) / Double(cpu) : 0
        let freeMemory = memory > 0 ? (Double(memory) - Double(wantMemory)) / Double(memory) : 0
        return .fits(score: (freeCPU + freeMemory) / 2)
    }
}

/// The cpu and memory a pod requests: the sum over its containers, or the largest init
/// container when that is more. A container with a limit but no request requests its limit.
public struct PodResources: Sendable, Hashable {
    public var milliCPU: Int64 = 0
    public var memory: Int64 = 0

    public init(milliCPU: Int64 = 0, memory: Int64 = 0) {
        self.milliCPU = milliCPU
        self.memory = memory
    }

    /// Saturating: quantities as large as `1e400` are valid (a real API server stores them;
    /// `Quantity.value` saturates at `Int64.max`), and adding one must never trap.
    static func + (l: PodResources, r: PodResources) -> PodResources {
        PodResources(milliCPU: saturatingSum(l.milliCPU, r.milliCPU), memory: saturatingSum(l.memory, r.memory))
    }

    static func saturatingSum(_ a: Int64, _ b: Int64) -> Int64 {
        let (sum, overflow) = a.addingReportingOverflow(b)
        return overflow ? (b < 0 ? .min : .max) : sum
    }

    /// The effective requests of `pod`.
    public static func requests(of pod: Pod) -> PodResources {
        func of(_ container: Container) -> PodResources {
            let resources = container.resources
            return PodResources(
                milliCPU: (resources.requests["cpu"] ?? resources.limits["cpu"])?.milliValue ?? 0,
                memory: (resources.requests["memory"] ?? resources.limits["memory"])?.value ?? 0)
        }
        let sum = pod.spec.containers.map(of).reduce(PodResources(), +)
        let initMax = pod.spec.initContainers.map(of).reduce(PodResources()) {
            PodResources(milliCPU: max($0.milliCPU, $1.milliCPU), memory: max($0.memory, $1.memory))
        }
        return PodResources(milliCPU: max(sum.milliCPU, initMax.milliCPU), memory: max(sum.memory, initMax.memory))
    }
}
