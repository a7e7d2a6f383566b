import Foundation
import KubeAPI

/// A Spark application run the way `spark-submit --deploy-mode cluster` runs it — without a
/// JVM in the operator — retried with what the failure calls for. The spec follows
/// kubeflow's `SparkApplication` (docs/sparkjob.md is the contract).
public struct SparkJob: KubeObject {
    public static let resource = APIResource(group: "slipway.dev", version: "v1alpha1", kind: "SparkJob", plural: "sparkjobs", namespaced: true)
    public var object: JSONObject
    public init(object: JSONObject) { self.object = object }

    public var spec: SparkJobSpec { get { self[object: "spec"] } set { self[object: "spec"] = newValue } }
    public var status: SparkJobStatus { get { self[object: "status"] } set { self[object: "status"] = newValue } }
}

/// The language of the application: it decides the main class spark-submit runs and the
/// memory overhead factor of non-JVM applications.
public enum SparkApplicationType: String, Sendable, Hashable, CaseIterable {
    case scala = "Scala", java = "Java", python = "Python", r = "R"
}

/// What the user asks for.
public struct SparkJobSpec: JSONBacked {
    public var object: JSONObject
    public init(object: JSONObject) { self.object = object }

    public var type: SparkApplicationType? {
        get { (self["type"] as String?).flatMap(SparkApplicationType.init(rawValue:)) }
        set { self["type"] = newValue?.rawValue }
    }
    /// The Spark version of the image, e.g. `4.0.5`: it decides what is rendered.
    public var sparkVersion: String { get { self["sparkVersion"] ?? "" } set { self["sparkVersion"] = newValue } }
    public var image: String? { get { self["image"] } set { self["image"] = newValue } }
    public var imagePullPolicy: String? { get { self["imagePullPolicy"] } set { self["imagePullPolicy"] = newValue } }
    public var imagePullSecrets: [String] { get { self[list: "imagePullSecrets"] } set { self[list: "imagePullSecrets"] = newValue } }
    public var mainApplicationFile: String? { get { self["mainApplicationFile"] } set { self["mainApplicationFile"] = newValue } }
    public var mainClass: String? { get { self["mainClass"] } set { self["mainClass"] = newValue } }
    public var arguments: [String] { get { self[list: "arguments"] } set { self[list: "arguments"] = newValue } }
    public var sparkConf: [String: String] { get { self[map: "sparkConf"] } set { self[map: "sparkConf"] = newValue } }
    public var hadoopConf: [String: String] { get { self[map: "hadoopConf"] } set { self[map: "hadoopConf"] = newValue } }
    public var deps: SparkDeps { get { self[object: "deps"] } set { self[object: "deps"] = newValue } }
    /// Values substituted for `$(params.NAME)` in arguments, sparkConf values and env values.
    public var parameters: [String: String] { get { self[map: "parameters"] } set { self[map: "parameters"] = newValue } }
    public var driver: SparkPodSpec { get { self[object: "driver"] } set { self[object: "driver"] = newValue } }
    public var executor: SparkPodSpec { get { self[object: "executor"] } set { self[object: "executor"] = newValue } }
    public var dynamicAllocation: SparkDynamicAllocationSpec? { get { self["dynamicAllocation"] } set { self["dynamicAllocation"] = newValue } }
    public var retryStrategy: RetryStrategy { get { self[object: "retryStrategy"] } set { self[object: "retryStrategy"] = newValue } }
    public var adapt: SparkAdaptation { get { self[object: "adapt"] } set { self[object: "adapt"] = newValue } }
    public var timeouts: SparkTimeouts { get { self[object: "timeouts"] } set { self[object: "timeouts"] = newValue } }
    public var suspend: Bool { get { self["suspend"] ?? false } set { self["suspend"] = newValue } }
    /// Bumped to retry a Failed job: a new attempt with its learned settings (docs/sparkjob.md).
    public var retryGeneration: Int { get { self["retryGeneration"] ?? 0 } set { self["retryGeneration"] = newValue } }
    public var ttlSecondsAfterFinished: Int? { get { self["ttlSecondsAfterFinished"] } set { self["ttlSecondsAfterFinished"] = newValue } }
    public var queue: String? { get { self["queue"] } set { self["queue"] = newValue } }
    public var priority: Int? { get { self["priority"] } set { self["priority"] = newValue } }
    public var dedupKey: String? { get { self["dedupKey"] } set { self["dedupKey"] = newValue } }
    public var dependsOn: [Dependency] { get { self[list: "dependsOn"] } set { self[list: "dependsOn"] = newValue } }
}

