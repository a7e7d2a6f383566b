import CoreMetrics
import Prometheus

extension SlipwayMetrics {
    /// Buckets of the histograms, in seconds, by metric name. Reconciles and API calls take
    /// milliseconds; submission and queue waits take seconds to an hour.
    public static let histogramBuckets: [String: [Double]] = {
        let fast = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30]
        let slow = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600]
        return [
            "slipway_reconcile_duration_seconds": fast,
            "slipway_workqueue_queue_duration_seconds": fast + [60, 300],
            "slipway_workqueue_work_duration_seconds": fast,
            "slipway_api_request_duration_seconds": fast,
            "slipway_submission_latency_seconds": slow,
            "slipway_queue_wait_seconds": slow,
        ]
    }()

    /// Metrics kept in a fresh Prometheus registry, rendered in the Prometheus text format
    /// by ``render()`` (what `/metrics` serves): every metric with its `# HELP` line
    /// (``help``), then the `process_*` metrics of this process, and
    /// `slipway_build_info{version,swift_version,os,arch} 1`.
    public static func prometheus(version: String) -> SlipwayMetrics {
        let registry = PrometheusCollectorRegistry()
        let factory = HelpfulPrometheusFactory(
            registry: registry, help: help,
            durationBuckets: histogramBuckets.mapValues { $0.map { Duration.nanoseconds(Int64(($0 * 1e9).rounded())) } })
        let metrics = SlipwayMetrics(factory: factory, render: { registry.emitToString() + ProcessMetrics.sample().render(help: help) })
        metrics.setBuildInfo(version: version)
        return metrics
    }

    /// `slipway_build_info{version,swift_version,os,arch} 1`.
    func setBuildInfo(version: String) {
        let labels = [("version", version), ("swift_version", BuildPlatform.swiftVersion), ("os", BuildPlatform.os), ("arch", BuildPlatform.arch)]
        CoreMetrics.Gauge(label: "slipway_build_info", dimensions: labels, factory: factory).record(1)
    }
}

/// What this binary was built for, as `slipway_build_info` labels it.
enum BuildPlatform {
    static var swiftVersion: String {
        #if compiler(>=6.3)
        "6.3"
        #elseif compiler(>=6.2)
        "6.2"
        #elseif compiler(>=6.1)
        "6.1"
        #else
        "6.0"
        #endif
    }

    static var os: String {
        #if os(Linux)
        "linux"
        #elseif os(macOS)
        "darwin"
        #else
        "other"
        #endif
    }

    static var arch: String {
        #if arch(x86_64)
        "amd64"
        #elseif arch(arm64)
        "arm64"
        #else
        "other"
        #endif
    }
}

/// swift-prometheus' `PrometheusMetricsFactory` registers every metric with an empty help
/// text (and a registry refuses a second, different help for a name); this factory makes
/// the same metrics on the same registry with each name's help text.
struct HelpfulPrometheusFactory: MetricsFactory {
    let registry: PrometheusCollectorRegistry
    let help: [String: String]
    let durationBuckets: [String: [Duration]]
    private let plain: PrometheusMetricsFactory

    init(registry: PrometheusCollectorRegistry, help: [String: String], durationBuckets: [String: [Duration]]) {
        self.registry = registry
        self.help = help
        self.durationBuckets = durationBuckets
        var plain = PrometheusMetricsFactory(registry: registry)
        plain.durationHistogramBuckets = durationBuckets
        self.plain = plain
    }

    private func descriptor(_ label: String) -> MetricNameDescriptor {
        MetricNameDescriptor(metricName: label, unitName: "", helpText: help[label] ?? "")
    }

    func makeCounter(label: String, dimensions: [(String, String)]) -> any CounterHandler {
        registry.makeCounter(descriptor: descriptor(label), labels: dimensions)
    }

    func makeFloatingPointCounter(label: String, dimensions: [(String, String)]) -> any FloatingPointCounterHandler {
        registry.makeCounter(descriptor: descriptor(label), labels: dimensions)
    }

    func makeRecorder(label: String, dimensions: [(String, String)], aggregate: Bool) -> any RecorderHandler {
        guard aggregate else { return registry.makeGauge(descriptor: descriptor(label), labels: dimensions) }
        let buckets = plain.valueHistogramBuckets[label] ?? plain.defaultValueHistogramBuckets
        return registry.makeValueHistogram(descriptor: descriptor(label), labels: dimensions, buckets: buckets)
    }

    func makeMeter(label: String, dimensions: [(String, String)]) -> any MeterHandler {
        registry.makeGauge(descriptor: descriptor(label), labels: dimensions)
    }

    func makeTimer(label: String, dimensions: [(String, String)]) -> any TimerHandler {
        let buckets = durationBuckets[label] ?? plain.defaultDurationHistogramBuckets
        return registry.makeDurationHistogram(descriptor: descriptor(label), labels: dimensions, buckets: buckets)
    }

    func destroyCounter(_ handler: any CounterHandler) { plain.destroyCounter(handler) }
    func destroyFloatingPointCounter(_ handler: any FloatingPointCounterHandler) { plain.destroyFloatingPointCounter(handler) }
    func destroyRecorder(_ handler: any RecorderHandler) { plain.destroyRecorder(handler) }
    func destroyMeter(_ handler: any MeterHandler) { plain.destroyMeter(handler) }
    func destroyTimer(_ handler: any TimerHandler) { plain.destroyTimer(handler) }
}
