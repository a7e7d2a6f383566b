import ArgumentParser
import Foundation
import KubeAPI
import KubeClient
import LocalCluster
import SlipwayAPI
import SlipwayControllers
import SlipwayCore

/// `slipway bench scale`: how much memory the operator needs to track many jobs and pods, and
/// how long its reconciles take meanwhile. The API server is an in-memory slipway dev in this
/// process; the operator is a separate `slipway operator` process, so its resident memory is
/// its own. Pods ask for a node that does not exist and stay Pending: nothing runs, and what
/// is measured is the operator's bookkeeping.
struct ScaleJobs: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scale",
        abstract: "Track N BatchJobs of P pending pods each with a separate operator process: its resident memory (now and peak), reconcile and submission latency, time until every pod exists.")

    @Option(help: "How many BatchJobs.")
    var jobs = 10_000

    @Option(help: "Pods per job (arraySize = parallelism).")
    var podsPerJob = 5

    @Option(help: "How many creates are in flight at once while applying.")
    var concurrency = 16

    @Option(help: "Reconcile workers of the operator (default: the operator's default).")
    var workers: Int?

    func run() async throws {
        guard jobs > 0, podsPerJob > 0, concurrency > 0 else { throw ValidationError("--jobs, --pods-per-job and --concurrency must be positive") }
        try await withBenchChildOperator(workers: workers) { _, client, operatorProcess, metricsURL in
            try await measure(client: client, operatorProcess: operatorProcess, metricsURL: metricsURL)
        }
    }

    private func measure(client: KubernetesClient, operatorProcess: ChildOperator, metricsURL: URL) async throws {
        let (jobs, podsPerJob) = (jobs, podsPerJob)
        let clock = ContinuousClock()
        let idleRSS = try await Self.scrape(metricsURL).sum("process_resident_memory_bytes")
        let pods = CountingSet()
        let watcher = Task {
            for try await event in try await client.watch(Pod.self, namespace: "default", options: ListOptions(labelSelector: SlipwayLabels.jobName)) {
                if let name = event.object.metadata.name { await pods.add(name) }
            }
        }
        defer { watcher.cancel() }
        let started = clock.now
        _ = try await inFlight(jobs, concurrency: concurrency) { index in
            var job = BatchJobs.job(index)
            job.metadata.labels = ["slipway.dev/bench": "scale"]
            job.spec.arraySize = podsPerJob
            job.spec.parallelism = podsPerJob
            job.spec.template.spec.nodeSelector = ["slipway.dev/bench": "no-such-node"]
            _ = try await client.create(job)
        }
        let applied = clock.now - started
        var podsExist: Duration?
        var peakRSS = 0.0
        while podsExist == nil {
            try await Task.sleep(for: .seconds(1))
            peakRSS = max(peakRSS, (try? await Self.scrape(metricsURL).sum("process_resident_memory_bytes")) ?? 0)
            if await pods.count >= jobs * podsPerJob { podsExist = clock.now - started }
            if clock.now - started > .seconds(3600) { throw ValidationError("gave up after an hour: \(await pods.count) of \(jobs * podsPerJob) pods exist") }
        }
        // Settled: nothing waits in the operator's work queues.
        var samples: [MetricSample] = []
        let settling = clock.now
        repeat {
            try await Task.sleep(for: .seconds(1))
            samples = try await Self.scrape(metricsURL)
            peakRSS = max(peakRSS, samples.sum("process_resident_memory_bytes"))
        } while samples.sum("slipway_workqueue_depth") > 0 && clock.now - settling < .seconds(600)
        let settled = clock.now - started
        let rss = samples.sum("process_resident_memory_bytes")
        let mib = { (bytes: Double) in bytes / 1_048_576 }
        print(String(format: "scale: %d BatchJobs × %d pending pods = %d pods; applied in %.1f s; every pod exists after %.1f s; queues empty after %.1f s",
                     jobs, podsPerJob, jobs * podsPerJob, applied.seconds, podsExist!.seconds, settled.seconds))
        print(String(format: "operator RSS: %.0f MiB idle before the jobs, %.0f MiB tracking them (peak sampled %.0f MiB, peak %@ MiB by the kernel's high-water mark)",
                     mib(idleRSS), mib(rss), mib(peakRSS), operatorProcess.peakRSSMiB().map { String($0) } ?? "?"))
        let batch = ["controller": "batchjob"]
        for (name, title, labels) in [("slipway_reconcile_duration_seconds", "reconcile", batch),
                                      ("slipway_workqueue_queue_duration_seconds", "work-queue wait", ["name": "batchjobs"]),
                                      ("slipway_submission_latency_seconds", "job created → first pod", [:])] {
            let p50 = samples.quantile(0.5, of: name, labels), p99 = samples.quantile(0.99, of: name, labels)
            print(String(format: "  %-24@ p50 ≤ %@, p99 ≤ %@  (histogram buckets' upper bounds)", title as NSString, Self.seconds(p50), Self.seconds(p99)))
        }
        let reconciles = samples.sum("slipway_reconcile_total", batch)
        print(String(format: "  batchjob reconciles: %.0f (%.2f per job)", reconciles, reconciles / Double(jobs)))
        print(String(format: "operator CPU: %.1f s", samples.sum("process_cpu_seconds_total")))
    }

    static func seconds(_ value: Double?) -> String {
        guard let value else { return "?" }
        return value.isInfinite ? "+Inf" : value < 1 ? String(format: "%.0f ms", value * 1000) : String(format: "%.2f s", value)
    }

    static func scrape(_ url: URL) async throws -> [MetricSample] {
        MetricSample.parse(try await BenchTarget.fetchText(url))
    }
}

