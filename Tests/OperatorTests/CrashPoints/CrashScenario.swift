import Foundation
import KubeAPI
import KubeClient
import KubeTesting
import LocalCluster
import SlipwayAPI
import SlipwayDevTesting
import Testing

/// A workload the crash-point suite runs again and again: what is applied, which jobs must
/// end, and the queue limit that must hold throughout (if any).
struct CrashScenario: Sendable, CustomTestStringConvertible {
    let name: String
    let manifests: String
    /// `BatchJob/a`, `SparkJob/b`: the jobs that must reach a terminal phase.
    let jobs: [String]
    let queueLimit: Int?
    var testDescription: String { name }

    static let all = [batchOOMArray, pipeline, sparkExecutorOOM, queueAdmission]

    /// A 3-index array, 2 at a time; index 1 is OOM-killed at 100Mi and succeeds at 200Mi.
    static let batchOOMArray = CrashScenario(
        name: "batch-oom-array",
        manifests: """
            apiVersion: slipway.dev/v1alpha1
            kind: BatchJob
            metadata: {name: oom-array}
            spec:
              arraySize: 3
              parallelism: 2
              retryStrategy: {attempts: 3, backoff: {initialSeconds: 1, factor: 2, maxSeconds: 4}}
              adapt: {memory: {factor: 2, max: 400Mi}}
              template:
                spec:
                  containers:
                  - name: main
                    image: python:3.12
                    command: ["python3", "-c", "import os, time; x = bytearray((150 if os.environ['SLIPWAY_ARRAY_INDEX'] == '1' else 10) * 2**20); time.sleep(2)"]
                    resources: {requests: {memory: 100Mi}, limits: {memory: 100Mi}}
            """,
        jobs: ["BatchJob/oom-array"], queueLimit: nil)

    /// extract (2 indexes) → transform (its first attempt exits 1, retried) → load.
    static let pipeline = CrashScenario(
        name: "pipeline",
        manifests: """
            apiVersion: slipway.dev/v1alpha1
            kind: BatchJob
            metadata: {name: extract}
            spec:
              arraySize: 2
              template:
                spec:
                  containers: [{name: main, image: busybox, command: ["sh", "-c", "sleep 0.5"]}]
            ---
            apiVersion: slipway.dev/v1alpha1
            kind: BatchJob
            metadata: {name: transform}
            spec:
              dependsOn: [{name: extract, kind: BatchJob, type: Sequential}]
              retryStrategy:
                attempts: 3
                backoff: {initialSeconds: 1, factor: 2, maxSeconds: 4}
                rules: [{action: Retry, exitCodes: ["1"]}]
              template:
                spec:
                  containers: [{name: main, image: busybox, command: ["sh", "-c", "sleep 0.5; test \\"$SLIPWAY_ATTEMPT\\" != 0"]}]
            ---
            apiVersion: slipway.dev/v1alpha1
            kind: BatchJob
            metadata: {name: load}
            spec:
              dependsOn: [{name: transform, kind: BatchJob, type: Sequential}]
              template:
                spec:
                  containers: [{name: main, image: busybox, command: ["sh", "-c", "sleep 0.5"]}]
            """,
        jobs: ["BatchJob/extract", "BatchJob/transform", "BatchJob/load"], queueLimit: nil)

    /// The stand-in Spark's executor holds 700 MiB: OOM-killed at 256m (+384m overhead), it
    /// succeeds at 512m.
    static let sparkExecutorOOM = CrashScenario(
        name: "spark-executor-oom",
        manifests: """
            apiVersion: slipway.dev/v1alpha1
            kind: SparkJob
            metadata: {name: spark-oom}
            spec:
              type: Python
              sparkVersion: "4.0.5"
              image: apache/spark:4.0.5
              mainApplicationFile: local:///opt/spark/examples/src/main/python/pi.py
              sparkConf:
                spark.executorEnv.STANDIN_MEMORY_MB: "700"
              driver: {memory: 512m}
              executor: {instances: 1, memory: 256m}
              retryStrategy:
                attempts: 3
                backoff: {initialSeconds: 1}
              adapt:
                executorMemory: {factor: 2, max: 2g}
            """,
        jobs: ["SparkJob/spark-oom"], queueLimit: nil)

    /// A JobQueue of one running job and three jobs of different priorities.
    static let queueAdmission = CrashScenario(
        name: "queue-admission",
        manifests: """
            apiVersion: slipway.dev/v1alpha1
            kind: JobQueue
            metadata: {name: one}
            spec:
              limits: {jobs: 1}
            """
            + [("q1", 1), ("q2", 3), ("q3", 2)].map { name, priority in
                """

                ---
                apiVersion: slipway.dev/v1alpha1
                kind: BatchJob
                metadata: {name: \(name)}
                spec:
                  queue: one
                  priority: \(priority)
                  template:
                    spec:
                      containers: [{name: main, image: busybox, command: ["sh", "-c", "sleep 1"]}]
                """
            }.joined(),
        jobs: ["BatchJob/q1", "BatchJob/q2", "BatchJob/q3"], queueLimit: 1)
}

