/// Why an attempt failed, as Slipway classifies it (DESIGN.md, "Failure classification").
/// Retry rules match on it and adaptation reacts to it.
public enum FailureClass: String, Sendable, Hashable, CaseIterable, Codable {
    /// OOMKilled, exit 137 with a memory limit and no disruption, Spark exit 52,
    /// `java.lang.OutOfMemoryError` in the message.
    case outOfMemory = "OutOfMemory"
    /// The pod was disrupted (DisruptionTarget, eviction, node shutdown or loss): not the job's fault.
    case interrupted = "Interrupted"
    /// The container never started (image pull, config error) within the start timeout.
    case startFailure = "StartFailure"
    /// The pod could not be scheduled within the start timeout.
    case unschedulable = "Unschedulable"
    /// The attempt ran past its deadline.
    case deadlineExceeded = "DeadlineExceeded"
    /// Any other non-zero exit.
    case appError = "AppError"
}

/// What a retry rule does with a failure that matches it.
public enum RetryAction: String, Sendable, Hashable, CaseIterable, Codable {
    /// Retry, counting the attempt.
    case retry = "Retry"
    /// Fail the index (and the job) now.
    case fail = "Fail"
    /// Retry without counting the attempt (interruptions).
    case ignore = "Ignore"
}
