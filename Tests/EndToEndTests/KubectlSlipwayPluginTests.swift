import Foundation
import KubeAPI
import KubeTesting
import LocalCluster
import SlipwayDevTesting
import Testing

/// `kubectl slipway …` as users run it: the real kubectl finds the built `kubectl-slipway`
/// on PATH (its plugin discovery) and runs it against `slipway dev` (docs/plugin.md).
@Suite("kubectl slipway plugin on slipway dev", .serialized)
struct KubectlSlipwayPluginTests {
    /// The build folder, where `kubectl-slipway` sits beside the test bundle.
    static var buildDirectory: URL { URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent() }

    /// A kubectl whose PATH starts with the build folder, as docs/plugin.md says to set it.
    static func withPlugin(_ kubectl: Kubectl) throws -> Kubectl {
        let plugin = buildDirectory.appendingPathComponent("kubectl-slipway").path
        guard FileManager.default.isExecutableFile(atPath: plugin) else { throw PluginMissing(path: plugin) }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return kubectl.with(environment: ["PATH": buildDirectory.path + ":" + path])
    }

    struct PluginMissing: Error, CustomStringConvertible {
        var path: String
        var description: String { "build the package first (swift build --build-tests): \(path) is missing" }
    }

    /// Six indexes; index 3 runs out of memory on attempt 0 (its memory doubles), then fails
    /// with a Python error on attempt 1 — and succeeds from attempt 2 on (after a retry).
    static let sixIndexJob = """
        apiVersion: slipway.dev/v1alpha1
        kind: BatchJob
        metadata: {name: nightly-etl}
        spec:
          arraySize: 6
          retryStrategy: {attempts: 2, backoff: {initialSeconds: 1}}
          adapt: {memory: {factor: 2, max: 400Mi}}
          template:
            spec:
              containers:
              - name: main
                image: python:3.12
                command: ["python3", "-c", "import os, sys, time; i = int(os.environ['SLIPWAY_ARRAY_INDEX']); a = int(os.environ['SLIPWAY_ATTEMPT']); print('index', i, 'attempt', a, 'reading shard', i, flush=True); x = bytearray((150 if i == 3 and a == 0 else 1) * 1024 * 1024); time.sleep(2); (i == 3 and a < 2) and sys.exit('ValueError: shard 3 row 1042: invalid date 2026-13-01'); print('index', i, 'done')"]
                resources: {requests: {memory: 100Mi}, limits: {memory: 100Mi}}
        """

    static func lines(_ text: String) -> [String] { text.split(separator: "\n").map(String.init) }

