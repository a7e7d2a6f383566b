import Foundation
import KubeAPI
import SlipwayAPI
import Testing
@testable import SlipwayCore

/// Case (5): explicit memoryOverhead, request/limit cores, dynamic allocation, node
/// selectors, labels, annotations, env (plain and from a secret), service accounts, the
/// four volume types Spark mounts, a driver pod template with a sidecar, executor
/// tolerations (→ the executor pod template ConfigMap), ports, pull policy and secrets,
/// dependencies and Hadoop keys — against the real spark-submit of 4.0.5 and 3.5.9, given
/// the same settings as `--conf` keys, `--jars`/`--files`/`--archives` and two template files.
@Suite("SparkSubmitRenderer features")
struct SparkSubmitRendererFeatureTests {
    struct Recorded {
        var version: String, appId: String, prefix: String, configMap: String, localDir: String, millis: Double, port: Int
    }

    static let recorded40 = Recorded(
        version: "4.0.5", appId: "spark-a4e1a1b2e4414d508586064aa048b596", prefix: "big-job-name-1fc084a20361c703",
        configMap: "spark-drv-a7a5d6a20361db1a-conf-map", localDir: "spark-c9455ac6-efcb-4c04-b7d6-a61c13472659",
        millis: 1_795_353_069_136, port: 18728)
    static let recorded35 = Recorded(
        version: "3.5.9", appId: "spark-1b7be0b935d14d428972c5860d36626a", prefix: "big-job-name-f344d7a20363bf17",
        configMap: "spark-drv-5d55b3a20363d6f4-conf-map", localDir: "spark-044f0eeb-352a-492b-b8c0-2076231d2f80",
        millis: 1_795_353_197_876, port: 18779)

    /// The driver template file given to spark-submit (`spark.kubernetes.driver.podTemplateFile`).
    static let driverTemplate: JSONValue = [
        "apiVersion": "v1", "kind": "Pod",
        "metadata": ["labels": ["tpl-label": "drv", "spark-role": "template-role"], "annotations": ["tpl-ann": "x"]],
        "spec": [
            "priorityClassName": "high", "restartPolicy": "Always",
            "tolerations": [["key": "dedicated", "operator": "Equal", "value": "spark", "effect": "NoSchedule"]],
            "nodeSelector": ["tplsel": "a"],
            "volumes": [["name": "tplvol", "emptyDir": [:]]],
            "containers": [
                [
                    "name": "my-driver", "image": "ignored:1",
                    "env": [["name": "TPL_ENV", "value": "t"], secretEnv],
                    "volumeMounts": [["name": "tplvol", "mountPath": "/tpl"]],
                    "resources": ["requests": ["cpu": "3", "memory": "5Gi", "ephemeral-storage": "1Gi"]],
                ],
                ["name": "sidecar", "image": "busybox"],
            ],
        ],
    ]
    static let secretEnv: JSONValue = ["name": "FROM_SECRET", "valueFrom": ["secretKeyRef": ["name": "s", "key": "k"]]]
    static let spotToleration: JSONValue = ["key": "spot", "operator": "Exists", "effect": "NoSchedule"]

