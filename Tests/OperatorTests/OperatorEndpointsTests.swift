import Foundation
import Logging
import SlipwayControllers
import Synchronization
import Testing

/// /healthz, /readyz and /metrics as pure responses; the log line formats.
@Suite("Operator endpoints, metrics and logs")
struct OperatorEndpointsTests {
    @Test func healthzAnswersOkWhateverTheState() {
        let health = OperatorHealth()
        health.setStopping()
        let endpoints = OperatorEndpoints(serving: [.healthz, .readyz], health: health, metrics: .disabled)
        #expect(endpoints.respond(method: "GET", path: "/healthz") == .init(status: 200, contentType: "text/plain; charset=utf-8", body: "ok\n"))
        #expect(endpoints.respond(method: "GET", path: "/metrics").status == 404, "metrics are served on the metrics port")
        #expect(endpoints.respond(method: "POST", path: "/healthz").status == 405)
    }

    @Test func readinessFollowsCachesElectionAndShutdown() {
        let health = OperatorHealth()
        let endpoints = OperatorEndpoints(serving: [.readyz], health: health, metrics: .disabled)
        func ready() -> (Int, String) {
            let r = endpoints.respond(method: "GET", path: "/readyz?verbose")
            return (r.status, r.body)
        }
        #expect(ready().0 == 503)
        #expect(ready().1.contains("controllers not started"))
        let synced = SyncFlag()
        health.trackCaches("batchjob") { synced.value }
        #expect(ready() == (503, "not ready: running; caches not synced yet: batchjob\n"))
        synced.value = true
        #expect(ready() == (200, "ok: running; caches synced\n"))

        health.setElection(.acquiring)
        #expect(ready().0 == 503)
        health.setElection(.standby(leader: "replica-a"))
        #expect(ready() == (200, "ok: standing by; the leader is replica-a\n"))
        health.setElection(.leading)
        #expect(ready() == (200, "ok: leading; caches synced\n"))
        health.trackCaches("batchjob", synced: nil)
        #expect(ready().0 == 503, "a leader whose controllers stopped is not ready")
        health.trackCaches("batchjob") { true }
        health.setStopping()
        #expect(ready() == (503, "not ready: shutting down\n"))
    }

    @Test func metricsRenderInThePrometheusFormat() {
        let metrics = SlipwayMetrics.prometheus(version: "1.2.3")
        metrics.registerController("batchjob", queue: "batchjobs")
        #expect(metrics.render().contains(#"slipway_workqueue_retries_total{name="batchjobs"} 0"#))
        metrics.recordReconcile(controller: "batchjob", result: .success, seconds: 0.02)
        metrics.recordReconcile(controller: "batchjob", result: .error, seconds: 0.5)
        metrics.recordAttempt(kind: "BatchJob", class: "OutOfMemory")
        metrics.recordRetry(kind: "BatchJob", class: "OutOfMemory")
        metrics.recordAdaptation(kind: "BatchJob", change: "memory")
        metrics.recordSubmission(kind: "BatchJob", seconds: 1.5)
        metrics.requestObserver.observe(method: "POST", path: "/api/v1/namespaces/a/pods", code: 201, seconds: 0.003)
        metrics.requestObserver.observe(method: "GET", path: "/version", code: 0, seconds: 1)
        metrics.workQueue.added(queue: "batchjobs")
        metrics.workQueue.depthChanged(queue: "batchjobs", depth: 3)
        metrics.onScrape("BatchJob") { metrics.setJobsByPhase(kind: "BatchJob", counts: ["Succeeded": 2, "Running": 1]) }
        metrics.setLeader(true)
        let text = metrics.render()
        for line in [
            #"slipway_reconcile_total{controller="batchjob",result="success"} 1"#,
            #"slipway_reconcile_errors_total{controller="batchjob"} 1"#,
            #"slipway_reconcile_total{controller="batchjob",result="requeue"} 0"#,
            #"slipway_reconcile_duration_seconds_count{controller="batchjob"} 2"#,
            #"slipway_reconcile_duration_seconds_bucket{controller="batchjob",le="0.025"} 1"#,
            #"slipway_attempts_total{kind="BatchJob",class="OutOfMemory"} 1"#,
            #"slipway_retries_total{kind="BatchJob",class="OutOfMemory"} 1"#,
            #"slipway_adaptations_total{kind="BatchJob",change="memory"} 1"#,
            #"slipway_submission_latency_seconds_count{kind="BatchJob"} 1"#,
            #"slipway_api_requests_total{verb="POST",resource="pods",code="201"} 1"#,
            #"slipway_api_requests_total{verb="GET",resource="other",code="<error>"} 1"#,
            #"slipway_workqueue_adds_total{name="batchjobs"} 1"#,
            #"slipway_workqueue_depth{name="batchjobs"} 3"#,
            #"slipway_jobs{kind="BatchJob",phase="Succeeded"} 2"#,
            "slipway_leader 1",
            "# TYPE slipway_reconcile_duration_seconds histogram",
        ] {
            #expect(text.contains(line), "missing \(line) in\n\(text)")
        }
        // A phase that empties is reported as 0, not left at its last value.
        metrics.onScrape("BatchJob") { metrics.setJobsByPhase(kind: "BatchJob", counts: ["Succeeded": 3]) }
        let later = metrics.render()
        #expect(later.contains(#"slipway_jobs{kind="BatchJob",phase="Running"} 0"#), "\(later)")
        #expect(later.contains(#"slipway_jobs{kind="BatchJob",phase="Succeeded"} 3"#), "\(later)")
        let served = OperatorEndpoints(serving: [.metrics], health: OperatorHealth(), metrics: metrics).respond(method: "GET", path: "/metrics")
        #expect(served.status == 200 && served.contentType.hasPrefix("text/plain; version=0.0.4"))
    }

