import Foundation
import KubeAPI
import SlipwayAPI

// MARK: - Status

extension BatchJob {
    /// Counts, progress, the `Started` condition, the phase and the one-sentence message.
    public static func finishStatus(_ run: inout JobRun<BatchJob>) {
        let table = run.table
        let running = Set(run.activeAttempts.filter { $0.pod.status.phase == .running }.map(\.unit)).count
        run.status.total = table.size
        run.status.succeeded = table.succeeded.count
        run.status.failed = table.failed.count
        run.status.running = running
        run.status.pending = max(0, table.size - run.status.succeeded - run.status.failed - running)
        run.status.progress = "\(run.status.succeeded)/\(table.size)"
        if run.status.startTime != nil {
            run.setCondition(.started, .true, reason: .attemptsCreated, message: "the first attempt was created")
        }
        let status = run.status
        run.status.phase = run.settledPhase ?? (status.running > 0 || status.succeeded + status.failed > 0 ? .running : .pending)
        run.status.message = message(run)
    }

    /// One sentence: why the job is where it is.
    static func message(_ run: JobRun<BatchJob>) -> String {
        if let settled = run.settledMessage { return settled }
        let status = run.status
        let progress = "\(status.running) of \(status.total) indexes running, \(status.succeeded) succeeded"
            + (status.failed > 0 ? ", \(status.failed) failed" : "")
        if run.settings.suspend { return "suspended; \(status.succeeded) of \(status.total) indexes succeeded" }
        if let waitingFor = run.waitingFor, status.running == 0, run.creates.isEmpty, run.activeAttempts.isEmpty { return waitingFor }
        var parts = [progress]
        if let (index, state) = run.waitingRetries.first {
            let at = state.retryAfter.flatMap { $0 > run.now ? " at \(RFC3339.format($0))" : nil } ?? ""
            parts.append("index \(index) retrying after \(state.lastFailure ?? "a failure")\(at)")
        }
        let waiting = run.activeAttempts.filter { $0.pod.status.phase != .running }
        if let telling = run.mostTellingWarning(waiting.map { (label: "index \($0.unit) attempt \($0.attempt)", pod: $0.pod) }) {
            parts.append(telling)
        }
        return parts.joined(separator: "; ")
    }
}
