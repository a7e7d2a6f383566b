import Foundation
import KubeAPI
import SlipwayAPI

// MARK: - The driver pod

extension SparkSubmitRenderer {
    static let driverContainerName = "spark-kubernetes-driver"
    static let sparkConfDirectory = "/opt/spark/conf"
    static let sparkConfVolumeName = "spark-conf-volume-driver"
    static let localDirVolumeName = "spark-local-dir-1"
    static let executorTemplateVolumeName = "pod-template-volume"

    /// The driver pod as spark-submit POSTs it, built the way KubernetesDriverBuilder does:
    /// the driver pod template is the base; Spark's steps then add to it in order —
    /// BasicDriverFeatureStep (name, labels, annotations, restartPolicy, node selectors,
    /// pull secrets, image, ports, env, resources), DriverKubernetesCredentialsFeatureStep
    /// (service account), MountVolumesFeatureStep, DriverCommandFeatureStep (args,
    /// PYSPARK_*), PodTemplateConfigMapStep, LocalDirsFeatureStep, and the Client's
    /// spark.properties volume. The main container ends up last among the containers.
    static func driverPod(_ s: SparkSubmission, line: SparkVersionLine, conf: [String: String],
                          plan: SparkRolePlan, hasExecutorTemplate: Bool, memoryMiB: Int) -> Pod {
        var (metadata, spec, main, others) = driverTemplate(s, conf: conf, plan: plan)
        applyBasicStep(s, line: line, conf: conf, metadata: &metadata, spec: &spec)
        var env = applyBasicStep(s, conf: conf, plan: plan, memoryMiB: memoryMiB, container: &main)
        // DriverKubernetesCredentialsFeatureStep.
        if let account = conf["spark.kubernetes.authenticate.driver.serviceAccountName"] {
            spec["serviceAccount"] = .string(account)
            spec["serviceAccountName"] = .string(account)
        }
        // DriverCommandFeatureStep.
        main["args"] = .array(driverArgs(s).map { .string($0) })
        if s.type == .python {
            let python = conf["spark.pyspark.python"]
            if let python { env.append(envVar("PYSPARK_PYTHON", python)) }
            if let driverPython = conf["spark.pyspark.driver.python"] ?? python { env.append(envVar("PYSPARK_DRIVER_PYTHON", driverPython)) }
        }
        let files = fileSystem(s, line: line, conf: conf, plan: plan, hasExecutorTemplate: hasExecutorTemplate)
        appending(&main, "env", env + files.env)
        appending(&main, "volumeMounts", files.mounts)
        appending(&spec, "volumes", files.volumes)
        spec["containers"] = .array(others + [.object(main)])
        var pod = Pod(name: driverPodName(s), namespace: s.namespace)
        pod.object["metadata"] = .object(metadata)
        pod.object["spec"] = .object(spec)
        return pod
    }

    /// BasicDriverFeatureStep on the pod: name, Spark's labels over the template's,
    /// annotations (IDs substituted), restartPolicy Never, node selectors (global, then
    /// driver-specific), image pull secrets after the template's.
    private static func applyBasicStep(_ s: SparkSubmission, line: SparkVersionLine, conf: [String: String],
                                       metadata: inout JSONObject, spec: inout JSONObject) {
        metadata["name"] = .string(driverPodName(s))
        metadata["namespace"] = .string(s.namespace)
        metadata["labels"] = merged(metadata["labels"], driverLabels(s, line: line, conf: conf))
        let annotations = withPrefix("spark.kubernetes.driver.annotation.", in: conf).mapValues { substituteIDs($0, appId: s.appId) }
        if !annotations.isEmpty { metadata["annotations"] = merged(metadata["annotations"], annotations) }
        spec["restartPolicy"] = "Never"
        let selector = withPrefix("spark.kubernetes.node.selector.", in: conf)
            .merging(withPrefix("spark.kubernetes.driver.node.selector.", in: conf)) { _, driver in driver }
        if !selector.isEmpty { spec["nodeSelector"] = merged(spec["nodeSelector"], selector) }
        let secrets = (conf["spark.kubernetes.container.image.pullSecrets"] ?? "").split(separator: ",")
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        appending(&spec, "imagePullSecrets", secrets.map { ["name": .string($0)] })
    }

