import Foundation
import KubeAPI
import SlipwayAPI

// Status helpers both kinds share.

extension Array where Element == Condition {
    /// Sets a `metav1.Condition`; `lastTransitionTime` changes only when the status does.
    /// Returns whether the status changed (or the condition is new).
    @discardableResult
    public mutating func set(
        _ type: String, _ value: ConditionStatus, reason: String, message: String, now: Date, generation: Int64?
    ) -> Bool {
        let old = first { $0.type == type }
        let changed = old?.status != value
        let condition = Condition(
            type: type, status: value, reason: reason, message: message,
            lastTransitionTime: changed ? now : (old?.lastTransitionTime ?? now), observedGeneration: generation)
        if let i = firstIndex(where: { $0.type == type }) { self[i] = condition } else { append(condition) }
        return changed
    }
}

extension AttemptEvent {
    /// The warning an `Event` of an attempt's pod carries.
    public init(_ event: Event) {
        self.init()
        reason = event.reason ?? ""
        message = event.message ?? ""
        count = Int(event.count ?? 1)
    }

    /// Warning events de-duplicated by reason and message (counts added), messages
    /// truncated to `messageLimit` bytes, the newest `keep` kept.
    public static func merged(_ events: [AttemptEvent], messageLimit: Int, keep: Int) -> [AttemptEvent] {
        var merged: [AttemptEvent] = []
        for event in events {
            if let i = merged.firstIndex(where: { $0.reason == event.reason && $0.message == event.message }) {
                merged[i].count += event.count
            } else {
                var kept = event
                kept.message = FailureMessage.truncated(event.message, limit: messageLimit)
                merged.append(kept)
            }
        }
        return Array(merged.suffix(max(0, keep)))
    }
}
