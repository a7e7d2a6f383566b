import Foundation
import SlipwayControllers
import KubeTesting
import SlipwayDevTesting
import Testing

/// The built `slipway operator` run as a child process against `slipway dev`, driven with
/// the real kubectl: metrics and health endpoints, pod policy, and a SIGTERM in the middle
/// of work that loses and duplicates nothing.
@Suite("slipway operator process", .serialized)
struct OperatorProcessTests {
    static let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../manifests/examples").standardized

    /// The flags every test starts the operator with: this cluster, free ports on loopback.
    static func flags(_ cluster: URL) -> [String] {
        ["--kubeconfig", cluster.path, "--metrics-port", "0", "--health-port", "0", "--bind-address", "127.0.0.1", "--install-crds"]
    }

    static func job(_ name: String, command: String, privileged: Bool = false, arraySize: Int = 1, attempts: Int? = nil) -> String {
        """
        apiVersion: slipway.dev/v1alpha1
        kind: BatchJob
        metadata: {name: \(name)}
        spec:
          arraySize: \(arraySize)
        \(attempts.map { "  retryStrategy: {attempts: \($0)}" } ?? "")
          template:
            spec:
              containers:
              - name: main
                image: busybox
                command: ["sh", "-c", "\(command)"]
        \(privileged ? "        securityContext: {privileged: true}" : "")
        """
    }

    static let privilegedSparkJob = """
        apiVersion: slipway.dev/v1alpha1
        kind: SparkJob
        metadata: {name: privileged-spark}
        spec:
          type: Python
          sparkVersion: "4.0.5"
          image: apache/spark:4.0.5
          mainApplicationFile: local:///opt/app.py
          driver:
            template:
              spec:
                containers: [{name: spark-kubernetes-driver, securityContext: {privileged: true}}]
        ---
        apiVersion: slipway.dev/v1alpha1
        kind: SparkJob
        metadata: {name: hostpath-spark}
        spec:
          type: Python
          sparkVersion: "4.0.5"
          image: apache/spark:4.0.5
          mainApplicationFile: local:///opt/app.py
          sparkConf:
            spark.kubernetes.driver.volumes.hostPath.root.mount.path: /host
            spark.kubernetes.driver.volumes.hostPath.root.options.path: /
        """

