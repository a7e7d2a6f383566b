import CoreMetrics
import Foundation
import KubeAPI
import SlipwayCore
import KubeClient
import KubeRuntime
import Synchronization

/// The operator's metrics, by name: every controller (BatchJob, SparkJob, …) reports
/// through these methods, so names, labels and buckets are decided once, here. Metrics go
/// through the swift-metrics API to a `MetricsFactory`; ``prometheus()`` backs them with a
/// Prometheus registry that `/metrics` renders (``render()``). SlipwayCore stays pure: the
/// controllers report what its decisions say (``SlipwayCore/JobDecision/recorded``).
///
/// | name | type | labels |
/// |---|---|---|
/// | `slipway_reconcile_total` | counter | controller, result (success, requeue, requeue_after, error) |
/// | `slipway_reconcile_errors_total` | counter | controller |
/// | `slipway_reconcile_duration_seconds` | histogram | controller |
/// | `slipway_workqueue_depth` | gauge | name |
/// | `slipway_workqueue_adds_total` | counter | name |
/// | `slipway_workqueue_retries_total` | counter | name |
/// | `slipway_workqueue_queue_duration_seconds` | histogram | name |
/// | `slipway_workqueue_work_duration_seconds` | histogram | name |
/// | `slipway_api_requests_total` | counter | verb (HTTP method), resource (`pods`, `batchjobs/status`, …), code (`<error>`: no answer) |
/// | `slipway_api_request_duration_seconds` | histogram | verb |
/// | `slipway_jobs` | gauge | kind, phase |
/// | `slipway_attempts_total` | counter | kind, class (a failure class, or Succeeded / Suspended) |
/// | `slipway_retries_total` | counter | kind, class |
/// | `slipway_adaptations_total` | counter | kind, change (memory, cpu, executors, capacity) |
/// | `slipway_submission_latency_seconds` | histogram | kind |
/// | `slipway_queue_wait_seconds` | histogram | kind |
/// | `slipway_spark_findings_total` | counter | kind (a finding kind), severity |
/// | `slipway_spark_waste_core_seconds_total` | counter | kind |
/// | `slipway_leader` | gauge | — (1 while this replica leads or runs without election) |
/// | `slipway_build_info` | gauge | version, swift_version, os, arch (always 1) |
///
/// Every metric has a `# HELP` line (``help``); ``prometheus(version:)`` adds the
/// `process_*` metrics (``ProcessMetrics``).
public final class SlipwayMetrics: Sendable {
    /// How a reconcile ended, for `slipway_reconcile_total{result}`.
    public enum ReconcileResult: String, Sendable, CaseIterable {
        case success
        case requeue
        case requeueAfter = "requeue_after"
        case error
    }

    let factory: any MetricsFactory
    private let renderer: (@Sendable () -> String)?
    private let scrapeHooks = Mutex<[String: @Sendable () -> Void]>([:])
    private let phasesSeen = Mutex<[String: Set<String>]>([:])

    /// Metrics made by `factory` (for instance `MetricsSystem.factory`); `render` produces
    /// the text of `/metrics`, if this process serves it.
    public init(factory: any MetricsFactory, render: (@Sendable () -> String)? = nil) {
        self.factory = factory
        self.renderer = render
    }

    /// Metrics that go nowhere: the default of an ``OperatorConfiguration``.
    public static let disabled = SlipwayMetrics(factory: NOOPMetricsHandler.instance)

    // MARK: - Reconciles

    /// Creates the counters of `controller` and its `queue` at 0, so that rates and alerts
    /// on them work before the first error or retry ever happens.
    public func registerController(_ controller: String, queue: String) {
        for result in ReconcileResult.allCases {
            counter("slipway_reconcile_total", ["controller": controller, "result": result.rawValue]).increment(by: 0)
        }
        counter("slipway_reconcile_errors_total", ["controller": controller]).increment(by: 0)
        counter("slipway_workqueue_adds_total", ["name": queue]).increment(by: 0)
        counter("slipway_workqueue_retries_total", ["name": queue]).increment(by: 0)
    }

    /// One reconcile of `controller` (e.g. `batchjob`) ended with `result` after `seconds`.
    public func recordReconcile(controller: String, result: ReconcileResult, seconds: Double) {
        counter("slipway_reconcile_total", ["controller": controller, "result": result.rawValue]).increment()
        if result == .error { counter("slipway_reconcile_errors_total", ["controller": controller]).increment() }
        timer("slipway_reconcile_duration_seconds", ["controller": controller]).recordSeconds(seconds)
    }

    // MARK: - Jobs

    /// The number of jobs of `kind` in each phase (phases reported before and missing now are set to 0).
    public func setJobsByPhase(kind: String, counts: [String: Int]) {
        let phases = phasesSeen.withLock { seen in
            seen[kind, default: []].formUnion(counts.keys)
            return seen[kind] ?? []
        }
        for phase in phases {
            CoreMetrics.Gauge(label: "slipway_jobs", dimensions: [("kind", kind), ("phase", phase)], factory: factory).record(counts[phase] ?? 0)
        }
    }

    /// An attempt of a job of `kind` ended; `class` is its failure class, or `Succeeded` / `Suspended`.
    public func recordAttempt(kind: String, class failureClass: String) {
        counter("slipway_attempts_total", ["kind": kind, "class": failureClass]).increment()
    }

