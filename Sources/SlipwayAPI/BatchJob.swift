import Foundation
import KubeAPI

/// An AWS-Batch-style job: one pod template run as an array, retried by rules, with
/// resources adapted between attempts. See docs/batchjob.md for the whole contract.
public struct BatchJob: KubeObject {
    public static let resource = APIResource(group: "slipway.dev", version: "v1alpha1", kind: "BatchJob", plural: "batchjobs", namespaced: true)
    public var object: JSONObject
    public init(object: JSONObject) { self.object = object }

    public var spec: BatchJobSpec { get { self[object: "spec"] } set { self[object: "spec"] = newValue } }
    public var status: BatchJobStatus { get { self[object: "status"] } set { self[object: "status"] = newValue } }
}

/// What the user asks for.
public struct BatchJobSpec: JSONBacked {
    public var object: JSONObject
    public init(object: JSONObject) { self.object = object }

    public var template: PodTemplateSpec { get { self[object: "template"] } set { self[object: "template"] = newValue } }
    /// The main container's name; nil means the first container.
    public var container: String? { get { self["container"] } set { self["container"] = newValue } }
    /// Number of indexes, 1…100000 (default 1).
    public var arraySize: Int { get { self["arraySize"] ?? 1 } set { self["arraySize"] = newValue } }
    /// Indexes running at once; nil means all.
    public var parallelism: Int? { get { self["parallelism"] } set { self["parallelism"] = newValue } }
    /// Values substituted for `$(params.NAME)` in command, args and env values.
    public var parameters: [String: String] { get { self[map: "parameters"] } set { self[map: "parameters"] = newValue } }
    public var dependsOn: [Dependency] { get { self[list: "dependsOn"] } set { self[list: "dependsOn"] = newValue } }
    public var retryStrategy: RetryStrategy { get { self[object: "retryStrategy"] } set { self[object: "retryStrategy"] = newValue } }
    public var adapt: Adaptation { get { self[object: "adapt"] } set { self[object: "adapt"] = newValue } }
    public var timeouts: Timeouts { get { self[object: "timeouts"] } set { self[object: "timeouts"] = newValue } }
    public var suspend: Bool { get { self["suspend"] ?? false } set { self["suspend"] = newValue } }
    /// Bumped to retry a Failed job: its failed indexes run again (docs/batchjob.md, "Retrying a failed job").
    public var retryGeneration: Int { get { self["retryGeneration"] ?? 0 } set { self["retryGeneration"] = newValue } }
    public var ttlSecondsAfterFinished: Int? { get { self["ttlSecondsAfterFinished"] } set { self["ttlSecondsAfterFinished"] = newValue } }
    /// The JobQueue that admits the job (docs/queues.md); nil: it runs at once.
    public var queue: String? { get { self["queue"] } set { self["queue"] = newValue } }
    public var priority: Int? { get { self["priority"] } set { self["priority"] = newValue } }
    public var dedupKey: String? { get { self["dedupKey"] } set { self["dedupKey"] = newValue } }
}

/// How resources change between attempts. Caps are mandatory.
public struct Adaptation: JSONBacked {
    public var object: JSONObject
    public init(object: JSONObject) { self.object = object }

    /// On OutOfMemory: memory request and limit multiplied by `factor`, capped at `max`.
    public var memory: ResourceAdaptation? { get { self["memory"] } set { self["memory"] = newValue } }
    /// Optional cpu growth on OutOfMemory or DeadlineExceeded, capped.
    public var cpu: ResourceAdaptation? { get { self["cpu"] } set { self["cpu"] = newValue } }
    public var capacity: CapacityAdaptation? { get { self["capacity"] } set { self["capacity"] = newValue } }
}

/// Multiply a resource by `factor`, never above `max`.
public struct ResourceAdaptation: JSONBacked {
    public var object: JSONObject
    public init(object: JSONObject) { self.object = object }

    public var factor: Double { get { self["factor"] ?? 2 } set { self["factor"] = newValue } }
    public var max: Quantity? { get { self["max"] } set { self["max"] = newValue } }
}

/// When later attempts move from spot to on-demand capacity.
public struct CapacityAdaptation: JSONBacked {
    public var object: JSONObject
    public init(object: JSONObject) { self.object = object }

    public var onDemandAfter: OnDemandAfter { get { self[object: "onDemandAfter"] } set { self[object: "onDemandAfter"] = newValue } }
}

/// After a failure of one of these classes, or after this many failures of an index.
public struct OnDemandAfter: JSONBacked {
    public var object: JSONObject
    public init(object: JSONObject) { self.object = object }

    public var classes: [FailureClass] {
        get { (self[list: "classes"] as [String]).compactMap(FailureClass.init(rawValue:)) }
        set { self[list: "classes"] = newValue.map(\.rawValue) }
    }
    public var failures: Int? { get { self["failures"] } set { self["failures"] = newValue } }
}

/// Time limits.
public struct Timeouts: JSONBacked {
    public var object: JSONObject
    public init(object: JSONObject) { self.object = object }

    /// How long an attempt may stay Pending, pulling images or unschedulable.
    public var startSeconds: Int? { get { self["startSeconds"] } set { self["startSeconds"] = newValue } }
    /// `activeDeadlineSeconds` of each attempt's pod.
    public var attemptSeconds: Int? { get { self["attemptSeconds"] } set { self["attemptSeconds"] = newValue } }
    /// The whole job's limit.
    public var totalSeconds: Int? { get { self["totalSeconds"] } set { self["totalSeconds"] = newValue } }
}
