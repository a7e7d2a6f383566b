import Foundation
import KubeAPI

import SlipwayAPI

/// What the language of a Spark application decides: the driver's runner class, the
/// `spark.kubernetes.resource.type` and the default memory overhead factor.
extension SparkApplicationType {
    /// JVM applications get Spark's 0.1 overhead factor; Python and R get 0.4, because
    /// their interpreters live outside the JVM heap (`NonJVMResource` in spark-submit).
    public var isJVM: Bool { self == .scala || self == .java }

    /// The value spark-submit writes to `spark.kubernetes.resource.type`.
    public var resourceType: String {
        switch self {
        case .scala, .java: return "java"
        case .python: return "python"
        case .r: return "r"
        }
    }
}

/// What a SparkJob asks for one role (driver or executor).
///
/// The renderer writes what Spark configuration keys can express as keys (so that
/// `spark.properties` reads as if spark-submit had been given `--conf`) and the rest —
/// tolerations, affinity, env from sources, volume kinds Spark cannot mount — as a pod
/// template, exactly as a spark-submit user would have to.
public struct SparkRoleSettings: Sendable, Hashable {
    /// `spark.driver.cores` / `spark.executor.cores`.
    public var cores: Int?
    /// `spark.kubernetes.{driver,executor}.request.cores`, a Kubernetes cpu quantity ("500m").
    public var coreRequest: String?
    /// `spark.kubernetes.{driver,executor}.limit.cores`.
    public var coreLimit: String?
    /// `spark.driver.memory` / `spark.executor.memory`, in Spark's form ("1g", "512m").
    public var memory: String?
    /// `spark.{driver,executor}.memoryOverhead`, in Spark's form.
    public var memoryOverhead: String?
    /// `spark.{driver,executor}.memoryOverheadFactor`.
    public var memoryOverheadFactor: Double?
    /// Executors only: `spark.executor.instances`.
    public var instances: Int?
    /// `spark.kubernetes.authenticate.{driver,executor}.serviceAccountName`.
    public var serviceAccount: String?
    public var labels: [String: String]
    public var annotations: [String: String]
    /// Kubernetes `EnvVar` objects. Plain `name`/`value` pairs become Spark keys
    /// (`spark.kubernetes.driverEnv.*`, `spark.executorEnv.*`); others go to the pod template.
    public var env: [JSONValue]
    public var nodeSelector: [String: String]
    /// Kubernetes `Toleration` objects (pod template: Spark has no key for them).
    public var tolerations: [JSONValue]
    /// A Kubernetes `Affinity` object (pod template: Spark has no key for it).
    public var affinity: JSONValue?
    /// Kubernetes `Volume` objects for the pod.
    public var volumes: [JSONValue]
    /// Kubernetes `VolumeMount` objects for the main container.
    public var volumeMounts: [JSONValue]
    /// A `PodTemplateSpec`-like object (`metadata`, `spec`) for anything else; the base
    /// that Spark's own settings are applied over.
    public var podTemplate: JSONValue?

    public init(
        cores: Int? = nil, coreRequest: String? = nil, coreLimit: String? = nil,
        memory: String? = nil, memoryOverhead: String? = nil, memoryOverheadFactor: Double? = nil,
        instances: Int? = nil, serviceAccount: String? = nil,
        labels: [String: String] = [:], annotations: [String: String] = [:], env: [JSONValue] = [],
        nodeSelector: [String: String] = [:], tolerations: [JSONValue] = [], affinity: JSONValue? = nil,
        volumes: [JSONValue] = [], volumeMounts: [JSONValue] = [], podTemplate: JSONValue? = nil
    ) {
        self.cores = cores
        self.coreRequest = coreRequest
        self.coreLimit = coreLimit
        self.memory = memory
        self.memoryOverhead = memoryOverhead
        self.memoryOverheadFactor = memoryOverheadFactor
        self.instances = instances
        self.serviceAccount = serviceAccount
        self.labels = labels
        self.annotations = annotations
        self.env = env
        self.nodeSelector = nodeSelector
        self.tolerations = tolerations
        self.affinity = affinity
        self.volumes = volumes
        self.volumeMounts = volumeMounts
        self.podTemplate = podTemplate
    }
}

/// spark-submit's dependency options (`--jars`, `--files`, `--py-files`, `--packages`,
/// `--repositories`, `--exclude-packages`, `--archives`), each a list of URIs or coordinates.
public struct SparkDependencies: Sendable, Hashable {
    /// `spark.jars`; a JVM application's main file is appended as spark-submit does.
    public var jars: [String]
    /// `spark.files`.
    public var files: [String]
    /// `spark.submit.pyFiles` (always written, empty when none, as spark-submit does).
    public var pyFiles: [String]
    /// `spark.jars.packages`: Maven coordinates, resolved by the driver itself.
    public var packages: [String]
    /// `spark.jars.repositories`.
    public var repositories: [String]
    /// `spark.jars.excludes`.
    public var excludePackages: [String]
    /// `spark.archives`.
    public var archives: [String]

    public init(
        jars: [String] = [], files: [String] = [], pyFiles: [String] = [], packages: [String] = [],
        repositories: [String] = [], excludePackages: [String] = [], archives: [String] = []
    ) {
        self.jars = jars
        self.files = files
        self.pyFiles = pyFiles
        self.packages = packages
        self.repositories = repositories
        self.excludePackages = excludePackages
        self.archives = archives
    }
}