/// Jars, files and packages the application needs (spark-submit's `--jars`, `--files`, …).
public struct SparkDeps: JSONBacked {
    public var object: JSONObject
    public init(object: JSONObject) { self.object = object }

    public var jars: [String] { get { self[list: "jars"] } set { self[list: "jars"] = newValue } }
    public var files: [String] { get { self[list: "files"] } set { self[list: "files"] = newValue } }
    public var pyFiles: [String] { get { self[list: "pyFiles"] } set { self[list: "pyFiles"] = newValue } }
    public var archives: [String] { get { self[list: "archives"] } set { self[list: "archives"] = newValue } }
    public var packages: [String] { get { self[list: "packages"] } set { self[list: "packages"] = newValue } }
    public var excludePackages: [String] { get { self[list: "excludePackages"] } set { self[list: "excludePackages"] = newValue } }
    public var repositories: [String] { get { self[list: "repositories"] } set { self[list: "repositories"] = newValue } }
}

/// The driver's or the executors' pod settings.
public struct SparkPodSpec: JSONBacked {
    public var object: JSONObject
    public init(object: JSONObject) { self.object = object }

    public var cores: Int? { get { self["cores"] } set { self["cores"] = newValue } }
    /// The cpu request, when it should differ from `cores` (`500m`).
    public var coreRequest: String? { get { self["coreRequest"] } set { self["coreRequest"] = newValue } }
    public var coreLimit: String? { get { self["coreLimit"] } set { self["coreLimit"] = newValue } }
    /// JVM heap in Spark's form (`512m`, `2g`).
    public var memory: String? { get { self["memory"] } set { self["memory"] = newValue } }
    public var memoryOverhead: String? { get { self["memoryOverhead"] } set { self["memoryOverhead"] = newValue } }
    /// Executors only.
    public var instances: Int? { get { self["instances"] } set { self["instances"] = newValue } }
    public var serviceAccount: String? { get { self["serviceAccount"] } set { self["serviceAccount"] = newValue } }
    public var labels: [String: String] { get { self[map: "labels"] } set { self[map: "labels"] = newValue } }
    public var annotations: [String: String] { get { self[map: "annotations"] } set { self[map: "annotations"] = newValue } }
    public var env: [JSONValue] { get { self[list: "env"] } set { self[list: "env"] = newValue } }
    public var nodeSelector: [String: String] { get { self[map: "nodeSelector"] } set { self[map: "nodeSelector"] = newValue } }
    public var tolerations: [JSONValue] { get { self[list: "tolerations"] } set { self[list: "tolerations"] = newValue } }
    public var affinity: JSONValue? { get { self["affinity"] } set { self["affinity"] = newValue } }
    public var volumes: [JSONValue] { get { self[list: "volumes"] } set { self[list: "volumes"] = newValue } }
    public var volumeMounts: [JSONValue] { get { self[list: "volumeMounts"] } set { self[list: "volumeMounts"] = newValue } }
    /// A pod template (`{metadata, spec}`) for anything else; Spark's settings override it.
    public var template: JSONValue? { get { self["template"] } set { self["template"] = newValue } }
}

/// Spark's dynamic allocation.
public struct SparkDynamicAllocationSpec: JSONBacked {
    public var object: JSONObject
    public init(object: JSONObject) { self.object = object }

