import Foundation

/// Settings of the operator process (flags and environment of `slipway operator`).
public struct OperatorConfiguration: Sendable {
    /// Namespaces to watch; empty means all.
    public var namespaces: [String]
    /// Reconciles running at once.
    public var workers: Int
    /// The node label that says spot or on-demand, and its two values.
    public var capacityLabel: String
    public var spotValue: String
    public var onDemandValue: String
    /// Identity in events and leases (the pod name in a cluster).
    public var instance: String

    public init(
        namespaces: [String] = [], workers: Int = 4, capacityLabel: String = "karpenter.sh/capacity-type", spotValue: String = "spot",
        onDemandValue: String = "on-demand", instance: String = ProcessInfo.processInfo.hostName
    ) {
        self.namespaces = namespaces
        self.workers = workers
        self.capacityLabel = capacityLabel
        self.spotValue = spotValue
        self.onDemandValue = onDemandValue
        self.instance = instance
    }
}
