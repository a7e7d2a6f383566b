import Foundation
import KubeAPI

/// What the kubelet knows about one pod's containers; turned into `status` by
/// ``build(into:now:)``.
struct PodRuntimeStatus: Sendable {
    var node: String
    /// The pod's own address (``PodAddressPool``), reported once its sandbox is ready.
    var podIP = NodeObject.address
    var startTime: Date?
    var sandboxReady = false
    var initContainers: [ContainerStatus] = []
    var containers: [ContainerStatus] = []
    /// Init containers that are sidecars (`restartPolicy: Always`): done initialising once
    /// started, never deciding the phase.
    var sidecars: Set<String> = []
    /// Set once the pod will run nothing more.
    var terminalPhase: PodPhase?
    /// `status.reason` / `status.message` (DeadlineExceeded, Terminated…).
    var reason: String?
    var message: String?

    /// Writes the kubelet's part of the status into `status`: phase, conditions,
    /// container statuses, IPs, startTime and qosClass. Other conditions (PodScheduled,
    /// DisruptionTarget) stay.
    func build(into pod: inout Pod, now: Date) {
        var status = pod.status
        let generation = pod.metadata.generation
        if let generation { status.object["observedGeneration"] = .number(JSONNumber(generation)) }
        let phase = self.phase
        status.phase = phase
        status.reason = reason
        status.message = message
        status.hostIP = NodeObject.address
        status.object["hostIPs"] = [["ip": .string(NodeObject.address)]]
        if sandboxReady || startTime != nil {
            status.podIP = podIP
            status.object["podIPs"] = [["ip": .string(podIP)]]
        }
        status.startTime = startTime
        status.initContainerStatuses = initContainers
        status.containerStatuses = containers
        status.object["qosClass"] = .string(Self.qosClass(pod.spec))
        setConditions(&status, phase: phase, generation: generation, now: now)
        pod.status = status
    }

    /// Pending until the init containers succeeded and every container started once; the
    /// terminal phase once decided; Running otherwise.
    var phase: PodPhase {
        if let terminalPhase { return terminalPhase }
        if !initialized { return .pending }
        let waitingFirstTime = containers.contains { $0.state.waiting != nil && $0.restartCount == 0 && $0.lastState.terminated == nil }
        return waitingFirstTime ? .pending : .running
    }

    var initialized: Bool { initContainers.allSatisfy(initComplete) }

    /// An init container succeeded, or a sidecar has started (it stays started: a later
    /// restart does not undo the pod's initialisation).
    func initComplete(_ status: ContainerStatus) -> Bool {
        guard sidecars.contains(status.name) else { return status.state.terminated?.exitCode == 0 }
        return status.started == true || status.state.running != nil || status.state.terminated != nil || status.restartCount > 0
    }

    /// Whether a container that decides the phase (a regular one, or an init container that
    /// is no sidecar) exited non-zero.
    var regularContainerFailed: Bool {
        (initContainers.filter { !sidecars.contains($0.name) } + containers).contains { ($0.state.terminated?.exitCode ?? 0) != 0 }
    }

    private func setConditions(_ status: inout PodStatus, phase: PodPhase, generation: Int64?, now: Date) {
        PodConditions.set(&status, type: "PodReadyToStartContainers", status: sandboxReady && !phase.isFinished ? .true : .false,
                          now: now, observedGeneration: generation)
        let incompleteInit = initContainers.filter { !initComplete($0) }.map(\.name)
        if incompleteInit.isEmpty || phase == .succeeded {
            PodConditions.set(&status, type: "Initialized", status: .true, now: now, observedGeneration: generation)
        } else {
            PodConditions.set(&status, type: "Initialized", status: .false, reason: "ContainersNotInitialized",
                              message: "containers with incomplete status: [\(incompleteInit.joined(separator: " "))]", now: now,
                              observedGeneration: generation)
        }
        // Sidecars count as containers here (GenerateContainersReadyCondition, 1.29+): one
        // restarting leaves the pod unready.
        let unready = (initContainers.filter { sidecars.contains($0.name) } + containers).filter { !$0.ready }.map(\.name)
        for type in ["Ready", "ContainersReady"] {
            if phase.isFinished {
                PodConditions.set(&status, type: type, status: .false, reason: phase == .succeeded ? "PodCompleted" : "PodFailed",
                                  now: now, observedGeneration: generation)
            } else if unready.isEmpty {
                PodConditions.set(&status, type: type, status: .true, now: now, observedGeneration: generation)
            } else {
                PodConditions.set(&status, type: type, status: .false, reason: "ContainersNotReady",
                                  message: "containers with unready status: [\(unready.joined(separator: " "))]", now: now,
                                  observedGeneration: generation)
            }
        }
        PodConditions.ordered(&status)
    }

    /// Guaranteed when every container has equal cpu and memory requests and limits,
    /// BestEffort when none has any, Burstable otherwise.
    static func qosClass(_ spec: PodSpec) -> String {
        let all = spec.containers + spec.initContainers
        if all.allSatisfy({ $0.resources.requests.isEmpty && $0.resources.limits.isEmpty }) { return "BestEffort" }
        let guaranteed = all.allSatisfy { container in
            let r = container.resources
            return ["cpu", "memory"].allSatisfy { key in
                guard let limit = r.limits[key] else { return false }
                return (r.requests[key] ?? limit) == limit
            }
        }
        return guaranteed ? "Guaranteed" : "Burstable"
    }
}

extension ContainerStatus {
    /// A fresh status: waiting with `reason`, never started.
    static func waiting(_ container: Container, reason: String, message: String? = nil) -> ContainerStatus {
        var status = ContainerStatus()
        status.name = container.name
        status.state = ContainerState(object: ["waiting": ContainerStateWaiting(reason: reason, message: message).json])
        status.object["lastState"] = .object(JSONObject())
        status.ready = false
        status.restartCount = 0
        status.image = container.image ?? ""
        status.imageID = ""
        status.started = false
        return status
    }
}
