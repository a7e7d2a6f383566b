import Foundation
import KubeAPI

/// What a queue admitted a job for, recorded in the job's `status.admission`: the admitted
/// set of a queue is the jobs that carry one (and have not finished), so its usage is
/// always derived from the jobs themselves, never from a counter that could drift.
public struct QueueAdmissionRecord: JSONBacked {
    public var object: JSONObject
    public init(object: JSONObject) { self.object = object }

    public init(queue: String, pods: Int, resources: [String: Quantity], time: Date) {
        self.init(object: [:])
        self.queue = queue
        self.pods = pods
        self.resources = resources
        self.time = time
    }

    /// The queue that admitted the job.
    public var queue: String { get { self["queue"] ?? "" } set { self["queue"] = newValue } }
    /// Pods admitted at once.
    public var pods: Int { get { self["pods"] ?? 0 } set { self["pods"] = newValue } }
    /// Resource requests admitted, by resource name.
    public var resources: [String: Quantity] { get { self[map: "resources"] } set { self[map: "resources"] = newValue } }
    /// When the queue decided the admission (not when the job's write recorded it).
    public var time: Date? { get { self["time"] } set { self["time"] = newValue } }

    /// The schema of `status.admission` (every job kind).
    public static var schema: OpenAPISchema {
        .object([
            "queue": .string(maxLength: 253),
            "pods": .integer(minimum: 0),
            "resources": OpenAPISchema.map(.quantity),
            "time": .dateTime,
        ]).describe("What the job's queue admitted it for: its usage in the queue until it finishes.")
    }
}

extension JobStatusFields {
    /// What the job's queue admitted it for (nil: not admitted).
    public var admission: QueueAdmissionRecord? { get { self["admission"] } set { self["admission"] = newValue } }
}

/// The queue fields every job kind's spec has, read the same way for every kind.
extension KubeObject {
    /// `spec.queue`: the JobQueue that admits the job (nil: it runs at once).
    public var queueName: String? {
        guard case .string(let name)? = object["spec"]?["queue"], !name.isEmpty else { return nil }
        return name
    }
    /// `spec.priority` (default 0): higher is admitted first.
    public var queuePriority: Int { object["spec"]?["priority"].flatMap(Int.init(json:)) ?? 0 }
    /// `spec.dedupKey`: a job with the key of a live or recently finished job of its queue is skipped.
    public var dedupKey: String? {
        guard case .string(let key)? = object["spec"]?["dedupKey"], !key.isEmpty else { return nil }
        return key
    }
}

/// The schema of the queue fields in every job kind's spec.
public enum QueueSpecSchema {
    public static var queue: OpenAPISchema {
        OpenAPISchema.string(maxLength: 253).describe("The JobQueue (cluster-scoped) that admits this job; without one the job runs at once.")
    }
    public static var priority: OpenAPISchema {
        OpenAPISchema.integer().describe("Priority within the queue: higher is admitted first, then older (default 0).")
    }
    public static var dedupKey: OpenAPISchema {
        OpenAPISchema.string(maxLength: 253).describe(
            "A job whose dedupKey equals that of an earlier job in the same queue that is queued, running, or finished within the queue's dedupWindowSeconds is not run (phase Skipped, reason Duplicate).")
    }
}
