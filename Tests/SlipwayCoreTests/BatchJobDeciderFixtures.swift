import Foundation
import KubeAPI
import SlipwayAPI
@testable import SlipwayCore

/// Jobs, and pods in the shapes the local kubelet and scheduler report
/// (Sources/LocalCluster/Node: Kubelet+Container, Kubelet+Termination, SchedulerLoop).
enum BatchJobFixtures {
    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)
    static let capacityKey = "karpenter.sh/capacity-type"

    /// `etl` in `data`: one container `main` running python with 512Mi.
    static func job(
        name: String = "etl", arraySize: Int = 1, memory: String? = "512Mi", _ change: (inout BatchJobSpec) -> Void = { _ in }
    ) -> BatchJob {
        var job = BatchJob(name: name, namespace: "data")
        job.metadata.uid = "uid-\(name)"
        job.metadata.generation = 1
        var container = Container(name: "main", image: "python:3.12")
        container.command = ["python3", "-c", "print(1)"]
        if let memory {
            let q = try! Quantity(memory)
            container.resources = ResourceRequirements(requests: ["memory": q, "cpu": Quantity(milli: 500)], limits: ["memory": q])
        }
        var spec = BatchJobSpec()
        spec.template.spec.containers = [container]
        spec.arraySize = arraySize
        change(&spec)
        job.spec = spec
        return job
    }

    // MARK: - Pod shapes

    static func scheduled(_ pod: inout Pod, node: String, at time: Date) {
        pod.spec.nodeName = node
        pod.status.phase = .pending
        setCondition(&pod, "PodScheduled", .true, at: time)
    }

    static func running(_ pod: inout Pod, node: String = "node-a", at time: Date) {
        scheduled(&pod, node: node, at: time)
        pod.status.phase = .running
        pod.status.startTime = time
        pod.status.containerStatuses = [containerStatus(pod, ["running": ContainerStateRunning(startedAt: time).json])]
    }

    /// Phase Succeeded, main terminated Completed exit 0.
    static func succeeded(_ pod: inout Pod, at time: Date) {
        terminate(&pod, phase: .succeeded, ContainerStateTerminated(exitCode: 0, reason: "Completed"), at: time)
    }

    /// Phase Failed, main terminated `Error` with `exitCode` and the log tail as message.
    static func failed(_ pod: inout Pod, exitCode: Int32, message: String? = nil, at time: Date) {
        terminate(&pod, phase: .failed, ContainerStateTerminated(exitCode: exitCode, reason: "Error", message: message), at: time)
    }

    /// The memory watchdog's kill: OOMKilled, exit 137.
    static func oomKilled(_ pod: inout Pod, at time: Date) {
        terminate(&pod, phase: .failed, ContainerStateTerminated(exitCode: 137, reason: "OOMKilled"), at: time)
    }

    /// A node shutdown: DisruptionTarget (TerminationByKubelet), SIGTERM exit 143, pod reason Terminated.
    static func disrupted(_ pod: inout Pod, at time: Date) {
        setCondition(&pod, "DisruptionTarget", .true, reason: "TerminationByKubelet", message: "Pod was terminated in response to imminent node shutdown.", at: time)
        terminate(&pod, phase: .failed, ContainerStateTerminated(exitCode: 143, reason: "Error"), at: time)
        pod.status.reason = "Terminated"
        pod.status.message = "Pod was terminated in response to imminent node shutdown."
    }

    /// An image that cannot be pulled: Pending, main waiting ErrImagePull.
    static func imagePullFailing(_ pod: inout Pod, at time: Date) {
        scheduled(&pod, node: "node-a", at: time)
        pod.status.containerStatuses = [containerStatus(pod, ["waiting": ContainerStateWaiting(
            reason: "ErrImagePull", message: "failed to pull image \"python:nope\": not found").json])]
    }

    static let schedulerMessage = "0/1 nodes are available: 1 Insufficient memory. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod."

    /// The scheduler found no node: PodScheduled=False, reason Unschedulable.
    static func unschedulable(_ pod: inout Pod, at time: Date) {
        pod.status.phase = .pending
        setCondition(&pod, "PodScheduled", .false, reason: "Unschedulable", message: schedulerMessage, at: time)
    }

    static func failedScheduling() -> AttemptEvent {
        var event = AttemptEvent()
        event.reason = "FailedScheduling"
        event.message = schedulerMessage
        return event
    }

    private static func terminate(_ pod: inout Pod, phase: PodPhase, _ terminated: ContainerStateTerminated, at time: Date) {
        if pod.spec.nodeName == nil { running(&pod, at: time.addingTimeInterval(-1)) }
        var terminated = terminated
        terminated.startedAt = pod.status.startTime
        terminated.finishedAt = time
        pod.status.phase = phase
        pod.status.containerStatuses = [containerStatus(pod, ["terminated": terminated.json])]
    }

    private static func containerStatus(_ pod: Pod, _ state: JSONObject) -> ContainerStatus {
        var status = ContainerStatus()
        status.name = pod.spec.containers.first?.name ?? "main"
        status.state = ContainerState(object: state)
        status.image = pod.spec.containers.first?.image
        return status
    }

    private static func setCondition(_ pod: inout Pod, _ type: String, _ value: ConditionStatus, reason: String? = nil, message: String? = nil, at time: Date) {
        var conditions = pod.status.conditions.filter { $0.type != type }
        conditions.append(PodCondition(type: type, status: value, reason: reason, message: message, lastTransitionTime: time))
        pod.status.conditions = conditions
    }
}
