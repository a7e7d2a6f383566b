import Foundation
import KubeAPI

/// The facts of one pod that classification reads, gathered once: the main container's
/// status and how it ended, the true conditions, and how long the attempt has waited.
struct PodObservation {
    let pod: Pod
    let status: PodStatus
    let mainName: String
    let main: ContainerStatus?
    /// How the main container ended: `state.terminated`, or `lastState.terminated` when it
    /// restarted in place and now waits (CrashLoopBackOff) or the pod failed.
    let terminated: ContainerStateTerminated?
    /// Whether ``terminated`` came from `lastState`.
    let restarted: Bool
    let trueConditions: [String]
    let warnings: [PodWarning]
    /// Time since the attempt's pod was created (zero when unknown).
    let age: Duration

    init(pod: Pod, mainContainer: String?, warnings: [PodWarning], now: Date) {
        self.pod = pod
        status = pod.status
        let name = mainContainer ?? pod.spec.containers.first?.name ?? pod.status.containerStatuses.first?.name ?? ""
        mainName = name
        main = pod.status.containerStatuses.first { $0.name == name }
        let current = main?.state.terminated
        let failedPod = status.phase == .failed
        let previous = (main?.state.waiting != nil || failedPod) ? main?.lastState.terminated : nil
        terminated = current ?? previous
        restarted = current == nil && previous != nil
        trueConditions = status.conditions.filter { $0.status == .true }.map(\.type)
        self.warnings = warnings
        let since = pod.metadata.creationTimestamp ?? status.startTime
        age = since.map { Duration.seconds(max(0, now.timeIntervalSince($0))) } ?? .zero
    }

    var exitCode: Int? { terminated.map { Int($0.exitCode) } }

    /// `container main`, or `container main (previous run)` when read from `lastState`.
    var containerPhrase: String { "container \(mainName)" + (restarted ? " (previous run)" : "") }

    /// `container main terminated OOMKilled (exit 137)`.
    var terminationPhrase: String {
        guard let terminated else { return "\(containerPhrase) has not terminated" }
        let reason = terminated.reason.map { " \($0)" } ?? ""
        return "\(containerPhrase) terminated\(reason) (exit \(terminated.exitCode))"
    }

    /// The termination message, whole.
    var terminationMessage: String { terminated?.message ?? "" }

    /// Whether the main container declares a memory limit (exit 137 then suggests the OOM killer).
    var hasMemoryLimit: Bool { pod.spec.container(named: mainName)?.resources.limits["memory"] != nil }

    /// The last warning with `reason`.
    func warning(_ reason: String) -> PodWarning? { warnings.last { $0.reason == reason } }

    /// Why a container cannot start, in the kubelet's own words: its `Failed` event that
    /// says what failed (`Failed to pull image "x": … pull access denied …`), else the
    /// waiting message unless it only says it backs off, else any `Failed` event. The
    /// kubelet's `Error: ErrImagePull` repeats the reason and says nothing more.
    func kubeletSays(waiting: ContainerStateWaiting?) -> String? {
        let failed = warnings.filter { $0.reason == "Failed" }
        if let telling = failed.last(where: { !PendingWarning.isBareError($0.message) }) { return telling.message }
        if let message = waiting?.message, !message.isEmpty { return message }
        return failed.last?.message
    }

    /// Reasons retry rules match: the container's terminated or waiting reason, the pod's
    /// `status.reason`, and a DisruptionTarget condition's reason.
    var reasons: [String] {
        let candidates = [
            terminated?.reason ?? main?.state.waiting?.reason,
            status.reason,
            status.condition("DisruptionTarget").flatMap { $0.status == .true ? $0.reason : nil },
        ]
        var seen: [String] = []
        for case let reason? in candidates where !seen.contains(reason) { seen.append(reason) }
        return seen
    }
}
