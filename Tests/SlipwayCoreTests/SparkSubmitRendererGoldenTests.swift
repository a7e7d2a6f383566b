import Foundation
import KubeAPI
import SlipwayAPI
import Testing
@testable import SlipwayCore

/// Golden tests: what the real spark-submit sent, field by field.
///
/// The Python 4.0.5 case is the recording in shared/reference/spark-submit-4.0-python. The
/// other bodies below were recorded the same way for this work: the real spark-submit of
/// pyspark 4.0.5 and 3.5.9 from PyPI (Java 17), `--deploy-mode cluster`,
/// `spark.kubernetes.submission.waitAppCompletion=false`, against a logging stand-in for
/// the API server; they are the POSTed pod and the applied Service and ConfigMap bodies,
/// without the owner references spark-submit adds after creating the pod. Inputs reuse the
/// recorded random names so that every value must match. A recorded body is what Spark's
/// sources produce (BasicDriverFeatureStep, DriverServiceFeatureStep, DriverCommandFeatureStep,
/// LocalDirsFeatureStep, KubernetesClientUtils, under
/// resource-managers/kubernetes/core/src/main/scala/org/apache/spark/deploy/k8s), so each
/// expectation names the step it checks.
@Suite("SparkSubmitRenderer golden")
struct SparkSubmitRendererGoldenTests {
    // MARK: - (1) Spark 4.0.5, Python: the shared recording

    static let reference = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../../shared/reference/spark-submit-4.0-python/as-sent-requests").standardizedFileURL

    static func recordedBody(_ prefix: String) throws -> JSONValue {
        let names = try FileManager.default.contentsOfDirectory(atPath: reference.path)
        let name = try #require(names.first { $0.hasPrefix(prefix) }, "no \(prefix)* in \(reference.path)")
        let request = try JSON.parse(Data(contentsOf: reference.appendingPathComponent(name)))
        return try #require(request["body"])
    }

    /// The recorded command line (command.txt) with the names and ids the recording drew.
    static let recordedPython40 = SparkSubmission(
        sparkVersion: "4.0.5", type: .python, appName: "spark-pi-py", namespace: "golden-40",
        appId: "spark-c14653f5d34e4508917dbd7952df0dbf", resourceNamePrefix: "spark-pi-py-acece9a202b82ee7",
        configMapName: "spark-drv-934848a202b8390b-conf-map", localDirName: "spark-33afcfed-a762-4b35-820e-c232401536a8",
        submitTime: Date(timeIntervalSince1970: 1_795_341_954.662), masterURL: "k8s://http://127.0.0.1:18080",
        image: "apache/spark:4.0.5", mainApplicationFile: "local:///opt/spark/examples/src/main/python/pi.py", arguments: ["1000"],
        sparkConf: [
            "spark.kubernetes.submission.waitAppCompletion": "false", "spark.kubernetes.pyspark.pythonVersion": "3",
            // Submission credentials: spark-submit copies them; the operator must not.
            "spark.kubernetes.authenticate.submission.oauthToken": "TOKEN",
            "spark.kubernetes.authenticate.submission.caCertFile": "<apiserver-ca.crt>",
        ],
        driver: SparkRoleSettings(memory: "1g"), executor: SparkRoleSettings(memory: "2g", instances: 2))

    @Test func recordedPython40DriverPodIsTheRequestBody() throws {
        let rendered = SparkSubmitRenderer.render(Self.recordedPython40)
        var expected = try Self.recordedBody("017-POST")
        expected["metadata"]?["namespace"] = "golden-40"  // spark-submit puts it in the URL
        // 4.0 BasicDriverFeatureStep + LocalDirsFeatureStep + Client: the whole body, 1433Mi = 1024 + max(0.4×1024, 384).
        expectSameJSON(rendered.driverPod.json, expected)
        #expect(rendered.driverMemoryMiB == 1433)
        // 4.0 BasicExecutorFeatureStep/ResourceProfile: 2048 + 0.4×2048 (the propagated non-JVM factor).
        #expect(rendered.executorMemoryMiB == 2867)
    }

