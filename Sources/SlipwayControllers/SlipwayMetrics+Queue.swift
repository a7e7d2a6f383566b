import CoreMetrics
import Foundation
import KubeAPI
import SlipwayAPI

/// The JobQueue metrics (docs/queues.md), labelled by `queue` (and `resource`: `jobs`,
/// `pods`, `cpu`, `memory`, any resource name):
///
/// | name | type | labels |
/// |---|---|---|
/// | `slipway_queue_pending` | gauge | queue |
/// | `slipway_queue_admitted` | gauge | queue |
/// | `slipway_queue_usage` | gauge | queue, resource (cpu in cores, memory in bytes) |
/// | `slipway_queue_limit` | gauge | queue, resource |
/// | `slipway_queue_admission_wait_seconds` | histogram | queue (creation → admission) |
///
/// The admission wait has its own name: `slipway_queue_wait_seconds{kind}` already measures
/// how long pods wait in the cluster's scheduler queue.
extension SlipwayMetrics {
    /// The queue's counts, usage and limits after a reconcile (nil: the queue is gone, its gauges go to 0).
    public func setQueue(_ queue: String, status: JobQueueStatus?) {
        gauge("slipway_queue_pending", [("queue", queue)]).record(status?.pending ?? 0)
        gauge("slipway_queue_admitted", [("queue", queue)]).record(status?.admitted ?? 0)
        for (resource, text) in status?.usage ?? [:] {
            gauge("slipway_queue_usage", [("queue", queue), ("resource", resource)]).record(Self.number(text))
        }
        for (resource, text) in status?.limits ?? [:] {
            gauge("slipway_queue_limit", [("queue", queue), ("resource", resource)]).record(Self.number(text))
        }
    }

    /// A job was admitted `waitSeconds` after its creation.
    public func recordQueueAdmission(queue: String, waitSeconds: Double) {
        timer("slipway_queue_admission_wait_seconds", ["queue": queue]).recordSeconds(max(0, waitSeconds))
    }

    private func gauge(_ label: String, _ dimensions: [(String, String)]) -> CoreMetrics.Gauge {
        CoreMetrics.Gauge(label: label, dimensions: dimensions, factory: factory)
    }

    /// A quantity's value as a plain number (cores, bytes).
    static func number(_ text: String) -> Double { (try? Quantity(text))?.doubleValue ?? 0 }
}
