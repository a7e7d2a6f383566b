import Foundation
import KubeAPI
import SlipwayAPI

// MARK: - The effective Spark configuration (what spark.properties holds)

extension SparkSubmitRenderer {
    /// Keys spark-submit uses to reach the API server; the operator does not submit through
    /// spark-submit, so they never reach `spark.properties` (spark-submit would copy them).
    public static let submissionCredentialPrefix = "spark.kubernetes.authenticate.submission."
    /// Where PodTemplateConfigMapStep mounts the executor pod template in the driver.
    public static let executorTemplateDirectory = "/opt/spark/pod-template"
    public static let executorTemplateFileName = "pod-spec-template.yml"
    /// The ConfigMap key PodTemplateConfigMapStep stores the template under.
    public static let executorTemplateKey = "podspec-configmap-key"
    static let driverPresetLabels: Set<String> = ["spark-version", "spark-app-selector", "spark-app-name", "spark-role"]
    static let executorPresetLabels: Set<String> = driverPresetLabels.union(["spark-exec-id", "spark-resource-profile-id"])

    /// The configuration the driver will read, in three layers, later ones winning:
    /// 1. the user's `sparkConf` (like `--conf`), without submission credentials;
    /// 2. keys for the typed settings, which win like spark-submit's own options
    ///    (`--driver-memory` beats `--conf spark.driver.memory`), so that an attempt's
    ///    adapted memory or executor count always takes effect;
    /// 3. the keys spark-submit itself sets (application id, master, deploy mode, driver
    ///    pod name and host, namespace, resource type, ports, overhead factor, …).
    /// Where Spark reads a user key to compute its own (ports, the overhead factor), the
    /// user's value is the one written, as with spark-submit.
    static func effectiveConf(_ s: SparkSubmission, driver: SparkRolePlan,
                              executor: SparkRolePlan, hasExecutorTemplate: Bool) -> [String: String] {
        var conf = s.sparkConf.filter { !$0.key.hasPrefix(submissionCredentialPrefix) }
        addTypedKeys(&conf, s, driver: driver, executor: executor)
        addSubmitKeys(&conf, s, hasExecutorTemplate: hasExecutorTemplate)
        return conf
    }

    /// Layer 2: the typed settings as the keys spark-submit's options and `--conf` set.
    private static func addTypedKeys(_ conf: inout [String: String], _ s: SparkSubmission, driver: SparkRolePlan, executor: SparkRolePlan) {
        conf["spark.app.name"] = s.appName
        conf["spark.kubernetes.container.image"] = s.image
        if let policy = s.imagePullPolicy { conf["spark.kubernetes.container.image.pullPolicy"] = policy }
        if !s.imagePullSecrets.isEmpty { conf["spark.kubernetes.container.image.pullSecrets"] = s.imagePullSecrets.joined(separator: ",") }
        if let prefix = s.executorPodNamePrefix { conf["spark.kubernetes.executor.podNamePrefix"] = prefix }
        let lists: [(String, [String])] = [
            ("spark.jars", s.deps.jars), ("spark.files", s.deps.files), ("spark.submit.pyFiles", s.deps.pyFiles),
            ("spark.archives", s.deps.archives), ("spark.jars.packages", s.deps.packages),
            ("spark.jars.repositories", s.deps.repositories), ("spark.jars.excludes", s.deps.excludePackages),
        ]
        for (key, values) in lists where !values.isEmpty { conf[key] = values.joined(separator: ",") }
        addRoleKeys(&conf, s.driver, plan: driver, role: .driver)
        var executorSettings = s.executor
        executorSettings.labels.merge(s.executorPodLabels) { _, bookkeeping in bookkeeping }
        addRoleKeys(&conf, executorSettings, plan: executor, role: .executor)
        if let dynamic = s.dynamicAllocation {
            conf["spark.dynamicAllocation.enabled"] = String(dynamic.enabled)
            if let n = dynamic.initialExecutors { conf["spark.dynamicAllocation.initialExecutors"] = String(n) }
            if let n = dynamic.minExecutors { conf["spark.dynamicAllocation.minExecutors"] = String(n) }
            if let n = dynamic.maxExecutors { conf["spark.dynamicAllocation.maxExecutors"] = String(n) }
            if let on = dynamic.shuffleTracking { conf["spark.dynamicAllocation.shuffleTracking.enabled"] = String(on) }
        }
        for (key, value) in s.hadoopConf { conf["spark.hadoop." + key] = value }
    }

