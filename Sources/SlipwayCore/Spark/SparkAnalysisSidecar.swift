import Foundation
import KubeAPI
import SlipwayAPI

/// The operator's analysis settings (`--analysis`, `--analysis-image`,
/// `--analysis-events-size-limit`; the chart's `analysis.*`).
public struct SparkAnalysisDefaults: Sendable, Hashable {
    /// Whether SparkJobs that do not say are analysed.
    public var enabled: Bool
    /// The image of the sidecar: the operator's own (`slipway analyze`).
    public var image: String
    /// The `sizeLimit` of the event-log emptyDir.
    public var eventsSizeLimit: String

    /// The operator's image as the chart names it by default.
    public static let defaultImage = "ghcr.io/slipway-dev/slipway:0.1.0-dev"
    public static let defaultEventsSizeLimit = "1Gi"

    public init(enabled: Bool = false, image: String = SparkAnalysisDefaults.defaultImage, eventsSizeLimit: String = SparkAnalysisDefaults.defaultEventsSizeLimit) {
        self.enabled = enabled
        self.image = image
        self.eventsSizeLimit = eventsSizeLimit
    }
}

/// What `spec.analysis` adds to an attempt (docs/analysis.md): on the driver pod only, an
/// emptyDir `slipway-events` the driver writes its event log into, and a native sidecar (an
/// init container with `restartPolicy: Always`) running `slipway analyze --follow` on it, which
/// leaves the ranked findings as its termination message; in spark.properties, the event-log
/// settings that point Spark there.
public struct SparkAnalysisSidecar: Sendable, Hashable {
    public static let containerName = "slipway-analysis"
    public static let volumeName = "slipway-events"
    public static let eventsDirectory = "/var/run/slipway/events"
    public static let terminationMessagePath = "/dev/termination-log"
    /// The user of the Apache Spark images (`spark`, uid and gid 185): Spark writes its event
    /// log with mode 770, so the sidecar reads it as the driver's user.
    public static let sparkImageUser: Int64 = 185

    public var image: String
    public var eventsSizeLimit: String
    /// `spec.analysis.thresholds`, passed as JSON.
    public var thresholds: JSONObject?

    public init(image: String, eventsSizeLimit: String = SparkAnalysisDefaults.defaultEventsSizeLimit, thresholds: JSONObject? = nil) {
        self.image = image
        self.eventsSizeLimit = eventsSizeLimit
        self.thresholds = thresholds
    }

    /// The sidecar of `job`'s attempts, or nil when it is not analysed.
    public static func of(_ job: SparkJob, defaults: SparkAnalysisDefaults) -> SparkAnalysisSidecar? {
        guard job.spec.analysisEnabled(byDefault: defaults.enabled) else { return nil }
        return SparkAnalysisSidecar(image: defaults.image, eventsSizeLimit: defaults.eventsSizeLimit, thresholds: job.spec.analysis.thresholds)
    }

    /// The event-log settings Spark gets (a user's own value of the others wins; a user's
    /// `spark.eventLog.dir` makes an explicitly analysed job Invalid).
    public static let sparkConf: [(key: String, value: String, overridable: Bool)] = [
        ("spark.eventLog.enabled", "true", false),
        ("spark.eventLog.dir", "file://" + eventsDirectory, false),
        // Heap peaks per executor: without them the memory analyser stays silent.
        ("spark.eventLog.logStageExecutorMetrics", "true", true),
        // The sidecar reads each rolled file once; compression is left to Spark's default.
        ("spark.eventLog.rolling.enabled", "true", true),
        ("spark.eventLog.rolling.maxFileSize", "64m", true),
    ]

    /// `conf` with the event-log settings.
    func apply(to conf: inout [String: String]) {
        for (key, value, overridable) in Self.sparkConf where !overridable || conf[key] == nil { conf[key] = value }
    }

    /// `slipway analyze --follow … --termination-log /dev/termination-log --hold`.
    public var arguments: [String] {
        var args = ["analyze", "--follow", Self.eventsDirectory, "--termination-log", Self.terminationMessagePath, "--hold"]
        if let thresholds, !thresholds.isEmpty { args += ["--thresholds-json", JSON.string(.object(thresholds))] }
        return args
    }

    /// The driver pod with the volume, the driver container's mount and the sidecar.
    func apply(to pod: inout Pod) {
        var spec = pod.spec.object
        var volumes = spec["volumes"]?.arrayValue ?? []
        volumes.append(["name": .string(Self.volumeName), "emptyDir": ["sizeLimit": .string(eventsSizeLimit)]])
        spec["volumes"] = .array(volumes)
        let mount: JSONValue = ["name": .string(Self.volumeName), "mountPath": .string(Self.eventsDirectory)]
        var containers = spec["containers"]?.arrayValue ?? []
        var driverSecurity: JSONObject?
        if let i = containers.firstIndex(where: { $0.objectValue?["name"]?.stringValue == SparkLabels.driverContainer }) ?? containers.indices.last,
           var driver = containers[i].objectValue {
            driver["volumeMounts"] = .array((driver["volumeMounts"]?.arrayValue ?? []) + [mount])
            driverSecurity = driver["securityContext"]?.objectValue
            containers[i] = .object(driver)
        }
        spec["containers"] = .array(containers)
        let podSecurity = spec["securityContext"]?.objectValue
        let user = driverSecurity?["runAsUser"] ?? podSecurity?["runAsUser"] ?? .number(JSONNumber(Int(Self.sparkImageUser)))
        let group = driverSecurity?["runAsGroup"] ?? podSecurity?["runAsGroup"] ?? .number(JSONNumber(Int(Self.sparkImageUser)))
        let sidecar: JSONObject = [
            "name": .string(Self.containerName),
            "image": .string(image),
            "imagePullPolicy": "IfNotPresent",
            "restartPolicy": "Always",
            "args": .array(arguments.map { .string($0) }),
            "resources": ["requests": ["cpu": "50m", "memory": "64Mi"], "limits": ["memory": "256Mi"]],
            "volumeMounts": [mount],
            "terminationMessagePath": .string(Self.terminationMessagePath),
            "terminationMessagePolicy": "File",
            "securityContext": [
                "runAsUser": user, "runAsGroup": group, "allowPrivilegeEscalation": false,
                "readOnlyRootFilesystem": true, "capabilities": ["drop": ["ALL"]],
            ],
        ]
        spec["initContainers"] = .array((spec["initContainers"]?.arrayValue ?? []) + [.object(sidecar)])
        pod.spec = PodSpec(object: spec)
    }
}