    /// A failed attempt of class `class` is tried again.
    public func recordRetry(kind: String, class failureClass: String) {
        counter("slipway_retries_total", ["kind": kind, "class": failureClass]).increment()
    }

    /// A next attempt gets more of `change` (`memory`, `cpu`, `executors`) or other capacity (`capacity`).
    public func recordAdaptation(kind: String, change: String) {
        counter("slipway_adaptations_total", ["kind": kind, "change": change]).increment()
    }

    /// A job's first pod was created `seconds` after the job (waiting for dependencies included).
    public func recordSubmission(kind: String, seconds: Double) {
        timer("slipway_submission_latency_seconds", ["kind": kind]).recordSeconds(max(0, seconds))
    }

    /// An attempt's pod waited `seconds` between its creation and its start (scheduling, image pull).
    public func recordQueueWait(kind: String, seconds: Double) {
        timer("slipway_queue_wait_seconds", ["kind": kind]).recordSeconds(max(0, seconds))
    }

    /// Whether this replica runs the controllers now (leading, or no election).
    public func setLeader(_ leading: Bool) {
        CoreMetrics.Gauge(label: "slipway_leader", factory: factory).record(leading ? 1 : 0)
    }

    // MARK: - Hooks for the runtime

    /// Observes the API requests of a `KubernetesClient`.
    public var requestObserver: any RequestObserver { APIRequestMetrics(metrics: self) }

    /// Observes a `WorkQueue`.
    public var workQueue: any WorkQueueMetrics { QueueMetrics(metrics: self) }

    // MARK: - Scraping

    /// Runs `body` before every render (nil removes it): a controller sets gauges computed
    /// from its caches there, e.g. ``setJobsByPhase(kind:counts:)``.
    public func onScrape(_ key: String, _ body: (@Sendable () -> Void)?) {
        scrapeHooks.withLock { $0[key] = body }
    }

    /// The Prometheus text of every metric (after the scrape hooks ran); empty when this
    /// instance has no renderer.
    public func render() -> String {
        for hook in scrapeHooks.withLock({ Array($0.values) }) { hook() }
        return renderer?() ?? ""
    }

    // MARK: - Internals

    func counter(_ label: String, _ dimensions: KeyValuePairs<String, String>) -> CoreMetrics.Counter {
        CoreMetrics.Counter(label: label, dimensions: dimensions.map { ($0.key, $0.value) }, factory: factory)
    }

    func timer(_ label: String, _ dimensions: KeyValuePairs<String, String>) -> CoreMetrics.Timer {
        CoreMetrics.Timer(label: label, dimensions: dimensions.map { ($0.key, $0.value) }, factory: factory)
    }
}

/// API requests by verb, resource and code (writes per job by what they touch:
/// `slipway bench --operator-metrics`), and their latency.
struct APIRequestMetrics: RequestObserver {
    let metrics: SlipwayMetrics

    func observe(method: String, path: String, code: Int, seconds: Double) {
        metrics.counter(
            "slipway_api_requests_total",
            ["verb": method, "resource": RequestResource.of(path: path), "code": code == 0 ? "<error>" : String(code)]
        ).increment()
        metrics.timer("slipway_api_request_duration_seconds", ["verb": method]).recordSeconds(seconds)
    }
}

/// Work queue depth, adds, retries, time waiting and time worked, by queue name.
struct QueueMetrics: WorkQueueMetrics {
    let metrics: SlipwayMetrics

    func depthChanged(queue: String, depth: Int) {
        CoreMetrics.Gauge(label: "slipway_workqueue_depth", dimensions: [("name", queue)], factory: metrics.factory).record(depth)
    }

    func added(queue: String) { metrics.counter("slipway_workqueue_adds_total", ["name": queue]).increment() }

    func retried(queue: String) { metrics.counter("slipway_workqueue_retries_total", ["name": queue]).increment() }

    func dequeued(queue: String, latency: Duration) {
        metrics.timer("slipway_workqueue_queue_duration_seconds", ["name": queue]).recordSeconds(latency.seconds)
    }

    func processed(queue: String, duration: Duration) {
        metrics.timer("slipway_workqueue_work_duration_seconds", ["name": queue]).recordSeconds(duration.seconds)
    }
}

extension SlipwayMetrics {
    /// One finding of a SparkJob's analysis (docs/analysis.md) and its estimated waste.
    public func recordFinding(kind: String, severity: String, wasteCoreSeconds: Double) {
        counter("slipway_spark_findings_total", ["kind": kind, "severity": severity]).increment()
        CoreMetrics.FloatingPointCounter(label: "slipway_spark_waste_core_seconds_total", dimensions: [("kind", kind)], factory: factory)
            .increment(by: max(0, wasteCoreSeconds))
    }

    /// Reports the attempts a written status recorded (each is written, so reported, once).
    public func report(_ recorded: [RecordedAttempt], kind: String) {
        for attempt in recorded {
            let failureClass = attempt.failureClass?.rawValue ?? attempt.outcome.rawValue
            recordAttempt(kind: kind, class: failureClass)
            if attempt.outcome == .retried { recordRetry(kind: kind, class: failureClass) }
            for change in attempt.changes { recordAdaptation(kind: kind, change: change.rawValue) }
            if let wait = attempt.waitSeconds { recordQueueWait(kind: kind, seconds: wait) }
        }
    }
}
