import Foundation
import KubeAPI
import SlipwayAPI
import SlipwayControllers
import SlipwayDevTesting
import Testing

/// `# HELP` for every metric, `slipway_build_info`, and the `process_*` metrics read from /proc.
@Suite("Metrics help, build info and process metrics")
struct MetricsKitTests {
    /// Every metric with every series `/metrics` can have, exercised once.
    static func exercised() -> SlipwayMetrics {
        let metrics = SlipwayMetrics.prometheus(version: "1.2.3")
        metrics.registerController("batchjob", queue: "batchjobs")
        metrics.recordReconcile(controller: "batchjob", result: .error, seconds: 0.5)
        metrics.recordAttempt(kind: "BatchJob", class: "OutOfMemory")
        metrics.recordRetry(kind: "BatchJob", class: "OutOfMemory")
        metrics.recordAdaptation(kind: "BatchJob", change: "memory")
        metrics.recordSubmission(kind: "BatchJob", seconds: 1.5)
        metrics.recordQueueWait(kind: "BatchJob", seconds: 2)
        metrics.recordFinding(kind: "Skew", severity: "high", wasteCoreSeconds: 71.4)
        metrics.requestObserver.observe(method: "GET", path: "/version", code: 200, seconds: 0.01)
        metrics.workQueue.added(queue: "batchjobs")
        metrics.workQueue.depthChanged(queue: "batchjobs", depth: 1)
        metrics.workQueue.dequeued(queue: "batchjobs", latency: .milliseconds(3))
        metrics.workQueue.processed(queue: "batchjobs", duration: .milliseconds(4))
        metrics.setJobsByPhase(kind: "BatchJob", counts: ["Running": 1])
        var queue = JobQueueStatus()
        queue.usage = ["cpu": "500m"]
        queue.limits = ["cpu": "4"]
        metrics.setQueue("q", status: queue)
        metrics.recordQueueAdmission(queue: "q", waitSeconds: 1)
        metrics.setLeader(true)
        _ = JobEventSink(url: URL(string: "http://127.0.0.1:1/")!, metrics: metrics)
        return metrics
    }

