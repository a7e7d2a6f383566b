import Foundation
import KubeAPI
import LocalCluster
import SlipwayDevTesting
import Testing

/// (2) The parent/child deadlock of one shared queue (docs/queues.md, "Worked example"),
/// with the real kubectl inside the parents: each parent BatchJob's pod creates a child
/// SparkJob through the API server and waits for it. In a queue limited only by jobs the
/// parents take every place and the children wait for good (the parents give up after a
/// while, so that the test ends); with a per-kind limit on BatchJobs every child finds room
/// and everything succeeds.
@Suite("kubectl: the parent/child queue deadlock on slipway dev", .serialized)
struct KubectlQueueDeadlockTests {
    /// A parent in `queue` whose pod applies a child SparkJob (in `queue` too) and waits `seconds` for it.
    static func parent(_ name: String, queue: String, seconds: Int) throws -> String {
        let child: JSONValue = [
            "apiVersion": "slipway.dev/v1alpha1", "kind": "SparkJob", "metadata": ["name": .string("child-\(name)")],
            "spec": [
                "queue": .string(queue), "type": "Python", "sparkVersion": "4.0.5", "image": "apache/spark:4.0.5",
                "mainApplicationFile": "local:///opt/app.py", "executor": ["instances": 1],
            ],
        ]
        let kubectl = Kubectl.binary ?? "kubectl"
        let script = """
            set -e
            SA=$SLIPWAY_POD_ROOT/var/run/secrets/kubernetes.io/serviceaccount
            K="\(kubectl) --server=https://$KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT --token=$(cat $SA/token) --certificate-authority=$SA/ca.crt -n default"
            echo "$CHILD" | $K apply -f -
            $K wait --for=condition=Succeeded sparkjob/child-\(name) --timeout=\(seconds)s
            """
        let job: JSONValue = [
            "apiVersion": "slipway.dev/v1alpha1", "kind": "BatchJob", "metadata": ["name": .string(name)],
            "spec": [
                "queue": .string(queue), "retryStrategy": ["attempts": 1],
                "template": ["spec": ["containers": [[
                    "name": "main", "image": "busybox", "command": ["sh", "-c", .string(script)],
                    "env": [["name": "CHILD", "value": .string(JSON.string(child))]],
                ]]]],
            ],
        ]
        return JSON.string(job)
    }

    /// Waits until the parents' pods have created `objects` (kubectl wait needs them to exist).
    static func waitExists(_ kubectl: Kubectl, _ objects: [String]) async throws {
        for _ in 0..<150 {
            if try await kubectl.run(["get"] + objects).status == 0 { return }
            try await Task.sleep(for: .milliseconds(200))
        }
        try await kubectl.require(["get"] + objects)
    }

    static func field(_ kubectl: Kubectl, _ object: String, _ path: String) async throws -> String {
        try await kubectl.require(["get", object, "-o", "jsonpath={\(path)}"]).out
    }

    @Test func oneSharedQueueDeadlocksAndPerKindLimitsLetEverythingFinish() async throws {
        try await withSlipwayDev { _, _, kubectl in
            // One shared queue of two jobs: both parents are admitted, their children wait.
            try await kubectl.require(["apply", "-f", "-"], input: KubectlJobQueueTests.queue("shared", "limits: {jobs: 2}"))
            for name in ["p-a", "p-b"] { try await kubectl.require(["apply", "-f", "-"], input: try Self.parent(name, queue: "shared", seconds: 30)) }
            try await Self.waitExists(kubectl, ["sparkjob/child-p-a", "sparkjob/child-p-b"])
            try await kubectl.require(["wait", "--for=jsonpath={.status.phase}=Queued", "sparkjob/child-p-a", "sparkjob/child-p-b", "--timeout=30s"])
            try await Task.sleep(for: .seconds(4))
            for child in ["child-p-a", "child-p-b"] {
                let phase = try await Self.field(kubectl, "sparkjob/\(child)", ".status.phase")
                let message = try await Self.field(kubectl, "sparkjob/\(child)", ".status.message")
                #expect(phase == "Queued" && message.hasSuffix("needs 1 jobs, 0 free"), "\(child): \(phase): \(message)")
            }
            let parents = try await kubectl.require(["get", "batchjob/p-a", "batchjob/p-b", "-o", "jsonpath={.items[*].status.phase}"]).out
            #expect(parents == "Running Running", "the parents hold both places while waiting: \(parents)")
            // Deadlocked: the parents only end because they stop waiting.
            try await kubectl.require(["wait", "--for=condition=Failed", "batchjob/p-a", "batchjob/p-b", "--timeout=90s"], timeout: .seconds(100))
            try await kubectl.require(["wait", "--for=condition=Succeeded", "sparkjob/child-p-a", "sparkjob/child-p-b", "--timeout=90s"], timeout: .seconds(100))

            // The same, with BatchJobs limited to one of the two places: no deadlock.
            try await kubectl.require(["apply", "-f", "-"], input: KubectlJobQueueTests.queue("isolated", "limits: {jobs: 2}\nkindLimits: {BatchJob: {jobs: 1}}"))
            for name in ["q-a", "q-b"] { try await kubectl.require(["apply", "-f", "-"], input: try Self.parent(name, queue: "isolated", seconds: 90)) }
            try await Self.waitExists(kubectl, ["sparkjob/child-q-a", "sparkjob/child-q-b"])
            try await kubectl.require(
                ["wait", "--for=condition=Succeeded", "batchjob/q-a", "batchjob/q-b", "sparkjob/child-q-a", "sparkjob/child-q-b", "--timeout=150s"],
                timeout: .seconds(160))
        }
    }
}