    @Test func statusLogsHistoryAndRetryOfAFailedSixIndexJob() async throws {
        try await withSlipwayDev { _, _, kubectl in
            let kubectl = try Self.withPlugin(kubectl)
            var r = try await kubectl.require(["plugin", "list"])
            #expect(r.out.contains(Self.buildDirectory.appendingPathComponent("kubectl-slipway").path), "kubectl does not discover the plugin: \(r)")
            try await kubectl.require(["apply", "-f", "-"], input: Self.sixIndexJob)
            r = try await kubectl.run(["wait", "--for=condition=Failed", "batchjob/nightly-etl", "--timeout=120s"], timeout: .seconds(130))
            #expect(r.status == 0, "\(r)")

            r = try await kubectl.require(["slipway", "status", "nightly-etl"])
            let screen = Self.lines(r.out)
            #expect(screen.first == "BatchJob default/nightly-etl: Failed, 5/6 indexes succeeded, 1 failed, 7 attempts", "\(r.out)")
            for expected in [
                "  1 of 6 indexes failed (3); index 3: AppError: container main terminated Error (exit 1); 2 of 2 attempts used",
                "Failures (1 index failed for good: 3):",
                "  index 3, attempt 1 (failed for good): AppError, exit 1 (Error)",
                "    message: ValueError: shard 3 row 1042: invalid date 2026-13-01",
                "    earlier: attempt 0 OutOfMemory exit 137, then memory 100Mi → 200Mi after OOMKilled",
                "Retry what failed:  kubectl slipway retry batchjob/nightly-etl",
            ] {
                #expect(screen.contains(expected), "missing \(expected) in\n\(r.out)")
            }
            #expect(screen.contains { $0.hasPrefix("    on node slipway-node (on-demand) with memory 200Mi") }, "\(r.out)")
            #expect(!r.out.contains("\u{1B}["), "no colour on a pipe: \(r.out)")
            print("kubectl slipway status nightly-etl:\n\(r.out)")

            r = try await kubectl.require(["slipway", "status", "batchjob/nightly-etl", "-o", "json"])
            let json = try JSON.parse(r.out)
            #expect(json["status"]?["failedIndexes"] == "3", "\(r.out)")

            // The failed index's log: the first failed index, its latest attempt.
            r = try await kubectl.require(["slipway", "logs", "nightly-etl"])
            #expect(r.out.contains("index 3 attempt 1 reading shard 3") && r.out.contains("ValueError: shard 3 row 1042"), "\(r)")
            r = try await kubectl.require(["slipway", "logs", "nightly-etl", "--index", "4"])
            #expect(r.out.contains("index 4 done"), "\(r)")
            // Once the pod is gone, the plugin says so and prints what status recorded.
            try await kubectl.require(["delete", "pod", "nightly-etl-3-1", "--wait=true"])
            r = try await kubectl.require(["slipway", "logs", "nightly-etl", "--index", "3", "--attempt", "1"])
            #expect(r.err.contains("pod nightly-etl-3-1 is gone"), "\(r)")
            #expect(r.out == "AppError, exit 1 (Error):\nValueError: shard 3 row 1042: invalid date 2026-13-01\n", "\(r)")

            r = try await kubectl.require(["slipway", "history", "nightly-etl"])
            let rows = Self.lines(r.out).map { $0.split(separator: " ").joined(separator: " ") }
            #expect(rows.first == "INDEX ATTEMPT RESULT EXIT REASON NODE CAPACITY MEMORY CPU DURATION NEXT ATTEMPT", "\(r.out)")
            #expect(rows.contains { $0.hasPrefix("3 0 OutOfMemory 137 OOMKilled slipway-node on-demand 100Mi") && $0.hasSuffix("memory 100Mi → 200Mi after OOMKilled") }, "\(r.out)")
            #expect(rows.contains { $0.hasPrefix("3 1 AppError 1 Error slipway-node on-demand 200Mi") }, "\(r.out)")
            #expect(rows.count == 8, "\(r.out)")

            // Retry: only index 3 runs again, with the memory it learned, and succeeds.
            r = try await kubectl.require(["slipway", "retry", "nightly-etl"])
            #expect(r.out == "batchjob/nightly-etl retried (retryGeneration 1): failed indexes 3 run again\n", "\(r)")
            r = try await kubectl.run(["wait", "--for=condition=Succeeded", "batchjob/nightly-etl", "--timeout=120s"], timeout: .seconds(130))
            #expect(r.status == 0, "\(r)")
            r = try await kubectl.require(["get", "pod", "nightly-etl-3-2", "-o", "jsonpath={.spec.containers[0].resources.limits.memory}"])
            #expect(r.out == "200Mi", "\(r)")
            r = try await kubectl.require(["slipway", "status", "nightly-etl"])
            #expect(r.out.hasPrefix("BatchJob default/nightly-etl: Succeeded, 6/6 indexes succeeded"), "\(r.out)")

            // Refusals: exit 1, one line on stderr saying what to do.
            r = try await kubectl.run(["slipway", "retry", "nightly-etl"])
            #expect(r.status == 1 && r.err == "error: batchjob/nightly-etl is Succeeded, not Failed; only a Failed job can be retried\n", "\(r)")
            r = try await kubectl.run(["slipway", "status", "nope"])
            #expect(r.status == 1 && r.err == "error: no BatchJob or SparkJob named nope in namespace default; list them with kubectl get batchjobs,sparkjobs -n default\n", "\(r)")
            r = try await kubectl.run(["slipway", "status", "nightly-etl", "--context", "elsewhere"])
            #expect(r.status == 1 && r.err.hasPrefix("error: ") && r.err.contains("elsewhere") && Self.lines(r.err).count == 1, "\(r)")
        }
    }