    /// name → (help, type) from the `# HELP` and `# TYPE` lines of `text`.
    static func families(_ text: String) -> (help: [String: String], type: [String: String]) {
        var help: [String: String] = [:], type: [String: String] = [:]
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: " ", maxSplits: 3).map(String.init)
            guard parts.count == 4, parts[0] == "#" else { continue }
            if parts[0] == "#" && parts[1] == "HELP" { help[parts[2]] = parts[3] }
            if parts[0] == "#" && parts[1] == "TYPE" { type[parts[2]] = parts[3] }
        }
        return (help, type)
    }

    @Test func everyMetricHasItsHelpLine() {
        let text = Self.exercised().render()
        let (help, type) = Self.families(text)
        #expect(type.count >= 25, "\(type.keys.sorted())")
        for name in type.keys {
            #expect(help[name] == SlipwayMetrics.help[name] && help[name]?.isEmpty == false, "\(name) has no # HELP line:\n\(text)")
        }
        // Every metric the operator knows shows up once exercised.
        #if os(Linux)
        #expect(Set(SlipwayMetrics.help.keys).subtracting(type.keys).isEmpty, "never rendered: \(Set(SlipwayMetrics.help.keys).subtracting(type.keys).sorted())")
        #endif
        // HELP comes right before TYPE, as the text format has it.
        let lines = text.split(separator: "\n").map(String.init)
        for (index, line) in lines.enumerated() where line.hasPrefix("# TYPE ") {
            let name = line.split(separator: " ")[2]
            #expect(index > 0 && lines[index - 1].hasPrefix("# HELP \(name) "), "\(line)")
        }
    }

    @Test func buildInfoSaysWhichBuildRuns() {
        let samples = Sample.parse(Self.exercised().render())
        let info = samples.filter { $0.name == "slipway_build_info" }
        #expect(info.count == 1 && info.first?.value == 1, "\(info)")
        #expect(info.first?.labels["version"] == "1.2.3")
        #expect(info.first?.labels["swift_version"]?.hasPrefix("6.") == true, "\(info)")
        #expect(["linux", "darwin"].contains(info.first?.labels["os"] ?? ""), "\(info)")
        #expect(["amd64", "arm64"].contains(info.first?.labels["arch"] ?? ""), "\(info)")
    }

    @Test func processMetricsArePlausible() {
        let samples = Sample.parse(Self.exercised().render())
        let now = Date().timeIntervalSince1970
        let start = samples.sum("process_start_time_seconds")
        #expect(start > now - 86_400 && start <= now + 1, "this test process started within a day: \(start) vs \(now)")
        #expect(samples.sum("process_cpu_seconds_total") > 0)
        #if os(Linux)
        #expect(samples.sum("process_resident_memory_bytes") > 1_000_000, "a Swift test process holds more than 1 MB")
        #expect(samples.sum("process_virtual_memory_bytes") >= samples.sum("process_resident_memory_bytes"))
        let open = samples.sum("process_open_fds")
        #expect(open >= 3 && open <= samples.sum("process_max_fds"), "stdin, stdout, stderr at least: \(open)")
        #endif
    }

    @Test func procFilesAreReadAsTheKernelWritesThem() {
        // A command name with spaces and parentheses; utime 250 + stime 50 ticks, start
        // 1000 ticks after boot, 8 MiB virtual, 1024 resident pages.
        let stat = "4242 (my (odd) prog) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 5 0 1000 8388608 1024 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n"
        let system = "cpu  1 2 3 4\nintr 1\nbtime 1700000000\nprocesses 9\n"
        let limits = """
            Limit                     Soft Limit           Hard Limit           Units
            Max cpu time              unlimited            unlimited            seconds
            Max open files            1024                 524288               files
            """
        let parsed = ProcessMetrics.parse(stat: stat, systemStat: system, limits: limits, ticksPerSecond: 100, pageSize: 4096)
        #expect(parsed == ProcessMetrics(cpuSeconds: 3, residentBytes: 4_194_304, virtualBytes: 8_388_608, maxFDs: 1024, startTimeSeconds: 1_700_000_010))
        let text = parsed.render(help: SlipwayMetrics.help)
        #expect(text.contains("# HELP process_cpu_seconds_total \(SlipwayMetrics.help["process_cpu_seconds_total"]!)\n# TYPE process_cpu_seconds_total counter\nprocess_cpu_seconds_total 3\n"), "\(text)")
        #expect(text.contains("process_start_time_seconds 1700000010\n"), "\(text)")
        #expect(!text.contains("process_open_fds"), "a value not read is left out, not 0")
    }

    @Test func docsDescribeEveryMetricWithItsHelpText() throws {
        let docs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../docs/operate.md").standardized
        let rows = try String(contentsOf: docs, encoding: .utf8).split(separator: "\n").filter { $0.hasPrefix("| `") }
        for (name, help) in SlipwayMetrics.help {
            let row = rows.first { $0.hasPrefix("| `\(name)` |") }
            #expect(row?.hasSuffix("| \(help) |") == true, "docs/operate.md's metrics table: the row of \(name) should end with its HELP text \"\(help)\"; it is \(row.map(String.init) ?? "missing")")
        }
    }

    @Test func aHistogramQuantileIsTheUpperBoundOfTheBucketThatHoldsIt() {
        let samples = MetricSample.parse("""
            # TYPE d histogram
            d_bucket{c="a",le="0.1"} 5
            d_bucket{c="a",le="1"} 9
            d_bucket{c="a",le="+Inf"} 10
            d_bucket{c="b",le="0.1"} 0
            d_bucket{c="b",le="1"} 0
            d_bucket{c="b",le="+Inf"} 10
            d_sum{c="a"} 12
            d_count{c="a"} 10
            """)
        #expect(samples.quantile(0.5, of: "d", ["c": "a"]) == 0.1)
        #expect(samples.quantile(0.9, of: "d", ["c": "a"]) == 1)
        #expect(samples.quantile(0.99, of: "d", ["c": "a"]) == .infinity)
        #expect(samples.quantile(0.5, of: "d", ["c": "b"]) == .infinity)
        // Summed over both series: 5 of 20 at 0.1, 9 at 1.
        #expect(samples.quantile(0.25, of: "d") == 0.1)
        #expect(samples.quantile(0.5, of: "d") == .infinity)
        #expect(samples.quantile(0.5, of: "e") == nil)
    }
}