    /// `driverEnv` order: spark-submit writes driverEnv in its hash map's order (DRV_A, ANOTHER
    /// in the 4.0 run; ANOTHER, DRV_A in the 3.5 run); the renderer keeps the given order.
    static func submission(_ r: Recorded, driverEnv: [JSONValue]) -> SparkSubmission {
        SparkSubmission(
            sparkVersion: r.version, type: .scala, appName: "Big_Job.Name", namespace: "ns2",
            appId: r.appId, resourceNamePrefix: r.prefix, configMapName: r.configMap, executorPodNamePrefix: "bigjob-exec",
            localDirName: r.localDir, submitTime: Date(timeIntervalSince1970: r.millis / 1000),
            masterURL: "k8s://http://127.0.0.1:\(r.port)", image: "repo/img:1", imagePullPolicy: "Always",
            imagePullSecrets: ["sec1", "sec2"], mainApplicationFile: "local:///opt/app/app.jar", mainClass: "com.example.Main",
            arguments: ["arg1", "--flag"],
            sparkConf: [
                "spark.kubernetes.submission.waitAppCompletion": "false",
                "spark.kubernetes.node.selector.disk": "ssd",
                "spark.kubernetes.driver.podTemplateContainerName": "my-driver",
                "spark.driver.port": "7100", "spark.ui.port": "4050", "spark.blockManager.port": "7200",
                "spark.some.user": #"a:b=c\d#e!f"#,
            ],
            hadoopConf: ["fs.s3a.endpoint": "http://minio:9000"],
            deps: SparkDependencies(
                jars: ["local:///opt/extra/a.jar", "https://repo.example/b.jar"],
                files: ["local:///opt/f.txt", "https://repo.example/g.txt"], archives: ["local:///opt/arch.zip#env"]),
            driver: SparkRoleSettings(
                cores: 2, coreRequest: "1500m", coreLimit: "3", memory: "4g", memoryOverhead: "1g",
                serviceAccount: "spark-driver", labels: ["team": "data"], annotations: ["note": "hello"], env: driverEnv,
                nodeSelector: ["capacity": "on-demand"],
                volumes: [
                    ["name": "scratch", "emptyDir": ["medium": "Memory", "sizeLimit": "1Gi"]],
                    ["name": "hp", "hostPath": ["path": "/mnt/hp"]],
                    ["name": "data", "persistentVolumeClaim": ["claimName": "pvc1"]],
                    ["name": "nf", "nfs": ["server": "nfs.example", "path": "/export"]],
                ],
                volumeMounts: [
                    ["name": "scratch", "mountPath": "/scratch"], ["name": "hp", "mountPath": "/hp"],
                    ["name": "data", "mountPath": "/data", "readOnly": true, "subPath": "sub"], ["name": "nf", "mountPath": "/nfs"],
                ],
                podTemplate: driverTemplate),
            executor: SparkRoleSettings(
                cores: 4, coreRequest: "3500m", coreLimit: "4", memory: "3g", memoryOverheadFactor: 0.25, instances: 5,
                serviceAccount: "spark-exec", labels: ["team": "data"], annotations: ["exec-note": "e"],
                env: [["name": "EXEC_B", "value": "2"], secretEnv], nodeSelector: ["capacity": "spot"],
                tolerations: [spotToleration],
                volumes: [["name": "scratch", "emptyDir": [:]]], volumeMounts: [["name": "scratch", "mountPath": "/scratch"]],
                podTemplate: ["metadata": ["labels": ["tpl-label": "exec"]]]),
            dynamicAllocation: SparkDynamicAllocation(enabled: true, initialExecutors: 2, minExecutors: 1, maxExecutors: 10, shuffleTracking: true))
    }

    static let drvA: JSONValue = ["name": "DRV_A", "value": "1"]
    static let another: JSONValue = ["name": "ANOTHER", "value": "x=y"]

    @Test func spark40MatchesTheRecording() throws {
        let rendered = SparkSubmitRenderer.render(Self.submission(Self.recorded40, driverEnv: [Self.drvA, Self.another]))
        // 4.0 KubernetesDriverBuilder over the driver template: template labels/annotations/tolerations/
        // priorityClass/volumes kept, restartPolicy forced to Never, the named container moved last with
        // template env and mounts first, resources merged (ephemeral-storage kept), cpu request 1500m and limit 3
        // (BasicDriverFeatureStep), 5120Mi = 4g + explicit 1g, block manager port from spark.blockManager.port,
        // MountVolumesFeatureStep mounts with readOnly/subPath/subPathExpr, PodTemplateConfigMapStep's volume.
        expectSameJSON(rendered.driverPod.json, Self.withNamespace(try JSON.parse(Self.pod40)))
        // 4.0 DriverServiceFeatureStep: selector has the custom driver label but no template label; the block
        // manager port is spark.driver.blockManager.port's default 7079, not spark.blockManager.port.
        expectSameJSON(rendered.service.json, Self.withNamespace(try JSON.parse(Self.service40)))
        // 4.0: every key the run wrote except the driver template's local path, which has no meaning here.
        var expected = Self.properties40
        expected["spark.kubernetes.driver.podTemplateFile"] = nil
        #expect(SparkSubmitRendererGoldenTests.dictionary(rendered.properties) == expected)
        #expect(rendered.driverMemoryMiB == 5120)
        // 4.0 ResourceProfile: 3072 + 0.25×3072.
        #expect(rendered.executorMemoryMiB == 3840)
    }

