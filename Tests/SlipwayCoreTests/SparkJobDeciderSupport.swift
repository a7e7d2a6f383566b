import Foundation
import KubeAPI
import SlipwayAPI
import SlipwayCore

/// A SparkJob and its pods, advanced one decision at a time: status is kept as the
/// controller would write it, submitted drivers appear as pods, and tests set the pods'
/// states (what the kubelet and Spark's driver would do).
struct SparkSimulation {
    static let t0 = Date(timeIntervalSince1970: 1_800_007_200)
    var job: SparkJob
    var drivers: [Pod] = []
    var executors: [Pod] = []
    var events: [String: [AttemptEvent]] = [:]
    var nodeLabels: [String: [String: String]] = ["spot-1": ["karpenter.sh/capacity-type": "spot"], "od-1": ["karpenter.sh/capacity-type": "on-demand"]]
    var goneNodes: Set<String> = []
    /// The parents' states by name.
    var dependencies: [String: DependencyState] = [:]
    var now = SparkSimulation.t0
    var last = JobDecision<SparkJobStatus>()
    /// Drivers whose submission the controller saw complete (every one the simulation
    /// materialised, unless a test says otherwise), and drivers whose create failed.
    var completeSubmissions: Set<String> = []
    var failedCreates: Set<String> = []
    /// Pods the decisions deleted, in order.
    var deleted: [String] = []
    var configuration = DeciderConfiguration(sparkMaster: "k8s://https://127.0.0.1:6443")
    /// Drivers whose create the server refused for good, with its answer.
    var refusedCreates: [String: String] = [:]

    init(_ specJSON: String) {
        let text = """
        {"apiVersion": "slipway.dev/v1alpha1", "kind": "SparkJob",
         "metadata": {"name": "etl", "namespace": "data", "uid": "0b6a8f1f-2a11-4a53-9d3e-6f1c2c1e2f7a", "generation": 1,
                      "creationTimestamp": "2027-01-15T10:00:00Z"},
         "spec": \(specJSON)}
        """
        job = SparkJob(json: try! JSON.parse(text))!
    }

    /// Decides at `now + seconds`, keeps the status (unless `writeStatus` is false: the
    /// controller folded the write into a later one), and materialises submitted drivers.
    @discardableResult
    mutating func decide(after seconds: TimeInterval = 1, writeStatus: Bool = true) -> JobDecision<SparkJobStatus> {
        now = now.addingTimeInterval(seconds)
        let input = JobInput(
            job: job, pods: drivers + executors, podEvents: events, nodeLabels: nodeLabels, goneNodes: goneNodes,
            graph: DeciderSimulation.graph(job, dependencies), now: now,
            configuration: configuration,
            creations: CreationRecord(failed: failedCreates, completed: completeSubmissions, refused: refusedCreates))
        last = JobDecider<SparkJob>.decide(input)
        if writeStatus, let status = last.status { job.status = status }
        for action in last.actions {
            switch action {
            case .create(let objects) where !drivers.contains(where: { $0.metadata.name == objects.pod.metadata.name }):
                var pod = objects.pod
                pod.metadata.uid = "uid-\(pod.metadata.name ?? "")"
                pod.metadata.creationTimestamp = now
                drivers.append(pod)
                completeSubmissions.insert(pod.metadata.name ?? "")
            case .deletePod(let name, _):
                drivers.removeAll { $0.metadata.name == name }
                executors.removeAll { $0.metadata.name == name }
                deleted.append(name)
            case .releasePod(let name, _):
                if let i = drivers.firstIndex(where: { $0.metadata.name == name }) { drivers[i].metadata.finalizers = [] }
            default: break
            }
        }
        return last
    }

    var submits: [SparkSubmit] { last.actions.compactMap { if case .create(let objects) = $0 { SparkSubmit(objects) } else { nil } } }
    var eventReasons: [String] { last.actions.compactMap { if case .event(_, let reason, _) = $0 { reason.rawValue } else { nil } } }
    func events(_ reason: String) -> [String] {
        last.actions.compactMap { if case .event(_, let r, let message) = $0, r.rawValue == reason { message } else { nil } }
    }

