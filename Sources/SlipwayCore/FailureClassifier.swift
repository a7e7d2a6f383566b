import Foundation
import KubeAPI
import SlipwayAPI

/// Classifies how an attempt's pod ended (DESIGN.md, "Failure classification"): a pure
/// function of the pod, what the caller knows about its node, the pod's warning events and
/// the time — it never reads a clock.
///
/// Precedence, first match wins:
/// 1. success — phase Succeeded, or the main container exited 0;
/// 2. ``FailureClass/interrupted`` — a True `DisruptionTarget` condition, `status.reason`
///    Evicted / NodeShutdown / NodeLost / Terminated / Shutdown, the main container
///    terminated with reason ContainerStatusUnknown (the node lost it), or the node is gone;
/// 3. ``FailureClass/outOfMemory`` — terminated reason OOMKilled; exit 137 with a memory
///    limit (and no deadline kill); exit 52 (Spark executor OOM); `java.lang.OutOfMemoryError`
///    in the termination message; an `OOMKilling` event with a non-zero exit;
/// 4. ``FailureClass/deadlineExceeded`` — `status.reason` DeadlineExceeded, or the caller
///    says the attempt ran past its deadline;
/// 5. ``FailureClass/startFailure`` — a container waiting on ErrImagePull, ImagePullBackOff,
///    CreateContainerConfigError, CreateContainerError or RunContainerError for at least the
///    start timeout, quoting the kubelet's own words (`Failed to pull image "…": …`);
///    InvalidImageName, or a main container terminated StartError (the runtime could not
///    start it: exit 128, `exec: "x": executable file not found`), at once;
/// 6. ``FailureClass/unschedulable`` — PodScheduled=False (Unschedulable) for at least the
///    unschedulable timeout, quoting the scheduler;
/// 7. ``FailureClass/appError`` — any other non-zero exit, or a Failed pod.
///
/// A main container that restarted in place (`restartPolicy: OnFailure`) and now waits in
/// CrashLoopBackOff is judged by its `lastState`; one running again is not a failure yet.
/// Without a start timeout, only InvalidImageName ends a waiting attempt.
public enum FailureClassifier {
    /// Container waiting reasons that mean the container cannot start.
    public static let startFailureReasons: Set<String> = [
        "ErrImagePull", "ImagePullBackOff", "InvalidImageName", "CreateContainerConfigError", "CreateContainerError", "RunContainerError",
    ]
    /// Terminated reasons that mean the runtime could not start the container (it never ran).
    public static let startErrorReasons: Set<String> = ["StartError", "ContainerCannotRun"]
    /// Pod `status.reason` values that mean the pod was disrupted, not failed.
    public static let interruptionReasons: Set<String> = ["Evicted", "NodeShutdown", "NodeLost", "Terminated", "Shutdown"]
    /// Spark's executor exit code for an `OutOfMemoryError` (`SparkExitCode.OOM`).
    public static let sparkOOMExitCode = 52

    /// The classification of the attempt, or nil while it has neither succeeded nor failed.
    /// - Parameters:
    ///   - mainContainer: the container whose exit decides; nil means the first.
    ///   - nodeLabels: the labels of the pod's node, when known (for ``Classification/capacityType``).
    ///   - nodeGone: the pod's node no longer exists: the attempt was interrupted.
    ///   - events: the pod's warning events (FailedScheduling, OOMKilling, …), oldest first.
    ///   - startTimeout: how long a container may wait unable to start (image pull, configuration).
    ///   - unschedulableTimeout: how long a pod may stay unschedulable; nil: `startTimeout`.
    ///   - deadlinePassed: the attempt has run past its deadline (`timeouts.attemptSeconds`);
    ///     a pod still running is then DeadlineExceeded and the caller deletes it.
    ///   - now: the time of the decision (never read from a clock here).
    ///   - capacityLabel: the node label that holds the capacity type.
    public static func classify(
        pod: Pod, mainContainer: String? = nil, nodeLabels: [String: String]? = nil, nodeGone: Bool = false,
        events: [PodWarning] = [], startTimeout: Duration? = nil, unschedulableTimeout: Duration? = nil, deadlinePassed: Bool = false,
        now: Date, capacityLabel: String = CapacityLabels.karpenter.key
    ) -> Classification? {
        let observed = PodObservation(pod: pod, mainContainer: mainContainer, warnings: events, now: now)
        let found = success(observed)
            ?? interruption(observed, nodeGone: nodeGone)
            ?? outOfMemory(observed, deadlinePassed: deadlinePassed)
            ?? deadline(observed, deadlinePassed: deadlinePassed)
            ?? startFailure(observed, startTimeout: startTimeout)
            ?? unschedulable(observed, timeout: unschedulableTimeout ?? startTimeout)
            ?? appError(observed)
        guard var result = found else { return nil }
        result.podConditions = observed.trueConditions
        result.capacityType = nodeLabels?[capacityLabel]
        if result.reasons.isEmpty { result.reasons = observed.reasons }
        result.message = FailureMessage.truncated(result.message)
        return result
    }