    /// BasicDriverFeatureStep on the container: name (the template's, else
    /// spark-kubernetes-driver), image, pull policy, ports after the template's, resources;
    /// returns its env: SPARK_USER, SPARK_APPLICATION_ID, driverEnv, SPARK_DRIVER_BIND_ADDRESS.
    private static func applyBasicStep(_ s: SparkSubmission, conf: [String: String], plan: SparkRolePlan,
                                       memoryMiB: Int, container main: inout JSONObject) -> [JSONValue] {
        if main["name"]?.stringValue == nil { main["name"] = .string(driverContainerName) }
        main["image"] = .string(conf["spark.kubernetes.driver.container.image"] ?? s.image)
        main["imagePullPolicy"] = .string(conf["spark.kubernetes.container.image.pullPolicy"] ?? "IfNotPresent")
        appending(&main, "ports", driverPorts(conf, user: s.sparkConf).map { name, port in
            ["containerPort": .number(JSONNumber(port)), "name": .string(name), "protocol": "TCP"]
        })
        main["resources"] = driverResources(main["resources"], conf: conf, memoryMiB: memoryMiB)
        var env: [JSONValue] = [envVar("SPARK_USER", s.sparkUser), envVar("SPARK_APPLICATION_ID", s.appId)]
        env += driverEnv(conf, plan: plan).map { envVar($0.name, $0.value) }
        env.append(["name": "SPARK_DRIVER_BIND_ADDRESS", "valueFrom": ["fieldRef": ["apiVersion": "v1", "fieldPath": "status.podIP"]]])
        return env
    }

    /// The volumes, mounts and env of the later steps, in their order: MountVolumesFeatureStep
    /// (from `spark.kubernetes.driver.volumes.*`), PodTemplateConfigMapStep, LocalDirsFeatureStep
    /// (one emptyDir, tmpfs with `spark.kubernetes.local.dirs.tmpfs`), and the Client's
    /// spark.properties ConfigMap.
    private static func fileSystem(_ s: SparkSubmission, line: SparkVersionLine, conf: [String: String], plan: SparkRolePlan,
                                   hasExecutorTemplate: Bool) -> (volumes: [JSONValue], mounts: [JSONValue], env: [JSONValue]) {
        let confVolumes = SparkConfVolume.parse(conf, prefix: "spark.kubernetes.driver.volumes.", order: plan.confVolumes.map(\.name))
        var volumes = confVolumes.map { $0.podVolume(line) }
        var mounts = confVolumes.map { $0.mount(line) }
        if hasExecutorTemplate {
            let items: JSONValue = [["key": .string(executorTemplateKey), "path": .string(executorTemplateFileName)]]
            volumes.append(["configMap": ["items": items, "name": .string(executorTemplateConfigMapName(s))], "name": .string(executorTemplateVolumeName)])
            mounts.append(["mountPath": .string(executorTemplateDirectory), "name": .string(executorTemplateVolumeName)])
        }
        let localDir = "/var/data/\(s.localDirName)"
        let tmpfs = conf["spark.kubernetes.local.dirs.tmpfs"]?.lowercased() == "true"
        volumes.append(["emptyDir": tmpfs ? ["medium": "Memory"] : [:], "name": .string(localDirVolumeName)])
        mounts.append(["mountPath": .string(localDir), "name": .string(localDirVolumeName)])
        let items: JSONValue = [["key": "spark.properties", "mode": 420, "path": "spark.properties"]]
        volumes.append(["configMap": ["items": items, "name": .string(s.configMapName)], "name": .string(sparkConfVolumeName)])
        mounts.append(["mountPath": .string(sparkConfDirectory), "name": .string(sparkConfVolumeName)])
        return (volumes, mounts, [envVar("SPARK_LOCAL_DIRS", localDir), envVar("SPARK_CONF_DIR", sparkConfDirectory)])
    }

