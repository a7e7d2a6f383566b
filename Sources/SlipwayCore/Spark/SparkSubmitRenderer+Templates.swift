import KubeAPI
import SlipwayAPI

// MARK: - Pod templates

extension SparkSubmitRenderer {
    /// The driver pod template taken apart as KubernetesUtils.selectSparkContainer does:
    /// metadata, spec without containers, the Spark container (the one named by
    /// `spark.kubernetes.driver.podTemplateContainerName`, else the first, else a new one)
    /// and the other containers. Slipway's additions Spark has no key for — bookkeeping
    /// labels, tolerations, affinity, env from sources, other volumes — are template content.
    static func driverTemplate(_ s: SparkSubmission, conf: [String: String], plan: SparkRolePlan)
        -> (metadata: JSONObject, spec: JSONObject, main: JSONObject, others: [JSONValue])
    {
        let template = s.driver.podTemplate?.objectValue ?? [:]
        var metadata = template["metadata"]?.objectValue ?? [:]
        var spec = template["spec"]?.objectValue ?? [:]
        if !s.driverPodLabels.isEmpty { metadata["labels"] = merged(metadata["labels"], s.driverPodLabels) }
        addTemplateContent(&spec, settings: s.driver, plan: plan)
        var containers = spec["containers"]?.arrayValue ?? []
        spec.removeValue(forKey: "containers")
        let index = sparkContainerIndex(containers, named: conf["spark.kubernetes.driver.podTemplateContainerName"])
        var main = index.map { containers.remove(at: $0).objectValue ?? [:] } ?? [:]
        appending(&main, "env", plan.templateEnv)
        appending(&main, "volumeMounts", plan.templateMounts)
        return (metadata, spec, main, containers)
    }

    /// The executor pod template file Slipway writes when executors need what Spark keys
    /// cannot say (their pod template, tolerations, affinity, env from sources, other
    /// volumes); nil when they need nothing. JSON, which Spark's YAML reader accepts.
    static func executorTemplate(_ s: SparkSubmission, conf: [String: String], plan: SparkRolePlan) -> JSONObject? {
        let settings = s.executor
        guard needsExecutorTemplate(settings, plan: plan) else { return nil }
        let template = settings.podTemplate?.objectValue ?? [:]
        var spec = template["spec"]?.objectValue ?? [:]
        addTemplateContent(&spec, settings: settings, plan: plan)
        if !plan.templateEnv.isEmpty || !plan.templateMounts.isEmpty {
            var containers = spec["containers"]?.arrayValue ?? []
            let index = sparkContainerIndex(containers, named: conf["spark.kubernetes.executor.podTemplateContainerName"])
            var main = index.flatMap { containers[$0].objectValue } ?? ["name": "spark-executor"]
            appending(&main, "env", plan.templateEnv)
            appending(&main, "volumeMounts", plan.templateMounts)
            if let index { containers[index] = .object(main) } else { containers.insert(.object(main), at: 0) }
            spec["containers"] = .array(containers)
        }
        var pod: JSONObject = ["apiVersion": "v1", "kind": "Pod"]
        if let metadata = template["metadata"]?.objectValue, !metadata.isEmpty { pod["metadata"] = .object(metadata) }
        pod["spec"] = .object(spec)
        return pod
    }

    static func needsExecutorTemplate(_ settings: SparkRoleSettings, plan: SparkRolePlan) -> Bool {
        settings.podTemplate != nil || !settings.tolerations.isEmpty || settings.affinity != nil || plan.needsTemplate
    }

    /// What PodTemplateConfigMapStep creates from the executor template file:
    /// "<prefix>-driver-podspec-conf-map" holding the file under `podspec-configmap-key`,
    /// immutable (3.5 and 4.0).
    static func executorTemplateConfigMap(_ s: SparkSubmission, template: JSONObject) -> ConfigMap {
        var map = ConfigMap(name: executorTemplateConfigMapName(s), namespace: s.namespace)
        map.object["data"] = [executorTemplateKey: .string(JSON.prettyString(.object(template)) + "\n")]
        map.immutable = true
        return map
    }

    static func executorTemplateConfigMapName(_ s: SparkSubmission) -> String { "\(s.resourceNamePrefix)-driver-podspec-conf-map" }

    // MARK: JSON helpers

    private static func addTemplateContent(_ spec: inout JSONObject, settings: SparkRoleSettings, plan: SparkRolePlan) {
        appending(&spec, "tolerations", settings.tolerations)
        if let affinity = settings.affinity { spec["affinity"] = affinity }
        appending(&spec, "volumes", plan.templateVolumes)
    }

    private static func sparkContainerIndex(_ containers: [JSONValue], named name: String?) -> Int? {
        if let name, let index = containers.firstIndex(where: { $0["name"]?.stringValue == name }) { return index }
        return containers.isEmpty ? nil : 0
    }

    /// `object[key]` with `values` appended, as fabric8's `addTo…` does; absent stays absent when empty.
    static func appending(_ object: inout JSONObject, _ key: String, _ values: [JSONValue]) {
        guard !values.isEmpty else { return }
        object[key] = .array((object[key]?.arrayValue ?? []) + values)
    }

    /// A string map merged into an existing JSON object: existing keys keep their place and
    /// take the new value, new keys follow in sorted order.
    static func merged(_ existing: JSONValue?, _ values: [String: String]) -> JSONValue {
        var object = existing?.objectValue ?? [:]
        for key in values.keys.sorted() { object[key] = .string(values[key]!) }
        return .object(object)
    }

    static func envVar(_ name: String, _ value: String) -> JSONValue { ["name": .string(name), "value": .string(value)] }
}
