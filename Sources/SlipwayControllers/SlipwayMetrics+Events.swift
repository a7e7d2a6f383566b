import CoreMetrics

/// The job-event sink's metrics (docs/events.md):
///
/// | name | type | labels |
/// |---|---|---|
/// | `slipway_events_delivered_total` | counter | — |
/// | `slipway_event_delivery_failures_total` | counter | — |
/// | `slipway_events_refused_total` | counter | — |
/// | `slipway_events_lost_total` | counter | — |
/// | `slipway_events_pending_jobs` | gauge | — |
extension SlipwayMetrics {
    /// Creates the sink's series at 0, so that rates and alerts on them work from the start.
    func registerEventSink() {
        for name in ["slipway_events_delivered_total", "slipway_event_delivery_failures_total", "slipway_events_refused_total", "slipway_events_lost_total"] {
            counter(name, [:]).increment(by: 0)
        }
        setEventsPendingJobs(0)
    }

    func recordEventDelivered() { counter("slipway_events_delivered_total", [:]).increment() }
    func recordEventDeliveryFailure() { counter("slipway_event_delivery_failures_total", [:]).increment() }
    func recordEventRefused() { counter("slipway_events_refused_total", [:]).increment() }
    func recordEventsLost(_ count: Int) { counter("slipway_events_lost_total", [:]).increment(by: count) }
    func setEventsPendingJobs(_ count: Int) { CoreMetrics.Gauge(label: "slipway_events_pending_jobs", factory: factory).record(count) }
}
