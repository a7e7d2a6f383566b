import Foundation
import KubeAPI
import SlipwayAPI

/// What `spark-submit --deploy-mode cluster` creates for one application on Kubernetes.
public struct SparkSubmitObjects: Sendable {
    /// The driver pod as spark-submit POSTs it (with `metadata.namespace` set).
    public var driverPod: Pod
    /// The headless driver Service, as spark-submit applies it, without its owner
    /// reference: the caller adds the driver pod as owner once the pod exists.
    public var service: Service
    /// `spark.properties` and `spark.kubernetes.namespace`, immutable; no owner reference.
    public var configMap: ConfigMap
    /// The executor pod template, when executors need one; mounted into the driver and
    /// named by `spark.kubernetes.executor.podTemplateFile`. No owner reference.
    public var podTemplateConfigMap: ConfigMap?
    /// The `spark.properties` entries in file order (sorted by key).
    public var properties: [(key: String, value: String)]
    /// Request and limit of the driver container: memory plus overhead, MiB.
    public var driverMemoryMiB: Int
    /// What the driver will request for each executor: memory plus overhead (plus PySpark
    /// and off-heap memory when configured), MiB.
    public var executorMemoryMiB: Int

    /// The value of one `spark.properties` entry.
    public func property(_ key: String) -> String? { properties.first { $0.key == key }?.value }
}

/// Renders, without a JVM, exactly what `spark-submit --deploy-mode cluster` creates on
/// Kubernetes for Spark 3.5 and 4.0: the driver pod, its headless Service, the ConfigMap
/// with `spark.properties` and, when executors need one, the executor pod template
/// ConfigMap. The driver then creates the executors itself, as always with Spark.
///
/// The facts come from Spark's Kubernetes sources (resource-managers/kubernetes/core:
/// KubernetesClientApplication, KubernetesConf, the driver feature steps, Config and
/// Constants; core SparkSubmit) and were checked against the request bodies the real
/// spark-submit of pyspark 3.5.9 and 4.0.5 sent, one of which is recorded in
/// shared/reference/spark-submit-4.0-python. Where the two lines differ,
/// ``SparkVersionLine`` says how.
///
/// Differences from a real spark-submit, on purpose:
/// - the random names are inputs, so rendering is deterministic;
/// - `spark.properties` is sorted by key (spark-submit writes a hash map's order), and so
///   are other orders spark-submit takes from a hash map (driver env, volumes from keys),
///   except that typed settings keep the order they were given in;
/// - submission credentials (`spark.kubernetes.authenticate.submission.*`) are never
///   written: the operator talks to the API server itself;
/// - `metadata.namespace` is set on every object (spark-submit puts it in the URL);
/// - no owner references: the caller adds the driver pod once it has its UID.
public enum SparkSubmitRenderer {
    /// Everything spark-submit would create for `submission`.
    public static func render(_ submission: SparkSubmission) -> SparkSubmitObjects {
        let s = submission
        let line = SparkVersionLine(sparkVersion: s.sparkVersion)
        let driverPlan = SparkRolePlan(s.driver, line: line)
        let executorPlan = SparkRolePlan(s.executor, line: line)
        let needsTemplate = needsExecutorTemplate(s.executor, plan: executorPlan)
        let conf = effectiveConf(s, driver: driverPlan, executor: executorPlan, hasExecutorTemplate: needsTemplate)
        let template = executorTemplate(s, conf: conf, plan: executorPlan)

        let properties = conf.keys.sorted().map { (key: $0, value: conf[$0]!) }
        let driverMiB = containerMemoryMiB(
            memory: s.driver.memory, overhead: s.driver.memoryOverhead, factor: s.driver.memoryOverheadFactor,
            role: .driver, type: s.type, sparkVersion: s.sparkVersion, sparkConf: conf)
        let executorMiB = containerMemoryMiB(
            memory: s.executor.memory, overhead: s.executor.memoryOverhead, factor: s.executor.memoryOverheadFactor,
            role: .executor, type: s.type, sparkVersion: s.sparkVersion, sparkConf: conf)
        let pod = driverPod(s, line: line, conf: conf, plan: driverPlan, hasExecutorTemplate: template != nil, memoryMiB: driverMiB)
        return SparkSubmitObjects(
            driverPod: pod,
            service: driverService(s, line: line, conf: conf),
            configMap: propertiesConfigMap(s, properties: properties),
            podTemplateConfigMap: template.map { executorTemplateConfigMap(s, template: $0) },
            properties: properties,
            driverMemoryMiB: driverMiB,
            executorMemoryMiB: executorMiB)
    }

    // MARK: - Service

    /// The headless Service DriverServiceFeatureStep creates (3.5 and 4.0): labelled with
    /// the application id plus `spark.kubernetes.driver.service.label.*`, annotated with
    /// `…service.annotation.*`, `clusterIP: None`, single-stack IPv4 unless
    /// `…service.ipFamilyPolicy` / `…service.ipFamilies` say otherwise, the three driver
    /// ports (the block manager port here is `spark.driver.blockManager.port` or 7079,
    /// never `spark.blockManager.port`), selecting the driver's Spark labels.
    static func driverService(_ s: SparkSubmission, line: SparkVersionLine, conf: [String: String]) -> Service {
        var service = Service(name: driverServiceName(resourceNamePrefix: s.resourceNamePrefix), namespace: s.namespace)
        var labels = ["spark-app-selector": s.appId]
        labels.merge(withPrefix("spark.kubernetes.driver.service.label.", in: conf)) { _, user in user }
        service.metadata.labels = labels
        let annotations = withPrefix("spark.kubernetes.driver.service.annotation.", in: conf)
        if !annotations.isEmpty { service.metadata.annotations = annotations }
        let families = (conf["spark.kubernetes.driver.service.ipFamilies"] ?? "IPv4").split(separator: ",")
            .map { JSONValue.string($0.trimmingCharacters(in: .whitespaces)) }
        let ports: [(String, Int)] = [
            ("driver-rpc-port", intValue(conf["spark.driver.port"]) ?? defaultDriverPort),
            ("blockmanager", intValue(conf["spark.driver.blockManager.port"]) ?? defaultBlockManagerPort),
            ("spark-ui", intValue(conf["spark.ui.port"]) ?? defaultUIPort),
        ]
        let spec: JSONObject = [
            "clusterIP": "None",
            "ipFamilies": .array(families),
            "ipFamilyPolicy": .string(conf["spark.kubernetes.driver.service.ipFamilyPolicy"] ?? "SingleStack"),
            "ports": .array(ports.map { name, port in
                ["name": .string(name), "port": .number(JSONNumber(port)), "targetPort": .number(JSONNumber(port))]
            }),
            "selector": driverLabels(s, line: line, conf: conf).json,
        ]
        service.object["spec"] = .object(spec)
        return service
    }

    // MARK: - ConfigMap

    /// The ConfigMap the Client creates (KubernetesClientUtils.buildConfigMap, 3.5 and
    /// 4.0): `spark.properties`, plus `spark.kubernetes.namespace` holding the namespace,
    /// immutable.
    static func propertiesConfigMap(_ s: SparkSubmission, properties: [(key: String, value: String)]) -> ConfigMap {
        var map = ConfigMap(name: s.configMapName, namespace: s.namespace)
        map.object["data"] = [
            "spark.properties": .string(propertiesFile(properties, configMapName: s.configMapName, date: s.submitTime)),
            "spark.kubernetes.namespace": .string(s.namespace),
        ]
        map.immutable = true
        return map
    }
}
