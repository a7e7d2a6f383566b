import Foundation
import KubeAPI

/// The retry state of a group of indexes that failed at least once and share it: the next
/// attempt number, failures counted so far, what the next attempt runs with, and when it
/// may start. Indexes with identical state share one entry, so the list stays short for
/// any array size (its length is bounded by attempts × adaptation steps, not by indexes).
/// Indexes absent from every entry are at attempt 0 with the template's resources.
public struct IndexState: AttemptStateFields {
    public var object: JSONObject
    public init(object: JSONObject) { self.object = object }

    /// Compact index set, e.g. `"3,7-9"`.
    public var indexes: String { get { self["indexes"] ?? "" } set { self["indexes"] = newValue } }
    /// The attempt number the next pod of these indexes gets (0-based; uncounted attempts
    /// included), stored as `nextAttempt`.
    public var attempt: Int { get { self["nextAttempt"] ?? 0 } set { self["nextAttempt"] = newValue } }
    public var memory: Quantity? { get { self["memory"] } set { self["memory"] = newValue } }
    public var cpu: Quantity? { get { self["cpu"] } set { self["cpu"] = newValue } }
    /// `spot`, `on-demand`, or nil (as the template says).
    public var capacity: String? { get { self["capacity"] } set { self["capacity"] = newValue } }
}

extension BatchJobStatus {
    /// Retry state of indexes that failed at least once (see ``IndexState``).
    public var indexStates: [IndexState] { get { self[list: "indexStates"] } set { self[list: "indexStates"] = newValue } }
}