    /// The driver of `attempt`.
    func driverIndex(_ attempt: Int) -> Int { drivers.firstIndex { $0.metadata.labels["slipway.dev/attempt"] == String(attempt) }! }

    /// Sets the driver's phase and Spark container state (JSON), on `node`.
    mutating func setDriver(_ attempt: Int, phase: String, state: String, node: String = "od-1", conditions: String = "[]") {
        let i = driverIndex(attempt)
        drivers[i] = Self.withStatus(drivers[i], container: "spark-kubernetes-driver", phase: phase, state: state, node: node, conditions: conditions)
    }

    /// Adds (or replaces) executor `id` of the driver of `attempt`.
    mutating func setExecutor(_ attempt: Int, id: Int, phase: String, state: String, node: String = "spot-1", conditions: String = "[]", memoryLimit: String = "640Mi") {
        let driver = drivers[driverIndex(attempt)]
        let app = driver.metadata.labels["spark-app-selector"] ?? ""
        let name = "etl-\(attempt)-exec-\(id)"
        let text = """
        {"apiVersion": "v1", "kind": "Pod",
         "metadata": {"name": "\(name)", "namespace": "data", "uid": "uid-\(name)", "creationTimestamp": "2027-01-15T10:00:00Z",
                      "labels": {"spark-app-selector": "\(app)", "spark-role": "executor", "spark-exec-id": "\(id)"},
                      "ownerReferences": [{"apiVersion": "v1", "kind": "Pod", "name": "\(driver.metadata.name ?? "")", "uid": "\(driver.metadata.uid ?? "")", "controller": true}]},
         "spec": {"restartPolicy": "Never", "containers": [{"name": "spark-kubernetes-executor", "image": "apache/spark:4.0.5", "args": ["executor"],
                  "resources": {"requests": {"memory": "\(memoryLimit)"}, "limits": {"memory": "\(memoryLimit)"}}}]}}
        """
        let pod = Self.withStatus(Pod(json: try! JSON.parse(text))!, container: "spark-kubernetes-executor", phase: phase, state: state, node: node, conditions: conditions)
        executors.removeAll { $0.metadata.name == name }
        executors.append(pod)
    }

    static func withStatus(_ pod: Pod, container: String, phase: String, state: String, node: String, conditions: String) -> Pod {
        var pod = pod
        pod.spec.nodeName = node
        let status = """
        {"phase": "\(phase)", "startTime": "2027-01-15T10:00:01Z", "conditions": \(conditions),
         "containerStatuses": [{"name": "\(container)", "ready": false, "restartCount": 0, "image": "apache/spark:4.0.5", "state": \(state), "lastState": {}}]}
        """
        pod.object["status"] = try! JSON.parse(status)
        return pod
    }

    static let running = #"{"running": {"startedAt": "2027-01-15T10:00:05Z"}}"#
    static func terminated(_ code: Int, _ reason: String, message: String? = nil) -> String {
        let text = message.map { #", "message": \#(JSON.string(.string($0)))"# } ?? ""
        return #"{"terminated": {"exitCode": \#(code), "reason": "\#(reason)", "startedAt": "2027-01-15T10:00:05Z", "finishedAt": "2027-01-15T10:03:00Z"\#(text)}}"#
    }
    static func waiting(_ reason: String) -> String { #"{"waiting": {"reason": "\#(reason)", "message": "Back-off pulling image"}}"# }
    static let disrupted = #"[{"type": "DisruptionTarget", "status": "True", "reason": "TerminationByKubelet", "message": "spot instance interrupted", "lastTransitionTime": "2027-01-15T10:00:00Z"}]"#

    /// Memory request of the Spark container of the submitted driver.
    static func driverMemory(_ submit: SparkSubmit) -> String? {
        submit.driverPod.spec.containers.first?.resources.requests["memory"]?.description
    }

    /// A spark.properties value of a submit.
    static func property(_ submit: SparkSubmit, _ key: String) -> String? {
        let text = submit.configMap.data["spark.properties"] ?? ""
        for line in text.split(separator: "\n") where line.hasPrefix(key + "=") {
            return String(line.dropFirst(key.count + 1)).replacingOccurrences(of: "\\:", with: ":")
        }
        return nil
    }
}
