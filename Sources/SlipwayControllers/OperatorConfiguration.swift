import Foundation
import SlipwayCore

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
    /// `spark.master` written into SparkJobs' spark.properties: how drivers reach the API server.
    public var sparkMaster: String

    public init(
        namespaces: [String] = [], workers: Int = 4, capacityLabel: String = "karpenter.sh/capacity-type", spotValue: String = "spot",
        onDemandValue: String = "on-demand", instance: String = ProcessInfo.processInfo.hostName,
        sparkMaster: String = SparkDecisionInput.inClusterMaster
    ) {
        self.sparkMaster = sparkMaster
        self.namespaces = namespaces
        self.workers = workers
        self.capacityLabel = capacityLabel
        self.spotValue = spotValue
        self.onDemandValue = onDemandValue
        self.instance = instance
    }

    /// The decider's operator-wide settings.
    public var deciderConfiguration: DeciderConfiguration {
        DeciderConfiguration(capacityLabelKey: capacityLabel, spotValue: spotValue, onDemandValue: onDemandValue)
    }
}