    @Test func logsOfASparkExecutorAndItsDriver() async throws {
        try await withSlipwayDev { _, _, kubectl in
            let kubectl = try Self.withPlugin(kubectl)
            try await kubectl.require(["apply", "-f", KubectlBatchJobTests.example("spark-pi.yaml")])
            var r = try await kubectl.run(["wait", "--for=condition=Succeeded", "sparkjob/spark-pi", "--timeout=90s"], timeout: .seconds(100))
            #expect(r.status == 0, "\(r)")
            r = try await kubectl.require(["slipway", "logs", "spark-pi", "--executor", "2"])
            #expect(r.out.contains("Executor 2 starting"), "\(r)")
            r = try await kubectl.require(["slipway", "logs", "sparkjob/spark-pi", "--driver"])
            #expect(r.out.contains("Pi is roughly"), "\(r)")
            r = try await kubectl.require(["slipway", "status", "spark-pi"])
            #expect(r.out.hasPrefix("SparkJob default/spark-pi: Succeeded, attempt 0, 1 attempt created"), "\(r.out)")
            r = try await kubectl.require(["slipway", "history", "sj/spark-pi"])
            let rows = Self.lines(r.out).map { $0.split(separator: " ").joined(separator: " ") }
            #expect(rows.count == 2 && rows[1].hasPrefix("0 Succeeded"), "\(r.out)")
            r = try await kubectl.run(["slipway", "logs", "spark-pi", "--executor", "9"])
            #expect(r.status == 1 && r.err == "error: sparkjob/spark-pi attempt 0 has no executor 9 (executors: 1, 2)\n", "\(r)")
            r = try await kubectl.run(["slipway", "logs", "spark-pi", "--index", "1"])
            #expect(r.status == 1 && r.err.contains("is a SparkJob: use --driver or --executor ID"), "\(r)")
        }
    }

    /// The example's first attempt loses its spot executors to OOM; the screen says so and
    /// what the second attempt changed, and the first attempt's executor log is still there.
    @Test func aSparkJobsFailedAttemptAndItsExecutorsLog() async throws {
        let nodes = try NodeConfiguration.parse(flags: "name=spot,capacity=spot,cpu=8,memory=16Gi")
            + NodeConfiguration.parse(flags: "name=ondemand,capacity=on-demand,cpu=8,memory=16Gi")
        try await withSlipwayDev(nodes: nodes) { _, _, kubectl in
            let kubectl = try Self.withPlugin(kubectl)
            try await kubectl.require(["apply", "-f", KubectlBatchJobTests.example("spark-oom-adapt.yaml")])
            var r = try await kubectl.run(["wait", "--for=condition=Succeeded", "sparkjob/spark-oom-adapt", "--timeout=120s"], timeout: .seconds(130))
            #expect(r.status == 0, "\(r)")
            r = try await kubectl.require(["slipway", "status", "spark-oom-adapt"])
            let screen = Self.lines(r.out)
            for expected in [
                "Failed attempts (1):",
                "  attempt 0 (executor): OutOfMemory, exit 137 (OOMKilled)",
                "    driver on node ondemand (on-demand); ran with driver memory 512m, executor memory 256m × 2, executors on spot",
                "    next attempt: executor memory 256m → 512m after OOMKilled; executors 2 → 3 after OOMKilled; executor capacity spot → on-demand after 1 failed attempt",
            ] {
                #expect(screen.contains(expected), "missing \(expected) in\n\(r.out)")
            }
            #expect(screen.contains { $0.hasPrefix("    executors failed: 2 × OutOfMemory exit 137 OOMKilled, first spark-oom-adapt-0-exec-") }, "\(r.out)")
            r = try await kubectl.require(["slipway", "logs", "spark-oom-adapt", "--attempt", "0", "--executor", "1"])
            #expect(r.out.contains("Executor 1 starting; using 700 MiB"), "\(r)")
            r = try await kubectl.require(["slipway", "logs", "spark-oom-adapt", "--attempt", "0"])
            #expect(r.out.contains("ExecutorLostFailure"), "the first attempt's driver log: \(r)")
        }
    }

    static func sleeper(_ name: String, queue: String? = nil) -> String {
        """
        apiVersion: slipway.dev/v1alpha1
        kind: BatchJob
        metadata: {name: \(name)}
        spec:
        \(queue.map { "  queue: \($0)\n" } ?? "")  template:
            spec:
              containers: [{name: main, image: busybox, command: ["sh", "-c", "sleep 60"]}]
        """
    }

