import Foundation
import KubeAPI
import SlipwayAPI

/// The pure heart of the BatchJob controller: from the job, the pods and events the
/// controller observed, and the time, it computes the status to write, the actions to
/// perform and when to look again (DESIGN.md, "a pure core in an IO shell"). It never
/// performs IO and never reads a clock; the same ``DecisionInput`` always gives the same
/// ``Decision``, so feeding an observation twice creates nothing new and records nothing
/// twice.
///
/// ```
///   Pending ──(a pod runs)──▶ Running ──(every index succeeded)──▶ Succeeded ──(TTL)──▶ deleteJob
///      │                       │    ▲
///      │           (retryable  ▼    │ (next attempt created)
///      │            failure)  Retrying
///      │                       │
///      └───────────────────────┴──(invalid spec · parent failed · total deadline ·
///                                  every index done, some failed)──▶ Failed ──(TTL)──▶ deleteJob
///
///   any unfinished phase ──(spec.suspend)──▶ Suspended ──(resumed)──▶ Pending / Running
/// ```
///
/// One reconcile, in order (one function per concern):
/// 1. **Finished** jobs (Succeeded or Failed) only release and delete pods and honour
///    `ttlSecondsAfterFinished`: the outcome is final.
/// 2. **Invalid** (``DecisionInput/validationErrors``, a dependsOn cycle, NToN size
///    mismatch, an unrenderable template) → condition Invalid, phase Failed, no pods;
///    fixing the spec clears it.
/// 3. **Record** every finished attempt not yet in status (``FailureClassifier``; a pod
///    stuck past `timeouts.startSeconds` is finished too, and deleted): history, then
///    success, or ``RuleMatcher`` → ``Adapter`` → ``RetryPlanner``. Recorded pods are
///    released (finalizer) — after the status that records them, as the controller writes
///    status first.
/// 4. **Suspend** deletes active pods (their attempts are recorded, uncounted).
/// 5. **Job-level failure**: a failed parent, `timeouts.totalSeconds`.
/// 6. **Complete** when every index succeeded or failed (other indexes keep running after
///    one fails, as AWS Batch array children do; the job fails at the end).
/// 7. **Create** pods for due indexes, lowest first, within parallelism and dependencies.
/// 8. **Status**: counts, phase, conditions, one-sentence message; requeue at the earliest
///    retry, start-timeout, deadline or TTL time.
public enum BatchJobDecider {
    /// How long a requested pod may stay invisible in the cache before it is requested again
    /// (with the same name, so at most one pod ever exists).
    public static let createGrace: TimeInterval = 60

    /// The decision for one reconcile of `input.job`.
    public static func decide(_ input: DecisionInput) -> Decision {
        var run = DeciderRun(input)
        if run.isFinished {
            run.finishedJob()
            return run.decision()
        }
        if let problems = run.invalidReasons() {
            run.markInvalid(problems)
            return run.decision()
        }
        run.clearInvalid()
        run.recordFinishedPods()
        if run.spec.suspend {
            run.suspend()
        } else if let (reason, message) = run.jobLevelFailure() {
            run.failJob(reason: reason, message: message)
        } else if run.table.remaining == 0 {
            run.complete()
        } else {
            run.resume()
            do throws(PodRenderError) {
                try run.createPods()
            } catch {
                run = DeciderRun(input)
                run.markInvalid([error.description])
            }
        }
        return run.decision()
    }
}
