import Foundation
import KubeAPI
import SlipwayAPI

// MARK: - Queue admission (docs/queues.md)

/// The job side of queue admission. The queue controller decides, for all the jobs of a
/// queue at once (``QueueAdmission``), and records its verdict on each job: the `Admitted`
/// condition and, when admitted, `status.admission` (what for). The decider only reads them:
/// a job with `spec.queue` creates pods only while its admission covers what its next
/// attempts ask for; a terminal verdict ends it. A job without `spec.queue` is untouched.
extension JobRun {
    /// The queue's terminal verdict on the job (QueueFull, ExceedsQueueLimits, Duplicate), if any.
    public var queueRejection: (reason: JobConditionReason, message: String)? {
        guard job.queueName != nil, let condition = condition(.admitted), condition.status == .false,
              let reason = condition.reason.flatMap(JobConditionReason.init(rawValue:)), reason.isQueueTerminal else { return nil }
        return (reason, condition.message ?? reason.rawValue)
    }

    /// Ends a job its queue turned away: Skipped for a duplicate, else Failed; no pods.
    mutating func rejectFromQueue(_ reason: JobConditionReason, message: String) {
        guard reason == .duplicate else {
            failJob(reason: reason, message: message)
            return
        }
        stopAllPods()
        if status.completionTime == nil {
            status.completionTime = now
            event(.normal, .skipped, "Job skipped: \(message)")
        }
        expireAfterTTL()
    }

    /// What the job's next attempts ask of its queue, with what this decision learned.
    public var queueRequest: QueueRequest? {
        var probe = job
        Kind.store(table, into: &probe.status)
        return (probe as? any QueuedJobKind)?.queueRequest()
    }

    /// Whether attempts may be created: no queue, or an admission that covers the request.
    /// When not, ``waitingFor`` says why (the queue's message).
    mutating func queueAdmits() -> Bool {
        guard let queue = job.queueName else { return true }
        if let admission = status.admission, admission.queue == queue, let request = queueRequest, request.isCovered(by: admission) {
            return true
        }
        let said = condition(.admitted).flatMap { $0.status == .false ? $0.message : nil }
        waitingFor = said ?? "waiting for JobQueue \(queue) to admit the job"
        queueBlocked = true
        return false
    }

    /// Queued while the queue holds the job back and nothing of it runs; Skipped once a duplicate.
    mutating func applyQueuePhase() {
        if let (reason, message) = queueRejection, reason == .duplicate, !isTrue(.invalid) {
            status.phase = .skipped
            status.message = message
            return
        }
        guard queueBlocked, activeAttempts.isEmpty, creates.isEmpty else { return }
        guard let phase = status.phase, [.pending, .retrying, .running, .submitted].contains(phase) else { return }
        status.phase = .queued
        status.message = waitingFor
    }
}
