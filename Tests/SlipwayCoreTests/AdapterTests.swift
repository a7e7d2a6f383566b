import KubeAPI
import SlipwayAPI
import SlipwayCore
import Testing

/// `spec.adapt` from the JSON a user writes.
private func adaptation(_ json: String) -> Adaptation {
    guard let value = try? JSON.parse(json), let adapt = Adaptation(json: value) else { fatalError("bad adapt JSON: \(json)") }
    return adapt
}

private let memoryAdapt = #"{"memory": {"factor": 2, "max": "4Gi"}}"#
private let deadline = Classification(failureClass: .deadlineExceeded, reason: "DeadlineExceeded", evidence: "pod DeadlineExceeded")
private let exit52 = Classification(failureClass: .outOfMemory, exitCode: 52, reason: "Error", evidence: "exit 52")

struct AdaptCase: Sendable, CustomTestStringConvertible {
    var name: String
    var classification: Classification
    var adapt: String
    var ran: AttemptResources
    var previous: [FailureClass] = []
    var next: AttemptResources
    var changes: [String]
    var capReached: String? = nil
    var exhausted: String? = nil
    var testDescription: String { name }
}

private func resources(_ memoryRequest: Quantity?, _ memoryLimit: Quantity?, cpu: Quantity? = nil, cpuLimit: Quantity? = nil, _ capacity: Capacity = .unpinned) -> AttemptResources {
    AttemptResources(memoryRequest: memoryRequest, memoryLimit: memoryLimit, cpuRequest: cpu, cpuLimit: cpuLimit, capacity: capacity)
}

let adaptCases: [AdaptCase] = [
    AdaptCase(name: "memory doubles on OOMKilled", classification: Samples.oomKilled, adapt: memoryAdapt,
              ran: resources("512Mi", "512Mi"), next: resources("1Gi", "1Gi"), changes: ["memory 512Mi → 1Gi after OOMKilled"]),
    AdaptCase(name: "request and limit shown apart when they differ", classification: Samples.oomKilled, adapt: memoryAdapt,
              ran: resources("256Mi", "512Mi"), next: resources("512Mi", "1Gi"),
              changes: ["memory request 256Mi → 512Mi, limit 512Mi → 1Gi after OOMKilled"]),
    AdaptCase(name: "rounded up to whole MiB", classification: exit52, adapt: #"{"memory": {"factor": 1.1, "max": "8Gi"}}"#,
              ran: resources(nil, "1000Mi"), next: resources(nil, "1100Mi"), changes: ["memory 1000Mi → 1100Mi after OutOfMemory"]),
    AdaptCase(name: "fractional MiB rounds up", classification: Samples.oomKilled, adapt: #"{"memory": {"factor": 1.5, "max": "8Gi"}}"#,
              ran: resources("333Mi", nil), next: resources("500Mi", nil), changes: ["memory 333Mi → 500Mi after OOMKilled"]),
    AdaptCase(name: "capped at max, and the cap is announced", classification: Samples.oomKilled, adapt: memoryAdapt,
              ran: resources("3Gi", "3Gi"), next: resources("4Gi", "4Gi"), changes: ["memory 3Gi → 4Gi after OOMKilled"],
              capReached: "memory is at the cap 4Gi (adapt.memory.max); the next OutOfMemory fails the index"),
    AdaptCase(name: "an OOM at the cap exhausts", classification: Samples.oomKilled, adapt: memoryAdapt,
              ran: resources("4Gi", "4Gi"), next: resources("4Gi", "4Gi"), changes: [],
              exhausted: "memory is already at the cap 4Gi (adapt.memory.max); the index fails"),
    AdaptCase(name: "memory does not grow for an AppError", classification: Samples.appError1, adapt: memoryAdapt,
              ran: resources("512Mi", "512Mi"), next: resources("512Mi", "512Mi"), changes: []),
    AdaptCase(name: "no memory adaptation configured", classification: Samples.oomKilled, adapt: "{}",
              ran: resources("512Mi", "512Mi"), next: resources("512Mi", "512Mi"), changes: []),
    AdaptCase(name: "cpu grows on DeadlineExceeded", classification: deadline, adapt: #"{"memory": {"factor": 2, "max": "4Gi"}, "cpu": {"factor": 1.5, "max": "4"}}"#,
              ran: resources("512Mi", "512Mi", cpu: "500m"), next: resources("512Mi", "512Mi", cpu: "750m"),
              changes: ["cpu 500m → 750m after DeadlineExceeded"]),
    AdaptCase(name: "cpu and memory grow on OOM, cpu capped", classification: Samples.oomKilled, adapt: #"{"memory": {"factor": 2, "max": "4Gi"}, "cpu": {"factor": 2, "max": "3"}}"#,
              ran: resources("1Gi", "1Gi", cpu: "1", cpuLimit: "2"), next: resources("2Gi", "2Gi", cpu: "2", cpuLimit: "3"),
              changes: ["memory 1Gi → 2Gi after OOMKilled", "cpu request 1 → 2, limit 2 → 3 after OOMKilled"],
              capReached: "cpu is at the cap 3 (adapt.cpu.max)"),
    AdaptCase(name: "on-demand after Interrupted", classification: Samples.preempted,
              adapt: #"{"capacity": {"onDemandAfter": {"classes": ["Interrupted"]}}}"#,
              ran: resources("512Mi", "512Mi", .spot), next: resources("512Mi", "512Mi", .onDemand),
              changes: ["capacity spot → on-demand after Interrupted"]),
    AdaptCase(name: "not on-demand after another class", classification: Samples.appError1,
              adapt: #"{"capacity": {"onDemandAfter": {"classes": ["Interrupted"]}}}"#,
              ran: resources(nil, nil, .spot), next: resources(nil, nil, .spot), changes: []),
    AdaptCase(name: "on-demand after N failures", classification: Samples.appError1,
              adapt: #"{"capacity": {"onDemandAfter": {"classes": ["Interrupted"], "failures": 2}}}"#,
              ran: resources(nil, nil, .spot), previous: [.appError], next: resources(nil, nil, .onDemand),
              changes: ["capacity spot → on-demand after 2 failures"]),
    AdaptCase(name: "not yet N failures", classification: Samples.appError1,
              adapt: #"{"capacity": {"onDemandAfter": {"failures": 3}}}"#,
              ran: resources(nil, nil, .unpinned), previous: [.appError], next: resources(nil, nil, .unpinned), changes: []),
    AdaptCase(name: "stays on-demand", classification: Samples.preempted,
              adapt: #"{"capacity": {"onDemandAfter": {"classes": ["Interrupted"]}}}"#,
              ran: resources(nil, nil, .onDemand), next: resources(nil, nil, .onDemand), changes: []),
    AdaptCase(name: "memory and capacity together", classification: Samples.oomKilled,
              adapt: #"{"memory": {"factor": 2, "max": "4Gi"}, "capacity": {"onDemandAfter": {"classes": ["OutOfMemory"]}}}"#,
              ran: resources("512Mi", "512Mi", .spot), next: resources("1Gi", "1Gi", .onDemand),
              changes: ["memory 512Mi → 1Gi after OOMKilled", "capacity spot → on-demand after OutOfMemory"]),
]