    @Test func spark40ExecutorTemplateConfigMap() throws {
        let rendered = SparkSubmitRenderer.render(Self.submission(Self.recorded40, driverEnv: [Self.drvA, Self.another]))
        let map = try #require(rendered.podTemplateConfigMap)
        // 4.0 PodTemplateConfigMapStep: "<prefix>-driver-podspec-conf-map", one key, immutable.
        #expect(map.metadata.name == "big-job-name-1fc084a20361c703-driver-podspec-conf-map")
        #expect(map.metadata.namespace == "ns2" && map.immutable == true && map.metadata.ownerReferences.isEmpty)
        #expect(Array(map.data.keys) == ["podspec-configmap-key"])
        // The recorded template file, parsed: what the executors will be built from.
        let expected: JSONValue = [
            "apiVersion": "v1", "kind": "Pod", "metadata": ["labels": ["tpl-label": "exec"]],
            "spec": ["tolerations": [Self.spotToleration], "containers": [["name": "spark-executor", "env": [Self.secretEnv]]]],
        ]
        #expect(try JSON.parse(try #require(map.data["podspec-configmap-key"])) == expected)
        #expect(rendered.property("spark.kubernetes.executor.podTemplateFile") == "/opt/spark/pod-template/pod-spec-template.yml")
    }

    @Test func spark35MatchesTheRecording() throws {
        let rendered = SparkSubmitRenderer.render(Self.submission(Self.recorded35, driverEnv: [Self.another, Self.drvA]))
        // 3.5 MountVolumesFeatureStep: the same volumes, but mounts without subPathExpr.
        expectSameJSON(rendered.driverPod.json, Self.withNamespace(try JSON.parse(Self.pod35)))
        // 3.5 DriverServiceFeatureStep: the same Service.
        expectSameJSON(rendered.service.json, Self.withNamespace(try JSON.parse(Self.service35)))
        var expected = Self.properties40
        expected["spark.kubernetes.driver.podTemplateFile"] = nil
        expected["spark.app.id"] = Self.recorded35.appId
        expected["spark.app.submitTime"] = "1795353197876"
        expected["spark.master"] = "k8s://http://127.0.0.1:18779"
        expected["spark.driver.host"] = "big-job-name-f344d7a20363bf17-driver-svc.ns2.svc"
        expected["spark.kubernetes.driver.pod.name"] = "big-job-name-f344d7a20363bf17-driver"
        // 3.5 writes the same keys as 4.0 for this case (the run's file, compared key by key).
        #expect(SparkSubmitRendererGoldenTests.dictionary(rendered.properties) == expected)
        #expect(rendered.podTemplateConfigMap?.metadata.name == "big-job-name-f344d7a20363bf17-driver-podspec-conf-map")
    }

    @Test func propertiesFileEscapesAsTheRunWroteThem() throws {
        let rendered = SparkSubmitRenderer.render(Self.submission(Self.recorded40, driverEnv: [Self.drvA, Self.another]))
        let text = try #require(rendered.configMap.data["spark.properties"])
        // Lines copied from the 4.0 run's spark.properties (Properties.store to a Writer).
        for line in [
            ##"spark.some.user=a\:b\=c\\d\#e\!f"##, #"spark.kubernetes.driverEnv.ANOTHER=x\=y"#,
            ##"spark.archives=local\:///opt/arch.zip\#env"##, #"spark.hadoop.fs.s3a.endpoint=http\://minio\:9000"#,
        ] {
            #expect(text.contains("\n" + line + "\n"), "\(line)")
        }
    }

    static func withNamespace(_ value: JSONValue) -> JSONValue { SparkSubmitRendererGoldenTests.withNamespace(value, "ns2") }