    @Test func suspendResumeTriggerAndQueues() async throws {
        try await withSlipwayDev { _, _, kubectl in
            let kubectl = try Self.withPlugin(kubectl)
            // suspend / resume
            try await kubectl.require(["apply", "-f", "-"], input: Self.sleeper("long"))
            try await kubectl.require(["wait", "--for=jsonpath={.status.phase}=Running", "batchjob/long", "--timeout=30s"])
            var r = try await kubectl.require(["slipway", "suspend", "long"])
            #expect(r.out == "batchjob/long suspended\n", "\(r)")
            try await kubectl.require(["wait", "--for=jsonpath={.status.phase}=Suspended", "batchjob/long", "--timeout=30s"])
            r = try await kubectl.require(["slipway", "resume", "batchjob/long"])
            #expect(r.out == "batchjob/long resumed\n", "\(r)")
            try await kubectl.require(["wait", "--for=jsonpath={.status.phase}=Running", "batchjob/long", "--timeout=30s"])

            // trigger
            try await kubectl.require(["apply", "-f", "-"], input: KubectlJobScheduleTests.schedule("report", cron: "0 0 1 1 *"))
            r = try await kubectl.require(["slipway", "trigger", "report"])
            #expect(r.out.hasPrefix("jobschedule/report triggered"), "\(r)")
            var runs = ""
            #expect(try await eventually(timeout: .seconds(20)) {
                runs = try await kubectl.run(["get", "batchjobs", "-l", "slipway.dev/schedule=report", "-o", "name"]).out
                return !runs.isEmpty
            }, "no run was created on trigger")
            r = try await kubectl.run(["slipway", "trigger", "nope"])
            #expect(r.status == 1 && r.err.hasPrefix("error: no JobSchedule named nope in namespace default"), "\(r)")

