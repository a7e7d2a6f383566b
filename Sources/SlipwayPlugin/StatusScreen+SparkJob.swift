import Foundation
import KubeAPI
import SlipwayAPI
import SlipwayCore

extension StatusScreen {
    /// The screen of a SparkJob.
    public func render(_ job: SparkJob, pods: JobPods) -> String { rendered { $0.sparkJob(job, pods: pods) } }

    mutating func sparkJob(_ job: SparkJob, pods: JobPods) {
        let status = job.status
        let name = job.metadata.name ?? ""
        let current = status.current
        var facts = ["attempt \(current.attempt)", "\(status.attempts) attempt\(status.attempts == 1 ? "" : "s") created"]
        let e = status.executors
        facts.append("executors \(e.running) running, \(e.pending) pending, \(e.succeeded) succeeded, \(e.failed) failed")
        header(kind: "SparkJob", meta: job.metadata, status: status, facts: facts)

        var driver: [String] = []
        if let app = status.sparkApplicationId { driver.append("application \(app)") }
        if let pod = status.driver.pod {
            driver.append("driver \(pod)" + (status.driver.state.map { " (\($0))" } ?? "") + (status.driver.node.map { " on node \($0)" } ?? ""))
        }
        if let ui = status.driver.uiAddress { driver.append("UI \(ui)") }
        if !driver.isEmpty { line("  " + driver.joined(separator: ", ")) }
        let runsWith = Self.settings(
            driverMemory: current.driverMemory ?? job.spec.driver.memory, executorMemory: current.executorMemory ?? job.spec.executor.memory,
            executors: current.executorInstances ?? job.spec.executor.instances, driverCapacity: current.driverCapacity,
            executorCapacity: current.executorCapacity)
        if !runsWith.isEmpty, status.phase != .succeeded, status.phase != .failed {
            line("  attempt \(current.attempt) runs with " + runsWith)
        }

        waiting(pods) { pod in
            let role = pod.metadata.labels[SparkLabels.role] ?? "driver"
            let id = pod.metadata.labels[SparkLabels.executorID].map { " \($0)" } ?? ""
            return role + id
        }

        let failed = status.history.filter(\.isFailure).sorted { $0.attempt < $1.attempt }
        if !failed.isEmpty {
            line()
            line(style.bold("Failed attempts (\(failed.count)):"))
            for record in failed.suffix(maxFailures) {
                let role = record.role.map { " (\($0.rawValue))" } ?? ""
                var placement: [String] = []
                if let node = record.node { placement.append("driver on node \(node)" + (record.driverCapacity.map { " (\($0))" } ?? "")) }
                let settings = Self.settings(
                    driverMemory: record.driverMemory, executorMemory: record.executorMemory, executors: record.executorInstances,
                    driverCapacity: nil, executorCapacity: record.executorCapacity)
                if !settings.isEmpty { placement.append("ran with " + settings) }
                var details = record.executorFailures.map { group in
                    let how = [group.failureClass?.rawValue, group.exitCode.map { "exit \($0)" }, group.reason].compactMap { $0 }.joined(separator: " ")
                    let first = group.pod.map { ", first \($0)" + (pods.pod(named: $0) == nil ? " (deleted)" : "") } ?? ""
                    let message = group.message.flatMap { $0 == group.reason ? nil : ": \($0)" } ?? ""
                    return "executors failed: \(group.count) × \(how)\(first)\(message)"
                }
                if let driverPod = record.driverPod {
                    details.append("driver pod \(driverPod)" + (pods.pod(named: driverPod) == nil ? style.dim(" (deleted)") : ""))
                }
                failure(record, title: "attempt \(record.attempt)\(role)", placement: placement.joined(separator: "; "), pods: pods, pod: nil, details: details)
            }
            summary(status.failureSummary)
        }
        if let analysis = status.analysis { findings(analysis) }
        if status.phase == .failed {
            line()
            line("Retry:  kubectl slipway retry sparkjob/\(name)")
            line("Driver log:  kubectl slipway logs sparkjob/\(name) --driver")
        }
    }

    /// What the analysis of an attempt found (docs/analysis.md), most waste first:
    /// `1. [high] Skew stage 3: ~71.4 core-s wasted`, the summary, `→` the recommendation.
    mutating func findings(_ analysis: SparkAnalysisStatus) {
        line()
        let count = analysis.findings.count + analysis.omittedFindings
        let app = analysis.sparkApplicationId.map { ", \($0)" } ?? ""
        line(style.bold("Findings (\(count), attempt \(analysis.attempt)\(app)):"))
        if count == 0 { line("  none: no anti-pattern found") }
        for (i, finding) in analysis.findings.enumerated() {
            let severity = finding.severity == "high" ? style.red("[high]") : finding.severity == "medium" ? style.yellow("[medium]") : "[\(finding.severity)]"
            let waste = String(format: "%.1f", finding.wasteCoreSeconds)
            line("  \(i + 1). \(severity) \(finding.kind) \(finding.subject): ~\(waste) core-seconds wasted")
            if !finding.summary.isEmpty { line("     \(finding.summary)") }
            if !finding.recommendation.isEmpty { line("     → \(finding.recommendation)") }
        }
        if analysis.omittedFindings > 0 { line(style.dim("  … and \(analysis.omittedFindings) more (lower ranked; the sidecar's log has them all)")) }
        for note in analysis.notes { line("  note: \(note)") }
    }

    /// `driver memory 512m, executor memory 1g × 3, executors on spot`.
    static func settings(driverMemory: String?, executorMemory: String?, executors: Int?, driverCapacity: String?, executorCapacity: String?) -> String {
        var parts: [String] = []
        if let driverMemory { parts.append("driver memory \(driverMemory)") }
        if let executorMemory { parts.append("executor memory \(executorMemory)" + (executors.map { " × \($0)" } ?? "")) } else if let executors {
            parts.append("\(executors) executors")
        }
        if let driverCapacity { parts.append("driver on \(driverCapacity)") }
        if let executorCapacity { parts.append("executors on \(executorCapacity)") }
        return parts.joined(separator: ", ")
    }
}