    @Test func recordedPython40ServiceIsTheApplyBody() throws {
        let rendered = SparkSubmitRenderer.render(Self.recordedPython40)
        var expected = try Self.recordedBody("018-PATCH")
        expected["metadata"]?["ownerReferences"] = nil  // added by the caller once the pod exists
        expected["metadata"]?["namespace"] = "golden-40"
        // 4.0 DriverServiceFeatureStep: headless, IPv4 single stack, three ports, the driver's labels as selector.
        expectSameJSON(rendered.service.json, expected)
    }

    @Test func recordedPython40ConfigMapIsTheApplyBody() throws {
        let rendered = SparkSubmitRenderer.render(Self.recordedPython40)
        let expected = try Self.recordedBody("019-PATCH")
        let map = rendered.configMap
        // 4.0 KubernetesClientUtils.buildConfigMap: name, namespace, immutable, two data keys.
        #expect(map.metadata.name == expected[path: ["metadata", "name"]]?.stringValue)
        #expect(map.metadata.namespace == "golden-40")
        #expect(map.immutable == true && expected["immutable"] == true)
        #expect(map.metadata.ownerReferences.isEmpty)
        #expect(Set(map.data.keys) == ["spark.properties", "spark.kubernetes.namespace"])
        #expect(map.data["spark.kubernetes.namespace"] == expected[path: ["data", "spark.kubernetes.namespace"]]?.stringValue)
        // spark.properties: the same entries, credentials left out; the first comment line verbatim.
        let recordedText = try #require(expected[path: ["data", "spark.properties"]]?.stringValue)
        var recorded = JavaProperties.parse(recordedText)
        for key in recorded.keys where key.hasPrefix("spark.kubernetes.authenticate.submission.") { recorded[key] = nil }
        let text = try #require(map.data["spark.properties"])
        #expect(JavaProperties.parse(text) == recorded)
        #expect(Dictionary(uniqueKeysWithValues: rendered.properties.map { ($0.key, $0.value) }) == recorded)
        #expect(text.split(separator: "\n").first == recordedText.split(separator: "\n").first)
        // The escaped lines, as Properties.store wrote them (':' escaped in values).
        for line in ["spark.master=k8s\\://http\\://127.0.0.1\\:18080", "spark.kubernetes.container.image=apache/spark\\:4.0.5", "spark.submit.pyFiles="] {
            #expect(text.contains("\n" + line + "\n") && recordedText.contains("\n" + line + "\n"))
        }
    }

    // MARK: - (2) Spark 4.0.5, Scala SparkPi

    static let scala40 = SparkSubmission(
        sparkVersion: "4.0.5", type: .scala, appName: "spark-pi", namespace: "ns1",
        appId: "spark-b01ad5b8f14247a39d73c2d947c8136b", resourceNamePrefix: "spark-pi-5913b1a203603097",
        configMapName: "spark-drv-157169a203604205-conf-map", localDirName: "spark-b1e0876f-22b3-4476-a146-a89c1ce22866",
        submitTime: Date(timeIntervalSince1970: 1_795_352_964.976), masterURL: "k8s://http://127.0.0.1:18841",
        image: "apache/spark:4.0.5", mainApplicationFile: "local:///opt/spark/examples/jars/spark-examples_2.13-4.0.5.jar",
        mainClass: "org.apache.spark.examples.SparkPi", arguments: ["100"],
        sparkConf: ["spark.kubernetes.submission.waitAppCompletion": "false"],
        driver: SparkRoleSettings(memory: "2g"), executor: SparkRoleSettings(memory: "8g", instances: 3))

    @Test func scala40MatchesTheRecording() throws {
        let rendered = SparkSubmitRenderer.render(Self.scala40)
        // 4.0 DriverCommandFeatureStep: `--class <main class> <main jar> <args>`, no spark-internal when a jar is given;
        // BasicDriverFeatureStep: 2432Mi = 2048 + max(0.1×2048, 384) (JVM factor 0.1).
        expectSameJSON(rendered.driverPod.json, Self.withNamespace(try JSON.parse(Self.scala40Pod), "ns1"))
        // 4.0 DriverServiceFeatureStep.
        expectSameJSON(rendered.service.json, Self.withNamespace(try JSON.parse(Self.scala40Service), "ns1"))
        // 4.0 KubernetesClientApplication/BasicDriverFeatureStep: spark.jars gets the main jar,
        // spark.kubernetes.memoryOverheadFactor=0.1, spark.kubernetes.resource.type=java.
        #expect(Self.dictionary(rendered.properties) == Self.scala40Properties)
        #expect(rendered.driverMemoryMiB == 2432)
        // 4.0 ResourceProfile.getResourcesForClusterManager: 8192 + 819.
        #expect(rendered.executorMemoryMiB == 9011)
    }

