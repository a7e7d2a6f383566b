import Foundation
import KubeAPI

/// What the operator reports. Bounded in size however large the array: counts, compact
/// index sets and a capped attempt history — never a per-index map.
public struct BatchJobStatus: JSONBacked {
    public var object: JSONObject
    public init(object: JSONObject) { self.object = object }

    public var phase: BatchJobPhase? {
        get { (self["phase"] as String?).flatMap(BatchJobPhase.init(rawValue:)) }
        set { self["phase"] = newValue?.rawValue }
    }
    public var observedGeneration: Int64? { get { self["observedGeneration"] } set { self["observedGeneration"] = newValue } }
    public var conditions: [Condition] { get { self[list: "conditions"] } set { self[list: "conditions"] = newValue } }
    /// One sentence: why the job is where it is.
    public var message: String? { get { self["message"] } set { self["message"] = newValue } }
    public var startTime: Date? { get { self["startTime"] } set { self["startTime"] = newValue } }
    public var completionTime: Date? { get { self["completionTime"] } set { self["completionTime"] = newValue } }
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
    /// Pods created so far (counted or not).
    public var attempts: Int { get { self["attempts"] ?? 0 } set { self["attempts"] = newValue } }
    public var nextRetryTime: Date? { get { self["nextRetryTime"] } set { self["nextRetryTime"] = newValue } }
    /// The last attempts (bounded per index and in total), newest last.
    public var history: [AttemptRecord] { get { self[list: "history"] } set { self[list: "history"] = newValue } }
}

public enum BatchJobPhase: String, Sendable, Hashable, CaseIterable {
    case pending = "Pending"
    case running = "Running"
    case retrying = "Retrying"
    case succeeded = "Succeeded"
    case failed = "Failed"
    case suspended = "Suspended"
}

/// One attempt: what it ran with and how it ended.
public struct AttemptRecord: JSONBacked {
    public var object: JSONObject
    public init(object: JSONObject) { self.object = object }

    public var index: Int { get { self["index"] ?? 0 } set { self["index"] = newValue } }
    public var attempt: Int { get { self["attempt"] ?? 0 } set { self["attempt"] = newValue } }
    public var pod: String? { get { self["pod"] } set { self["pod"] = newValue } }
    public var node: String? { get { self["node"] } set { self["node"] = newValue } }
    /// `spot` or `on-demand`, from the node's capacity label.
    public var capacityType: String? { get { self["capacityType"] } set { self["capacityType"] = newValue } }
    public var memory: Quantity? { get { self["memory"] } set { self["memory"] = newValue } }
    public var cpu: Quantity? { get { self["cpu"] } set { self["cpu"] = newValue } }
    public var startTime: Date? { get { self["startTime"] } set { self["startTime"] = newValue } }
    public var finishTime: Date? { get { self["finishTime"] } set { self["finishTime"] = newValue } }
    public var exitCode: Int? { get { self["exitCode"] } set { self["exitCode"] = newValue } }
    public var reason: String? { get { self["reason"] } set { self["reason"] = newValue } }
    public var failureClass: FailureClass? {
        get { (self["class"] as String?).flatMap(FailureClass.init(rawValue:)) }
        set { self["class"] = newValue?.rawValue }
    }
    /// The extracted message (termination message or log tail), truncated.
    public var message: String? { get { self["message"] } set { self["message"] = newValue } }
    /// Whether the attempt counted against `retryStrategy.attempts`.
    public var counted: Bool? { get { self["counted"] } set { self["counted"] = newValue } }
    /// Warning events of the attempt's pod, de-duplicated with counts (bounded).
    public var events: [AttemptEvent] { get { self[list: "events"] } set { self[list: "events"] = newValue } }
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