    /// Layer 3: what spark-submit sets itself (SparkSubmit.scala, KubernetesClientApplication.scala,
    /// BasicDriverFeatureStep, DriverServiceFeatureStep, PodTemplateConfigMapStep; the same in 3.5 and 4.0).
    private static func addSubmitKeys(_ conf: inout [String: String], _ s: SparkSubmission, hasExecutorTemplate: Bool) {
        conf["spark.master"] = s.masterURL
        conf["spark.submit.deployMode"] = "cluster"
        conf["spark.app.id"] = s.appId
        conf["spark.app.submitTime"] = String(Int64((s.submitTime.timeIntervalSince1970 * 1000).rounded(.down)))
        conf["spark.kubernetes.namespace"] = s.namespace
        conf["spark.kubernetes.driver.pod.name"] = driverPodName(s)
        conf["spark.kubernetes.submitInDriver"] = "true"
        conf["spark.kubernetes.resource.type"] = s.type.resourceType
        conf["spark.kubernetes.memoryOverheadFactor"] = javaDouble(defaultOverheadFactor(type: s.type, sparkConf: conf))
        conf["spark.driver.host"] = "\(driverServiceName(resourceNamePrefix: s.resourceNamePrefix)).\(s.namespace).svc"
        conf["spark.driver.port"] = String(intValue(conf["spark.driver.port"]) ?? defaultDriverPort)
        conf["spark.driver.blockManager.port"] = String(intValue(conf["spark.driver.blockManager.port"]) ?? defaultBlockManagerPort)
        // SparkSubmit writes spark.submit.pyFiles for every application, empty when none.
        conf["spark.submit.pyFiles"] = conf["spark.submit.pyFiles"] ?? ""
        if s.type.isJVM {
            // KubernetesClientApplication adds a JVM application's main resource to spark.jars
            // unless listed (SparkLauncher.NO_RESOURCE, "spark-internal", is not a file).
            var jars = (conf["spark.jars"] ?? "").split(separator: ",").map(String.init)
            let main = s.mainApplicationFile
            if !main.isEmpty, main != noResource, !jars.contains(main) { jars.append(main) }
            conf["spark.jars"] = jars.joined(separator: ",")
        }
        if hasExecutorTemplate {
            conf["spark.kubernetes.executor.podTemplateFile"] = "\(executorTemplateDirectory)/\(executorTemplateFileName)"
        }
    }

    private static func addRoleKeys(_ conf: inout [String: String], _ settings: SparkRoleSettings, plan: SparkRolePlan, role: SparkRole) {
        let spark = "spark.\(role.rawValue)."
        let kube = "spark.kubernetes.\(role.rawValue)."
        if let cores = settings.cores { conf[spark + "cores"] = String(cores) }
        if let request = settings.coreRequest { conf[kube + "request.cores"] = request }
        if let limit = settings.coreLimit { conf[kube + "limit.cores"] = limit }
        if let memory = settings.memory { conf[spark + "memory"] = memory }
        if let overhead = settings.memoryOverhead { conf[spark + "memoryOverhead"] = overhead }
        if let factor = settings.memoryOverheadFactor { conf[spark + "memoryOverheadFactor"] = javaDouble(factor) }
        if role == .executor, let instances = settings.instances { conf["spark.executor.instances"] = String(instances) }
        if let account = settings.serviceAccount {
            conf["spark.kubernetes.authenticate.\(role.rawValue).serviceAccountName"] = account
        }
        let reserved = role == .driver ? driverPresetLabels : executorPresetLabels
        for (key, value) in settings.labels where !reserved.contains(key) { conf[kube + "label." + key] = value }
        for (key, value) in settings.annotations { conf[kube + "annotation." + key] = value }
        for (key, value) in settings.nodeSelector { conf[kube + "node.selector." + key] = value }
        let envPrefix = role == .driver ? "spark.kubernetes.driverEnv." : "spark.executorEnv."
        for (name, value) in plan.confEnv { conf[envPrefix + name] = value }
        for volume in plan.confVolumes {
            for (key, value) in volume.keys(prefix: kube + "volumes.") { conf[key] = value }
        }
    }

    // MARK: Reading the configuration back

    static let defaultDriverPort = 7078
    static let defaultBlockManagerPort = 7079
    static let defaultUIPort = 4040
    /// `SparkLauncher.NO_RESOURCE`: a JVM application whose classes are already in the image.
    public static let noResource = "spark-internal"

    static func driverPodName(_ s: SparkSubmission) -> String { "\(s.resourceNamePrefix)-driver" }

    static func intValue(_ text: String?) -> Int? { text.flatMap { Int($0.trimmingCharacters(in: .whitespaces)) } }

    /// The entries under `prefix`, keyed by the rest of the key.
    static func withPrefix(_ prefix: String, in conf: [String: String]) -> [String: String] {
        var result: [String: String] = [:]
        for (key, value) in conf where key.hasPrefix(prefix) && key.count > prefix.count {
            result[String(key.dropFirst(prefix.count))] = value
        }
        return result
    }

    /// `Utils.substituteAppNExecIds`: `{{APP_ID}}` → the application id, `{{EXECUTOR_ID}}` → "" on the driver.
    static func substituteIDs(_ text: String, appId: String) -> String {
        text.replacingOccurrences(of: "{{APP_ID}}", with: appId).replacingOccurrences(of: "{{EXECUTOR_ID}}", with: "")
    }
}
