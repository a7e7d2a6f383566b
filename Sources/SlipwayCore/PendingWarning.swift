import SlipwayAPI

/// Why pods that have not started are still waiting, in one phrase for `status.message`:
/// the most telling warning event among them (the scheduler's verdict before a mount or
/// image problem), so that a user sees the cause without `kubectl describe pod` (the
/// `kubectl slipway status` screen ranks a pod's warnings the same way).
public enum PendingWarning {
    /// Warning reasons, most telling first.
    static let tellingReasons = ["FailedScheduling", "Failed", "FailedMount", "FailedCreatePodSandBox", "BackOff", "Evicted", "Preempting"]

    /// `<label> is pending: FailedScheduling: 0/1 nodes are available: …`, for the pod whose
    /// warning ranks first (the earliest such pod on a tie), or nil when none has a warning.
    static func mostTelling(_ pods: [(label: String, events: [AttemptEvent])], messageLimit: Int) -> String? {
        var best: (rank: Int, label: String, event: AttemptEvent)?
        for pod in pods {
            for event in pod.events {
                let rank = rank(event)
                if best == nil || rank < best!.rank { best = (rank, pod.label, event) }
            }
        }
        guard let best else { return nil }
        return "\(best.label) is pending: \(phrase(best.event, messageLimit: messageLimit))"
    }

    /// `FailedScheduling: 0/1 nodes are available: …`, the message cut to `messageLimit`.
    static func phrase(_ event: AttemptEvent, messageLimit: Int) -> String {
        "\(event.reason): \(FailureMessage.truncated(event.message, limit: messageLimit))"
    }

    /// The most telling of one pod's warnings (the newest on a tie), or nil.
    public static func mostTelling(_ events: [AttemptEvent]) -> AttemptEvent? {
        events.enumerated().min { a, b in
            let (ra, rb) = (rank(a.element), rank(b.element))
            return ra != rb ? ra < rb : a.offset > b.offset
        }?.element
    }

    /// Rank of a warning, lower is more telling: by reason, and within a reason a message
    /// that says what failed before one that only names a reason (`Error: ErrImagePull`).
    static func rank(_ event: AttemptEvent) -> Int {
        2 * (tellingReasons.firstIndex(of: event.reason) ?? tellingReasons.count) + (isBareError(event.message) ? 1 : 0)
    }

    /// `Error: ErrImagePull`, `Error: ImagePullBackOff`: the kubelet naming a waiting reason,
    /// with nothing said about why.
    static func isBareError(_ message: String) -> Bool {
        guard message.hasPrefix("Error: ") else { return false }
        let rest = message.dropFirst("Error: ".count)
        return !rest.contains(" ") && !rest.isEmpty
    }
}
