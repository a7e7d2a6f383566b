import Foundation
import KubeAPI
import SlipwayAPI
import SlipwayCore

extension StatusScreen {
    /// The screen of a BatchJob.
    public func render(_ job: BatchJob, pods: JobPods) -> String { rendered { $0.batchJob(job, pods: pods) } }

    mutating func batchJob(_ job: BatchJob, pods: JobPods) {
        let status = job.status
        let name = job.metadata.name ?? ""
        var facts = ["\(status.progress ?? "\(status.succeeded)/\(job.spec.arraySize)") indexes succeeded"]
        if status.running > 0 { facts.append("\(status.running) running") }
        if status.pending > 0 { facts.append("\(status.pending) pending") }
        if status.failed > 0 { facts.append("\(status.failed) failed") }
        facts.append("\(status.attempts) attempt\(status.attempts == 1 ? "" : "s")")
        header(kind: "BatchJob", meta: job.metadata, status: status, facts: facts)

        waiting(pods) { pod in
            pod.metadata.labels[SlipwayLabels.index].map { "index \($0)" } ?? "pod"
        }
        failures(of: job, pods: pods)
        if status.phase == .failed {
            line()
            line("Retry what failed:  kubectl slipway retry batchjob/\(name)")
            if let first = IndexRanges(parsing: status.failedIndexes ?? "")?.ranges.first?.lowerBound {
                line("Logs of index \(first):  kubectl slipway logs batchjob/\(name) --index \(first)")
            }
        }
    }

    /// Every index with a failed attempt: the latest failure in full, earlier ones counted.
    mutating func failures(of job: BatchJob, pods: JobPods) {
        let status = job.status
        let failedForGood = IndexRanges(parsing: status.failedIndexes ?? "") ?? IndexRanges()
        let byIndex = Dictionary(grouping: status.history.filter(\.isFailure), by: \.index)
        guard !byIndex.isEmpty || !status.failureSummary.isEmpty else { return }
        // Failed for good first, then those still retrying; by index within each.
        let order = byIndex.keys.sorted { a, b in
            let (fa, fb) = (failedForGood.contains(a), failedForGood.contains(b))
            return fa != fb ? fa : a < b
        }
        line()
        let forGood = failedForGood.count
        line(style.bold("Failures (\(forGood) index\(forGood == 1 ? "" : "es") failed for good\(status.failedIndexes.map { forGood > 0 ? ": \($0)" : "" } ?? "")):"))
        for index in order.prefix(maxFailures) {
            let records = byIndex[index]!.sorted { $0.attempt < $1.attempt }
            let last = records.last!
            let state = failedForGood.contains(index) ? "failed for good" : "retrying"
            var placement: [String] = []
            if let node = last.node { placement.append("on node \(node)" + (last.capacityType.map { " (\($0))" } ?? "")) }
            var resources: [String] = []
            if let memory = last.memory { resources.append("memory \(memory)") }
            if let cpu = last.cpu { resources.append("cpu \(cpu)") }
            if !resources.isEmpty { placement.append("with " + resources.joined(separator: ", ")) }
            if let start = last.startTime, let end = last.finishTime { placement.append("for \(Age.text(end.timeIntervalSince(start)))") }
            failure(last, title: "index \(index), attempt \(last.attempt) (\(state))", placement: placement.joined(separator: " "), pods: pods, pod: last.pod)
            let earlier = records.dropLast().map { r in
                "attempt \(r.attempt) \(r.failureClass?.rawValue ?? "Failed")" + (r.exitCode.map { " exit \($0)" } ?? "")
                    + (r.adaptations.isEmpty ? "" : ", then " + r.adaptations.joined(separator: ", "))
            }
            if !earlier.isEmpty { line("    earlier: " + earlier.joined(separator: "; ")) }
        }
        if order.count > maxFailures {
            line("  … and \(order.count - maxFailures) more failed indexes (kubectl slipway history batchjob/\(job.metadata.name ?? ""))")
        }
        summary(status.failureSummary)
    }
}