/// What a run ended with, modulo names of objects Kubernetes makes up, uids and times: each
/// job's status (phase, conditions, attempts, history, counts) and its pods (name, phase,
/// memory). Two runs of a scenario must end equal, whatever was injected.
struct EndState: Equatable, CustomStringConvertible {
    var jobs: [String: JSONValue] = [:]
    var pods: [String] = []

    var description: String {
        (jobs.keys.sorted().map { "\($0): \(JSON.string(jobs[$0]!))" } + pods.map { "pod \($0)" }).joined(separator: "\n")
    }

    /// The differences, line by line.
    func diff(_ other: EndState) -> String {
        let mine = description.split(separator: "\n").map(String.init)
        let theirs = other.description.split(separator: "\n").map(String.init)
        let missing = mine.filter { !theirs.contains($0) }.map { "- \($0)" }
        let extra = theirs.filter { !mine.contains($0) }.map { "+ \($0)" }
        return (missing + extra).joined(separator: "\n")
    }

    static let resources = [
        "BatchJob": BatchJob.resource, "SparkJob": SparkJob.resource,
    ]

    /// Whether every job of the scenario is finished, and its pods too.
    static func finished(_ scenario: CrashScenario, client: KubernetesClient) async throws -> Bool {
        for job in scenario.jobs {
            let (kind, name) = split(job)
            let object: DynamicObject = try await client.get(resources[kind]!, name: name, namespace: "default")
            let phase = object.object["status"]?["phase"]?.stringValue
            guard phase == "Succeeded" || phase == "Failed" else { return false }
        }
        let pods = try await client.list(Pod.self, namespace: "default").items
        return pods.allSatisfy { $0.status.phase?.isFinished ?? false }
    }

    /// The end state once it stopped changing: the operator may still write what it saw last
    /// (the driver's pod turned Succeeded after the job did) when the pods are done.
    static func settled(_ scenario: CrashScenario, client: KubernetesClient) async throws -> EndState {
        var last = try await read(scenario, client: client)
        var stableSince = ContinuousClock.now
        _ = try await eventually(timeout: .seconds(20), interval: .milliseconds(250)) {
            let now = try await read(scenario, client: client)
            if now != last {
                last = now
                stableSince = ContinuousClock.now
            }
            return ContinuousClock.now - stableSince >= .seconds(2)
        }
        return last
    }

    static func read(_ scenario: CrashScenario, client: KubernetesClient) async throws -> EndState {
        var state = EndState()
        for job in scenario.jobs {
            let (kind, name) = split(job)
            let object: DynamicObject = try await client.get(resources[kind]!, name: name, namespace: "default")
            state.jobs[job] = normalize(object.object["status"] ?? .null)
        }
        state.pods = try await client.list(Pod.self, namespace: "default").items.map { pod in
            let memory = pod.spec.containers.first?.resources.limits["memory"]?.description ?? "-"
            return "\(pod.metadata.name ?? "") \(pod.status.phase?.rawValue ?? "-") \(memory)"
        }.sorted()
        return state
    }

    static func split(_ job: String) -> (String, String) {
        let parts = job.split(separator: "/", maxSplits: 1).map(String.init)
        return (parts[0], parts[1])
    }

    /// Keys whose values differ from run to run by nature (times, uids, versions, made-up ids).
    static let unstableKeys: Set<String> = [
        "lastTransitionTime", "startTime", "completionTime", "launchTime", "finishTime", "submitTime", "time", "startedAt",
        "finishedAt", "uid", "podUID", "resourceVersion", "sparkApplicationId", "duration", "durationSeconds", "lastUpdateTime",
        // The warning events an attempt record quotes (OOMKilling, …) come through a watch of
        // their own, in no order with the pod's status: a record quotes those that arrived by
        // the time the attempt ended (and the kubelet's words name pids and sizes).
        "events",
    ]

    static func normalize(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(let object):
            var result = JSONObject()
            for key in object.keys.sorted() where !unstableKeys.contains(key) {
                let child = normalize(object[key]!)
                // An empty list is no list (`indexStates: []` is written by some paths only).
                if child.arrayValue?.isEmpty == true { continue }
                // Conditions are a list keyed by type: their order means nothing.
                result.storage[key] = key == "conditions"
                    ? .array((child.arrayValue ?? []).sorted { ($0["type"]?.stringValue ?? "") < ($1["type"]?.stringValue ?? "") }) : child
            }
            return .object(result)
        case .array(let items):
            return .array(items.map(normalize))
        case .string(let text) where RFC3339.parse(text) != nil:
            return .string("<time>")
        default:
            return value
        }
    }
}
