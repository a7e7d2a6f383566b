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
    /// by ``render()`` (what `/metrics` serves).
    public static func prometheus() -> SlipwayMetrics {
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.durationHistogramBuckets = histogramBuckets.mapValues { $0.map { Duration.nanoseconds(Int64(($0 * 1e9).rounded())) } }
        return SlipwayMetrics(factory: factory, render: { registry.emitToString() })
    }
}
