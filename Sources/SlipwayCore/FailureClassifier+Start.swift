import Foundation
import KubeAPI
import SlipwayAPI

extension FailureClassifier {
    // MARK: - Attempts that never started

    static func startFailure(_ o: PodObservation, startTimeout: Duration?) -> Classification? {
        if let terminated = o.terminated, let reason = terminated.reason, startErrorReasons.contains(reason) {
            let detail = terminated.message ?? o.kubeletSays(waiting: nil) ?? ""
            return Classification(
                failureClass: .startFailure, exitCode: o.exitCode, reason: reason, reasons: o.reasons,
                message: detail, evidence: "\(o.terminationPhrase): the container could not be started" + (detail.isEmpty ? "" : ": \(detail)"))
        }
        let statuses = o.status.initContainerStatuses + o.status.containerStatuses
        let stuck = statuses.compactMap { status -> (String, ContainerStateWaiting)? in
            guard let waiting = status.state.waiting, let reason = waiting.reason, startFailureReasons.contains(reason) else { return nil }
            return (status.name, waiting)
        }
        let immediate = stuck.first { $0.1.reason == "InvalidImageName" }
        let timedOut = startTimeout.map { o.age >= $0 } ?? false
        guard let (name, waiting) = immediate ?? (timedOut ? stuck.first : nil), let reason = waiting.reason else { return nil }
        let detail = o.kubeletSays(waiting: waiting) ?? ""
        let what = reason.contains("Image") ? "image pull failed" : "container \(name) could not be created"
        let waited = reason == "InvalidImageName" ? "" : " for \(FailureMessage.describe(o.age))"
        return Classification(
            failureClass: .startFailure, exitCode: nil, reason: reason, reasons: [reason] + [o.status.reason].compactMap { $0 },
            message: detail, evidence: "\(what)\(waited): \(reason)" + (detail.isEmpty ? "" : " \(detail)"))
    }

    static func unschedulable(_ o: PodObservation, timeout: Duration?) -> Classification? {
        guard let condition = o.status.condition("PodScheduled"), condition.status == .false,
              condition.reason == "Unschedulable", let timeout, o.age >= timeout
        else { return nil }
        let message = o.warning("FailedScheduling")?.message ?? condition.message ?? ""
        return Classification(
            failureClass: .unschedulable, exitCode: nil, reason: "Unschedulable", reasons: ["Unschedulable"],
            message: message, evidence: "unschedulable for \(FailureMessage.describe(o.age))" + (message.isEmpty ? "" : ": \(message)"))
    }

    // MARK: - Everything else

    static func appError(_ o: PodObservation) -> Classification? {
        if let terminated = o.terminated, terminated.exitCode != 0 {
            return Classification(
                failureClass: .appError, exitCode: o.exitCode, reason: terminated.reason, reasons: o.reasons,
                message: FailureMessage.extract(from: o.terminationMessage), evidence: o.terminationPhrase)
        }
        // A sidecar (restartPolicy: Always) is restarted in place and stopped after the main
        // container: its exit never decides the attempt.
        let sidecars = Set(o.pod.spec.initContainers.filter(\.isSidecar).map(\.name))
        let failedInit = o.status.initContainerStatuses.first { !sidecars.contains($0.name) && ($0.state.terminated?.exitCode ?? 0) != 0 }
        if let failedInit, let terminated = failedInit.state.terminated {
            let reason = terminated.reason.map { " \($0)" } ?? ""
            return Classification(
                failureClass: .appError, exitCode: Int(terminated.exitCode), reason: terminated.reason,
                message: FailureMessage.extract(from: terminated.message ?? ""),
                evidence: "init container \(failedInit.name) terminated\(reason) (exit \(terminated.exitCode))")
        }
        guard o.status.phase == .failed else { return nil }
        let detail = [o.status.reason, o.status.message].compactMap { $0 }.joined(separator: ": ")
        return Classification(
            failureClass: .appError, exitCode: nil, reason: o.status.reason, reasons: o.reasons,
            message: o.status.message ?? "", evidence: "pod failed" + (detail.isEmpty ? "" : ": \(detail)"))
    }
}