    @Test func logLinesAsTextAndJSON() {
        let date = Date(timeIntervalSince1970: 1_750_000_000.25)
        let metadata: Logger.Metadata = ["namespace": "data", "name": "etl", "error": "boom \"x\"", "pods": ["a", "b"]]
        let text = StructuredLogHandler.line(date: date, level: .info, label: "slipway.batchjob", message: "phase Running", metadata: metadata, format: .text)
        #expect(text == #"2025-06-15T15:06:40.250Z info slipway.batchjob: phase Running error="boom \"x\"" name=etl namespace=data pods=[a,b]"#)
        let json = StructuredLogHandler.line(date: date, level: .warning, label: "slipway.client", message: "line\nbreak", metadata: metadata, format: .json)
        #expect(json == #"{"ts":"2025-06-15T15:06:40.250Z","level":"warning","logger":"slipway.client","message":"line\nbreak","metadata":{"error":"boom \"x\"","name":"etl","namespace":"data","pods":["a","b"]}}"#)
        let parsed = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
        #expect(parsed?["level"] as? String == "warning")
        #expect(StructuredLogHandler.line(date: date, level: .debug, label: "l", message: "m", metadata: [:], format: .json)
            == #"{"ts":"2025-06-15T15:06:40.250Z","level":"debug","logger":"l","message":"m"}"#)
    }

    @Test func theHandlerWritesMetadataOfTheLoggerAndTheCall() {
        let lines = Lines()
        var logger = Logger(label: "slipway.test") { label in
            StructuredLogHandler(label: label, level: .info, format: .text) { lines.append($0) }
        }
        logger[metadataKey: "namespace"] = "data"
        logger.debug("hidden")
        logger.info("shown", metadata: ["name": "etl"])
        #expect(lines.all.count == 1)
        #expect(lines.all.first?.hasSuffix("info slipway.test: shown name=etl namespace=data\n") == true, "\(lines.all)")
    }
}

/// A flag the test flips while the health object reads it.
final class SyncFlag: Sendable {
    private let state = Mutex(false)
    var value: Bool {
        get { state.withLock { $0 } }
        set { state.withLock { $0 = newValue } }
    }
}

final class Lines: Sendable {
    private let state = Mutex<[String]>([])
    func append(_ line: String) { state.withLock { $0.append(line) } }
    var all: [String] { state.withLock { $0 } }
}
