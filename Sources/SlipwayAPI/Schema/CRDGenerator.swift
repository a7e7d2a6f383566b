import Foundation
import KubeAPI
import Yams

/// Renders Slipway's CustomResourceDefinitions (`apiextensions.k8s.io/v1`) from the Swift
/// types, for `slipway crds` and the drift test that keeps `crds/` in step with the code.
public enum CRDGenerator {
    /// One generated file: its name inside `crds/` and its YAML text.
    public struct File: Sendable, Hashable {
        public var name: String
        public var yaml: String
    }

    /// Every CRD file Slipway ships, in a stable order.
    public static func files() throws -> [File] {
        [File(name: "slipway.dev_batchjobs.yaml", yaml: try yaml(batchJob)),
         File(name: "slipway.dev_sparkjobs.yaml", yaml: try yaml(sparkJob)),
         File(name: "slipway.dev_jobqueues.yaml", yaml: try yaml(jobQueue)),
         File(name: "slipway.dev_jobschedules.yaml", yaml: try yaml(jobSchedule))]
    }

    /// The BatchJob CRD as JSON.
    public static var batchJob: JSONValue {
        crd(resource: BatchJob.resource, singular: "batchjob", shortNames: ["bj"], schema: BatchJob.schema, columns: [
            column("Phase", type: "string", path: ".status.phase", description: "Where the job is: Pending, Running, Retrying, Succeeded, Failed or Suspended."),
            column("Succeeded", type: "string", path: ".status.progress", description: "Succeeded of total indexes."),
            column("Attempts", type: "integer", path: ".status.attempts", description: "Pods created so far."),
            column("Duration", type: "string", path: ".status.duration", description: "From the first attempt to the end, once finished."),
            column("Age", type: "date", path: ".metadata.creationTimestamp"),
            column("Message", type: "string", path: ".status.message", description: "Why the job is where it is (kubectl get -o wide).", priority: 1),
        ])
    }

    /// The SparkJob CRD as JSON.
    public static var sparkJob: JSONValue {
        crd(resource: SparkJob.resource, singular: "sparkjob", shortNames: ["sj"], schema: SparkJob.schema, columns: [
            column("Phase", type: "string", path: ".status.phase", description: "Pending, Submitted, Running, Retrying, Succeeded, Failed or Suspended."),
            column("Attempts", type: "integer", path: ".status.attempts", description: "Driver pods created so far."),
            column("Executors", type: "integer", path: ".status.executors.running", description: "Executors running now."),
            column("Duration", type: "string", path: ".status.duration", description: "From the first attempt to the end, once finished."),
            column("Age", type: "date", path: ".metadata.creationTimestamp"),
            column("Message", type: "string", path: ".status.message", description: "Why the job is where it is (kubectl get -o wide).", priority: 1),
        ])
    }

    /// The JobSchedule CRD as JSON.
    public static var jobSchedule: JSONValue {
        crd(resource: JobSchedule.resource, singular: "jobschedule", shortNames: ["js"], schema: JobSchedule.schema, columns: [
            column("Schedule", type: "string", path: ".spec.schedule"),
            column("Suspend", type: "boolean", path: ".spec.suspend"),
            column("Active", type: "integer", path: ".status.activeCount", description: "Runs not finished."),
            column("Last", type: "date", path: ".status.lastScheduleTime", description: "The slot of the newest run."),
            column("Next", type: "date", path: ".status.nextScheduleTime"),
            column("Age", type: "date", path: ".metadata.creationTimestamp"),
        ])
    }

    /// The JobQueue CRD as JSON (cluster-scoped).
    public static var jobQueue: JSONValue {
        crd(resource: JobQueue.resource, singular: "jobqueue", shortNames: ["jq"], schema: JobQueue.schema, columns: [
            column("Strategy", type: "string", path: ".spec.queueingStrategy", description: "StrictFIFO or BestEffortFIFO."),
            column("Pending", type: "integer", path: ".status.pending", description: "Jobs waiting for admission."),
            column("Admitted", type: "integer", path: ".status.admitted", description: "Jobs admitted and not finished."),
            column("Running", type: "integer", path: ".status.running", description: "Admitted jobs running now."),
            column("Age", type: "date", path: ".metadata.creationTimestamp"),
        ])
    }

    /// Every CRD, as JSON, in the order of ``files()``.
    public static var all: [JSONValue] { [batchJob, sparkJob, jobQueue, jobSchedule] }

    /// A namespaced, single-version CRD with the status subresource and the categories
    /// `all` and `slipway`.
    public static func crd(resource: APIResource, singular: String, shortNames: [String], schema: OpenAPISchema, columns: [JSONValue]) -> JSONValue {
        let version: JSONValue = [
            "name": .string(resource.version),
            "served": true,
            "storage": true,
            "schema": ["openAPIV3Schema": schema.json],
            "subresources": ["status": [:]],
            "additionalPrinterColumns": .array(columns),
        ]
        return [
            "apiVersion": "apiextensions.k8s.io/v1",
            "kind": "CustomResourceDefinition",
            "metadata": ["name": .string("\(resource.plural).\(resource.group)")],
            "spec": [
                "group": .string(resource.group),
                "names": [
                    "kind": .string(resource.kind),
                    "listKind": .string(resource.kind + "List"),
                    "plural": .string(resource.plural),
                    "singular": .string(singular),
                    "shortNames": .array(shortNames.map(JSONValue.string)),
                    "categories": ["all", "slipway"],
                ],
                "scope": resource.namespaced ? "Namespaced" : "Cluster",
                "versions": [version],
            ],
        ]
    }

    /// One `additionalPrinterColumns` entry.
    /// `priority` 1 shows it only with `kubectl get -o wide`.
    public static func column(_ name: String, type: String, path: String, description: String? = nil, priority: Int = 0) -> JSONValue {
        var c: JSONValue = ["name": .string(name), "type": .string(type), "jsonPath": .string(path)]
        if let description { c["description"] = .string(description) }
        if priority != 0 { c["priority"] = .number(JSONNumber(priority)) }
        return c
    }

    /// YAML text of a JSON value: keys sorted (as controller-gen writes them), strings that
    /// would read back as another type quoted, no line folding, a `---` document start.
    public static func yaml(_ value: JSONValue) throws -> String {
        try Yams.serialize(node: node(value), width: -1, explicitStart: true, sortKeys: true)
    }

    static func node(_ value: JSONValue) -> Yams.Node {
        switch value {
        case .null: return .scalar(.init("null"))
        case .bool(let b): return .scalar(.init(b ? "true" : "false"))
        case .number(let n): return .scalar(.init(n.text))
        case .string(let s): return .scalar(s.represented())
        case .array(let items): return .sequence(.init(items.map(node)))
        case .object(let o): return .mapping(.init(o.map { (Yams.Node.scalar($0.key.represented()), node($0.value)) }))
        }
    }
}