/// `slipway operator` as a child process of the bench, on free loopback ports.
final class ChildOperator: Sendable {
    let process: Process
    private let output: Pipe
    private let errorFile: URL

    init(kubeconfig: URL, workers: Int?) throws {
        let process = Process()
        let slipway = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        let arguments = ["operator", "--kubeconfig", kubeconfig.path, "--metrics-port", "0", "--health-port", "0",
                         "--bind-address", "127.0.0.1", "--install-crds"] + (workers.map { ["--workers", String($0)] } ?? [])
        // A profiler to run the operator under, e.g. SLIPWAY_BENCH_OPERATOR_PREFIX="heaptrack -o /tmp/op"
        // (README, "Benchmarks"); the RSS it reports then includes the profiler's.
        let prefix = (ProcessInfo.processInfo.environment["SLIPWAY_BENCH_OPERATOR_PREFIX"] ?? "").split(separator: " ").map(String.init)
        if let tool = prefix.first {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = [tool] + prefix.dropFirst() + [slipway.path] + arguments
        } else {
            process.executableURL = slipway
            process.arguments = arguments
        }
        let output = Pipe()
        errorFile = FileManager.default.temporaryDirectory.appendingPathComponent("slipway-bench-operator-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: errorFile.path, contents: nil)
        process.standardOutput = output
        process.standardError = try FileHandle(forWritingTo: errorFile)
        process.standardInput = FileHandle.nullDevice
        try process.run()
        self.process = process
        self.output = output
    }

    var stderr: String { (try? String(contentsOf: errorFile, encoding: .utf8)) ?? "" }

    /// The metrics URL the operator prints as `metrics: <url>`.
    func metricsURL() async throws -> URL {
        let handle = output.fileHandleForReading
        let line: String? = await Task.detached {
            var text = ""
            while true {
                let data = handle.availableData
                if data.isEmpty { return nil }
                text += String(decoding: data, as: UTF8.self)
                if let line = text.split(separator: "\n").first(where: { $0.hasPrefix("metrics: ") }) { return String(line.dropFirst(9)) }
            }
        }.value
        guard let line, let url = URL(string: line) else { throw ValidationError("the operator printed no metrics URL:\n\(stderr.suffix(2000))") }
        // Keep draining its standard output so that it never blocks on a full pipe.
        Thread.detachNewThread { while !handle.availableData.isEmpty {} }
        return url
    }

    /// Its metrics URL once it has installed its CRDs and synced its caches: /metrics answers
    /// and the BatchJob kind is served (at most 2 minutes).
    func serving(_ client: KubernetesClient) async throws -> URL {
        let url = try await metricsURL()
        let clock = ContinuousClock()
        let started = clock.now
        while (try? await client.list(BatchJob.self, namespace: "default")) == nil {
            if clock.now - started > .seconds(120) { throw ValidationError("the operator did not install its CRDs within 2 minutes:\n\(stderr.suffix(2000))") }
            try await Task.sleep(for: .milliseconds(200))
        }
        return url
    }

    /// Its resident memory now, from /proc, in MiB (nil once it has exited).
    func rssMiB() -> Int? { statusField("VmRSS:") }

    /// The kernel's high-water mark of the process's resident memory (`VmHWM`), in MiB.
    func peakRSSMiB() -> Int? { statusField("VmHWM:") }

    /// A kB field of /proc/<pid>/status, in MiB.
    private func statusField(_ name: String) -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/\(process.processIdentifier)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix(name) }),
              let kB = Int(line.split(separator: " ").dropFirst().first ?? "") else { return nil }
        return kB / 1024
    }

    func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: errorFile)
    }
}