    static let scala40Pod = #"""
{
  "apiVersion": "v1",
  "kind": "Pod",
  "metadata": {
    "labels": {
      "spark-version": "4.0.5",
      "spark-app-selector": "spark-b01ad5b8f14247a39d73c2d947c8136b",
      "spark-app-name": "spark-pi",
      "spark-role": "driver"
    },
    "name": "spark-pi-5913b1a203603097-driver"
  },
  "spec": {
    "containers": [
      {
        "args": [
          "driver",
          "--properties-file",
          "/opt/spark/conf/spark.properties",
          "--class",
          "org.apache.spark.examples.SparkPi",
          "local:///opt/spark/examples/jars/spark-examples_2.13-4.0.5.jar",
          "100"
        ],
        "env": [
          {"name": "SPARK_USER", "value": "root"},
          {"name": "SPARK_APPLICATION_ID", "value": "spark-b01ad5b8f14247a39d73c2d947c8136b"},
          {
            "name": "SPARK_DRIVER_BIND_ADDRESS",
            "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": "status.podIP"}}
          },
          {"name": "SPARK_LOCAL_DIRS", "value": "/var/data/spark-b1e0876f-22b3-4476-a146-a89c1ce22866"},
          {"name": "SPARK_CONF_DIR", "value": "/opt/spark/conf"}
        ],
        "image": "apache/spark:4.0.5",
        "imagePullPolicy": "IfNotPresent",
        "name": "spark-kubernetes-driver",
        "ports": [
          {"containerPort": 7078, "name": "driver-rpc-port", "protocol": "TCP"},
          {"containerPort": 7079, "name": "blockmanager", "protocol": "TCP"},
          {"containerPort": 4040, "name": "spark-ui", "protocol": "TCP"}
        ],
        "resources": {"limits": {"memory": "2432Mi"}, "requests": {"cpu": "1", "memory": "2432Mi"}},
        "volumeMounts": [
          {"mountPath": "/var/data/spark-b1e0876f-22b3-4476-a146-a89c1ce22866", "name": "spark-local-dir-1"},
          {"mountPath": "/opt/spark/conf", "name": "spark-conf-volume-driver"}
        ]
      }
    ],
    "restartPolicy": "Never",
    "volumes": [
      {"emptyDir": {}, "name": "spark-local-dir-1"},
      {
        "configMap": {
          "items": [{"key": "spark.properties", "mode": 420, "path": "spark.properties"}],
          "name": "spark-drv-157169a203604205-conf-map"
        },
        "name": "spark-conf-volume-driver"
      }
    ]
  }
}
"""#

    static let scala40Service = #"""
{
  "apiVersion": "v1",
  "kind": "Service",
  "metadata": {
    "labels": {"spark-app-selector": "spark-b01ad5b8f14247a39d73c2d947c8136b"},
    "name": "spark-pi-5913b1a203603097-driver-svc"
  },
  "spec": {
    "clusterIP": "None",
    "ipFamilies": ["IPv4"],
    "ipFamilyPolicy": "SingleStack",
    "ports": [
      {"name": "driver-rpc-port", "port": 7078, "targetPort": 7078},
      {"name": "blockmanager", "port": 7079, "targetPort": 7079},
      {"name": "spark-ui", "port": 4040, "targetPort": 4040}
    ],
    "selector": {
      "spark-version": "4.0.5",
      "spark-app-selector": "spark-b01ad5b8f14247a39d73c2d947c8136b",
      "spark-app-name": "spark-pi",
      "spark-role": "driver"
    }
  }
}
"""#

    static let scala40Properties: [String: String] = [
        "spark.app.id": "spark-b01ad5b8f14247a39d73c2d947c8136b",
        "spark.app.name": "spark-pi",
        "spark.app.submitTime": "1795352964976",
        "spark.driver.blockManager.port": "7079",
        "spark.driver.host": "spark-pi-5913b1a203603097-driver-svc.ns1.svc",
        "spark.driver.memory": "2g",
        "spark.driver.port": "7078",
        "spark.executor.instances": "3",
        "spark.executor.memory": "8g",
        "spark.jars": "local:///opt/spark/examples/jars/spark-examples_2.13-4.0.5.jar",
        "spark.kubernetes.container.image": "apache/spark:4.0.5",
        "spark.kubernetes.driver.pod.name": "spark-pi-5913b1a203603097-driver",
        "spark.kubernetes.memoryOverheadFactor": "0.1",
        "spark.kubernetes.namespace": "ns1",
        "spark.kubernetes.resource.type": "java",
        "spark.kubernetes.submission.waitAppCompletion": "false",
        "spark.kubernetes.submitInDriver": "true",
        "spark.master": "k8s://http://127.0.0.1:18841",
        "spark.submit.deployMode": "cluster",
        "spark.submit.pyFiles": "",
    ]

    // MARK: - (3) Spark 3.5.9, Scala SparkPi

    static let scala35 = SparkSubmission(
        sparkVersion: "3.5.9", type: .scala, appName: "spark-pi", namespace: "ns1",
        appId: "spark-0e95d01c3bfb49028864e5ea97a5bd77", resourceNamePrefix: "spark-pi-488b38a20362db91",
        configMapName: "spark-drv-7fa038a20362e957-conf-map", localDirName: "spark-1bf6e7bc-365d-42ce-99cb-cc35ef65f13b",
        submitTime: Date(timeIntervalSince1970: 1_795_353_139.904), masterURL: "k8s://http://127.0.0.1:18787",
        image: "apache/spark:3.5.9", mainApplicationFile: "local:///opt/spark/examples/jars/spark-examples_2.12-3.5.9.jar",
        mainClass: "org.apache.spark.examples.SparkPi", arguments: ["100"],
        sparkConf: ["spark.kubernetes.submission.waitAppCompletion": "false"],
        driver: SparkRoleSettings(memory: "2g"), executor: SparkRoleSettings(memory: "8g", instances: 3))

    @Test func scala35MatchesTheRecording() throws {
        let rendered = SparkSubmitRenderer.render(Self.scala35)
        // 3.5 submits the same shapes as 4.0 for this case (BasicDriverFeatureStep, DriverCommandFeatureStep).
        expectSameJSON(rendered.driverPod.json, Self.withNamespace(try JSON.parse(Self.scala35Pod), "ns1"))
        // 3.5 DriverServiceFeatureStep: also single-stack IPv4.
        expectSameJSON(rendered.service.json, Self.withNamespace(try JSON.parse(Self.scala35Service), "ns1"))
        // 3.5 KubernetesClientUtils: the ConfigMap also carries spark.kubernetes.namespace and is immutable.
        #expect(rendered.configMap.data["spark.kubernetes.namespace"] == "ns1" && rendered.configMap.immutable == true)
        #expect(Self.dictionary(rendered.properties) == Self.scala35Properties)
        #expect(rendered.driverMemoryMiB == 2432 && rendered.executorMemoryMiB == 9011)
    }

    static let scala35Pod = #"""
{
  "apiVersion": "v1",
  "kind": "Pod",
  "metadata": {
    "labels": {
      "spark-version": "3.5.9",
      "spark-app-selector": "spark-0e95d01c3bfb49028864e5ea97a5bd77",
      "spark-app-name": "spark-pi",
      "spark-role": "driver"
    },
    "name": "spark-pi-488b38a20362db91-driver"
  },
  "spec": {
    "containers": [
      {
        "args": [
          "driver",
          "--properties-file",
          "/opt/spark/conf/spark.properties",
          "--class",
          "org.apache.spark.examples.SparkPi",
          "local:///opt/spark/examples/jars/spark-examples_2.12-3.5.9.jar",
          "100"
        ],
        "env": [
          {"name": "SPARK_USER", "value": "root"},
          {"name": "SPARK_APPLICATION_ID", "value": "spark-0e95d01c3bfb49028864e5ea97a5bd77"},
          {
            "name": "SPARK_DRIVER_BIND_ADDRESS",
            "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": "status.podIP"}}
          },
          {"name": "SPARK_LOCAL_DIRS", "value": "/var/data/spark-1bf6e7bc-365d-42ce-99cb-cc35ef65f13b"},
          {"name": "SPARK_CONF_DIR", "value": "/opt/spark/conf"}
        ],
        "image": "apache/spark:3.5.9",
        "imagePullPolicy": "IfNotPresent",
        "name": "spark-kubernetes-driver",
        "ports": [
          {"containerPort": 7078, "name": "driver-rpc-port", "protocol": "TCP"},
          {"containerPort": 7079, "name": "blockmanager", "protocol": "TCP"},
          {"containerPort": 4040, "name": "spark-ui", "protocol": "TCP"}
        ],
        "resources": {"limits": {"memory": "2432Mi"}, "requests": {"cpu": "1", "memory": "2432Mi"}},
        "volumeMounts": [
          {"mountPath": "/var/data/spark-1bf6e7bc-365d-42ce-99cb-cc35ef65f13b", "name": "spark-local-dir-1"},
          {"mountPath": "/opt/spark/conf", "name": "spark-conf-volume-driver"}
        ]
      }
    ],
    "restartPolicy": "Never",
    "volumes": [
      {"emptyDir": {}, "name": "spark-local-dir-1"},
      {
        "configMap": {
          "items": [{"key": "spark.properties", "mode": 420, "path": "spark.properties"}],
          "name": "spark-drv-7fa038a20362e957-conf-map"
        },
        "name": "spark-conf-volume-driver"
      }
    ]
  }
}
"""#

    static let scala35Service = #"""
{
  "apiVersion": "v1",
  "kind": "Service",
  "metadata": {
    "labels": {"spark-app-selector": "spark-0e95d01c3bfb49028864e5ea97a5bd77"},
    "name": "spark-pi-488b38a20362db91-driver-svc"
  },
  "spec": {
    "clusterIP": "None",
    "ipFamilies": ["IPv4"],
    "ipFamilyPolicy": "SingleStack",
    "ports": [
      {"name": "driver-rpc-port", "port": 7078, "targetPort": 7078},
      {"name": "blockmanager", "port": 7079, "targetPort": 7079},
      {"name": "spark-ui", "port": 4040, "targetPort": 4040}
    ],
    "selector": {
      "spark-version": "3.5.9",
      "spark-app-selector": "spark-0e95d01c3bfb49028864e5ea97a5bd77",
      "spark-app-name": "spark-pi",
      "spark-role": "driver"
    }
  }
}
"""#

    static let scala35Properties: [String: String] = [
        "spark.app.id": "spark-0e95d01c3bfb49028864e5ea97a5bd77",
        "spark.app.name": "spark-pi",
        "spark.app.submitTime": "1795353139904",
        "spark.driver.blockManager.port": "7079",
        "spark.driver.host": "spark-pi-488b38a20362db91-driver-svc.ns1.svc",
        "spark.driver.memory": "2g",
        "spark.driver.port": "7078",
        "spark.executor.instances": "3",
        "spark.executor.memory": "8g",
        "spark.jars": "local:///opt/spark/examples/jars/spark-examples_2.12-3.5.9.jar",
        "spark.kubernetes.container.image": "apache/spark:3.5.9",
        "spark.kubernetes.driver.pod.name": "spark-pi-488b38a20362db91-driver",
        "spark.kubernetes.memoryOverheadFactor": "0.1",
        "spark.kubernetes.namespace": "ns1",
        "spark.kubernetes.resource.type": "java",
        "spark.kubernetes.submission.waitAppCompletion": "false",
        "spark.kubernetes.submitInDriver": "true",
        "spark.master": "k8s://http://127.0.0.1:18787",
        "spark.submit.deployMode": "cluster",
        "spark.submit.pyFiles": "",
    ]

    // MARK: - (4) Spark 3.5.9, Python

    static let python35 = SparkSubmission(
        sparkVersion: "3.5.9", type: .python, appName: "spark-pi-py", namespace: "golden-35",
        appId: "spark-e107fca77e9b4037bbcb115f0859e206", resourceNamePrefix: "spark-pi-py-a0be71a203629c38",
        configMapName: "spark-drv-d69f1ba20362a3b6-conf-map", localDirName: "spark-02253962-84cc-4502-aa23-cdb6e7704834",
        submitTime: Date(timeIntervalSince1970: 1_795_353_123.628), masterURL: "k8s://http://127.0.0.1:18686",
        image: "apache/spark:3.5.9", mainApplicationFile: "local:///opt/spark/examples/src/main/python/pi.py", arguments: ["1000"],
        sparkConf: ["spark.kubernetes.submission.waitAppCompletion": "false", "spark.kubernetes.pyspark.pythonVersion": "3"],
        driver: SparkRoleSettings(memory: "1g"), executor: SparkRoleSettings(memory: "2g", instances: 2))

    @Test func python35MatchesTheRecording() throws {
        let rendered = SparkSubmitRenderer.render(Self.python35)
        // 3.5 DriverCommandFeatureStep: PythonRunner, and no PYSPARK_* env without spark.pyspark.* keys;
        // 3.5 BasicDriverFeatureStep: non-JVM factor 0.4 → 1433Mi.
        expectSameJSON(rendered.driverPod.json, Self.withNamespace(try JSON.parse(Self.python35Pod), "golden-35"))
        expectSameJSON(rendered.service.json, Self.withNamespace(try JSON.parse(Self.python35Service), "golden-35"))
        // 3.5 BasicDriverFeatureStep.getAdditionalPodSystemProperties: spark.kubernetes.memoryOverheadFactor=0.4.
        #expect(Self.dictionary(rendered.properties) == Self.python35Properties)
        #expect(rendered.driverMemoryMiB == 1433 && rendered.executorMemoryMiB == 2867)
    }

    static let python35Pod = #"""
{
  "apiVersion": "v1",
  "kind": "Pod",
  "metadata": {
    "labels": {
      "spark-version": "3.5.9",
      "spark-app-selector": "spark-e107fca77e9b4037bbcb115f0859e206",
      "spark-app-name": "spark-pi-py",
      "spark-role": "driver"
    },
    "name": "spark-pi-py-a0be71a203629c38-driver"
  },
  "spec": {
    "containers": [
      {
        "args": [
          "driver",
          "--properties-file",
          "/opt/spark/conf/spark.properties",
          "--class",
          "org.apache.spark.deploy.PythonRunner",
          "local:///opt/spark/examples/src/main/python/pi.py",
          "1000"
        ],
        "env": [
          {"name": "SPARK_USER", "value": "root"},
          {"name": "SPARK_APPLICATION_ID", "value": "spark-e107fca77e9b4037bbcb115f0859e206"},
          {
            "name": "SPARK_DRIVER_BIND_ADDRESS",
            "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": "status.podIP"}}
          },
          {"name": "SPARK_LOCAL_DIRS", "value": "/var/data/spark-02253962-84cc-4502-aa23-cdb6e7704834"},
          {"name": "SPARK_CONF_DIR", "value": "/opt/spark/conf"}
        ],
        "image": "apache/spark:3.5.9",
        "imagePullPolicy": "IfNotPresent",
        "name": "spark-kubernetes-driver",
        "ports": [
          {"containerPort": 7078, "name": "driver-rpc-port", "protocol": "TCP"},
          {"containerPort": 7079, "name": "blockmanager", "protocol": "TCP"},
          {"containerPort": 4040, "name": "spark-ui", "protocol": "TCP"}
        ],
        "resources": {"limits": {"memory": "1433Mi"}, "requests": {"cpu": "1", "memory": "1433Mi"}},
        "volumeMounts": [
          {"mountPath": "/var/data/spark-02253962-84cc-4502-aa23-cdb6e7704834", "name": "spark-local-dir-1"},
          {"mountPath": "/opt/spark/conf", "name": "spark-conf-volume-driver"}
        ]
      }
    ],
    "restartPolicy": "Never",
    "volumes": [
      {"emptyDir": {}, "name": "spark-local-dir-1"},
      {
        "configMap": {
          "items": [{"key": "spark.properties", "mode": 420, "path": "spark.properties"}],
          "name": "spark-drv-d69f1ba20362a3b6-conf-map"
        },
        "name": "spark-conf-volume-driver"
      }
    ]
  }
}
"""#

    static let python35Service = #"""
{
  "apiVersion": "v1",
  "kind": "Service",
  "metadata": {
    "labels": {"spark-app-selector": "spark-e107fca77e9b4037bbcb115f0859e206"},
    "name": "spark-pi-py-a0be71a203629c38-driver-svc"
  },
  "spec": {
    "clusterIP": "None",
    "ipFamilies": ["IPv4"],
    "ipFamilyPolicy": "SingleStack",
    "ports": [
      {"name": "driver-rpc-port", "port": 7078, "targetPort": 7078},
      {"name": "blockmanager", "port": 7079, "targetPort": 7079},
      {"name": "spark-ui", "port": 4040, "targetPort": 4040}
    ],
    "selector": {
      "spark-version": "3.5.9",
      "spark-app-selector": "spark-e107fca77e9b4037bbcb115f0859e206",
      "spark-app-name": "spark-pi-py",
      "spark-role": "driver"
    }
  }
}
"""#

    static let python35Properties: [String: String] = [
        "spark.app.id": "spark-e107fca77e9b4037bbcb115f0859e206",
        "spark.app.name": "spark-pi-py",
        "spark.app.submitTime": "1795353123628",
        "spark.driver.blockManager.port": "7079",
        "spark.driver.host": "spark-pi-py-a0be71a203629c38-driver-svc.golden-35.svc",
        "spark.driver.memory": "1g",
        "spark.driver.port": "7078",
        "spark.executor.instances": "2",
        "spark.executor.memory": "2g",
        "spark.kubernetes.container.image": "apache/spark:3.5.9",
        "spark.kubernetes.driver.pod.name": "spark-pi-py-a0be71a203629c38-driver",
        "spark.kubernetes.memoryOverheadFactor": "0.4",
        "spark.kubernetes.namespace": "golden-35",
        "spark.kubernetes.pyspark.pythonVersion": "3",
        "spark.kubernetes.resource.type": "python",
        "spark.kubernetes.submission.waitAppCompletion": "false",
        "spark.kubernetes.submitInDriver": "true",
        "spark.master": "k8s://http://127.0.0.1:18686",
        "spark.submit.deployMode": "cluster",
        "spark.submit.pyFiles": "",
    ]

    // MARK: - Helpers

    static func withNamespace(_ value: JSONValue, _ namespace: String) -> JSONValue {
        var value = value
        value["metadata"]?["namespace"] = .string(namespace)
        return value
    }

    static func dictionary(_ entries: [(key: String, value: String)]) -> [String: String] {
        Dictionary(entries.map { ($0.key, $0.value) }, uniquingKeysWith: { _, last in last })
    }
}

/// `actual == expected`, naming the first difference when not.
func expectSameJSON(_ actual: JSONValue, _ expected: JSONValue, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(actual == expected, "\(JSONDifference.first(actual, expected) ?? "")", sourceLocation: sourceLocation)
}

/// The first place two JSON documents differ, for failure messages.
enum JSONDifference {
    static func first(_ a: JSONValue, _ b: JSONValue, at path: String = "") -> String? {
        switch (a, b) {
        case (.object(let x), .object(let y)):
            for key in Set(x.keys).union(y.keys).sorted() {
                guard let u = x[key] else { return "\(path)/\(key): missing on the left" }
                guard let v = y[key] else { return "\(path)/\(key): missing on the right" }
                if let found = first(u, v, at: "\(path)/\(key)") { return found }
            }
            return nil
        case (.array(let x), .array(let y)):
            for (i, (u, v)) in zip(x, y).enumerated() {
                if let found = first(u, v, at: "\(path)/\(i)") { return found }
            }
            return x.count == y.count ? nil : "\(path): \(x.count) vs \(y.count) elements"
        default:
            return a == b ? nil : "\(path): \(JSON.string(a)) vs \(JSON.string(b))"
        }
    }
}

/// Reads `key=value` lines as `java.util.Properties.load` does, for the forms `store` writes.
enum JavaProperties {
    static func parse(_ text: String) -> [String: String] {
        var result: [String: String] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            var key = "", value = "", inKey = true, escaped = false
            for character in line {
                if escaped {
                    let plain: Character = ["t": "\t", "n": "\n", "r": "\r", "f": "\u{0C}"][character] ?? character
                    if inKey { key.append(plain) } else { value.append(plain) }
                    escaped = false
                } else if character == "\\" {
                    escaped = true
                } else if inKey, character == "=" || character == ":" {
                    inKey = false
                } else if inKey {
                    key.append(character)
                } else {
                    value.append(character)
                }
            }
            result[key] = value
        }
        return result
    }
}
