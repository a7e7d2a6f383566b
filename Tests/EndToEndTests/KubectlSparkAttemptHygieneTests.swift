import Foundation
import KubeTesting
import SlipwayDevTesting
import Testing

/// A SparkJob's attempts leave nothing waiting behind (docs/sparkjob.md, "Failures,
/// retries and adaptation"): executors carry `slipway.dev/attempt`, and when an attempt
/// ends its executors are recorded and every one not terminated is deleted, so no pending
/// spot pod keeps asking an autoscaler for a node.
@Suite("kubectl SparkJob attempt hygiene on slipway dev", .serialized)
struct KubectlSparkAttemptHygieneTests {
    /// On the default one-node dev cluster (on-demand only) the example's first attempt puts
    /// its executors on spot capacity, which no node has: they stay Pending until the
    /// executor start bound (shortened here) ends the attempt as Unschedulable; the next
    /// attempt runs its executors on demand.
    @Test func noPendingExecutorIsLeftAfterAnyAttempt() async throws {
        try await withSlipwayDev(operator: { $0.executorStartTimeout = .seconds(3) }) { _, _, kubectl in
            try await kubectl.require(["apply", "-f", KubectlBatchJobTests.example("spark-oom-adapt.yaml")])
            var phase = ""
            // The labels find the executors of each attempt: seen while the second attempt runs
            // (once it has ended, those still running are deleted, so look before).
            var sawSecondAttemptsExecutors = false
            let ended = try await eventually(timeout: .seconds(120)) {
                if !sawSecondAttemptsExecutors {
                    let found = try await kubectl.require(["get", "pods", "-l", "slipway.dev/attempt=1,spark-role=executor", "-o", "name"])
                    sawSecondAttemptsExecutors = !found.out.isEmpty
                }
                phase = try await kubectl.require(["get", "sparkjob", "spark-oom-adapt", "-o", "jsonpath={.status.phase}"]).out
                return phase == "Succeeded" || phase == "Failed"
            }
            #expect(ended, "phase \(phase)")
            let first = try await kubectl.require([
                "get", "sparkjob", "spark-oom-adapt", "-o", "jsonpath={.status.history[0].reason}/{.status.history[0].class}",
            ])
            #expect(first.out == "ExecutorStartTimeout/Unschedulable", "\(first)")
            #expect(sawSecondAttemptsExecutors, "no pod labelled slipway.dev/attempt=1,spark-role=executor was seen")
            var left = ""
            let clean = try await eventually(timeout: .seconds(30)) {
                left = try await kubectl.require([
                    "get", "pods", "-l", "spark-role=executor", "-o",
                    #"jsonpath={range .items[?(@.status.phase=="Pending")]}{.metadata.name} {end}"#,
                ]).out
                return left.isEmpty
            }
            #expect(clean, "pending executors left: \(left)")
            let attempt0 = try await kubectl.require(["get", "pods", "-l", "slipway.dev/attempt=0", "-o", "jsonpath={.items[*].status.phase}"])
            #expect(!attempt0.out.contains("Pending"), "\(attempt0)")
        }
    }
}