    public var enabled: Bool { get { self["enabled"] ?? false } set { self["enabled"] = newValue } }
    public var initialExecutors: Int? { get { self["initialExecutors"] } set { self["initialExecutors"] = newValue } }
    public var minExecutors: Int? { get { self["minExecutors"] } set { self["minExecutors"] = newValue } }
    public var maxExecutors: Int? { get { self["maxExecutors"] } set { self["maxExecutors"] = newValue } }
    public var shuffleTracking: Bool? { get { self["shuffleTracking"] } set { self["shuffleTracking"] = newValue } }
}

/// How a SparkJob's next attempt differs from a failed one. Caps are mandatory.
public struct SparkAdaptation: JSONBacked {
    public var object: JSONObject
    public init(object: JSONObject) { self.object = object }

    /// After the driver ran out of memory: driver memory × factor, at most max.
    public var driverMemory: SparkMemoryAdaptation? { get { self["driverMemory"] } set { self["driverMemory"] = newValue } }
    /// After an executor ran out of memory (OOMKilled/137, exit 52, java.lang.OutOfMemoryError).
    public var executorMemory: SparkMemoryAdaptation? { get { self["executorMemory"] } set { self["executorMemory"] = newValue } }
    /// After executors were lost or did not start in time: more executors.
    public var executors: SparkExecutorAdaptation? { get { self["executors"] } set { self["executors"] = newValue } }
    public var capacity: SparkCapacityAdaptation? { get { self["capacity"] } set { self["capacity"] = newValue } }
}

/// Memory × factor, at most max (both in Spark's form).
public struct SparkMemoryAdaptation: JSONBacked {
    public var object: JSONObject
    public init(object: JSONObject) { self.object = object }

    public var factor: Double { get { self["factor"] ?? 2 } set { self["factor"] = newValue } }
    public var max: String? { get { self["max"] } set { self["max"] = newValue } }
}

/// More executors: `+ step` or `× factor` (step wins when both are set), at most max.
public struct SparkExecutorAdaptation: JSONBacked {
    public var object: JSONObject
    public init(object: JSONObject) { self.object = object }

    public var step: Int? { get { self["step"] } set { self["step"] = newValue } }
    public var factor: Double? { get { self["factor"] } set { self["factor"] = newValue } }
    public var max: Int? { get { self["max"] } set { self["max"] = newValue } }
}

/// Where the driver and the executors run: the driver on on-demand capacity, executors on
/// spot first and on-demand after an interruption or a number of failures.
public struct SparkCapacityAdaptation: JSONBacked {
    public var object: JSONObject
    public init(object: JSONObject) { self.object = object }

    /// `on-demand` (default), `spot` or `any`.
    public var driver: String { get { self["driver"] ?? "on-demand" } set { self["driver"] = newValue } }
    /// Where the first attempt's executors run: `spot` (default), `on-demand` or `any`.
    public var executors: String { get { self["executors"] ?? "spot" } set { self["executors"] = newValue } }
    /// When executors move to on-demand (default: after an Interrupted failure).
    public var executorsOnDemandAfter: OnDemandAfter { get { self[object: "executorsOnDemandAfter"] } set { self[object: "executorsOnDemandAfter"] = newValue } }
}

/// Time limits of a SparkJob.
public struct SparkTimeouts: JSONBacked {
    public var object: JSONObject
    public init(object: JSONObject) { self.object = object }

    /// How long the driver pod may take to start running.
    public var driverStartSeconds: Int? { get { self["driverStartSeconds"] } set { self["driverStartSeconds"] = newValue } }
    /// How long after the driver runs the minimum executors must be running.
    public var executorStartSeconds: Int? { get { self["executorStartSeconds"] } set { self["executorStartSeconds"] = newValue } }
    /// How long one attempt may run (the driver pod's activeDeadlineSeconds).
    public var runSeconds: Int? { get { self["runSeconds"] } set { self["runSeconds"] = newValue } }
}