    // MARK: Parts

    /// The driver's Spark labels (KubernetesDriverConf.labels): the custom
    /// `spark.kubernetes.driver.label.*` (IDs substituted from 4.0), then the presets.
    static func driverLabels(_ s: SparkSubmission, line: SparkVersionLine, conf: [String: String]) -> [String: String] {
        var labels = withPrefix("spark.kubernetes.driver.label.", in: conf)
        if line.substitutesIDsInLabels { labels = labels.mapValues { substituteIDs($0, appId: s.appId) } }
        labels["spark-version"] = s.sparkVersion
        labels["spark-app-selector"] = s.appId
        labels["spark-app-name"] = appNameLabel(conf["spark.app.name"] ?? s.appName)
        labels["spark-role"] = "driver"
        return labels
    }

    /// The container's ports: the RPC port, the block manager port and the UI port.
    /// BasicDriverFeatureStep reads the user's configuration, before DriverServiceFeatureStep
    /// writes `spark.driver.blockManager.port`: so here the block manager port falls back
    /// to `spark.blockManager.port`, and in the Service it does not (run: 7200 vs 7079).
    static func driverPorts(_ conf: [String: String], user: [String: String]) -> [(String, Int)] {
        let blockManager = intValue(user["spark.driver.blockManager.port"]) ?? intValue(user["spark.blockManager.port"])
            ?? defaultBlockManagerPort
        return [
            ("driver-rpc-port", intValue(conf["spark.driver.port"]) ?? defaultDriverPort),
            ("blockmanager", blockManager),
            ("spark-ui", intValue(conf["spark.ui.port"]) ?? defaultUIPort),
        ]
    }

    /// `driver --properties-file … --class <runner or main class> <resource> <args>`.
    static func driverArgs(_ s: SparkSubmission) -> [String] {
        let mainClass: String
        switch s.type {
        case .python: mainClass = "org.apache.spark.deploy.PythonRunner"
        case .r: mainClass = "org.apache.spark.deploy.RRunner"
        case .scala, .java: mainClass = s.mainClass ?? ""
        }
        let resource = s.mainApplicationFile.isEmpty ? noResource : s.mainApplicationFile
        return ["driver", "--properties-file", "\(sparkConfDirectory)/spark.properties", "--class", mainClass, resource] + s.arguments
    }

    /// `spark.kubernetes.driverEnv.*`: the typed variables in their order, then the others
    /// by name (spark-submit's own order is a hash order).
    private static func driverEnv(_ conf: [String: String], plan: SparkRolePlan) -> [(name: String, value: String)] {
        let all = withPrefix("spark.kubernetes.driverEnv.", in: conf)
        let typed = plan.confEnv.map(\.name).filter { all[$0] != nil }
        let rest = all.keys.filter { !typed.contains($0) }.sorted()
        return (typed + rest).map { ($0, all[$0]!) }
    }

    private static func driverResources(_ base: JSONValue?, conf: [String: String], memoryMiB: Int) -> JSONValue {
        var resources = base?.objectValue ?? [:]
        var requests = resources["requests"]?.objectValue ?? [:]
        var limits = resources["limits"]?.objectValue ?? [:]
        let cores = intValue(conf["spark.driver.cores"]) ?? 1
        requests["cpu"] = .string(conf["spark.kubernetes.driver.request.cores"] ?? String(cores))
        if let limit = conf["spark.kubernetes.driver.limit.cores"] { limits["cpu"] = .string(limit) }
        requests["memory"] = .string("\(memoryMiB)Mi")
        limits["memory"] = .string("\(memoryMiB)Mi")
        resources["limits"] = .object(limits)
        resources["requests"] = .object(requests)
        return .object(resources)
    }
}
