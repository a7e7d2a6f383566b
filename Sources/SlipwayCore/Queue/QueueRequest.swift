import Foundation
import KubeAPI
import SlipwayAPI

/// What a job asks of its queue while it runs: one job, its pods at once, and their resource
/// requests together — as amounts by dimension (`jobs`, `pods`, `cpu`, `memory`, any
/// resource name), the form in which limits and usage are compared.
public struct QueueRequest: Sendable, Hashable {
    public var pods: Int
    public var resources: [String: Quantity]

    public init(pods: Int, resources: [String: Quantity] = [:]) {
        self.pods = pods
        self.resources = resources
    }

    /// What an admission record says was admitted.
    public init(_ record: QueueAdmissionRecord) { self.init(pods: record.pods, resources: record.resources) }

    /// Amounts by dimension, the job itself counting one in `jobs`.
    public var amounts: QueueAmounts {
        var amounts = QueueAmounts(resources)
        amounts[QueueAmounts.jobs] = Quantity(1)
        amounts[QueueAmounts.pods] = Quantity(Int64(pods))
        return amounts
    }

    /// Whether `record` admitted at least this much in every dimension.
    public func isCovered(by record: QueueAdmissionRecord) -> Bool { amounts.fits(within: QueueRequest(record).amounts) }

    /// The record of admitting this request to `queue` at `time`.
    public func record(queue: String, time: Date) -> QueueAdmissionRecord {
        QueueAdmissionRecord(queue: queue, pods: pods, resources: resources, time: time)
    }

    /// `8 cpu, 4Gi memory, 3 pods`.
    public var summary: String { amounts.summary }
}

/// A kind whose jobs can wait in a ``JobQueue``: it says what a job asks for at once, for
/// the attempts it would create next (after adaptation: more memory, more executors).
public protocol QueuedJobKind: KubeObject {
    /// The request of the job's next attempts, with its units' learned resources.
    func queueRequest() -> QueueRequest
}

/// Amounts by dimension: `jobs`, `pods` and resource names.
public struct QueueAmounts: Sendable, Hashable {
    public static let jobs = "jobs"
    public static let pods = "pods"

    public var values: [String: Quantity]

    public init(_ values: [String: Quantity] = [:]) { self.values = values }

    /// The limits of a queue as amounts (absent bounds absent).
    public init(_ limits: QueueLimits) {
        var values = limits.resources
        if let jobs = limits.jobs { values[Self.jobs] = Quantity(Int64(jobs)) }
        if let pods = limits.pods { values[Self.pods] = Quantity(Int64(pods)) }
        self.init(values)
    }

    public subscript(_ name: String) -> Quantity? {
        get { values[name] }
        set { values[name] = newValue }
    }

    public static func + (l: QueueAmounts, r: QueueAmounts) -> QueueAmounts {
        var out = l
        for (name, value) in r.values { out.values[name] = (out.values[name] ?? .zero) + value }
        return out
    }

    public static func - (l: QueueAmounts, r: QueueAmounts) -> QueueAmounts {
        var out = l
        for (name, value) in r.values { out.values[name] = (out.values[name] ?? .zero) - value }
        return out
    }

    /// Whether every dimension that `limits` bounds stays within it.
    public func fits(within limits: QueueAmounts) -> Bool { firstExcess(over: limits) == nil }

    /// The first dimension (by name) above its limit.
    public func firstExcess(over limits: QueueAmounts) -> (name: String, amount: Quantity, limit: Quantity)? {
        for name in limits.values.keys.sorted() {
            let limit = limits.values[name]!
            let amount = values[name] ?? .zero
            if amount > limit { return (name, amount, limit) }
        }
        return nil
    }

    /// `2 jobs, 3 pods, 8 cpu, 4Gi memory` (zero amounts left out, jobs and pods first).
    public var summary: String {
        let order = [Self.jobs, Self.pods] + values.keys.filter { $0 != Self.jobs && $0 != Self.pods }.sorted()
        let parts = order.compactMap { name -> String? in
            guard let value = values[name], !value.isZero else { return nil }
            return "\(value) \(name)"
        }
        return parts.isEmpty ? "nothing" : parts.joined(separator: ", ")
    }

    /// Text values for a status map.
    public var text: [String: String] { values.mapValues(\.description) }
}
