import Foundation
import KubeAPI
import SlipwayAPI

// MARK: - Queue admission (docs/queues.md)

/// The job side of queue admission. The operator decides for all the jobs of a queue at once
/// (``QueueAdmission``) and hands each job its verdict (``JobInput/queueVerdict``); the
/// job's own decision records it — the job has one writer of its status. A reason to wait
/// or a turn-away goes into the `Admitted` condition; an admission goes into
/// `status.admission` (what for) in the same write that launches the attempts it admits, so
/// no pod exists before the write that records its admission. A job with `spec.queue`
/// creates pods only while its admission covers what its next attempts ask for; a terminal
/// verdict ends it. A job without `spec.queue` is untouched.
extension JobRun {
    /// Records a verdict that is not an admission in the `Admitted` condition: a waiting job
    /// is told once per reason (its position then; not rewritten as the jobs before it
    /// leave), a turn-away is final, and a job whose admission covers what it asks is not
    /// sent back to wait by a verdict older than that admission.
    mutating func applyQueueVerdict() {
        guard job.queueName != nil, let verdict = input.queueVerdict, verdict.reason != .admitted, queueRejection == nil else { return }
        if let admitted = condition(.admitted), admitted.status == .false, admitted.reason == verdict.reason.rawValue { return }
        if let queue = job.queueName, let admission = status.admission, admission.queue == queue, queueRequest?.isCovered(by: admission) == true {
            return
        }
        setCondition(.admitted, .false, reason: verdict.reason, message: verdict.message)
        if verdict.reason.isQueueTerminal { status.message = verdict.message }
    }

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
        // Admitted now, for at least what the next attempts ask: recorded in this decision's
        // status, which the controller writes before it creates them. A first admission is
        // told by the status (condition Admitted, status.admission.time: when the queue
        // decided, not when this write lands), as a first attempt is; a re-admission for a
        // larger retry gets an event.
        if let verdict = input.queueVerdict, verdict.reason == .admitted, let granted = verdict.admission, let request = queueRequest,
           request.amounts.fits(within: granted.amounts) {
            let again = status.admission != nil
            status.admission = granted.record(queue: queue, time: verdict.decided ?? now)
            setCondition(.admitted, .true, reason: .admitted, message: verdict.message)
            if again { event(.normal, .admitted, verdict.message) }
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
