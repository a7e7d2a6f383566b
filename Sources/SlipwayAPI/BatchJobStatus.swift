import Foundation
import KubeAPI

/// What the operator reports. Bounded in size however large the array: counts, compact
/// index sets and a capped attempt history — never a per-index map.
public struct BatchJobStatus: JobStatusFields {
    public var object: JSONObject
    public init(object: JSONObject) { self.object = object }

    public var total: Int { get { self["total"] ?? 0 } set { self["total"] = newValue } }
    public var pending: Int { get { self["pending"] ?? 0 } set { self["pending"] = newValue } }
    public var running: Int { get { self["running"] ?? 0 } set { self["running"] = newValue } }
    public var succeeded: Int { get { self["succeeded"] ?? 0 } set { self["succeeded"] = newValue } }
    public var failed: Int { get { self["failed"] ?? 0 } set { self["failed"] = newValue } }
    /// Succeeded of total indexes as text, e.g. `"3/10"`: the printer column `Succeeded`
    /// (a printer column cannot concatenate two fields).
    public var progress: String? { get { self["progress"] } set { self["progress"] = newValue } }
    /// Compact index sets, e.g. `"0-41,43"`.
    public var succeededIndexes: String? { get { self["succeededIndexes"] } set { self["succeededIndexes"] = newValue } }
    public var failedIndexes: String? { get { self["failedIndexes"] } set { self["failedIndexes"] = newValue } }
    /// The last attempts (bounded per index and in total), newest last.
    public var history: [AttemptRecord] { get { self[list: "history"] } set { self[list: "history"] = newValue } }
}

extension BatchJob {
    /// The phases a BatchJob reaches.
    public static let phases: [JobPhase] = [.pending, .running, .retrying, .succeeded, .failed, .suspended, .queued, .skipped]
}

/// One attempt: what it ran with and how it ended.
public struct AttemptRecord: AttemptRecordFields {
    public var object: JSONObject
    public init(object: JSONObject) { self.object = object }

    public var index: Int { get { self["index"] ?? 0 } set { self["index"] = newValue } }
    /// The index (``AttemptRecordFields/unit``).
    public var unit: Int { index }
    public var attempt: Int { get { self["attempt"] ?? 0 } set { self["attempt"] = newValue } }
    public var pod: String? { get { self["pod"] } set { self["pod"] = newValue } }
    public var node: String? { get { self["node"] } set { self["node"] = newValue } }
    /// `spot` or `on-demand`, from the node's capacity label.
    public var capacityType: String? { get { self["capacityType"] } set { self["capacityType"] = newValue } }
    public var memory: Quantity? { get { self["memory"] } set { self["memory"] = newValue } }
    public var cpu: Quantity? { get { self["cpu"] } set { self["cpu"] = newValue } }
}

/// A warning event seen on an attempt's pod.
public struct AttemptEvent: JSONBacked {
    public var object: JSONObject
    public init(object: JSONObject) { self.object = object }

    public init(reason: String, message: String, count: Int = 1) {
        self.init(object: JSONObject())
        self.reason = reason
        self.message = message
        self.count = count
    }

    public var reason: String { get { self["reason"] ?? "" } set { self["reason"] = newValue } }
    public var message: String { get { self["message"] ?? "" } set { self["message"] = newValue } }
    public var count: Int { get { self["count"] ?? 1 } set { self["count"] = newValue } }
}
