import Foundation
import SlipwayAPI

/// What happens to an index after a failed attempt.
public enum RetryPlan: Sendable, Hashable {
    /// Start the next attempt after `after` (at `at`); `counted` says whether the failed
    /// attempt used up one of `retryStrategy.attempts`.
    case retry(after: Duration, at: Date, counted: Bool)
    /// The index fails, for the reason `message` gives.
    case fail(message: String)

    /// Whether the failed attempt counts against the attempts allowed (a failing index's does).
    public var counted: Bool {
        switch self {
        case .retry(_, _, let counted): counted
        case .fail: true
        }
    }
}

/// Decides retry or fail for an index from the matched rule, the attempts it has used,
/// the backoff policy and the adaptation — pure, with the finish time as a parameter.
///
/// - Fail (a rule, or the memory cap reached on OutOfMemory) fails the index now.
/// - Ignore retries at once and does not count: an interruption is not the job's fault,
///   and waiting would only delay work the cluster took away.
/// - Retry counts the attempt; when that uses the last attempt the index fails, otherwise
///   the next attempt starts after the exponential backoff.
public enum RetryPlanner {
    /// The plan after a failed attempt.
    /// - Parameters:
    ///   - classification: how the attempt failed (for the failure message).
    ///   - match: the rule that decided (``RuleMatcher/action(for:rules:)``).
    ///   - countedFailures: counted failures of the index *before* this one.
    ///   - attempts: counted attempts allowed per index (`retryStrategy.attempts`).
    ///   - backoff: the backoff policy.
    ///   - finishedAt: when the failed attempt ended; the retry time is relative to it.
    ///   - capExhausted: ``UnitAdaptation/exhausted`` — set when this OutOfMemory already
    ///     ran at the memory cap, so retrying could only fail the same way.
    public static func next(
        after classification: Classification, match: RuleMatch, countedFailures: Int, attempts: Int,
        backoff: BackoffPolicy, finishedAt: Date, capExhausted: String? = nil
    ) -> RetryPlan {
        let what = classification.summary
        if let capExhausted {
            return .fail(message: "\(what); \(capExhausted)")
        }
        switch match.action {
        case .fail:
            return .fail(message: "\(what); \(match.source) says Fail")
        case .ignore:
            return .retry(after: .zero, at: finishedAt, counted: false)
        case .retry:
            let used = countedFailures + 1
            guard used < attempts else {
                return .fail(message: "\(what); \(used) of \(attempts) attempts used")
            }
            let delay = delay(countedFailures: used, policy: backoff)
            return .retry(after: delay, at: finishedAt.addingTimeInterval(seconds(delay)), counted: true)
        }
    }

    /// `initialSeconds × factor^(countedFailures − 1)`, capped at `maxSeconds` (never negative).
    public static func delay(countedFailures: Int, policy: BackoffPolicy) -> Duration {
        let cap = Double(max(0, policy.maxSeconds))
        let initial = Double(max(0, policy.initialSeconds))
        let exponent = Double(max(0, countedFailures - 1))
        let raw = initial * pow(max(policy.factor, 0), exponent)
        let value = raw.isFinite ? min(raw, cap) : cap
        return .milliseconds(Int64((value * 1000).rounded()))
    }

    static func seconds(_ duration: Duration) -> TimeInterval {
        let (s, attoseconds) = duration.components
        return TimeInterval(s) + TimeInterval(attoseconds) / 1e18
    }
}
