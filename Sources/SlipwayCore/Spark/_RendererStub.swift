// TEMPORARY: stands in for the renderer being written on branch spark-render; deleted at merge.
import Foundation
import KubeAPI
import SlipwayAPI

public struct SparkRoleSettings: Sendable, Hashable {
    public var cores: Int?
    public var coreRequest: String?
    public var coreLimit: String?
    public var memory: String?
    public var memoryOverhead: String?
    public var memoryOverheadFactor: Double?
    public var instances: Int?
    public var serviceAccount: String?
    public var labels: [String: String] = [:]
    public var annotations: [String: String] = [:]
    public var env: [JSONValue] = []
    public var nodeSelector: [String: String] = [:]
    public var tolerations: [JSONValue] = []
    public var affinity: JSONValue?
    public var volumes: [JSONValue] = []
    public var volumeMounts: [JSONValue] = []
    public var podTemplate: JSONValue?
    public init() {}
}
public struct SparkDependencies: Sendable, Hashable {
    public var jars, files, pyFiles, packages, repositories, excludePackages, archives: [String]
    public init(jars: [String] = [], files: [String] = [], pyFiles: [String] = [], packages: [String] = [], repositories: [String] = [], excludePackages: [String] = [], archives: [String] = []) {
        (self.jars, self.files, self.pyFiles, self.packages, self.repositories, self.excludePackages, self.archives) = (jars, files, pyFiles, packages, repositories, excludePackages, archives)
    }
}
public struct SparkDynamicAllocation: Sendable, Hashable {
    public var enabled: Bool
    public var initialExecutors, minExecutors, maxExecutors: Int?
    public var shuffleTracking: Bool?
    public init(enabled: Bool, initialExecutors: Int? = nil, minExecutors: Int? = nil, maxExecutors: Int? = nil, shuffleTracking: Bool? = nil) {
        (self.enabled, self.initialExecutors, self.minExecutors, self.maxExecutors, self.shuffleTracking) = (enabled, initialExecutors, minExecutors, maxExecutors, shuffleTracking)
    }
}
public struct SparkSubmission: Sendable, Hashable {
    public var sparkVersion: String
    public var type: SparkApplicationType
    public var appName, namespace, appId, resourceNamePrefix, configMapName: String
    public var executorPodNamePrefix: String?
    public var localDirName: String
    public var submitTime: Date
    public var sparkUser = "root"
    public var masterURL = "k8s://https://kubernetes.default.svc"
    public var image: String
    public var imagePullPolicy: String?
    public var imagePullSecrets: [String] = []
    public var mainApplicationFile: String
    public var mainClass: String?
    public var arguments: [String] = []
    public var sparkConf: [String: String] = [:]
    public var hadoopConf: [String: String] = [:]
    public var deps = SparkDependencies()
    public var driver = SparkRoleSettings()
    public var executor = SparkRoleSettings()
    public var dynamicAllocation: SparkDynamicAllocation?
    public var driverPodLabels: [String: String] = [:]
    public var executorPodLabels: [String: String] = [:]
    public init(sparkVersion: String, type: SparkApplicationType, appName: String, namespace: String, appId: String, resourceNamePrefix: String,
                configMapName: String, localDirName: String, submitTime: Date, image: String, mainApplicationFile: String) {
        (self.sparkVersion, self.type, self.appName, self.namespace, self.appId) = (sparkVersion, type, appName, namespace, appId)
        (self.resourceNamePrefix, self.configMapName, self.localDirName, self.submitTime) = (resourceNamePrefix, configMapName, localDirName, submitTime)
        (self.image, self.mainApplicationFile) = (image, mainApplicationFile)
    }
}
public struct SparkSubmitObjects: Sendable {
    public var driverPod: Pod
    public var service: Service
    public var configMap: ConfigMap
    public var podTemplateConfigMap: ConfigMap?
}
public enum SparkSubmitRenderer {
    public static func render(_ s: SparkSubmission) -> SparkSubmitObjects {
        let labels: JSONValue = ["spark-app-name": .string(s.appName), "spark-app-selector": .string(s.appId), "spark-role": "driver", "spark-version": .string(s.sparkVersion)]
        var props: [String: String] = s.sparkConf
        props["spark.app.id"] = s.appId
        props["spark.executor.memory"] = s.executor.memory
        props["spark.executor.instances"] = s.executor.instances.map(String.init)
        props["spark.kubernetes.executor.podNamePrefix"] = s.executorPodNamePrefix
        props["spark.kubernetes.driver.pod.name"] = s.resourceNamePrefix + "-driver"
        props["spark.kubernetes.namespace"] = s.namespace
        props["spark.kubernetes.container.image"] = s.image
        for (k, v) in s.executor.nodeSelector { props["spark.kubernetes.executor.node.selector.\(k)"] = v }
        for (k, v) in s.executorPodLabels { props["spark.kubernetes.executor.label.\(k)"] = v }
        let text = props.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "\n") + "\n"
        let mem = (try? Quantity(sparkMemory: s.driver.memory ?? "1g"))?.bytes ?? (1 << 30)
        let mib = Int(mem >> 20) + max(384, Int(Double(mem >> 20) * 0.1))
        let pod: JSONValue = [
            "apiVersion": "v1", "kind": "Pod",
            "metadata": ["name": .string(s.resourceNamePrefix + "-driver"), "labels": labels],
            "spec": ["restartPolicy": "Never", "containers": [[
                "name": "spark-kubernetes-driver", "image": .string(s.image),
                "args": .array((["driver", "--properties-file", "/opt/spark/conf/spark.properties", "--class", .string(s.mainClass ?? "org.apache.spark.deploy.PythonRunner"), .string(s.mainApplicationFile)] as [JSONValue]) + s.arguments.map(JSONValue.string)),
                "resources": ["requests": ["cpu": "1", "memory": .string("\(mib)Mi")], "limits": ["memory": .string("\(mib)Mi")]],
                "volumeMounts": [["name": "spark-conf-volume-driver", "mountPath": "/opt/spark/conf"]],
            ]], "volumes": [["name": "spark-conf-volume-driver", "configMap": ["name": .string(s.configMapName), "items": [["key": "spark.properties", "path": "spark.properties", "mode": 420]]]]]],
        ]
        let service: JSONValue = ["apiVersion": "v1", "kind": "Service", "metadata": ["name": .string(s.resourceNamePrefix + "-driver-svc")],
                                  "spec": ["clusterIP": "None", "selector": labels, "ports": [["name": "driver-rpc-port", "port": 7078, "targetPort": 7078]]]]
        let cm: JSONValue = ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": .string(s.configMapName)], "data": ["spark.properties": .string(text)], "immutable": true]
        return SparkSubmitObjects(driverPod: Pod(json: pod)!, service: Service(json: service)!, configMap: ConfigMap(json: cm)!)
    }
}
