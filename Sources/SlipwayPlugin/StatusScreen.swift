import Foundation
import KubeAPI
import SlipwayAPI
import SlipwayCore

/// `kubectl slipway status JOB`: one screen that answers "why is my job where it is" —
/// phase and progress, what waits and the scheduler's or kubelet's words for it, its queue
/// position, each failure with its class, exit code, message, node and capacity, and what
/// the operator changed for the next attempt. Built from what the job's status records
/// (history, failureSummary, conditions) and its pods and their warnings.
public struct StatusScreen {
    public var style: TextStyle
    public var now: Date
    /// Failed units shown in full; the rest are counted (history has them all).
    public var maxFailures = 20
    /// Waiting pods shown with their reason; the rest are counted.
    public var maxWaiting = 10

    public init(style: TextStyle = .plain, now: Date) {
        self.style = style
        self.now = now
    }

    var lines: [String] = []

    mutating func line(_ text: String = "") { lines.append(text) }

    /// The header line, the job's message and its conditions: the same for every kind.
    mutating func header<Status: JobStatusFields>(kind: String, meta: ObjectMeta, status: Status, facts: [String]) {
        let phase = status.phase?.rawValue ?? "Pending"
        let name = "\(kind) \(meta.namespace ?? "default")/\(meta.name ?? "")"
        line("\(style.bold(name)): \(style.phase(phase))" + (facts.isEmpty ? "" : ", " + facts.joined(separator: ", ")))
        if let message = status.message, !message.isEmpty { line("  \(message)") }
        var timing: [String] = []
        if let created = meta.creationTimestamp { timing.append("created \(Age.since(created, now: now)) ago") }
        if let start = status.startTime { timing.append("started \(Age.since(start, now: now)) ago") }
        if let duration = status.duration { timing.append("ran \(duration)") }
        if let next = status.nextRetryTime, next > now { timing.append("next attempt in \(Age.text(next.timeIntervalSince(now)))") }
        if !timing.isEmpty { line("  " + timing.joined(separator: ", ")) }
        let conditions = status.conditions.map { c in
            "\(c.type)=\(c.status.rawValue)" + (c.reason.map { " (\($0))" } ?? "")
        }
        if !conditions.isEmpty { line("  conditions: " + conditions.joined(separator: ", ")) }
        if let admitted = status.conditions[.admitted], admitted.status != .true {
            line("  \(style.yellow("queue")): \(admitted.message ?? admitted.reason ?? "waiting for admission")")
        } else if let admission = status.admission {
            line("  queue: admitted by \(admission.queue) for \(admission.pods) pod\(admission.pods == 1 ? "" : "s")")
        }
        if let invalid = status.conditions[.invalid], invalid.status == .true {
            line("  \(style.red("invalid")): \(invalid.message ?? "")")
        }
    }

    /// Pods that wait, each with how long and why; `label` names what the pod runs (`index 4`).
    mutating func waiting(_ pods: JobPods, label: (Pod) -> String) {
        let waiting = pods.waiting
        guard !waiting.isEmpty else { return }
        line()
        line(style.bold("Waiting (\(waiting.count)):"))
        for pod in waiting.prefix(maxWaiting) {
            let age = pod.metadata.creationTimestamp.map { ", \(Age.since($0, now: now))" } ?? ""
            line("  \(label(pod)) (\(pod.metadata.name ?? "")\(age)): \(pods.whyWaiting(pod))")
        }
        if waiting.count > maxWaiting { line("  … and \(waiting.count - maxWaiting) more") }
    }

    /// One failed attempt: how it ended, where it ran, what it said, what changes next.
    /// `details` are the kind's own lines (a SparkJob's failed executors and driver pod).
    mutating func failure<Record: AttemptRecordFields>(
        _ record: Record, title: String, placement: String, pods: JobPods, pod: String?, details: [String] = []
    ) {
        var how = [record.failureClass?.rawValue ?? "Failed"]
        if let code = record.exitCode { how.append("exit \(code)" + (record.reason.map { " (\($0))" } ?? "")) } else if let reason = record.reason {
            how.append(reason)
        }
        if record.counted == false { how.append("not counted") }
        line("  \(style.bold(title)): \(style.red(how.joined(separator: ", ")))")
        if !placement.isEmpty { line("    \(placement)") }
        if let message = record.message, !message.isEmpty {
            let text = message.split(separator: "\n", omittingEmptySubsequences: true).suffix(6)
            line("    message: \(text.first ?? "")")
            for rest in text.dropFirst() { line("             \(rest)") }
        }
        for event in record.events.prefix(3) {
            line("    event: \(event.reason)\(event.count > 1 ? " ×\(event.count)" : ""): \(event.message)")
        }
        for detail in details { line("    \(detail)") }
        if let pod {
            let exists = pods.pod(named: pod) != nil
            line("    pod \(pod)" + (exists ? "" : style.dim(" (deleted; its record above is what remains)")))
        }
        if !record.adaptations.isEmpty {
            line("    \(style.green("next attempt")): " + record.adaptations.joined(separator: "; "))
        }
    }

    mutating func summary(_ summaries: [FailureSummary]) {
        guard !summaries.isEmpty else { return }
        line("  beyond the history bound:")
        for s in summaries {
            line("    \(s.failureClass?.rawValue ?? "Failed"): \(s.count) index\(s.count == 1 ? "" : "es") (\(s.indexes))")
        }
    }

    var text: String { lines.joined(separator: "\n") + "\n" }

    /// The text `body` writes on a fresh screen.
    func rendered(_ body: (inout StatusScreen) -> Void) -> String {
        var screen = self
        screen.lines = []
        body(&screen)
        return screen.text
    }
}

extension AttemptRecordFields {
    /// Whether the attempt failed (a class, or a non-zero exit).
    public var isFailure: Bool { failureClass != nil || (exitCode ?? 0) != 0 }
}
