import SlipwayAPI

/// Why pods that have not started are still waiting, in one phrase for `status.message`:
/// the most telling warning event among them (the scheduler's verdict before a mount or
/// image problem), so that a user sees the cause without `kubectl describe pod`.
enum PendingWarning {
    /// Warning reasons, most telling first.
    static let tellingReasons = ["FailedScheduling", "Failed", "FailedMount", "FailedCreatePodSandBox", "BackOff", "Evicted", "Preempting"]

    /// `<label> is pending: FailedScheduling: 0/1 nodes are available: …`, for the pod whose
    /// warning ranks first (the earliest such pod on a tie), or nil when none has a warning.
    static func mostTelling(_ pods: [(label: String, events: [AttemptEvent])], messageLimit: Int) -> String? {
        var best: (rank: Int, label: String, event: AttemptEvent)?
        for pod in pods {
            for event in pod.events {
                let rank = tellingReasons.firstIndex(of: event.reason) ?? tellingReasons.count
                if best == nil || rank < best!.rank { best = (rank, pod.label, event) }
            }
        }
        guard let best else { return nil }
        let text = FailureMessage.truncated(best.event.message, limit: messageLimit)
        return "\(best.label) is pending: \(best.event.reason): \(text)"
    }
}
