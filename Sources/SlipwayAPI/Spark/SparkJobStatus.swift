import Foundation
import KubeAPI

/// What the operator reports about a SparkJob. Bounded however many executors run.
public struct SparkJobStatus: JobStatusFields {
    public var object: JSONObject
    public init(object: JSONObject) { self.object = object }

    /// The current (or last) attempt's `spark.app.id`.
    public var sparkApplicationId: String? { get { self["sparkApplicationId"] } set { self["sparkApplicationId"] = newValue } }
    public var driver: SparkDriverStatus { get { self[object: "driver"] } set { self[object: "driver"] = newValue } }
    /// Executors of the current attempt by state.
    public var executors: SparkExecutorCounts { get { self[object: "executors"] } set { self[object: "executors"] = newValue } }
    /// Finished attempts, newest last (bounded).
    public var history: [SparkAttemptRecord] { get { self[list: "history"] } set { self[list: "history"] = newValue } }
    /// The attempt to run next or running now, and what it runs with.
    public var current: SparkAttemptState { get { self[object: "current"] } set { self[object: "current"] = newValue } }
    /// The findings of the newest analysed attempt (`spec.analysis`).
    public var analysis: SparkAnalysisStatus? { get { self["analysis"] } set { self["analysis"] = newValue } }
}

extension SparkJob {
    /// The phases a SparkJob reaches.
    public static let phases: [JobPhase] = [.pending, .submitted, .running, .retrying, .succeeded, .failed, .suspended, .queued, .skipped]
}

/// The current attempt's driver.
public struct SparkDriverStatus: JSONBacked {
    public var object: JSONObject
    public init(object: JSONObject) { self.object = object }

    public var pod: String? { get { self["pod"] } set { self["pod"] = newValue } }
    public var node: String? { get { self["node"] } set { self["node"] = newValue } }
    /// `<service>.<namespace>.svc:4040`.
    public var uiAddress: String? { get { self["uiAddress"] } set { self["uiAddress"] = newValue } }
    /// The driver pod's phase.
    public var state: String? { get { self["state"] } set { self["state"] = newValue } }
}

/// Executors by state.
public struct SparkExecutorCounts: JSONBacked {
    public var object: JSONObject
    public init(object: JSONObject) { self.object = object }

    public var pending: Int { get { self["pending"] ?? 0 } set { self["pending"] = newValue } }
    public var running: Int { get { self["running"] ?? 0 } set { self["running"] = newValue } }
    public var succeeded: Int { get { self["succeeded"] ?? 0 } set { self["succeeded"] = newValue } }
    public var failed: Int { get { self["failed"] ?? 0 } set { self["failed"] = newValue } }
}

/// The attempt to run next (or running): its number, what it runs with, and the retry
/// bookkeeping that outlives pods.
public struct SparkAttemptState: AttemptStateFields {
    public var object: JSONObject
    public init(object: JSONObject) { self.object = object }

    public var attempt: Int { get { self["attempt"] ?? 0 } set { self["attempt"] = newValue } }
    /// Spark form (`1g`); nil: the spec's.
    public var driverMemory: String? { get { self["driverMemory"] } set { self["driverMemory"] = newValue } }
    public var executorMemory: String? { get { self["executorMemory"] } set { self["executorMemory"] = newValue } }
    public var executorInstances: Int? { get { self["executorInstances"] } set { self["executorInstances"] = newValue } }
    /// `spot`, `on-demand` or nil (anywhere).
    public var driverCapacity: String? { get { self["driverCapacity"] } set { self["driverCapacity"] = newValue } }
    public var executorCapacity: String? { get { self["executorCapacity"] } set { self["executorCapacity"] = newValue } }
    /// When the driver was first seen running (executor start timeout counts from it).
    public var runningSince: Date? { get { self["runningSince"] } set { self["runningSince"] = newValue } }

    /// The next attempt's driver has not run yet.
    public mutating func forgetEndedAttempt() { runningSince = nil }
}

/// One finished attempt: what it ran with and how it ended.
public struct SparkAttemptRecord: AttemptRecordFields {
    public var object: JSONObject
    public init(object: JSONObject) { self.object = object }

    public var attempt: Int { get { self["attempt"] ?? 0 } set { self["attempt"] = newValue } }
    /// Always 0: a SparkJob has one unit, its application.
    public var unit: Int { 0 }
    /// Whose failure decided: the driver's or an executor's.
    public var role: SparkRole? {
        get { (self["role"] as String?).flatMap(SparkRole.init(rawValue:)) }
        set { self["role"] = newValue?.rawValue }
    }
    public var sparkApplicationId: String? { get { self["sparkApplicationId"] } set { self["sparkApplicationId"] = newValue } }
    public var driverPod: String? { get { self["driverPod"] } set { self["driverPod"] = newValue } }
    public var node: String? { get { self["node"] } set { self["node"] = newValue } }
    public var driverMemory: String? { get { self["driverMemory"] } set { self["driverMemory"] = newValue } }
    public var executorMemory: String? { get { self["executorMemory"] } set { self["executorMemory"] = newValue } }
    public var executorInstances: Int? { get { self["executorInstances"] } set { self["executorInstances"] = newValue } }
    /// The capacity type of the driver's node.
    public var driverCapacity: String? { get { self["driverCapacity"] } set { self["driverCapacity"] = newValue } }
    /// Where executors were asked to run (`spot`, `on-demand`, nil: anywhere).
    public var executorCapacity: String? { get { self["executorCapacity"] } set { self["executorCapacity"] = newValue } }
    /// Failed executors, grouped by how they failed (bounded).
    public var executorFailures: [SparkExecutorFailure] { get { self[list: "executorFailures"] } set { self[list: "executorFailures"] = newValue } }
}

/// Executors of one attempt that failed the same way.
public struct SparkExecutorFailure: JSONBacked {
    public var object: JSONObject
    public init(object: JSONObject) { self.object = object }

    public var failureClass: FailureClass? {
        get { (self["class"] as String?).flatMap(FailureClass.init(rawValue:)) }
        set { self["class"] = newValue?.rawValue }
    }
    public var exitCode: Int? { get { self["exitCode"] } set { self["exitCode"] = newValue } }
    public var reason: String? { get { self["reason"] } set { self["reason"] = newValue } }
    /// How many executors failed this way.
    public var count: Int { get { self["count"] ?? 1 } set { self["count"] = newValue } }
    /// The first such executor pod.
    public var pod: String? { get { self["pod"] } set { self["pod"] = newValue } }
    public var message: String? { get { self["message"] } set { self["message"] = newValue } }
}