/// `spark.dynamicAllocation.*`.
public struct SparkDynamicAllocation: Sendable, Hashable {
    public var enabled: Bool
    public var initialExecutors: Int?
    public var minExecutors: Int?
    public var maxExecutors: Int?
    /// `spark.dynamicAllocation.shuffleTracking.enabled` (Kubernetes has no external
    /// shuffle service, so dynamic allocation there relies on shuffle tracking).
    public var shuffleTracking: Bool?

    public init(enabled: Bool = true, initialExecutors: Int? = nil, minExecutors: Int? = nil, maxExecutors: Int? = nil, shuffleTracking: Bool? = nil) {
        self.enabled = enabled
        self.initialExecutors = initialExecutors
        self.minExecutors = minExecutors
        self.maxExecutors = maxExecutors
        self.shuffleTracking = shuffleTracking
    }
}

/// Everything that decides what `spark-submit --deploy-mode cluster` creates for one
/// attempt. The random parts spark-submit would draw (application id, resource name
/// prefix, ConfigMap name, local dir, submit time) are inputs, so rendering is a pure,
/// deterministic function.
public struct SparkSubmission: Sendable, Hashable {
    /// e.g. "4.0.5" or "3.5.3": behaviour is keyed by major.minor (see ``SparkVersionLine``).
    public var sparkVersion: String
    public var type: SparkApplicationType
    /// `spark.app.name`; sanitised for the `spark-app-name` label by ``SparkSubmitRenderer/appNameLabel(_:)``.
    public var appName: String
    public var namespace: String
    /// "spark-<32 lowercase hex>": `spark.app.id`, the `spark-app-selector` label, `SPARK_APPLICATION_ID`.
    public var appId: String
    /// The driver pod is "<prefix>-driver" and the service "<prefix>-driver-svc"; see
    /// ``SparkSubmitRenderer/resourceNamePrefix(appName:uniqueID:)`` for Spark's form.
    public var resourceNamePrefix: String
    /// e.g. "spark-drv-<16 hex>-conf-map".
    public var configMapName: String
    /// `spark.kubernetes.executor.podNamePrefix` when set.
    public var executorPodNamePrefix: String?
    /// "spark-<uuid>": the driver's local dir is /var/data/<name>.
    public var localDirName: String
    /// `spark.app.submitTime` (milliseconds) and the date comment of `spark.properties`.
    public var submitTime: Date
    /// `SPARK_USER` of the driver (spark-submit takes the submitting user).
    public var sparkUser: String
    /// `spark.master`, e.g. "k8s://https://kubernetes.default.svc".
    public var masterURL: String
    public var image: String
    /// `spark.kubernetes.container.image.pullPolicy`; Spark's default is IfNotPresent.
    public var imagePullPolicy: String?
    public var imagePullSecrets: [String]
    public var mainApplicationFile: String
    /// Required for Scala and Java applications.
    public var mainClass: String?
    public var arguments: [String]
    /// The user's other keys (`--conf`).
    public var sparkConf: [String: String]
    /// Written as `spark.hadoop.<key>`.
    public var hadoopConf: [String: String]
    public var deps: SparkDependencies
    public var driver: SparkRoleSettings
    public var executor: SparkRoleSettings
    public var dynamicAllocation: SparkDynamicAllocation?
    /// Slipway's bookkeeping labels for the driver pod: on the pod only (like pod template
    /// labels), not in `spark.properties` and not in the driver Service's selector.
    public var driverPodLabels: [String: String]
    /// Slipway's bookkeeping labels for executors: `spark.kubernetes.executor.label.<k>`.
    public var executorPodLabels: [String: String]

    public init(
        sparkVersion: String, type: SparkApplicationType, appName: String, namespace: String,
        appId: String, resourceNamePrefix: String, configMapName: String, executorPodNamePrefix: String? = nil,
        localDirName: String, submitTime: Date, sparkUser: String = "root",
        masterURL: String = "k8s://https://kubernetes.default.svc", image: String,
        imagePullPolicy: String? = nil, imagePullSecrets: [String] = [],
        mainApplicationFile: String, mainClass: String? = nil, arguments: [String] = [],
        sparkConf: [String: String] = [:], hadoopConf: [String: String] = [:], deps: SparkDependencies = SparkDependencies(),
        driver: SparkRoleSettings = SparkRoleSettings(), executor: SparkRoleSettings = SparkRoleSettings(),
        dynamicAllocation: SparkDynamicAllocation? = nil,
        driverPodLabels: [String: String] = [:], executorPodLabels: [String: String] = [:]
    ) {
        self.sparkVersion = sparkVersion
        self.type = type
        self.appName = appName
        self.namespace = namespace
        self.appId = appId
        self.resourceNamePrefix = resourceNamePrefix
        self.configMapName = configMapName
        self.executorPodNamePrefix = executorPodNamePrefix
        self.localDirName = localDirName
        self.submitTime = submitTime
        self.sparkUser = sparkUser
        self.masterURL = masterURL
        self.image = image
        self.imagePullPolicy = imagePullPolicy
        self.imagePullSecrets = imagePullSecrets
        self.mainApplicationFile = mainApplicationFile
        self.mainClass = mainClass
        self.arguments = arguments
        self.sparkConf = sparkConf
        self.hadoopConf = hadoopConf
        self.deps = deps
        self.driver = driver
        self.executor = executor
        self.dynamicAllocation = dynamicAllocation
        self.driverPodLabels = driverPodLabels
        self.executorPodLabels = executorPodLabels
    }

    /// The settings of `role`.
    public func settings(for role: SparkRole) -> SparkRoleSettings {
        role == .driver ? driver : executor
    }
}
