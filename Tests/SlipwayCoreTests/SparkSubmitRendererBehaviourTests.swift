import Foundation
import KubeAPI
import SlipwayAPI
import Testing
@testable import SlipwayCore

/// Single behaviours, each observed in a request body of the real spark-submit (pyspark
/// 4.0.5 / 3.5.9, "run") unless said otherwise, with the Spark source that produces it.
@Suite("SparkSubmitRenderer behaviour")
struct SparkSubmitRendererBehaviourTests {
    static func submission(_ version: String = "4.0.5", _ type: SparkApplicationType = .scala, edit: (inout SparkSubmission) -> Void = { _ in }) -> SparkSubmission {
        SparkSubmitRendererRulesTests.submission(version, type, edit: edit)
    }

    static func main(_ objects: SparkSubmitObjects) -> JSONObject {
        objects.driverPod.spec.containers.last?.object ?? [:]
    }

    static func envNames(_ objects: SparkSubmitObjects) -> [String] {
        objects.driverPod.spec.containers.last?.env.map(\.name) ?? []
    }

    // MARK: - Application types

    @Test(arguments: ["4.0.5", "3.5.9"])
    func rApplication(_ version: String) {
        let rendered = SparkSubmitRenderer.render(Self.submission(version, .r) {
            $0.appName = "my.R_App"
            $0.mainApplicationFile = "local:///opt/spark/examples/src/main/r/dataframe.R"
            $0.arguments = ["a", "b"]
        })
        // DriverCommandFeatureStep (3.5, 4.0, run): RRunner.
        #expect(Self.main(rendered)["args"] == [
            "driver", "--properties-file", "/opt/spark/conf/spark.properties", "--class", "org.apache.spark.deploy.RRunner",
            "local:///opt/spark/examples/src/main/r/dataframe.R", "a", "b",
        ])
        // SparkSubmit / BasicDriverFeatureStep (run): resource type r, non-JVM factor, no spark.jars.
        #expect(rendered.property("spark.kubernetes.resource.type") == "r")
        #expect(rendered.property("spark.kubernetes.memoryOverheadFactor") == "0.4")
        #expect(rendered.property("spark.jars") == nil && rendered.property("spark.submit.pyFiles") == "")
        #expect(rendered.driverMemoryMiB == 1433)
        // KubernetesConf.getAppNameLabel (run): "my.R_App" → "my-r-app".
        #expect(rendered.driverPod.metadata.labels["spark-app-name"] == "my-r-app")
        #expect(Self.envNames(rendered) == ["SPARK_USER", "SPARK_APPLICATION_ID", "SPARK_DRIVER_BIND_ADDRESS", "SPARK_LOCAL_DIRS", "SPARK_CONF_DIR"])
    }

    @Test func javaApplicationWithoutResourceIsSparkInternal() {
        let rendered = SparkSubmitRenderer.render(Self.submission("4.0.5", .java) {
            $0.mainApplicationFile = ""
            $0.mainClass = "org.example.Main"
            $0.arguments = ["x"]
            $0.driver.memory = "2g"
            $0.sparkConf["spark.kubernetes.memoryOverheadFactor"] = "0.30"
        })
        // KubernetesClientApplication / DriverCommandFeatureStep (run): SparkLauncher.NO_RESOURCE.
        #expect(Self.main(rendered)["args"] == [
            "driver", "--properties-file", "/opt/spark/conf/spark.properties", "--class", "org.example.Main", "spark-internal", "x",
        ])
        // SparkSubmit (run): spark.jars written, empty; BasicDriverFeatureStep writes the factor back as a Double.
        #expect(rendered.property("spark.jars") == "")
        #expect(rendered.property("spark.kubernetes.memoryOverheadFactor") == "0.3")
        #expect(rendered.property("spark.kubernetes.resource.type") == "java")
        #expect(rendered.driverMemoryMiB == 2662)
    }

    @Test func jvmMainJarJoinsListedJarsOnce() {
        let rendered = SparkSubmitRenderer.render(Self.submission {
            $0.deps.jars = ["local:///a.jar", "local:///app.jar"]
        })
        // KubernetesClientApplication: the main resource is appended unless already listed.
        #expect(rendered.property("spark.jars") == "local:///a.jar,local:///app.jar")
    }

    @Test(arguments: [
        // DriverCommandFeatureStep (3.5, 4.0, run): PYSPARK_DRIVER_PYTHON falls back to spark.pyspark.python.
        (["spark.pyspark.python": "/opt/py"], ["PYSPARK_PYTHON=/opt/py", "PYSPARK_DRIVER_PYTHON=/opt/py"]),
        (["spark.pyspark.python": "/usr/bin/python3", "spark.pyspark.driver.python": "python3.11"],
         ["PYSPARK_PYTHON=/usr/bin/python3", "PYSPARK_DRIVER_PYTHON=python3.11"]),
        (["spark.pyspark.driver.python": "python3.11"], ["PYSPARK_DRIVER_PYTHON=python3.11"]),
        ([:], []),
    ])
    func pysparkEnvironment(_ conf: [String: String], _ expected: [String]) {
        for version in ["4.0.5", "3.5.9"] {
            let rendered = SparkSubmitRenderer.render(Self.submission(version, .python) { $0.sparkConf = conf })
            let env = rendered.driverPod.spec.containers.last?.env ?? []
            // After SPARK_DRIVER_BIND_ADDRESS, before SPARK_LOCAL_DIRS (the step order).
            #expect(env.map(\.name) == ["SPARK_USER", "SPARK_APPLICATION_ID", "SPARK_DRIVER_BIND_ADDRESS"]
                + expected.map { String($0.prefix { $0 != "=" }) } + ["SPARK_LOCAL_DIRS", "SPARK_CONF_DIR"])
            #expect(env.dropFirst(3).prefix(expected.count).map { "\($0.name)=\($0.value ?? "")" } == expected)
        }
        // Only Python applications get them (run: an R application with spark.pyspark.python).
        let r = SparkSubmitRenderer.render(Self.submission("4.0.5", .r) { $0.sparkConf = conf })
        #expect(!Self.envNames(r).contains { $0.hasPrefix("PYSPARK") })
    }

    @Test func pyFilesAndDependencies() {
        let rendered = SparkSubmitRenderer.render(Self.submission("4.0.5", .python) {
            $0.deps = SparkDependencies(
                jars: ["local:///j.jar"], files: ["local:///f.txt"], pyFiles: ["local:///a.py", "local:///b.zip"],
                packages: ["org.example:dep:1.0"], repositories: ["file:///tmp/m2"], excludePackages: ["org.example:ex"])
        })
        // SparkSubmit (run): each option becomes its key, comma-joined; the main .py is not added to spark.files.
        #expect(rendered.property("spark.submit.pyFiles") == "local:///a.py,local:///b.zip")
        #expect(rendered.property("spark.jars") == "local:///j.jar" && rendered.property("spark.files") == "local:///f.txt")
        #expect(rendered.property("spark.jars.packages") == "org.example:dep:1.0")
        #expect(rendered.property("spark.jars.repositories") == "file:///tmp/m2")
        #expect(rendered.property("spark.jars.excludes") == "org.example:ex")
        // DriverCommandFeatureStep (run): py files do not change the arguments.
        #expect(Self.main(rendered)["args"]?.arrayValue?.count == 6)
    }

    // MARK: - Labels, annotations, images, Service

    @Test(arguments: [("4.0.5", "xspark-0123456789abcdef0123456789abcdef"), ("3.5.9", "x{{APP_ID}}")])
    func idsInLabelsAndAnnotations(_ version: String, _ label: String) {
        let rendered = SparkSubmitRenderer.render(Self.submission(version) {
            $0.driver.labels = ["l1": "x{{APP_ID}}"]
            $0.driver.annotations = ["app": "{{APP_ID}}/x"]
            $0.sparkConf["spark.kubernetes.driver.service.annotation.sa"] = "{{APP_ID}}"
        })
        // KubernetesConf (run): 4.0 substitutes in driver label values, 3.5 does not; both in annotations.
        #expect(rendered.driverPod.metadata.labels["l1"] == label)
        #expect(rendered.service.spec.selector["l1"] == label)
        #expect(rendered.driverPod.metadata.annotations["app"] == "spark-0123456789abcdef0123456789abcdef/x")
        // DriverServiceFeatureStep (run): Service annotations are not substituted.
        #expect(rendered.service.metadata.annotations["sa"] == "{{APP_ID}}")
    }

    @Test func imagesPullSecretsAndServiceOptions() {
        let rendered = SparkSubmitRenderer.render(Self.submission {
            $0.sparkConf = [
                "spark.kubernetes.driver.container.image": "drv:2",
                "spark.kubernetes.container.image.pullSecrets": " a , b ",
                "spark.kubernetes.driver.service.label.spark-role": "zzz",
                "spark.kubernetes.driver.service.ipFamilyPolicy": "PreferDualStack",
                "spark.kubernetes.driver.service.ipFamilies": "IPv6,IPv4",
            ]
        })
        // BasicDriverFeatureStep (run): the driver image key wins for the driver; secrets trimmed.
        #expect(Self.main(rendered)["image"] == "drv:2")
        #expect(rendered.driverPod.spec.imagePullSecrets.map(\.name) == ["a", "b"])
        // DriverServiceFeatureStep (run): service labels after the app id; families and policy from keys.
        #expect(rendered.service.metadata.labels == ["spark-app-selector": "spark-0123456789abcdef0123456789abcdef", "spark-role": "zzz"])
        #expect(rendered.service.object["spec"]?["ipFamilies"] == ["IPv6", "IPv4"])
        #expect(rendered.service.object["spec"]?["ipFamilyPolicy"] == "PreferDualStack")
        #expect(rendered.service.spec.selector["spark-role"] == "driver")
    }

    @Test func driverTemplateBase() {
        // Run with a template: no container of the wanted name (→ the first), a port, limits, a pull secret,
        // a service account; and spark.kubernetes.local.dirs.tmpfs=true (LocalDirsFeatureStep).
        let template: JSONValue = ["spec": [
            "imagePullSecrets": [["name": "tplsecret"]], "serviceAccountName": "tpl-sa",
            "containers": [["name": "first", "image": "x", "ports": [["containerPort": 9999, "name": "metrics"]],
                            "resources": ["limits": ["cpu": "8", "nvidia.com/gpu": "1"]]]],
        ]]
        let rendered = SparkSubmitRenderer.render(Self.submission {
            $0.driver.podTemplate = template
            $0.imagePullSecrets = ["sec1"]
            $0.sparkConf = ["spark.kubernetes.local.dirs.tmpfs": "true", "spark.kubernetes.driver.podTemplateContainerName": "missing"]
        })
        let main = Self.main(rendered)
        #expect(main["name"] == "first")
        #expect(main["ports"]?.arrayValue?.compactMap { $0["containerPort"]?.numberValue?.int } == [9999, 7078, 7079, 4040])
        #expect(main["resources"] == ["limits": ["cpu": "8", "nvidia.com/gpu": "1", "memory": "1408Mi"], "requests": ["cpu": "1", "memory": "1408Mi"]])
        #expect(rendered.driverPod.spec.imagePullSecrets.map(\.name) == ["tplsecret", "sec1"])
        #expect(rendered.driverPod.spec.serviceAccountName == "tpl-sa" && rendered.driverPod.spec.object["serviceAccount"] == nil)
        #expect(rendered.driverPod.spec.volumes.first { $0.name == "spark-local-dir-1" }?.object["emptyDir"] == ["medium": "Memory"])
    }

    // MARK: - Who wins

    @Test func precedence() {
        let rendered = SparkSubmitRenderer.render(Self.submission {
            $0.driver.memory = "3g"
            $0.sparkConf = [
                "spark.driver.memory": "9g",  // a typed setting wins, like --driver-memory over --conf
                "spark.app.id": "spark-other", "spark.kubernetes.namespace": "elsewhere", "spark.master": "local",
                "spark.kubernetes.driver.pod.name": "other", "spark.driver.host": "other",  // spark-submit's own keys win
                "spark.kubernetes.authenticate.submission.oauthToken": "secret",  // never written
                "spark.kubernetes.driverEnv.FROM_CONF": "1", "spark.driver.cores": "2",  // read like spark-submit reads them
            ]
        })
        #expect(rendered.property("spark.driver.memory") == "3g" && rendered.driverMemoryMiB == 3456)
        #expect(rendered.property("spark.app.id") == "spark-0123456789abcdef0123456789abcdef")
        #expect(rendered.property("spark.kubernetes.namespace") == "ns" && rendered.property("spark.master") == "k8s://https://kubernetes.default.svc")
        #expect(rendered.property("spark.kubernetes.driver.pod.name") == "app-0123456789abcdef-driver")
        #expect(rendered.property("spark.driver.host") == "app-0123456789abcdef-driver-svc.ns.svc")
        #expect(!rendered.properties.contains { $0.key.hasPrefix("spark.kubernetes.authenticate.submission.") })
        #expect(rendered.driverPod.spec.containers.last?.env.contains { $0.name == "FROM_CONF" && $0.value == "1" } == true)
        #expect(Self.main(rendered)["resources"]?["requests"]?["cpu"] == "2")
        #expect(rendered.property("spark.app.submitTime") == "1795341957000")
    }

    @Test func bookkeepingLabels() {
        let rendered = SparkSubmitRenderer.render(Self.submission {
            $0.driverPodLabels = ["slipway.dev/job": "j", "spark-role": "ignored"]
            $0.executorPodLabels = ["slipway.dev/job": "j"]
            $0.executor.labels = ["team": "t", "spark-exec-id": "reserved"]
        })
        // Driver bookkeeping labels are pod-template labels: on the pod, Spark's own win, not in the selector.
        #expect(rendered.driverPod.metadata.labels["slipway.dev/job"] == "j")
        #expect(rendered.driverPod.metadata.labels["spark-role"] == "driver")
        #expect(rendered.service.spec.selector["slipway.dev/job"] == nil)
        #expect(!rendered.properties.contains { $0.key.hasPrefix("spark.kubernetes.driver.label.") })
        // Executor labels are keys; Spark refuses its reserved ones (KubernetesExecutorConf), so they are dropped.
        #expect(rendered.property("spark.kubernetes.executor.label.slipway.dev/job") == "j")
        #expect(rendered.property("spark.kubernetes.executor.label.team") == "t")
        #expect(rendered.property("spark.kubernetes.executor.label.spark-exec-id") == nil)
        #expect(rendered.podTemplateConfigMap == nil && rendered.property("spark.kubernetes.executor.podTemplateFile") == nil)
    }

    // MARK: - Volumes: keys when Spark can express them, else a template

    @Test func volumesSparkCannotExpressGoToTemplates() throws {
        let configMapVolume: JSONValue = ["name": "cfg", "configMap": ["name": "my-config"]]
        let typedHostPath: JSONValue = ["name": "hp", "hostPath": ["path": "/x", "type": "Directory"]]
        let rendered35 = SparkSubmitRenderer.render(Self.submission("3.5.9") {
            $0.driver.volumes = [configMapVolume, typedHostPath]
            $0.driver.volumeMounts = [["name": "cfg", "mountPath": "/cfg"], ["name": "hp", "mountPath": "/hp"]]
            $0.executor.volumes = [["name": "e", "emptyDir": [:]]]
            $0.executor.volumeMounts = [["name": "e", "mountPath": "/e", "subPathExpr": "$(POD)"]]
        })
        // 3.5 has no key for a hostPath type or a subPathExpr (run: type "" and no subPathExpr), so both go
        // through templates verbatim, before Spark's own volumes and mounts; no volume keys are written.
        let names = rendered35.driverPod.spec.volumes.map(\.name)
        #expect(names == ["cfg", "hp", "pod-template-volume", "spark-local-dir-1", "spark-conf-volume-driver"])
        #expect(rendered35.driverPod.spec.volumes[1].json == typedHostPath)
        #expect(rendered35.driverPod.spec.containers.last?.volumeMounts.prefix(2).map(\.mountPath) == ["/cfg", "/hp"])
        #expect(!rendered35.properties.contains { $0.key.contains(".volumes.") })
        let template = try JSON.parse(try #require(rendered35.podTemplateConfigMap?.data["podspec-configmap-key"]))
        #expect(template[path: ["spec", "containers"]] == [["name": "spark-executor", "volumeMounts": [["name": "e", "mountPath": "/e", "subPathExpr": "$(POD)"]]]])
        #expect(template[path: ["spec", "volumes"]] == [["name": "e", "emptyDir": [:]]])

        // 4.0 has both keys (MountVolumesFeatureStep, run).
        let rendered40 = SparkSubmitRenderer.render(Self.submission("4.0.5") {
            $0.driver.volumes = [typedHostPath]
            $0.driver.volumeMounts = [["name": "hp", "mountPath": "/hp"]]
            $0.executor.volumes = [["name": "e", "emptyDir": [:]]]
            $0.executor.volumeMounts = [["name": "e", "mountPath": "/e", "subPathExpr": "$(POD)"]]
        })
        #expect(rendered40.property("spark.kubernetes.driver.volumes.hostPath.hp.options.type") == "Directory")
        #expect(rendered40.driverPod.spec.volumes.first?.json == ["hostPath": ["path": "/x", "type": "Directory"], "name": "hp"])
        #expect(rendered40.property("spark.kubernetes.executor.volumes.emptyDir.e.mount.subPathExpr") == "$(POD)")
        #expect(rendered40.podTemplateConfigMap == nil)
    }

    // MARK: - Executors, as the driver reads the keys

    /// Checked by running the real driver (`spark-submit --deploy-mode client` with these
    /// properties and this template file, as the image's entrypoint does) of 4.0.5 and 3.5.9
    /// against the stand-in API server: both created executor pods with this memory, cpu,
    /// labels, annotations, env, node selectors, tolerations, service account and volumes
    /// (ExecutorPodsAllocator, BasicExecutorFeatureStep, MountVolumesFeatureStep), reading
    /// the JSON template like a YAML file.
    @Test(arguments: ["4.0.5", "3.5.9"])
    func executorSettingsAsTheDriverReadsThem(_ version: String) throws {
        let secretEnv: JSONValue = ["name": "FROM_SECRET", "valueFrom": ["secretKeyRef": ["name": "s", "key": "k"]]]
        let toleration: JSONValue = ["key": "spot", "operator": "Exists", "effect": "NoSchedule"]
        let configVolume: JSONValue = ["name": "cfg", "configMap": ["name": "my-config"]]
        let rendered = SparkSubmitRenderer.render(Self.submission(version, .python) {
            $0.executorPodNamePrefix = "exec-check-x"
            $0.imagePullSecrets = ["sec1"]
            $0.executorPodLabels = ["slipway.dev/job": "j"]
            $0.sparkConf = ["spark.executor.pyspark.memory": "256m", "spark.kubernetes.node.selector.disk": "ssd"]
            $0.executor = SparkRoleSettings(
                cores: 3, coreRequest: "2500m", coreLimit: "3", memory: "2g", instances: 2, serviceAccount: "spark-exec",
                labels: ["team": "data"], annotations: ["note": "{{APP_ID}}-{{EXECUTOR_ID}}"],
                env: [["name": "EXEC_B", "value": "2"], secretEnv], nodeSelector: ["capacity": "spot"], tolerations: [toleration],
                volumes: [["name": "scratch", "emptyDir": [:]], ["name": "data", "persistentVolumeClaim": ["claimName": "pvc1"]], configVolume],
                volumeMounts: [["name": "scratch", "mountPath": "/scratch"], ["name": "data", "mountPath": "/data", "readOnly": true]],
                podTemplate: ["metadata": ["labels": ["tpl-label": "exec"]]])
        })
        let fed: [String: String] = [
            "spark.executor.instances": "2", "spark.executor.memory": "2g", "spark.executor.cores": "3",
            "spark.kubernetes.executor.request.cores": "2500m", "spark.kubernetes.executor.limit.cores": "3",
            "spark.executor.pyspark.memory": "256m", "spark.kubernetes.memoryOverheadFactor": "0.4",
            "spark.kubernetes.executor.label.team": "data", "spark.kubernetes.executor.label.slipway.dev/job": "j",
            "spark.kubernetes.executor.annotation.note": "{{APP_ID}}-{{EXECUTOR_ID}}",
            "spark.kubernetes.executor.node.selector.capacity": "spot", "spark.kubernetes.node.selector.disk": "ssd",
            "spark.executorEnv.EXEC_B": "2", "spark.kubernetes.authenticate.executor.serviceAccountName": "spark-exec",
            "spark.kubernetes.executor.podNamePrefix": "exec-check-x",
            "spark.kubernetes.executor.volumes.emptyDir.scratch.mount.path": "/scratch",
            "spark.kubernetes.executor.volumes.persistentVolumeClaim.data.mount.path": "/data",
            "spark.kubernetes.executor.volumes.persistentVolumeClaim.data.mount.readOnly": "true",
            "spark.kubernetes.executor.volumes.persistentVolumeClaim.data.options.claimName": "pvc1",
            "spark.kubernetes.executor.podTemplateFile": "/opt/spark/pod-template/pod-spec-template.yml",
            "spark.kubernetes.container.image.pullSecrets": "sec1",
        ]
        for (key, value) in fed { #expect(rendered.property(key) == value, "\(key)") }
        let template = try JSON.parse(try #require(rendered.podTemplateConfigMap?.data["podspec-configmap-key"]))
        #expect(template == [
            "apiVersion": "v1", "kind": "Pod", "metadata": ["labels": ["tpl-label": "exec"]],
            "spec": ["tolerations": [toleration], "volumes": [configVolume], "containers": [["name": "spark-executor", "env": [secretEnv]]]],
        ])
        // The executors of both runs requested 3123Mi: 2048 + 0.4×2048 + 256 (PySpark memory).
        #expect(rendered.executorMemoryMiB == 3123)
    }
}
