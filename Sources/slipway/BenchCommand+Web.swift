import ArgumentParser
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import KubeAPI
import KubeClient
import Logging
import SlipwayAPI
import SlipwayControllers
import SlipwayWeb

/// `slipway bench web`: how long the web view takes (docs/web.md) — the job page of a job
/// with 1,000 attempts and the list of 10,000 jobs, rendered from objects in memory; then,
/// with `--http`, a real job with 1,000 failed attempts on an in-memory slipway dev, its
/// page fetched over HTTP from the operator's web server.
struct WebPages: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "web",
        abstract: "Time the web view: a job page with --attempts attempts and the list of --jobs jobs, rendered; with --http, a real job's page over HTTP.")

    @Option(help: "Attempt records of the job whose page is rendered.")
    var attempts = 1000

    @Option(help: "Jobs in the list.")
    var jobs = 10_000

    @Flag(help: "Also run a BatchJob of --attempts indexes that each fail once on an in-memory slipway dev and time GET of its page.")
    var http = false

    func run() async throws {
        let records: [JSONValue] = (0..<attempts).map { i in
            .object([
                "index": .number(JSONNumber(i)), "attempt": 0, "pod": .string("bench-\(i)-0"), "node": "dev-node", "capacityType": "spot",
                "memory": "200Mi", "exitCode": 137, "reason": "OOMKilled", "class": "OutOfMemory", "counted": true,
                "message": .string("MemoryError: row \(i)"), "adaptations": ["memory 100Mi → 200Mi after OOMKilled"],
            ])
        }
        let job = BatchJob(json: [
            "apiVersion": "slipway.dev/v1alpha1", "kind": "BatchJob",
            "metadata": ["name": "bench", "namespace": "default", "creationTimestamp": "2027-01-15T10:00:00Z"],
            "spec": ["arraySize": .number(JSONNumber(attempts)), "template": ["spec": ["containers": [["name": "main", "image": "x"]]]]],
            "status": ["phase": "Failed", "attempts": .number(JSONNumber(attempts)), "history": .array(records)],
        ])!
        let pods = (0..<attempts).map { i in
            Pod(json: [
                "metadata": ["name": .string("bench-\(i)-0"), "namespace": "default", "creationTimestamp": "2027-01-15T10:00:00Z"],
                "spec": ["nodeName": "dev-node", "containers": [["name": "main", "image": "x"]]],
                "status": ["phase": "Failed", "containerStatuses": [["name": "main", "state": ["terminated": ["exitCode": 137, "reason": "OOMKilled"]]]]],
            ])!
        }
        let events = (0..<attempts).map { i in
            Event(json: [
                "metadata": ["name": .string("e\(i)"), "namespace": "default"], "involvedObject": ["kind": "Pod", "name": .string("bench-\(i)-0")],
                "reason": "OOMKilling", "message": "Memory cgroup out of memory", "type": "Warning", "lastTimestamp": "2027-01-15T10:01:00Z",
            ])!
        }
        let page = JobPage(pods: pods, events: events, now: Date())
        let (renderMs, size) = Self.median(20) { page.render(job).utf8.count }
        print(String(format: "job page, %d attempt records, %d cached pods, %d events: rendered in %.1f ms (median of 20), %d KiB",
                     attempts, pods.count, events.count, renderMs, size / 1024))

        let rows = (0..<jobs).map { i in
            JobRow(key: JobKey(kind: "BatchJob", namespace: "ns-\(i % 20)", name: "job-\(i)")!, created: Date(timeIntervalSince1970: Double(i)),
                   phase: "Succeeded", progress: "1/1", attempts: 1, queue: "", message: "")
        }
        let (listMs, listSize) = Self.median(20) {
            JobListPage(all: rows, filter: JobFilter(), page: PageRequest()).render(now: Date()).utf8.count
        }
        print(String(format: "job list of %d jobs, first page of 100: filtered, sorted and rendered in %.1f ms (median of 20), %d KiB", jobs, listMs, listSize / 1024))
        if http { try await overHTTP() }
    }

    /// A real job: --attempts indexes that each fail once (attempts: 1), so its status
    /// records them as the decider bounds history (the rest in failureSummary).
    func overHTTP() async throws {
        let source = JobViewSource()
        try await withBenchOperator(web: source) { _, client in
            let server = WebServer(host: "127.0.0.1", port: 0, source: source, logger: Logger(label: "slipway.web"))
            let (started, continuation) = AsyncStream<Result<String, any Error>>.makeStream()
            var running = server
            running.started = { continuation.yield($0) }
            let task = Task { [running] in try await running.run() }
            defer { task.cancel() }
            var base = ""
            for await result in started { base = try result.get(); break }
            var job = BatchJob(object: ["apiVersion": "slipway.dev/v1alpha1", "kind": "BatchJob", "metadata": ["name": "bench", "namespace": "default"]])
            job.spec.arraySize = attempts
            job.spec.parallelism = 100
            job.spec.retryStrategy = RetryStrategy(object: ["attempts": 1])
            job.spec.template = PodTemplateSpec(object: ["spec": ["containers": [["name": "main", "image": "busybox", "command": ["sh", "-c", "echo 'ValueError: bad row' >&2; exit 1"]]]]])
            _ = try await client.create(job)
            let clock = ContinuousClock()
            let start = clock.now
            while true {
                let current = try await client.get(BatchJob.self, name: "bench", namespace: "default")
                if current.status.phase == .failed { break }
                if clock.now - start > .seconds(1800) { throw ValidationError("the job did not fail within 30 minutes") }
                try await Task.sleep(for: .seconds(1))
            }
            let url = URL(string: base + "jobs/BatchJob/default/bench")!
            var times: [Double] = []
            var bytes = 0
            for _ in 0..<20 {
                let t0 = clock.now
                let (data, response) = try await URLSession.shared.data(from: url)
                times.append((clock.now - t0).seconds * 1000)
                guard (response as? HTTPURLResponse)?.statusCode == 200 else { throw ValidationError("GET \(url) answered \(response)") }
                bytes = data.count
            }
            let final = try await client.get(BatchJob.self, name: "bench", namespace: "default")
            print(String(format: "GET of a real job with %d failed attempts (%d records in status, the rest summarised) over HTTP: %.1f ms (median of 20), %d KiB; the job ran in %.0f s",
                         final.status.attempts, final.status.history.count, times.sorted()[times.count / 2], bytes / 1024, (clock.now - start).seconds))
        }
    }

    static func median(_ runs: Int, _ body: () -> Int) -> (ms: Double, result: Int) {
        let clock = ContinuousClock()
        var times: [Double] = []
        var result = 0
        for _ in 0..<runs {
            let t0 = clock.now
            result = body()
            times.append((clock.now - t0).seconds * 1000)
        }
        return (times.sorted()[runs / 2], result)
    }
}
