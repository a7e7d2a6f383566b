import Foundation
import KubeAPI

/// A cluster-scoped admission queue: it limits what the jobs admitted through it may use at
/// once (running jobs, pods, any resource request), overall and per kind of job, orders
/// waiting jobs by priority then creation time, drops jobs beyond `maxQueued` and skips
/// duplicates by `dedupKey` (docs/queues.md). Jobs name it in `spec.queue`.
public struct JobQueue: KubeObject {
    public static let resource = APIResource(group: "slipway.dev", version: "v1alpha1", kind: "JobQueue", plural: "jobqueues", namespaced: false)
    public var object: JSONObject
    public init(object: JSONObject) { self.object = object }

    public var spec: JobQueueSpec { get { self[object: "spec"] } set { self[object: "spec"] = newValue } }
    public var status: JobQueueStatus { get { self[object: "status"] } set { self[object: "status"] = newValue } }
}

/// How a queue orders the jobs that wait in it (Kueue's names).
public enum QueueingStrategy: String, Sendable, Hashable, CaseIterable {
    /// The first job in order that does not fit blocks every job behind it.
    case strictFIFO = "StrictFIFO"
    /// A job that does not fit lets smaller ones behind it go first.
    case bestEffortFIFO = "BestEffortFIFO"
}

/// What the platform team sets.
public struct JobQueueSpec: JSONBacked {
    public var object: JSONObject
    public init(object: JSONObject) { self.object = object }

    /// What the admitted jobs of every kind may use together.
    public var limits: QueueLimits { get { self[object: "limits"] } set { self[object: "limits"] = newValue } }
    /// What the admitted jobs of one kind (`BatchJob`, `SparkJob`) may use together.
    public var kindLimits: [String: QueueLimits] { get { self[map: "kindLimits"] } set { self[map: "kindLimits"] = newValue } }
    public var strategy: QueueingStrategy {
        get { (self["queueingStrategy"] as String?).flatMap(QueueingStrategy.init(rawValue:)) ?? .bestEffortFIFO }
        set { self["queueingStrategy"] = newValue.rawValue }
    }
    /// Jobs that may wait at once; a job beyond fails at once (QueueFull). Nil: no bound.
    public var maxQueued: Int? { get { self["maxQueued"] } set { self["maxQueued"] = newValue } }
    /// How long a finished job keeps its `dedupKey` taken (seconds).
    public var dedupWindowSeconds: Int { get { self["dedupWindowSeconds"] ?? 0 } set { self["dedupWindowSeconds"] = newValue } }
    /// Which namespaces' jobs may use the queue; nil: every namespace.
    public var namespaceSelector: LabelSelector? { get { self["namespaceSelector"] } set { self["namespaceSelector"] = newValue } }
}

/// Upper bounds on what admitted jobs use together; an absent bound does not limit.
public struct QueueLimits: JSONBacked {
    public var object: JSONObject
    public init(object: JSONObject) { self.object = object }

    public init(jobs: Int? = nil, pods: Int? = nil, resources: [String: Quantity] = [:]) {
        self.init(object: [:])
        self.jobs = jobs
        self.pods = pods
        self.resources = resources
    }

    /// Admitted jobs that have not finished.
    public var jobs: Int? { get { self["jobs"] } set { self["jobs"] = newValue } }
    /// Pods those jobs may run at once (a BatchJob's parallelism, a SparkJob's driver and executors).
    public var pods: Int? { get { self["pods"] } set { self["pods"] = newValue } }
    /// Resource requests (`cpu`, `memory`, `nvidia.com/gpu`, …) of those pods together.
    public var resources: [String: Quantity] { get { self[map: "resources"] } set { self[map: "resources"] = newValue } }
    public var isEmpty: Bool { jobs == nil && pods == nil && resources.isEmpty }
}

/// What the operator reports about a queue.
public struct JobQueueStatus: JSONBacked {
    public var object: JSONObject
    public init(object: JSONObject) { self.object = object }

    /// Jobs waiting for admission.
    public var pending: Int { get { self["pending"] ?? 0 } set { self["pending"] = newValue } }
    /// Jobs admitted and not finished.
    public var admitted: Int { get { self["admitted"] ?? 0 } set { self["admitted"] = newValue } }
    /// Admitted jobs whose phase is Running.
    public var running: Int { get { self["running"] ?? 0 } set { self["running"] = newValue } }
    /// What the admitted jobs use, by `jobs`, `pods` and resource name (quantities as text).
    public var usage: [String: String] { get { self[map: "usage"] } set { self[map: "usage"] = newValue } }
    /// The limits, in the same form (`usage` of `limits`).
    public var limits: [String: String] { get { self[map: "limits"] } set { self[map: "limits"] = newValue } }
    /// Per kind: usage and limits in the same form.
    public var kinds: [QueueKindUsage] { get { self[list: "kinds"] } set { self[list: "kinds"] = newValue } }
    /// The job waiting longest, `BatchJob ns/name`.
    public var oldestWaiting: String? { get { self["oldestWaiting"] } set { self["oldestWaiting"] = newValue } }
    /// When it started waiting (its creation).
    public var oldestWaitingSince: Date? { get { self["oldestWaitingSince"] } set { self["oldestWaitingSince"] = newValue } }
    public var message: String? { get { self["message"] } set { self["message"] = newValue } }
}

/// One kind's usage and limits in a queue's status.
public struct QueueKindUsage: JSONBacked {
    public var object: JSONObject
    public init(object: JSONObject) { self.object = object }

    public var kind: String { get { self["kind"] ?? "" } set { self["kind"] = newValue } }
    public var usage: [String: String] { get { self[map: "usage"] } set { self[map: "usage"] = newValue } }
    public var limits: [String: String] { get { self[map: "limits"] } set { self[map: "limits"] = newValue } }
}
