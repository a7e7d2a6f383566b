import Foundation
import KubeAPI
import LocalCluster
import SlipwayDevTesting
import Testing

/// The operator under API faults, driven with the real kubectl: a share of its requests
/// answered 500 or 429, and its watches dropped and refused with 410 Gone again and again,
/// while a SparkJob and two BatchJobs run. Each must end exactly as in the fault-free tests
/// (KubectlSparkJobTests, KubectlBatchJobTests): the same attempt history, one pod per
/// attempt and index, nothing lost and nothing created twice.
@Suite("kubectl: jobs under API faults on slipway dev", .serialized)
struct KubectlOperatorFaultTests {
    static func example(_ name: String) -> String { KubectlBatchJobTests.example(name) }

    @Test func errorsThrottlingAndBrokenWatchesLoseNothingAndDuplicateNothing() async throws {
        let nodes = try NodeConfiguration.parse(flags: "name=spot,capacity=spot,cpu=8,memory=16Gi")
            + NodeConfiguration.parse(flags: "name=ondemand,capacity=on-demand,cpu=8,memory=16Gi")
        try await withSlipwayDev(nodes: nodes) { cluster, _, kubectl in
            // Faults for the operator's client only, set the way a user would.
            var r = try await kubectl.run(
                ["create", "--raw", "/slipway/faults", "-f", "-"],
                input: #"{"errorRate": 0.15, "throttleRate": 0.1, "clients": ["slipway-operator"]}"#)
            #expect(r.status == 0 && r.out.contains(#""clients":["slipway-operator"]"#), "\(r)")
            for example in ["spark-oom-adapt.yaml", "oom-adapt.yaml", "hello-array.yaml"] {
                r = try await kubectl.run(["apply", "-f", Self.example(example)])
                #expect(r.status == 0, "\(r)")
            }
            // Every watch is cut every 2.5 s, and the next resume is refused with 410.
            let chaos = Task {
                while !Task.isCancelled {
                    await cluster.server.setFaults(goneWatches: 1, dropWatches: true)
                    try? await Task.sleep(for: .milliseconds(2500))
                }
            }
            r = try await kubectl.run(
                ["wait", "--for=condition=Succeeded", "sparkjob/spark-oom-adapt", "batchjob/oom-adapt", "batchjob/hello-array", "--timeout=180s"],
                timeout: .seconds(190))
            chaos.cancel()
            _ = await chaos.value
            #expect(r.status == 0, "\(r)")
            r = try await kubectl.run(
                ["create", "--raw", "/slipway/faults", "-f", "-"], input: #"{"errorRate": 0, "throttleRate": 0, "goneWatches": 0, "clients": []}"#)
            let injected = try JSON.parse(Data(r.out.utf8))["injected"]?.numberValue?.int ?? 0
            #expect(injected >= 10, "faults were injected: \(r)")

            // The same end state as without faults.
            let history = try await kubectl.require([
                "get", "sparkjob", "spark-oom-adapt", "-o",
                #"jsonpath={range .status.history[*]}{.attempt}:{.class}:{.executorMemory}x{.executorInstances}@{.executorCapacity};{end} {.status.attempts}"#,
            ]).out
            #expect(history == "0:OutOfMemory:256mx2@spot;1::512mx3@on-demand; 2", "\(history)")
            let drivers = try await kubectl.require(["get", "pods", "-l", "spark-role=driver", "-o", "jsonpath={.items[*].metadata.name}"]).out
            #expect(drivers == "spark-oom-adapt-0-driver spark-oom-adapt-1-driver", "one driver per attempt: \(drivers)")
            let batch = try await kubectl.require([
                "get", "batchjob", "oom-adapt", "-o", #"jsonpath={range .status.history[*]}{.memory} {.exitCode} {.reason};{end}"#,
            ]).out
            #expect(batch == "100Mi 137 OOMKilled;200Mi 0 ;", "\(batch)")
            let pods = try await kubectl.require(["get", "pods", "-l", "slipway.dev/job-name", "-o", "jsonpath={.items[*].metadata.name}"]).out
            #expect(pods.split(separator: " ").sorted() == ["hello-array-0-0", "hello-array-1-0", "hello-array-2-0", "oom-adapt-0-0", "oom-adapt-0-1"],
                    "one pod per index attempt: \(pods)")
            r = try await kubectl.run(["get", "batchjobs"])
            #expect(r.out.range(of: #"hello-array\s+Succeeded\s+3/3\s+3"#, options: .regularExpression) != nil, "\(r)")
        }
    }
}
