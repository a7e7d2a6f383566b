import Foundation
import KubeAPI
import SlipwayAPI

/// `kubectl slipway history JOB`: the attempt table, oldest first — one row per recorded
/// attempt with how it ended, where it ran, with what, and what changed for the next one.
public enum HistoryTable {
    public static func render(_ job: BatchJob) -> String {
        var table = TextTable(["INDEX", "ATTEMPT", "RESULT", "EXIT", "REASON", "NODE", "CAPACITY", "MEMORY", "CPU", "DURATION", "NEXT ATTEMPT"])
        for r in job.status.history.sorted(by: { ($0.index, $0.attempt) < ($1.index, $1.attempt) }) {
            table.add([
                String(r.index), String(r.attempt), result(r), r.exitCode.map(String.init) ?? "", r.reason ?? "", r.node ?? "",
                r.capacityType ?? "", r.memory?.description ?? "", r.cpu?.description ?? "", duration(r), r.adaptations.joined(separator: "; "),
            ])
        }
        return table.text + footer(job.status.failureSummary)
    }

    public static func render(_ job: SparkJob) -> String {
        var table = TextTable(["ATTEMPT", "RESULT", "ROLE", "EXIT", "REASON", "NODE", "DRIVER MEM", "EXECUTOR MEM", "EXECUTORS", "EXECUTORS ON", "DURATION", "NEXT ATTEMPT"])
        for r in job.status.history.sorted(by: { $0.attempt < $1.attempt }) {
            table.add([
                String(r.attempt), result(r), r.role?.rawValue ?? "", r.exitCode.map(String.init) ?? "", r.reason ?? "", r.node ?? "",
                r.driverMemory ?? "", r.executorMemory ?? "", r.executorInstances.map(String.init) ?? "", r.executorCapacity ?? "", duration(r),
                r.adaptations.joined(separator: "; "),
            ])
        }
        return table.text + footer(job.status.failureSummary)
    }

    /// `Succeeded`, or the failure class (`OutOfMemory`), with `(not counted)` when it did not count.
    public static func result<Record: AttemptRecordFields>(_ r: Record) -> String {
        guard r.isFailure else { return "Succeeded" }
        return (r.failureClass?.rawValue ?? "Failed") + (r.counted == false ? " (not counted)" : "")
    }

    public static func duration<Record: AttemptRecordFields>(_ r: Record) -> String {
        guard let start = r.startTime, let end = r.finishTime else { return "" }
        return Age.text(end.timeIntervalSince(start))
    }

    static func footer(_ summaries: [FailureSummary]) -> String {
        summaries.map { "beyond the history bound: \($0.failureClass?.rawValue ?? "Failed") \($0.count) (indexes \($0.indexes))\n" }.joined()
    }
}