    static let pod40 = #"""
{
  "apiVersion": "v1",
  "kind": "Pod",
  "metadata": {
    "annotations": {"tpl-ann": "x", "note": "hello"},
    "labels": {
      "tpl-label": "drv",
      "spark-role": "driver",
      "spark-app-name": "big-job-name",
      "spark-version": "4.0.5",
      "spark-app-selector": "spark-a4e1a1b2e4414d508586064aa048b596",
      "team": "data"
    },
    "name": "big-job-name-1fc084a20361c703-driver"
  },
  "spec": {
    "containers": [
      {"image": "busybox", "name": "sidecar"},
      {
        "args": [
          "driver",
          "--properties-file",
          "/opt/spark/conf/spark.properties",
          "--class",
          "com.example.Main",
          "local:///opt/app/app.jar",
          "arg1",
          "--flag"
        ],
        "env": [
          {"name": "TPL_ENV", "value": "t"},
          {"name": "FROM_SECRET", "valueFrom": {"secretKeyRef": {"key": "k", "name": "s"}}},
          {"name": "SPARK_USER", "value": "root"},
          {"name": "SPARK_APPLICATION_ID", "value": "spark-a4e1a1b2e4414d508586064aa048b596"},
          {"name": "DRV_A", "value": "1"},
          {"name": "ANOTHER", "value": "x=y"},
          {
            "name": "SPARK_DRIVER_BIND_ADDRESS",
            "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": "status.podIP"}}
          },
          {"name": "SPARK_LOCAL_DIRS", "value": "/var/data/spark-c9455ac6-efcb-4c04-b7d6-a61c13472659"},
          {"name": "SPARK_CONF_DIR", "value": "/opt/spark/conf"}
        ],
        "image": "repo/img:1",
        "imagePullPolicy": "Always",
        "name": "my-driver",
        "ports": [
          {"containerPort": 7100, "name": "driver-rpc-port", "protocol": "TCP"},
          {"containerPort": 7200, "name": "blockmanager", "protocol": "TCP"},
          {"containerPort": 4050, "name": "spark-ui", "protocol": "TCP"}
        ],
        "resources": {
          "limits": {"cpu": "3", "memory": "5120Mi"},
          "requests": {"cpu": "1500m", "memory": "5120Mi", "ephemeral-storage": "1Gi"}
        },
        "volumeMounts": [
          {"mountPath": "/tpl", "name": "tplvol"},
          {"mountPath": "/scratch", "name": "scratch", "readOnly": false, "subPath": "", "subPathExpr": ""},
          {"mountPath": "/hp", "name": "hp", "readOnly": false, "subPath": "", "subPathExpr": ""},
          {"mountPath": "/data", "name": "data", "readOnly": true, "subPath": "sub", "subPathExpr": ""},
          {"mountPath": "/nfs", "name": "nf", "readOnly": false, "subPath": "", "subPathExpr": ""},
          {"mountPath": "/opt/spark/pod-template", "name": "pod-template-volume"},
          {"mountPath": "/var/data/spark-c9455ac6-efcb-4c04-b7d6-a61c13472659", "name": "spark-local-dir-1"},
          {"mountPath": "/opt/spark/conf", "name": "spark-conf-volume-driver"}
        ]
      }
    ],
    "imagePullSecrets": [{"name": "sec1"}, {"name": "sec2"}],
    "nodeSelector": {"tplsel": "a", "disk": "ssd", "capacity": "on-demand"},
    "priorityClassName": "high",
    "restartPolicy": "Never",
    "serviceAccount": "spark-driver",
    "serviceAccountName": "spark-driver",
    "tolerations": [{"effect": "NoSchedule", "key": "dedicated", "operator": "Equal", "value": "spark"}],
    "volumes": [
      {"emptyDir": {}, "name": "tplvol"},
      {"emptyDir": {"medium": "Memory", "sizeLimit": "1Gi"}, "name": "scratch"},
      {"hostPath": {"path": "/mnt/hp", "type": ""}, "name": "hp"},
      {"name": "data", "persistentVolumeClaim": {"claimName": "pvc1", "readOnly": true}},
      {"name": "nf", "nfs": {"path": "/export", "server": "nfs.example"}},
      {
        "configMap": {
          "items": [{"key": "podspec-configmap-key", "path": "pod-spec-template.yml"}],
          "name": "big-job-name-1fc084a20361c703-driver-podspec-conf-map"
        },
        "name": "pod-template-volume"
      },
      {"emptyDir": {}, "name": "spark-local-dir-1"},
      {
        "configMap": {
          "items": [{"key": "spark.properties", "mode": 420, "path": "spark.properties"}],
          "name": "spark-drv-a7a5d6a20361db1a-conf-map"
        },
        "name": "spark-conf-volume-driver"
      }
    ]
  }
}
"""#

    static let service40 = #"""
{
  "apiVersion": "v1",
  "kind": "Service",
  "metadata": {
    "labels": {"spark-app-selector": "spark-a4e1a1b2e4414d508586064aa048b596"},
    "name": "big-job-name-1fc084a20361c703-driver-svc"
  },
  "spec": {
    "clusterIP": "None",
    "ipFamilies": ["IPv4"],
    "ipFamilyPolicy": "SingleStack",
    "ports": [
      {"name": "driver-rpc-port", "port": 7100, "targetPort": 7100},
      {"name": "blockmanager", "port": 7079, "targetPort": 7079},
      {"name": "spark-ui", "port": 4050, "targetPort": 4050}
    ],
    "selector": {
      "spark-app-name": "big-job-name",
      "spark-version": "4.0.5",
      "spark-role": "driver",
      "spark-app-selector": "spark-a4e1a1b2e4414d508586064aa048b596",
      "team": "data"
    }
  }
}
"""#

    static let pod35 = #"""
{
  "apiVersion": "v1",
  "kind": "Pod",
  "metadata": {
    "annotations": {"tpl-ann": "x", "note": "hello"},
    "labels": {
      "tpl-label": "drv",
      "spark-role": "driver",
      "spark-app-name": "big-job-name",
      "spark-version": "3.5.9",
      "spark-app-selector": "spark-1b7be0b935d14d428972c5860d36626a",
      "team": "data"
    },
    "name": "big-job-name-f344d7a20363bf17-driver"
  },
  "spec": {
    "containers": [
      {"image": "busybox", "name": "sidecar"},
      {
        "args": [
          "driver",
          "--properties-file",
          "/opt/spark/conf/spark.properties",
          "--class",
          "com.example.Main",
          "local:///opt/app/app.jar",
          "arg1",
          "--flag"
        ],
        "env": [
          {"name": "TPL_ENV", "value": "t"},
          {"name": "FROM_SECRET", "valueFrom": {"secretKeyRef": {"key": "k", "name": "s"}}},
          {"name": "SPARK_USER", "value": "root"},
          {"name": "SPARK_APPLICATION_ID", "value": "spark-1b7be0b935d14d428972c5860d36626a"},
          {"name": "ANOTHER", "value": "x=y"},
          {"name": "DRV_A", "value": "1"},
          {
            "name": "SPARK_DRIVER_BIND_ADDRESS",
            "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": "status.podIP"}}
          },
          {"name": "SPARK_LOCAL_DIRS", "value": "/var/data/spark-044f0eeb-352a-492b-b8c0-2076231d2f80"},
          {"name": "SPARK_CONF_DIR", "value": "/opt/spark/conf"}
        ],
        "image": "repo/img:1",
        "imagePullPolicy": "Always",
        "name": "my-driver",
        "ports": [
          {"containerPort": 7100, "name": "driver-rpc-port", "protocol": "TCP"},
          {"containerPort": 7200, "name": "blockmanager", "protocol": "TCP"},
          {"containerPort": 4050, "name": "spark-ui", "protocol": "TCP"}
        ],
        "resources": {
          "limits": {"cpu": "3", "memory": "5120Mi"},
          "requests": {"cpu": "1500m", "memory": "5120Mi", "ephemeral-storage": "1Gi"}
        },
        "volumeMounts": [
          {"mountPath": "/tpl", "name": "tplvol"},
          {"mountPath": "/scratch", "name": "scratch", "readOnly": false, "subPath": ""},
          {"mountPath": "/hp", "name": "hp", "readOnly": false, "subPath": ""},
          {"mountPath": "/data", "name": "data", "readOnly": true, "subPath": "sub"},
          {"mountPath": "/nfs", "name": "nf", "readOnly": false, "subPath": ""},
          {"mountPath": "/opt/spark/pod-template", "name": "pod-template-volume"},
          {"mountPath": "/var/data/spark-044f0eeb-352a-492b-b8c0-2076231d2f80", "name": "spark-local-dir-1"},
          {"mountPath": "/opt/spark/conf", "name": "spark-conf-volume-driver"}
        ]
      }
    ],
    "imagePullSecrets": [{"name": "sec1"}, {"name": "sec2"}],
    "nodeSelector": {"tplsel": "a", "disk": "ssd", "capacity": "on-demand"},
    "priorityClassName": "high",
    "restartPolicy": "Never",
    "serviceAccount": "spark-driver",
    "serviceAccountName": "spark-driver",
    "tolerations": [{"effect": "NoSchedule", "key": "dedicated", "operator": "Equal", "value": "spark"}],
    "volumes": [
      {"emptyDir": {}, "name": "tplvol"},
      {"emptyDir": {"medium": "Memory", "sizeLimit": "1Gi"}, "name": "scratch"},
      {"hostPath": {"path": "/mnt/hp", "type": ""}, "name": "hp"},
      {"name": "data", "persistentVolumeClaim": {"claimName": "pvc1", "readOnly": true}},
      {"name": "nf", "nfs": {"path": "/export", "server": "nfs.example"}},
      {
        "configMap": {
          "items": [{"key": "podspec-configmap-key", "path": "pod-spec-template.yml"}],
          "name": "big-job-name-f344d7a20363bf17-driver-podspec-conf-map"
        },
        "name": "pod-template-volume"
      },
      {"emptyDir": {}, "name": "spark-local-dir-1"},
      {
        "configMap": {
          "items": [{"key": "spark.properties", "mode": 420, "path": "spark.properties"}],
          "name": "spark-drv-5d55b3a20363d6f4-conf-map"
        },
        "name": "spark-conf-volume-driver"
      }
    ]
  }
}
"""#

    static let service35 = #"""
{
  "apiVersion": "v1",
  "kind": "Service",
  "metadata": {
    "labels": {"spark-app-selector": "spark-1b7be0b935d14d428972c5860d36626a"},
    "name": "big-job-name-f344d7a20363bf17-driver-svc"
  },
  "spec": {
    "clusterIP": "None",
    "ipFamilies": ["IPv4"],
    "ipFamilyPolicy": "SingleStack",
    "ports": [
      {"name": "driver-rpc-port", "port": 7100, "targetPort": 7100},
      {"name": "blockmanager", "port": 7079, "targetPort": 7079},
      {"name": "spark-ui", "port": 4050, "targetPort": 4050}
    ],
    "selector": {
      "spark-app-name": "big-job-name",
      "spark-version": "3.5.9",
      "spark-role": "driver",
      "spark-app-selector": "spark-1b7be0b935d14d428972c5860d36626a",
      "team": "data"
    }
  }
}
"""#

    static let properties40: [String: String] = [
        "spark.app.id": "spark-a4e1a1b2e4414d508586064aa048b596",
        "spark.app.name": "Big_Job.Name",
        "spark.app.submitTime": "1795353069136",
        "spark.archives": "local:///opt/arch.zip#env",
        "spark.blockManager.port": "7200",
        "spark.driver.blockManager.port": "7079",
        "spark.driver.cores": "2",
        "spark.driver.host": "big-job-name-1fc084a20361c703-driver-svc.ns2.svc",
        "spark.driver.memory": "4g",
        "spark.driver.memoryOverhead": "1g",
        "spark.driver.port": "7100",
        "spark.dynamicAllocation.enabled": "true",
        "spark.dynamicAllocation.initialExecutors": "2",
        "spark.dynamicAllocation.maxExecutors": "10",
        "spark.dynamicAllocation.minExecutors": "1",
        "spark.dynamicAllocation.shuffleTracking.enabled": "true",
        "spark.executor.cores": "4",
        "spark.executor.instances": "5",
        "spark.executor.memory": "3g",
        "spark.executor.memoryOverheadFactor": "0.25",
        "spark.executorEnv.EXEC_B": "2",
        "spark.files": "local:///opt/f.txt,https://repo.example/g.txt",
        "spark.hadoop.fs.s3a.endpoint": "http://minio:9000",
        "spark.jars": "local:///opt/extra/a.jar,https://repo.example/b.jar,local:///opt/app/app.jar",
        "spark.kubernetes.authenticate.driver.serviceAccountName": "spark-driver",
        "spark.kubernetes.authenticate.executor.serviceAccountName": "spark-exec",
        "spark.kubernetes.container.image": "repo/img:1",
        "spark.kubernetes.container.image.pullPolicy": "Always",
        "spark.kubernetes.container.image.pullSecrets": "sec1,sec2",
        "spark.kubernetes.driver.annotation.note": "hello",
        "spark.kubernetes.driver.label.team": "data",
        "spark.kubernetes.driver.limit.cores": "3",
        "spark.kubernetes.driver.node.selector.capacity": "on-demand",
        "spark.kubernetes.driver.pod.name": "big-job-name-1fc084a20361c703-driver",
        "spark.kubernetes.driver.podTemplateContainerName": "my-driver",
        "spark.kubernetes.driver.podTemplateFile": "/tmp/fakekube/tpl/driver.yaml",
        "spark.kubernetes.driver.request.cores": "1500m",
        "spark.kubernetes.driver.volumes.emptyDir.scratch.mount.path": "/scratch",
        "spark.kubernetes.driver.volumes.emptyDir.scratch.options.medium": "Memory",
        "spark.kubernetes.driver.volumes.emptyDir.scratch.options.sizeLimit": "1Gi",
        "spark.kubernetes.driver.volumes.hostPath.hp.mount.path": "/hp",
        "spark.kubernetes.driver.volumes.hostPath.hp.options.path": "/mnt/hp",
        "spark.kubernetes.driver.volumes.nfs.nf.mount.path": "/nfs",
        "spark.kubernetes.driver.volumes.nfs.nf.options.path": "/export",
        "spark.kubernetes.driver.volumes.nfs.nf.options.server": "nfs.example",
        "spark.kubernetes.driver.volumes.persistentVolumeClaim.data.mount.path": "/data",
        "spark.kubernetes.driver.volumes.persistentVolumeClaim.data.mount.readOnly": "true",
        "spark.kubernetes.driver.volumes.persistentVolumeClaim.data.mount.subPath": "sub",
        "spark.kubernetes.driver.volumes.persistentVolumeClaim.data.options.claimName": "pvc1",
        "spark.kubernetes.driverEnv.ANOTHER": "x=y",
        "spark.kubernetes.driverEnv.DRV_A": "1",
        "spark.kubernetes.executor.annotation.exec-note": "e",
        "spark.kubernetes.executor.label.team": "data",
        "spark.kubernetes.executor.limit.cores": "4",
        "spark.kubernetes.executor.node.selector.capacity": "spot",
        "spark.kubernetes.executor.podNamePrefix": "bigjob-exec",
        "spark.kubernetes.executor.podTemplateFile": "/opt/spark/pod-template/pod-spec-template.yml",
        "spark.kubernetes.executor.request.cores": "3500m",
        "spark.kubernetes.executor.volumes.emptyDir.scratch.mount.path": "/scratch",
        "spark.kubernetes.memoryOverheadFactor": "0.1",
        "spark.kubernetes.namespace": "ns2",
        "spark.kubernetes.node.selector.disk": "ssd",
        "spark.kubernetes.resource.type": "java",
        "spark.kubernetes.submission.waitAppCompletion": "false",
        "spark.kubernetes.submitInDriver": "true",
        "spark.master": "k8s://http://127.0.0.1:18728",
        "spark.some.user": "a:b=c\\d#e!f",
        "spark.submit.deployMode": "cluster",
        "spark.submit.pyFiles": "",
        "spark.ui.port": "4050",
    ]
}
