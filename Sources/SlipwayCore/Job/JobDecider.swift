import Foundation
import KubeAPI
import SlipwayAPI

/// The pure heart of every job controller: from a job, the pods and events the controller
/// observed, its dependencies and the time, it computes the status to write, the actions to
/// perform and when to look again (docs/architecture.md). It never performs IO and never
/// reads a clock; the same ``JobInput`` always gives the same ``JobDecision``, so feeding an
/// observation twice creates nothing new and records nothing twice. What differs between
/// kinds comes from ``JobKind``; everything here is written once.
///
/// ```
///   Pending ──(a pod runs)──▶ Running ──(every unit succeeded)──▶ Succeeded ──(TTL)──▶ deleteJob
///      │                       │    ▲
///      │           (retryable  ▼    │ (next attempt created)
///      │            failure)  Retrying
///      │                       │
///      └───────────────────────┴──(invalid spec · dependency cycle · parent failed ·
///                                  total deadline · every unit done, some failed)──▶ Failed ──(TTL)──▶ deleteJob
///
///   any unfinished phase ──(spec.suspend)──▶ Suspended ──(resumed)──▶ Pending / Running
/// ```
///
/// One reconcile, in order (one function per concern):
/// 0. **Retry**: a Failed job whose `spec.retryGeneration` was bumped re-opens its failed
///    units with a fresh attempt budget and what they learned; one that failed because a
///    parent failed re-opens once no parent has failed (``JobRun/reopenIfRetried()``).
/// 1. **Finished** jobs (Succeeded or Failed) only stop and release their pods and honour
///    `ttlSecondsAfterFinished`: the outcome is final.
/// 2. **Invalid** (the kind's validation, a `dependsOn` cycle across kinds, an NToN size
///    mismatch, an attempt that cannot be rendered) → condition Invalid, phase Failed, no
///    pods; fixing the spec clears it.
/// 3. **Record** every finished attempt not yet in status (``JobKind/outcome(of:in:)``: a
///    pod stuck past the start timeout is finished too, and deleted): history, then
///    success, or ``RuleMatcher`` → ``JobKind/adapt(after:of:state:in:)`` → ``RetryPlanner``.
///    Recorded pods are released (finalizer) — after the status that records them, as the
///    controller writes status first.
/// 4. **Complete** when every unit succeeded or failed (other units keep running after one
///    fails, as AWS Batch array children do; the job fails at the end).
/// 5. **Suspend** deletes active pods (their attempts are recorded, uncounted).
/// 6. **Job-level failure**: a failed parent, `timeouts.totalSeconds`.
/// 7. **Create** attempts for due units, lowest first, within parallelism and dependencies;
///    complete creations cut short.
/// 8. **Status**: common fields and conditions here, the kind's counts, phase and message
///    (``JobKind/finishStatus(_:)``); requeue at the earliest retry, timeout, deadline or TTL.
public enum JobDecider<Kind: JobKind> {
    /// How long a requested pod may stay invisible in the cache before it is requested again
    /// (with the same name, so at most one pod per attempt ever exists).
    public static var createGrace: TimeInterval { 60 }

    /// The decision for one reconcile of `input.job`.
    public static func decide(_ input: JobInput<Kind>) -> JobDecision<Kind.Status> {
        var run = JobRun(input)
        run.reopenIfRetried()
        if run.isFinished {
            run.finishedJob()
            return run.decision()
        }
        if let problems = run.invalidReasons() {
            run.markInvalid(problems)
            return run.decision()
        }
        run.clearInvalid()
        run.adoptUnrecordedLaunches()
        run.recordFinishedAttempts()
        run.applyQueueVerdict()
        if run.table.remaining == 0 {
            run.complete()
        } else if run.settings.suspend {
            run.suspend()
        } else if let (reason, message) = run.jobLevelFailure() {
            run.failJob(reason: reason, message: message)
        } else if let (reason, message) = run.queueRejection {
            run.rejectFromQueue(reason, message: message)
        } else {
            run.resume()
            do throws(AttemptRenderError) {
                try run.createDueAttempts()
            } catch {
                run = JobRun(input)
                run.markInvalid([error.description])
            }
        }
        return run.decision()
    }
}
