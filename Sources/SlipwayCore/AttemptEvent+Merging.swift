import Foundation
import KubeAPI
import SlipwayAPI

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
