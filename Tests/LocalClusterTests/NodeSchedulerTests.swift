import Foundation
import KubeAPI
import Testing

@testable import LocalCluster

private func node(_ config: NodeConfiguration, unschedulable: Bool = false) -> Node {
    var node = Node(object: NodeObject.make(config, now: t0))
    if unschedulable { node.spec.unschedulable = true }
    return node
}

private func pod(memory: String? = nil, cpu: String? = nil, spec: String = "") -> Pod {
    var resources: [String] = []
    if let memory { resources.append(#""memory":"\#(memory)""#) }
    if let cpu { resources.append(#""cpu":"\#(cpu)""#) }
    return Pod(object: obj(#"""
    {"metadata":{"name":"p","namespace":"demo"},"spec":{\#(spec)"containers":[{"name":"c","image":"x","resources":{"requests":{\#(resources.joined(separator: ","))}}}]}}
    """#))
}

private let spot = NodeConfiguration(name: "spot-1", cpu: Quantity(4), memory: Quantity(bytes: 8 << 30),
                                     labels: [NodeConfiguration.capacityTypeLabel: "spot", NodeConfiguration.zoneLabel: "a"])
private let onDemand = NodeConfiguration(name: "od-1", cpu: Quantity(2), memory: Quantity(bytes: 4 << 30),
                                         labels: [NodeConfiguration.capacityTypeLabel: "on-demand", NodeConfiguration.zoneLabel: "b", "rank": "5"])
private let tainted = NodeConfiguration(name: "gpu-1", labels: ["rank": "10"], taints: [Taint(key: "gpu", value: "true", effect: .noSchedule)])

@Suite struct NodeSchedulerTests {
    @Test func bindsToTheLeastAllocatedFittingNode() {
        #expect(Scheduler.schedule(pod(memory: "1Gi"), nodes: [node(spot), node(onDemand)], podsOnNodes: [:]) == .bind("spot-1"))
    }

    @Test func countsRequestsOfRunningPodsButNotFinishedOnes() {
        var running = pod(memory: "7Gi")
        running.status.phase = .running
        var done = pod(memory: "7Gi")
        done.status.phase = .succeeded
        let nodes = [node(spot)]
        #expect(Scheduler.schedule(pod(memory: "2Gi"), nodes: nodes, podsOnNodes: ["spot-1": [done]]) == .bind("spot-1"))
        let message = "0/1 nodes are available: 1 Insufficient memory. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod."
        #expect(Scheduler.schedule(pod(memory: "2Gi"), nodes: nodes, podsOnNodes: ["spot-1": [running]]) == .unschedulable(message))
    }

    @Test func realSchedulerMessageOverThreeNodes() {
        let selector = #""nodeSelector":{"karpenter.sh/capacity-type":"spot"},"#
        let decision = Scheduler.schedule(pod(memory: "10Gi", spec: selector), nodes: [node(spot), node(onDemand), node(tainted)], podsOnNodes: [:])
        #expect(decision == .unschedulable(
            "0/3 nodes are available: 1 Insufficient memory, 1 node(s) didn't match Pod's node affinity/selector, 1 node(s) had untolerated taint {gpu: true}. "
                + "preemption: 0/3 nodes are available: 1 No preemption victims found for incoming pod, 2 Preemption is not helpful for scheduling."))
    }

    @Test(arguments: [
        (#"{"key":"karpenter.sh/capacity-type","operator":"In","values":["on-demand"]}"#, "od-1"),
        (#"{"key":"karpenter.sh/capacity-type","operator":"NotIn","values":["on-demand"]}"#, "spot-1"),
        (#"{"key":"rank","operator":"Exists"}"#, "od-1"),
        (#"{"key":"rank","operator":"DoesNotExist"}"#, "spot-1"),
        (#"{"key":"rank","operator":"Gt","values":["3"]}"#, "od-1"),
        (#"{"key":"rank","operator":"Lt","values":["3"]}"#, nil),
    ])
    func requiredNodeAffinity(expression: String, expected: String?) {
        let spec = #""affinity":{"nodeAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":{"nodeSelectorTerms":[{"matchExpressions":[\#(expression)]}]}}},"#
        let decision = Scheduler.schedule(pod(spec: spec), nodes: [node(spot), node(onDemand)], podsOnNodes: [:])
        if let expected {
            #expect(decision == .bind(expected))
        } else {
            #expect(decision == .unschedulable("0/2 nodes are available: 2 node(s) didn't match Pod's node affinity/selector. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling."))
        }
    }

    @Test func tolerationsAndCordonedNodes() {
        let tolerating = #""tolerations":[{"key":"gpu","operator":"Exists","effect":"NoSchedule"}],"#
        #expect(Scheduler.schedule(pod(spec: tolerating), nodes: [node(tainted)], podsOnNodes: [:]) == .bind("gpu-1"))
        #expect(Scheduler.schedule(pod(), nodes: [node(spot, unschedulable: true)], podsOnNodes: [:]) == .unschedulable(
            "0/1 nodes are available: 1 node(s) were unschedulable. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling."))
        #expect(Scheduler.schedule(pod(), nodes: [], podsOnNodes: [:]) == .unschedulable("no nodes available to schedule pods"))
    }

    /// Issue 13: a pod requesting `1e400` (valid; a real API server stores it) pended, and the next
    /// pod scheduled beside it trapped on `used + request` ("arithmetic overflow" in fit).
    @Test func quantitiesBeyondInt64NeverTrap() {
        let huge = pod(memory: "1e400", cpu: "1e400")
        #expect(Scheduler.schedule(huge, nodes: [node(onDemand)], podsOnNodes: [:]) == .unschedulable("0/1 nodes are available: 1 Insufficient cpu, 1 Insufficient memory. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod."))
        // The huge pod counted as bound on the node (as after a restart from a stored binding):
        // a small pod beside it must be judged, not crash the process.
        let decision = Scheduler.schedule(pod(memory: "64Mi"), nodes: [node(onDemand)], podsOnNodes: ["od-1": [huge]])
        #expect(decision != .bind("od-1"))
        #expect(PodResources.requests(of: huge) + PodResources.requests(of: huge) == PodResources(milliCPU: .max, memory: .max))
    }

    @Test func insufficientCPUAndMemoryOnOneNode() {
        let decision = Scheduler.schedule(pod(memory: "5Gi", cpu: "3"), nodes: [node(onDemand)], podsOnNodes: [:])
        #expect(decision == .unschedulable("0/1 nodes are available: 1 Insufficient cpu, 1 Insufficient memory. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod."))
    }
}

@Suite struct NodeConfigurationTests {
    @Test func parsesFlags() throws {
        let nodes = try NodeConfiguration.parse(flags: "name=spot,count=2,cpu=4,memory=8Gi,capacity=spot,zone=a,labels=team:data;tier:batch,taints=dedicated=spark:NoSchedule;gpu:NoExecute")
        #expect(nodes.map(\.name) == ["spot-1", "spot-2"])
        #expect(nodes[0].cpu == Quantity(4))
        #expect(nodes[0].memory == Quantity(bytes: 8 << 30))
        #expect(nodes[0].labels == ["karpenter.sh/capacity-type": "spot", "topology.kubernetes.io/zone": "a", "team": "data", "tier": "batch"])
        #expect(nodes[0].taints == [Taint(key: "dedicated", value: "spark", effect: .noSchedule), Taint(key: "gpu", effect: .noExecute)])
        #expect(nodes[0].isSpot)
    }

    @Test func parsesJSONAndRejectsNonsense() throws {
        let json = #"{"nodes":[{"name":"od","cpu":"2","memory":"4Gi","capacity":"on-demand","labels":{"x":"y"},"taints":[{"key":"k","effect":"NoSchedule"}]}]}"#
        let nodes = try NodeConfiguration.parse(json: Data(json.utf8))
        #expect(nodes.count == 1)
        #expect(nodes[0].labels["x"] == "y")
        #expect(nodes[0].taints.first?.key == "k")
        #expect(throws: NodeConfigurationError.self) { try NodeConfiguration.parse(flags: "cpu=lots") }
        #expect(throws: NodeConfigurationError.self) { try NodeConfiguration.parse(flags: "taints=k=v:Sometimes") }
        #expect(NodeConfiguration.defaults.first?.name == "slipway-node")
    }

    @Test func nodeObjectLooksLikeAKubeletsNode() {
        let node = Node(object: NodeObject.make(spot, now: t0))
        #expect(node.status.isReady)
        #expect(node.status.allocatable["memory"] == Quantity(bytes: 8 << 30))
        #expect(node.status.addresses.first?.address == "127.0.0.1")
        #expect(node.status.nodeInfo.object["kubeletVersion"]?.stringValue == "v1.36.0-slipway")
        #expect(node.metadata.labels["kubernetes.io/hostname"] == "spot-1")
    }
}
