import Foundation
import KubeAPI
import SlipwayAPI

/// Decoded jobs and pods as the API server returns them, for the plugin's tables.
enum PluginFixtures {
    /// `2027-01-15T10:00:00Z`.
    static let created = Date(timeIntervalSince1970: 1_800_007_200)
    static let now = created.addingTimeInterval(120)

    static func decode<T: JSONBacked>(_ type: T.Type, _ text: String) -> T {
        T(json: try! JSON.parse(text))!
    }

    /// A 6-index BatchJob whose index 3 ran out of memory twice and failed for good; the
    /// other indexes succeeded.
    static var sixFailed: BatchJob {
        decode(BatchJob.self, """
        {"apiVersion": "slipway.dev/v1alpha1", "kind": "BatchJob",
         "metadata": {"name": "six", "namespace": "data", "uid": "u-six", "creationTimestamp": "2027-01-15T10:00:00Z"},
         "spec": {"arraySize": 6, "template": {"spec": {"containers": [{"name": "main", "image": "python:3.12"}]}}},
         "status": {"phase": "Failed", "message": "1 of 6 indexes failed (3); index 3: OutOfMemory", "progress": "5/6",
           "total": 6, "succeeded": 5, "failed": 1, "attempts": 7, "succeededIndexes": "0-2,4-5", "failedIndexes": "3",
           "startTime": "2027-01-15T10:00:01Z", "duration": "33s",
           "conditions": [{"type": "Started", "status": "True", "reason": "AttemptsCreated", "message": "", "lastTransitionTime": "2027-01-15T10:00:01Z"},
                          {"type": "Failed", "status": "True", "reason": "IndexesFailed", "message": "index 3 failed", "lastTransitionTime": "2027-01-15T10:00:34Z"}],
           "history": [
             {"index": 0, "attempt": 0, "pod": "six-0-0", "node": "dev-node", "capacityType": "on-demand", "exitCode": 0, "reason": "Completed",
              "startTime": "2027-01-15T10:00:02Z", "finishTime": "2027-01-15T10:00:05Z"},
             {"index": 3, "attempt": 0, "pod": "six-3-0", "node": "dev-node", "capacityType": "on-demand", "memory": "100Mi", "exitCode": 137,
              "reason": "OOMKilled", "class": "OutOfMemory", "counted": true, "message": "Traceback (most recent call last):\\nMemoryError",
              "adaptations": ["memory 100Mi → 200Mi after OOMKilled"], "events": [{"reason": "BackOff", "message": "Back-off restarting", "count": 2}],
              "startTime": "2027-01-15T10:00:02Z", "finishTime": "2027-01-15T10:00:04Z"},
             {"index": 3, "attempt": 1, "pod": "six-3-1", "node": "dev-node", "capacityType": "spot", "memory": "200Mi", "exitCode": 3,
              "reason": "Error", "class": "AppError", "counted": true, "message": "ValueError: bad row 42",
              "startTime": "2027-01-15T10:00:10Z", "finishTime": "2027-01-15T10:00:12Z"}
           ]}}
        """)
    }

    static func pod(_ name: String, labels: [String: String], phase: String, node: String? = "dev-node", containers: [String] = ["main"], extra: String = "") -> Pod {
        let labelText = labels.map { "\"\($0.key)\": \"\($0.value)\"" }.joined(separator: ", ")
        let containerText = containers.map { "{\"name\": \"\($0)\", \"image\": \"x\"}" }.joined(separator: ", ")
        return decode(Pod.self, """
        {"apiVersion": "v1", "kind": "Pod",
         "metadata": {"name": "\(name)", "namespace": "data", "creationTimestamp": "2027-01-15T10:01:00Z", "labels": {\(labelText)}},
         "spec": {\(node.map { "\"nodeName\": \"\($0)\"," } ?? "") "containers": [\(containerText)]},
         "status": {"phase": "\(phase)"\(extra)}}
        """)
    }

    static func batchPod(index: Int, attempt: Int, phase: String = "Succeeded", extra: String = "", node: String? = "dev-node") -> Pod {
        pod("six-\(index)-\(attempt)", labels: ["slipway.dev/job-name": "six", "slipway.dev/index": "\(index)", "slipway.dev/attempt": "\(attempt)"],
            phase: phase, node: node, extra: extra)
    }

    static func event(pod: String, reason: String, message: String, count: Int = 1, type: String = "Warning") -> Event {
        decode(Event.self, """
        {"apiVersion": "v1", "kind": "Event", "metadata": {"name": "\(pod).\(reason)", "namespace": "data"},
         "involvedObject": {"kind": "Pod", "name": "\(pod)", "namespace": "data"}, "reason": "\(reason)",
         "message": "\(message)", "type": "\(type)", "count": \(count), "lastTimestamp": "2027-01-15T10:00:30Z"}
        """)
    }

    /// A SparkJob whose attempt 0 lost its executors to OOM on spot; attempt 1 runs.
    static var sparkRetrying: SparkJob {
        decode(SparkJob.self, """
        {"apiVersion": "slipway.dev/v1alpha1", "kind": "SparkJob",
         "metadata": {"name": "etl", "namespace": "data", "uid": "0b6a8f1f-2f7a-4a53-9d3e-6f1c2c1e2a11", "creationTimestamp": "2027-01-15T10:00:00Z"},
         "spec": {"type": "Python", "sparkVersion": "4.0.5", "mainApplicationFile": "local:///app.py", "executor": {"instances": 2, "memory": "256m"}},
         "status": {"phase": "Running", "attempts": 2, "sparkApplicationId": "spark-app-1",
           "driver": {"pod": "etl-1-driver", "node": "ondemand", "state": "Running", "uiAddress": "etl-1-driver-svc.data.svc:4040"},
           "executors": {"running": 2, "pending": 1},
           "current": {"attempt": 1, "executorMemory": "512m", "executorInstances": 3, "executorCapacity": "on-demand"},
           "history": [
             {"attempt": 0, "role": "executor", "class": "OutOfMemory", "exitCode": 137, "reason": "OOMKilled", "counted": true,
              "sparkApplicationId": "spark-app-0", "driverPod": "etl-0-driver", "node": "ondemand", "driverCapacity": "on-demand",
              "executorMemory": "256m", "executorInstances": 2, "executorCapacity": "spot",
              "message": "ExecutorLostFailure (executor 1 exited caused by one of the running tasks)",
              "executorFailures": [{"class": "OutOfMemory", "exitCode": 137, "reason": "OOMKilled", "count": 2, "pod": "etl-0-exec-1", "message": "killed at 700Mi"}],
              "adaptations": ["executor memory 256m → 512m after OOMKilled", "executors 2 → 3 after OOMKilled"]}
           ]}}
        """)
    }

    static func driver(attempt: Int, app: String, phase: String) -> Pod {
        pod("etl-\(attempt)-driver", labels: ["slipway.dev/sparkjob-name": "etl", "slipway.dev/attempt": "\(attempt)", "spark-role": "driver", "spark-app-selector": app],
            phase: phase, node: "ondemand", containers: ["spark-kubernetes-driver"])
    }

    static func executor(attempt: Int, id: Int, app: String, phase: String, extra: String = "", node: String? = "ondemand") -> Pod {
        pod("etl-\(attempt)-exec-\(id)", labels: ["spark-role": "executor", "spark-app-selector": app, "spark-exec-id": "\(id)"],
            phase: phase, node: node, containers: ["spark-kubernetes-executor"], extra: extra)
    }
}