@Suite("BatchJobAdapter")
struct AdapterTests {
    @Test(arguments: adaptCases)
    func adapts(_ row: AdaptCase) {
        let result = BatchJobAdapter.adapt(after: row.classification, adaptation: adaptation(row.adapt), ran: row.ran, previousFailures: row.previous)
        #expect(result.next == row.next)
        #expect(result.changes == row.changes)
        #expect(result.capReached == row.capReached)
        #expect(result.exhausted == row.exhausted)
        #expect(result.atCap == (row.exhausted != nil))
    }

    @Test func readsAndAppliesContainerResourcesAndCapacity() throws {
        let json = #"{"containers": [{"name": "init-like", "image": "busybox"}, {"name": "main", "image": "python:3.12", "resources": {"requests": {"memory": "512Mi", "cpu": "500m"}, "limits": {"memory": "512Mi"}}}], "nodeSelector": {"karpenter.sh/capacity-type": "spot", "zone": "a"}}"#
        var spec = try #require(PodSpec(json: JSON.parse(json)))
        let ran = AttemptResources.read(from: spec, container: "main")
        #expect(ran == resources("512Mi", "512Mi", cpu: "500m", .spot))
        let next = AttemptResources(memoryRequest: "1Gi", memoryLimit: "1Gi", cpuRequest: "500m", capacity: .onDemand)
        next.apply(to: &spec, container: "main")
        #expect(AttemptResources.read(from: spec, container: "main") == next)
        #expect(spec.nodeSelector == ["karpenter.sh/capacity-type": "on-demand", "zone": "a"])
        #expect(spec.containers[0].resources.requests.isEmpty)
        #expect(spec.containers[1].resources.limits["memory"]?.description == "1Gi")
    }

    @Test func customCapacityLabels() throws {
        let labels = CapacityLabels(key: "cloud.google.com/gke-spot", spot: "true", onDemand: "false")
        var spec = try #require(PodSpec(json: JSON.parse(#"{"containers": [{"name": "main"}], "nodeSelector": {"cloud.google.com/gke-spot": "true"}}"#)))
        #expect(AttemptResources.read(from: spec, labels: labels).capacity == .spot)
        AttemptResources(capacity: .onDemand).apply(to: &spec, labels: labels)
        #expect(spec.nodeSelector == ["cloud.google.com/gke-spot": "false"])
        AttemptResources(capacity: .unpinned).apply(to: &spec, labels: labels)
        #expect(spec.nodeSelector == ["cloud.google.com/gke-spot": "false"])
    }
}