    // MARK: - Rules, in precedence order

    static func success(_ o: PodObservation) -> Classification? {
        if let terminated = o.terminated, !o.restarted, terminated.exitCode == 0 {
            return .succeeded(exitCode: 0, evidence: "\(o.containerPhrase) exited 0")
        }
        guard o.status.phase == .succeeded else { return nil }
        return .succeeded(exitCode: o.exitCode, evidence: "pod phase Succeeded")
    }

    static func interruption(_ o: PodObservation, nodeGone: Bool) -> Classification? {
        let evidence: String, reason: String?, message: String
        if let condition = o.status.condition("DisruptionTarget"), condition.status == .true {
            reason = condition.reason
            evidence = "pod condition DisruptionTarget (\(condition.reason ?? "no reason"))"
            message = condition.message ?? o.status.message ?? ""
        } else if let podReason = o.status.reason, interruptionReasons.contains(podReason) {
            reason = podReason
            evidence = "pod \(podReason)" + (o.status.message.map { ": \($0)" } ?? "")
            message = o.status.message ?? ""
        } else if let terminated = o.terminated, terminated.reason == "ContainerStatusUnknown" {
            // The node lost the container (a reboot or crash of the node): not the job's doing.
            reason = "ContainerStatusUnknown"
            evidence = "\(o.terminationPhrase): the node lost the container"
            message = terminated.message ?? ""
        } else if nodeGone {
            let node = o.pod.spec.nodeName.map { "node \($0)" } ?? "the pod's node"
            reason = "NodeGone"
            evidence = "\(node) is gone"
            message = evidence
        } else {
            return nil
        }
        return Classification(
            failureClass: .interrupted, exitCode: o.exitCode, reason: reason, reasons: o.reasons.isEmpty ? nil : o.reasons,
            message: message, evidence: evidence)
    }

    static func outOfMemory(_ o: PodObservation, deadlinePassed: Bool) -> Classification? {
        guard let terminated = o.terminated, terminated.exitCode != 0 else { return nil }
        let text = o.terminationMessage
        let deadlineKill = deadlinePassed || o.status.reason == "DeadlineExceeded"
        let evidence: String
        if terminated.reason == "OOMKilled" {
            evidence = o.terminationPhrase
        } else if terminated.exitCode == 137, o.hasMemoryLimit, !deadlineKill {
            evidence = "\(o.terminationPhrase) with a memory limit"
        } else if terminated.exitCode == Int32(sparkOOMExitCode) {
            evidence = "\(o.terminationPhrase): Spark's out-of-memory exit code"
        } else if text.contains("java.lang.OutOfMemoryError") {
            evidence = "\(o.terminationPhrase): java.lang.OutOfMemoryError in the termination message"
        } else if let event = o.warning("OOMKilling") {
            evidence = "\(o.terminationPhrase) after OOMKilling: \(event.message)"
        } else {
            return nil
        }
        let message = text.isEmpty ? (terminated.reason ?? "") : FailureMessage.extract(from: text)
        return Classification(
            failureClass: .outOfMemory, exitCode: o.exitCode, reason: terminated.reason ?? "OutOfMemory",
            reasons: o.reasons, message: message, evidence: evidence)
    }

    static func deadline(_ o: PodObservation, deadlinePassed: Bool) -> Classification? {
        let podDeadline = o.status.reason == "DeadlineExceeded"
        guard podDeadline || deadlinePassed else { return nil }
        let evidence = podDeadline
            ? "pod DeadlineExceeded" + (o.status.message.map { ": \($0)" } ?? "")
            : "attempt ran past its deadline after \(FailureMessage.describe(o.age))"
        let message = o.status.message ?? FailureMessage.extract(from: o.terminationMessage)
        return Classification(
            failureClass: .deadlineExceeded, exitCode: o.exitCode, reason: "DeadlineExceeded",
            reasons: o.reasons + (o.reasons.contains("DeadlineExceeded") ? [] : ["DeadlineExceeded"]),
            message: message, evidence: evidence)
    }
}