    @Test func servesMetricsAndHealthWhileRunningJobs() async throws {
        #expect(FileManager.default.isExecutableFile(atPath: OperatorProcess.executable.path), "build the package first")
        try await withDevCluster { cluster, kubectl in
            let started = ContinuousClock.now
            let op = try OperatorProcess(Self.flags(cluster.kubeconfigPath) + ["--log-format", "json", "--workers", "2"], environment: ["POD_NAME": "operator-e2e"])
            defer { op.stop() }
            let health = try await op.url("health")
            let metricsURL = try await op.url("metrics")
            #expect(health.host == "127.0.0.1" && health.port != 8081 && metricsURL.port != 8080)
            let ready = try await waitFor200(health.deletingLastPathComponent().appendingPathComponent("readyz"))
            #expect(ready.status == 200, "readyz: \(ready); stderr:\n\(op.stderr.suffix(3000))")
            #expect(ready.body.contains("caches synced"))
            let alive = try await httpGet(health)
            #expect(alive.status == 200 && alive.body == "ok\n")

            var r = try await kubectl.run(["apply", "-f", "-"], input: Self.job("hello", command: "echo hello"))
            #expect(r.status == 0, "\(r)")
            r = try await kubectl.run(["apply", "-f", "-"], input: Self.job("array", command: "true", arraySize: 2))
            #expect(r.status == 0, "\(r)")
            r = try await kubectl.run(["apply", "-f", Self.examples.appendingPathComponent("oom-adapt.yaml").path])
            #expect(r.status == 0, "\(r)")
            r = try await kubectl.run(["apply", "-f", "-"], input: Self.job("privileged", command: "true", privileged: true))
            #expect(r.status == 0, "\(r)")
            r = try await kubectl.run(["apply", "-f", Self.examples.appendingPathComponent("spark-pi.yaml").path])
            #expect(r.status == 0, "\(r)")
            r = try await kubectl.run(["apply", "-f", "-"], input: Self.privilegedSparkJob)
            #expect(r.status == 0, "\(r)")

            r = try await kubectl.run(["wait", "--for=condition=Succeeded", "batchjob/hello", "batchjob/array", "batchjob/oom-adapt", "--timeout=120s"], timeout: .seconds(130))
            #expect(r.status == 0, "\(r)\noperator:\n\(op.stderr.suffix(3000))")

            // A privileged container is refused with a clear message, and no pod exists.
            r = try await kubectl.run(["wait", "--for=condition=Invalid", "batchjob/privileged", "--timeout=30s"])
            #expect(r.status == 0, "\(r)")
            r = try await kubectl.run(["get", "batchjob", "privileged", "-o", #"jsonpath={.status.conditions[?(@.type=="Invalid")].message}"#])
            #expect(r.out.contains("spec.template.spec.containers[0].securityContext.privileged: privileged containers are refused for jobs"), "\(r)")
            #expect(r.out.contains("--allow-privileged"), "\(r)")
            r = try await kubectl.run(["get", "pods", "-l", "slipway.dev/job-name=privileged"])
            #expect(r.status == 0 && r.out.isEmpty && r.err.contains("No resources found"), "\(r)")
            // The same for a SparkJob whose driver template asks for it; its Spark application runs.
            r = try await kubectl.run(["wait", "--for=condition=Invalid", "sparkjob/privileged-spark", "--timeout=30s"])
            #expect(r.status == 0, "\(r)")
            r = try await kubectl.run(["get", "sparkjob", "privileged-spark", "-o", #"jsonpath={.status.conditions[?(@.type=="Invalid")].message}"#])
            #expect(r.out.contains("spec.driver.template.spec.containers[0].securityContext.privileged: privileged containers are refused"), "\(r)")
            // Spark's own volume keys in sparkConf are held to the same policy.
            r = try await kubectl.run(["wait", "--for=condition=Invalid", "sparkjob/hostpath-spark", "--timeout=30s"])
            #expect(r.status == 0, "\(r)")
            r = try await kubectl.run(["get", "sparkjob", "hostpath-spark", "-o", #"jsonpath={.status.conditions[?(@.type=="Invalid")].message}"#])
            #expect(r.out.contains("spec.sparkConf[spark.kubernetes.driver.volumes.hostPath.root.mount.path]: hostPath volumes are refused"), "\(r)")
            r = try await kubectl.run(["get", "pods,services,configmaps", "-o", "name"])
            #expect(!r.out.contains("privileged-spark") && !r.out.contains("hostpath-spark"), "nothing is created for them: \(r)")
            r = try await kubectl.run(["wait", "--for=condition=Succeeded", "sparkjob/spark-pi", "--timeout=90s"], timeout: .seconds(100))
            #expect(r.status == 0, "\(r)\noperator:\n\(op.stderr.suffix(3000))")

            let scrape = try await httpGet(metricsURL)
            #expect(scrape.status == 200)
            let samples = Sample.parse(scrape.body)
            let batchjob = ["controller": "batchjob"]
            #expect(samples.sum("slipway_reconcile_total", batchjob) > 0)
            #expect(samples.sum("slipway_reconcile_duration_seconds_count", batchjob) == samples.sum("slipway_reconcile_total", batchjob))
            #expect(samples.sum("slipway_api_requests_total", ["code": "200"]) > 0)
            #expect(samples.sum("slipway_api_requests_total", ["code": "201", "verb": "POST"]) >= 5, "pods and status writes")
            #expect(samples.has("slipway_api_request_duration_seconds_bucket"))
            #expect(samples.sum("slipway_jobs", ["kind": "BatchJob", "phase": "Succeeded"]) >= 3)
            #expect(samples.sum("slipway_jobs", ["kind": "BatchJob", "phase": "Failed"]) == 1, "the privileged job")
            #expect(samples.sum("slipway_attempts_total", ["kind": "BatchJob", "class": "OutOfMemory"]) >= 1)
            #expect(samples.sum("slipway_attempts_total", ["kind": "BatchJob", "class": "Succeeded"]) >= 4)
            #expect(samples.sum("slipway_retries_total", ["kind": "BatchJob", "class": "OutOfMemory"]) >= 1)
            #expect(samples.sum("slipway_adaptations_total", ["kind": "BatchJob", "change": "memory"]) >= 1)
            #expect(samples.sum("slipway_submission_latency_seconds_count", ["kind": "BatchJob"]) >= 3)
            // Durations are plausible: positive, and no longer than this test has run.
            let ran = (ContinuousClock.now - started).components.seconds + 1
            for (series, kind) in [("slipway_submission_latency_seconds_sum", "BatchJob"), ("slipway_queue_wait_seconds_sum", "BatchJob"),
                                   ("slipway_submission_latency_seconds_sum", "SparkJob")] {
                let total = samples.sum(series, ["kind": kind])
                let count = samples.sum(series.replacingOccurrences(of: "_sum", with: "_count"), ["kind": kind])
                #expect(total >= 0 && count > 0 && total / count < Double(ran), "\(series){kind=\(kind)}: \(total) over \(count) in a \(ran) s test")
            }
            let reconciles = samples.sum("slipway_reconcile_duration_seconds_sum", batchjob)
            #expect(reconciles > 0 && reconciles < Double(ran) * 2, "batchjob reconcile seconds \(reconciles) in a \(ran) s test with 2 workers")
            #expect(samples.sum("slipway_queue_wait_seconds_count", ["kind": "BatchJob"]) >= 4)
            #expect(samples.sum("slipway_workqueue_adds_total", ["name": "batchjobs"]) > 0)
            #expect(samples.has("slipway_workqueue_depth") && samples.has("slipway_workqueue_work_duration_seconds_count"))
            #expect(samples.sum("slipway_workqueue_queue_duration_seconds_count", ["name": "batchjobs"]) > 0)
            #expect(samples.sum("slipway_leader") == 1)
            #expect(samples.sum("slipway_reconcile_total", ["controller": "sparkjob"]) > 0)
            #expect(samples.sum("slipway_jobs", ["kind": "SparkJob", "phase": "Succeeded"]) == 1)
            #expect(samples.sum("slipway_jobs", ["kind": "SparkJob", "phase": "Failed"]) == 2, "the privileged and the hostPath SparkJob")
            #expect(samples.sum("slipway_attempts_total", ["kind": "SparkJob", "class": "Succeeded"]) == 1)
            #expect(samples.sum("slipway_submission_latency_seconds_count", ["kind": "SparkJob"]) == 1)
            #expect(samples.sum("slipway_workqueue_adds_total", ["name": "sparkjobs"]) > 0)

            // Reconcile logs are JSON lines with the job's namespace and name.
            let lines = op.stderr.split(separator: "\n").filter { $0.contains(#""name":"oom-adapt""#) }
            #expect(lines.contains { $0.hasPrefix(#"{"ts":"#) && $0.contains(#""namespace":"default""#) }, "\(op.stderr.suffix(3000))")

            op.terminate()
            let status = try await op.waitForExit(timeout: .seconds(30))
            #expect(status == 0, "stderr:\n\(op.stderr.suffix(3000))")
        }
    }

    @Test func aSIGTERMInTheMiddleOfWorkLosesAndDuplicatesNothing() async throws {
        try await withDevCluster { cluster, kubectl in
            let flags = Self.flags(cluster.kubeconfigPath) + ["--leader-elect", "--lease-namespace", "default"]
            let first = try OperatorProcess(flags, environment: ["POD_NAME": "operator-a"])
            defer { first.stop() }
            let ready = try await first.waitUntilReady()
            #expect(ready.status == 200, "\(ready)")
            let names = (0..<10).map { "sleepy-\($0)" }
            let jobs = names.map { Self.job($0, command: "sleep 2") }.joined(separator: "\n---\n")
            var r = try await kubectl.run(["apply", "-f", "-"], input: jobs)
            #expect(r.status == 0, "\(r)")

            // Mid-way: some pods exist, not every job is done.
            let midway = try await eventually(timeout: .seconds(30)) {
                r = try await kubectl.require(["get", "pods", "-l", "slipway.dev/job-name", "-o", "name"])
                return r.out.split(separator: "\n").count >= 3
            }
            #expect(midway, "\(r)")
            first.terminate()
            let status = try await first.waitForExit(timeout: .seconds(30))
            #expect(status == 0, "exit within the grace period; stderr:\n\(first.stderr.suffix(3000))")
            #expect(first.stderr.contains("released the lease"), "\(first.stderr.suffix(3000))")
            r = try await kubectl.run(["get", "lease", "slipway-operator", "-n", "default", "-o", "jsonpath={.spec.holderIdentity}"])
            #expect(r.status == 0 && r.out.isEmpty, "holderIdentity cleared: \(r)")
            r = try await kubectl.run(["get", "batchjobs", "-o", #"jsonpath={range .items[*]}{.status.phase}{"\n"}{end}"#])
            #expect(r.out.split(separator: "\n").filter { $0 == "Succeeded" }.count < names.count, "stopped mid-way: \(r)")

            let second = try OperatorProcess(flags, environment: ["POD_NAME": "operator-b"])
            defer { second.stop() }
            r = try await kubectl.run(["wait", "--for=condition=Succeeded", "batchjobs", "--all", "--timeout=120s"], timeout: .seconds(130))
            #expect(r.status == 0, "\(r)\nsecond operator:\n\(second.stderr.suffix(3000))")
            r = try await kubectl.run(["get", "lease", "slipway-operator", "-n", "default", "-o", "jsonpath={.spec.holderIdentity}"])
            #expect(r.out == "operator-b")

            // A third replica stands by, and is ready while it does.
            let standby = try OperatorProcess(flags, environment: ["POD_NAME": "operator-c"])
            defer { standby.stop() }
            let standing = try await standby.waitUntilReady()
            #expect(standing.status == 200 && standing.body.contains("standing by; the leader is operator-b"), "\(standing)")
            let leaderGauge = Sample.parse(try await httpGet(try await standby.url("metrics")).body).sum("slipway_leader")
            #expect(leaderGauge == 0)
            standby.terminate()
            #expect(try await standby.waitForExit(timeout: .seconds(30)) == 0, "\(standby.stderr.suffix(3000))")

            // Exactly one pod per index attempt: every job ran index 0 once.
            r = try await kubectl.run(["get", "pods", "-l", "slipway.dev/job-name", "-o", #"jsonpath={range .items[*]}{.metadata.name}{"\n"}{end}"#])
            #expect(r.out.split(separator: "\n").map(String.init).sorted() == names.map { "\($0)-0-0" }.sorted(), "\(r)")
            r = try await kubectl.run(["get", "batchjobs", "-o", #"jsonpath={range .items[*]}{.metadata.name} {.status.attempts} {.status.succeeded}{"\n"}{end}"#])
            #expect(r.out.split(separator: "\n").map(String.init).sorted() == names.map { "\($0) 1 1" }.sorted(), "\(r)")

            second.terminate()
            #expect(try await second.waitForExit(timeout: .seconds(30)) == 0, "\(second.stderr.suffix(3000))")
        }
    }

    @Test func helpListsEverySetting() async throws {
        let process = Process()
        process.executableURL = OperatorProcess.executable
        process.arguments = ["operator", "--help"]
        let help = try await runToEnd(process)
        #expect(help.status == 0)
        for flag in OperatorSettings.flagNames {
            #expect(help.out.contains("--\(flag)"), "slipway operator --help lacks --\(flag)")
        }
    }

    @Test func aBadSettingFailsTheStartNamingIt() async throws {
        let op = try OperatorProcess(["--metrics-port", "0", "--health-port", "0"], environment: ["SLIPWAY_WORKERS": "abc"])
        defer { op.stop() }
        let status = try await op.waitForExit(timeout: .seconds(20))
        #expect(status != nil && status != 0)
        #expect(op.stderr.contains(#"SLIPWAY_WORKERS: "abc" is not an integer"#), "\(op.stderr)")
    }
}
