import Foundation
import KubeAPI
import SlipwayAPI
import SlipwayCore

/// What the cluster says about a job right now, beside its status: its pods (finished
/// ones too, while they exist) and the warning events of those pods. The CLI reads them;
/// the screens and the pod choice only look.
public struct JobPods: Sendable {
    public var pods: [Pod]
    /// Warning events whose involved object is one of `pods`.
    public var events: [Event]

    public init(pods: [Pod] = [], events: [Event] = []) {
        self.pods = pods
        self.events = events
    }

    public func pod(named name: String) -> Pod? { pods.first { $0.metadata.name == name } }

    /// A pod's warnings, de-duplicated with counts, oldest first.
    public func warnings(of pod: String) -> [AttemptEvent] {
        events.filter { $0.involvedObject.name == pod && $0.type != .normal }
            .sorted { ($0.lastObservedTime ?? .distantPast) < ($1.lastObservedTime ?? .distantPast) }
            .map { AttemptEvent(reason: $0.reason ?? "", message: $0.message ?? "", count: Int($0.count ?? 1)) }
    }

    /// Pods that have not started running and are not finished.
    public var waiting: [Pod] {
        pods.filter { $0.status.phase == .pending && $0.metadata.deletionTimestamp == nil }.sorted(by: Self.byName)
    }

    public var running: [Pod] { pods.filter { $0.status.phase == .running }.sorted(by: Self.byName) }

    /// Why a pod waits, in the scheduler's or the kubelet's own words: its most telling
    /// warning event (ranked as the operator ranks them), else the waiting container's
    /// reason and message, else the PodScheduled condition.
    public func whyWaiting(_ pod: Pod) -> String {
        let name = pod.metadata.name ?? ""
        if let event = PendingWarning.mostTelling(warnings(of: name)) {
            return "\(event.reason): \(event.message)" + (event.count > 1 ? " (×\(event.count))" : "")
        }
        for status in pod.status.containerStatuses {
            if let waiting = status.state.waiting, let reason = waiting.reason {
                return [reason, waiting.message].compactMap { $0 }.joined(separator: ": ")
            }
        }
        if let scheduled = pod.status.conditions.first(where: { $0.type == "PodScheduled" }), scheduled.status == .false {
            return [scheduled.reason, scheduled.message].compactMap { $0 }.joined(separator: ": ")
        }
        return pod.spec.nodeName == nil ? "not scheduled yet" : "starting on \(pod.spec.nodeName!)"
    }

    static func byName(_ a: Pod, _ b: Pod) -> Bool { (a.metadata.name ?? "") < (b.metadata.name ?? "") }
}
