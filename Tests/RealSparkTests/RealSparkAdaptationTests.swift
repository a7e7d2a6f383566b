import Foundation
import KubeAPI
import LocalCluster
import KubeTesting
import SlipwayDevTesting
import Testing

/// Slipway's adaptive retries proven on real Spark: executors killed for their memory get
/// more memory next time; executors interrupted on spot capacity move to on-demand.
@Suite("Real Spark on slipway dev: adaptive retries", .serialized, .timeLimit(.minutes(10)))
struct RealSparkAdaptationTests {
    static let version = RealSparkVersions.selected[0]

    @Test func executorsOOMKilledAt512mGetMoreMemoryNextAttemptAndSucceed() async throws {
        try await withRealSpark([Self.version]) { _, kubectl, _ in
            var r = try await kubectl.applyExample("real-spark-oom-adapt.yaml", sparkVersion: Self.version)
            #expect(r.status == 0, "\(r)")
            r = try await kubectl.run(["wait", "--for=condition=Succeeded", "sparkjob/memory-hungry", "--timeout=480s"], timeout: .seconds(490))
            let described = try await kubectl.run(["describe", "sparkjob", "memory-hungry"]).out
            #expect(r.status == 0, "\(r)\n\(described)")
            let history = try await kubectl.jsonpath(
                "sparkjob/memory-hungry", #"{range .status.history[*]}{.attempt}:{.class}:{.role}:{.exitCode}:{.executorMemory};{end}"#)
            #expect(history == "0:OutOfMemory:executor:137:512m;1:::0:1g;", "\(history)\n\(described)")
            #expect(described.contains("executor memory 512m → 1g after OOMKilled"), "\(described)")
            // The first attempt's executors were really killed by the node for their memory.
            let killed = try await kubectl.run([
                "get", "events", "--field-selector", "reason=OOMKilling", "-o", "jsonpath={range .items[*]}{.involvedObject.name}: {.message}{\"\\n\"}{end}",
            ]).out
            #expect(killed.contains("memory-hungry-0-exec-") && killed.contains("(java) total-rss:"), "\(killed)")
            let logs = try await kubectl.run(["logs", "memory-hungry-1-driver"]).out
            #expect(logs.contains("each of 2 tasks held 700 MiB"), "\(logs.suffix(4000))")
            let limits = try await kubectl.jsonpath(
                "pods", #"{range .items[?(@.metadata.labels.spark-role=="executor")]}{.metadata.name}={.spec.containers[0].resources.limits.memory};{end}"#)
            #expect(limits.contains("memory-hungry-1-exec-1=1433Mi"), "the next attempt's executors asked for 1g + 40%: \(limits)")
        }
    }

    @Test func executorsInterruptedOnSpotRunOnOnDemandNextAttempt() async throws {
        let nodes = try NodeConfiguration.parse(flags: "name=ondemand,capacity=on-demand") + NodeConfiguration.parse(flags: "name=spot,capacity=spot")
        try await withRealSpark([Self.version], nodes: nodes) { _, kubectl, _ in
            let r = try await kubectl.applyExample("real-spark-spot.yaml", sparkVersion: Self.version)
            #expect(r.status == 0, "\(r)")
            // Interrupt the spot node once both executors run tasks (the driver log says so).
            try await eventually("both executors running tasks", timeout: .seconds(300)) {
                let logs = try await kubectl.run(["logs", "slow-tasks-0-driver"]).out
                let started = logs.split(separator: "\n").filter { $0.contains("Starting task") }
                return (started.contains { $0.contains("executor 1") } && started.contains { $0.contains("executor 2") }, String(logs.suffix(2000)))
            }
            let nodesOfExecutors = try await kubectl.jsonpath("pods", #"{range .items[?(@.metadata.labels.spark-role=="executor")]}{.spec.nodeName};{end}"#)
            #expect(nodesOfExecutors == "spot;spot;", "\(nodesOfExecutors)")
            var interrupt = try await kubectl.run(["create", "--raw", "/slipway/nodes/spot/interrupt", "-f", "-"], input: "{}")
            #expect(interrupt.status == 0, "\(interrupt)")
            interrupt = try await kubectl.run(["wait", "--for=condition=Succeeded", "sparkjob/slow-tasks", "--timeout=360s"], timeout: .seconds(370))
            let described = try await kubectl.run(["describe", "sparkjob", "slow-tasks"]).out
            #expect(interrupt.status == 0, "\(interrupt)\n\(described)")
            let history = try await kubectl.jsonpath(
                "sparkjob/slow-tasks", #"{range .status.history[*]}{.attempt}:{.class}:{.role}:{.executorCapacity}:{.counted};{end}"#)
            #expect(history.hasPrefix("0:Interrupted:executor:spot:false;1:::on-demand:"), "\(history)\n\(described)")
            let app = try await kubectl.jsonpath("sparkjob/slow-tasks", "{.status.sparkApplicationId}")
            let used = try await kubectl.run(["get", "pods", "-l", "spark-role=executor,spark-app-selector=\(app)", "-o", "jsonpath={.items[*].spec.nodeName}"]).out
            #expect(used.split(separator: " ") == ["ondemand", "ondemand"], "\(used)")
            let logs = try await kubectl.run(["logs", "slow-tasks-1-driver"]).out
            #expect(logs.contains("tasks of 20s ran on: slow-tasks-1-exec-"), "\(logs.suffix(4000))")
        }
    }
}