            // queues: one job runs, the next two wait in order.
            try await kubectl.require(["apply", "-f", "-"], input: KubectlJobQueueTests.queue("etl", "limits: {jobs: 1}"))
            try await kubectl.require(["apply", "-f", "-"], input: Self.sleeper("first", queue: "etl"))
            try await kubectl.require(["wait", "--for=jsonpath={.status.phase}=Running", "batchjob/first", "--timeout=30s"])
            try await kubectl.require(["apply", "-f", "-"], input: Self.sleeper("second", queue: "etl"))
            try await kubectl.require(["apply", "-f", "-"], input: Self.sleeper("third", queue: "etl"))
            try await kubectl.require(["wait", "--for=jsonpath={.status.phase}=Queued", "batchjob/second", "batchjob/third", "--timeout=30s"])
            var rows: [String] = []
            #expect(try await eventually(timeout: .seconds(20)) {
                r = try await kubectl.require(["slipway", "queues"])
                rows = Self.lines(r.out).map { $0.split(separator: " ").joined(separator: " ") }
                return rows.contains { $0.hasPrefix("etl BestEffortFIFO 1 1 2 jobs 1/1") }
            }, "\(r.out)")
            #expect(rows.contains("Waiting in etl:"), "\(r.out)")
            let order = rows.filter { $0.hasPrefix("1 batchjob/") || $0.hasPrefix("2 batchjob/") }.map { $0.split(separator: " ")[1] }
            #expect(order == ["batchjob/default/second", "batchjob/default/third"], "\(r.out)")
            r = try await kubectl.require(["slipway", "queues", "-o", "yaml"])
            #expect(r.out.contains("name: second"), "\(r.out)")
            #expect(try await eventually(timeout: .seconds(20)) {
                r = try await kubectl.require(["slipway", "status", "third"])
                return r.out.contains("  queue: position 2 of 2 in queue etl")
            }, "\(r.out)")
        }
    }

    static func failing(_ name: String, namespace: String = "default", dependsOn parent: String? = nil) -> String {
        """
        apiVersion: slipway.dev/v1alpha1
        kind: BatchJob
        metadata: {name: \(name), namespace: \(namespace)}
        spec:
        \(parent.map { "  dependsOn: [{name: \($0), type: Sequential}]\n" } ?? "")  retryStrategy: {attempts: 1}
          template:
            spec:
              containers: [{name: main, image: busybox, command: ["sh", "-c", "echo tick 1; sleep 1; echo tick 2; sleep 1; echo tick 3; exit 1"]}]
        """
    }

    @Test func followingALogAndRetryingEveryFailedJob() async throws {
        try await withSlipwayDev { _, _, kubectl in
            let kubectl = try Self.withPlugin(kubectl)
            try await kubectl.require(["create", "namespace", "team"])
            try await kubectl.require(["apply", "-f", "-"], input: [
                Self.failing("extract"), Self.failing("load", dependsOn: "extract"), Self.failing("report", namespace: "team"),
            ].joined(separator: "\n---\n"))
            // -f follows the running attempt's log to its end.
            try await kubectl.require(["wait", "--for=jsonpath={.status.phase}=Running", "batchjob/extract", "--timeout=30s"])
            var r = try await kubectl.require(["slipway", "logs", "extract", "-f"], timeout: .seconds(60))
            #expect(r.out == "tick 1\ntick 2\ntick 3\n", "\(r)")
            try await kubectl.require(["wait", "--for=condition=Failed", "batchjob/extract", "batchjob/load", "--timeout=60s"])
            try await kubectl.require(["wait", "--for=condition=Failed", "batchjob/report", "-n", "team", "--timeout=60s"])
            r = try await kubectl.require(["slipway", "status", "report", "-n", "team"])
            #expect(r.out.hasPrefix("BatchJob team/report: Failed"), "\(r.out)")
            // A job that failed through its parent follows it: retrying it alone is refused.
            r = try await kubectl.run(["slipway", "retry", "load"])
            #expect(r.status == 1 && r.err.hasPrefix("error: batchjob/load did not run: ") && r.err.hasSuffix("; retry the dependency that failed, and this job follows\n"), "\(r)")
            r = try await kubectl.require(["slipway", "retry", "--all"])
            #expect(Self.lines(r.out).sorted() == [
                "batchjob/extract retried (retryGeneration 1): failed indexes 0 run again",
                "batchjob/load (namespace default) skipped: it failed because a dependency failed and follows it",
            ], "\(r)")
            r = try await kubectl.require(["slipway", "retry", "--all", "-A"])
            #expect(r.out.contains("batchjob/report retried (retryGeneration 1)"), "\(r)")
            try await kubectl.require(["wait", "--for=jsonpath={.status.retryGeneration}=1", "batchjob/report", "-n", "team", "--timeout=30s"])
            r = try await kubectl.run(["slipway", "retry", "extract", "--all"])
            #expect(r.status == 1 && r.err == "error: give one JOB or --all (see kubectl slipway --help)\n", "\(r)")
        }
    }

    @Test func aWaitingPodIsExplainedInTheSchedulersWords() async throws {
        try await withSlipwayDev { _, _, kubectl in
            let kubectl = try Self.withPlugin(kubectl)
            try await kubectl.require(["apply", "-f", "-"], input: """
                apiVersion: slipway.dev/v1alpha1
                kind: BatchJob
                metadata: {name: huge}
                spec:
                  template:
                    spec:
                      containers: [{name: main, image: busybox, command: ["true"], resources: {requests: {memory: 64Gi}}}]
                """)
            var r = try await kubectl.require(["slipway", "status", "huge"])
            #expect(try await eventually(timeout: .seconds(20)) {
                r = try await kubectl.require(["slipway", "status", "huge"])
                // The status catches up with the pod within a second (progress writes are folded).
                return r.out.hasPrefix("BatchJob default/huge: Pending, 0/1 indexes succeeded, 1 pending, 1 attempt\n")
                    && r.out.contains("Waiting (1):\n  index 0 (huge-0-0, ")
                    && r.out.contains("): FailedScheduling: 0/1 nodes are available: 1 Insufficient memory.")
            }, "\(r.out)")
            r = try await kubectl.run(["slipway", "logs", "huge"])
            #expect(r.status == 1 && r.err.hasPrefix("error: pod huge-0-0 has not started, so it has no log yet: FailedScheduling: 0/1 nodes are available"), "\(r)")
        }
    }

    /// A cluster without Slipway's CRDs (a bare dev control plane, no operator).
    @Test func aClusterWithoutSlipwaysCRDsIsNamedAsSuch() async throws {
        try await withDevCluster { _, kubectl in
            let kubectl = try Self.withPlugin(kubectl)
            let r = try await kubectl.run(["slipway", "status", "etl"])
            #expect(r.status == 1, "\(r)")
            #expect(r.err == "error: the cluster serves no batchjobs.slipway.dev, sparkjobs.slipway.dev: install Slipway's CRDs first (docs/install.md)\n", "\(r)")
        }
    }
}
