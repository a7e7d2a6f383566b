import Foundation
import KubeAPI
import SlipwayAPI

/// BatchJobs for the schema and validation tests.
enum BatchJobFixtures {
    /// A valid BatchJob using every part of the spec (docs/batchjob.md).
    static let validJSON = """
        {"apiVersion": "slipway.dev/v1alpha1", "kind": "BatchJob",
         "metadata": {"name": "etl", "namespace": "data"},
         "spec": {
           "template": {"spec": {"containers": [{"name": "main", "image": "python:3.12",
             "command": ["python3", "-c", "print('index', '$(params.greeting)')"],
             "env": [{"name": "GREETING", "value": "$(params.greeting) world"}],
             "resources": {"requests": {"memory": "512Mi", "cpu": "500m"}, "limits": {"memory": "512Mi"}}}]}},
           "container": "main", "arraySize": 10, "parallelism": 4,
           "parameters": {"greeting": "hello"},
           "dependsOn": [{"name": "extract", "kind": "BatchJob", "type": "Sequential"}],
           "retryStrategy": {"attempts": 3, "backoff": {"initialSeconds": 10, "factor": 2, "maxSeconds": 600},
             "rules": [{"action": "Retry", "exitCodes": ["1", "3-5"], "classes": ["AppError"], "reasons": ["Error"],
                        "podConditions": ["DisruptionTarget"], "messagePattern": "Connection reset"}]},
           "adapt": {"memory": {"factor": 2, "max": "4Gi"}, "cpu": {"factor": 1.5, "max": "4"},
                     "capacity": {"onDemandAfter": {"classes": ["Interrupted"], "failures": 2}}},
           "timeouts": {"startSeconds": 300, "attemptSeconds": 3600, "totalSeconds": 86400},
           "suspend": false, "ttlSecondsAfterFinished": 3600, "queue": "default", "priority": 0}}
        """

    static var valid: JSONValue { try! JSON.parse(validJSON) }
    static var validJob: BatchJob { BatchJob(json: valid)! }

    /// The valid job with one change at a path of object keys (nil removes the key).
    static func changing(_ path: [String], to value: JSONValue?) -> JSONValue {
        var root = valid
        set(&root, path[...], value)
        return root
    }

    private static func set(_ node: inout JSONValue, _ path: ArraySlice<String>, _ value: JSONValue?) {
        guard let key = path.first else { return }
        if path.count == 1 {
            node[key] = value
            if value == nil, case .object(var o) = node { o.removeValue(forKey: key); node = .object(o) }
            return
        }
        if let index = Int(key), case .array(var items) = node {
            set(&items[index], path.dropFirst(), value)
            node = .array(items)
            return
        }
        var child = node[key] ?? .object([:])
        set(&child, path.dropFirst(), value)
        node[key] = child
    }

    /// A minimal job with one container, for the semantic checks.
    static func job(_ configure: (inout BatchJob) -> Void = { _ in }) -> BatchJob {
        var job = BatchJob(name: "etl", namespace: "data")
        job.spec.template.spec.containers = [Container(name: "main", image: "busybox")]
        configure(&job)
        return job
    }
}
