import Foundation
import KubeAPI
import SlipwayAPI

/// How one attempt ended, as ``FailureClassifier`` reads it from the pod: a success, or a
/// failure class with the evidence a user needs to understand it.
///
/// Retry rules (``RuleMatcher``) match on its exit code, reasons, true pod conditions and
/// message; adaptation (``Adapter``) reacts to its class; status records it.
public struct Classification: Sendable, Hashable {
    /// The failure class; nil exactly when the attempt ``succeeded``.
    public var failureClass: FailureClass?
    /// The main container's exit code, when it terminated.
    public var exitCode: Int?
    /// The most telling reason: the container's terminated or waiting reason, else the
    /// pod's `status.reason`, else the condition's reason (`OOMKilled`, `Evicted`, `Unschedulable`).
    public var reason: String?
    /// Every reason retry rules may match: the container's terminated/waiting reason and the
    /// pod's `status.reason`.
    public var reasons: [String]
    /// The extracted message: the last exception or error line of the termination message
    /// (the log tail under `FallbackToLogsOnError`), or the scheduler's or kubelet's message.
    /// At most ``FailureMessage/limit`` bytes.
    public var message: String
    /// One phrase saying why: `container main terminated OOMKilled (exit 137)`.
    public var evidence: String
    /// The types of the pod's conditions whose status is True.
    public var podConditions: [String]
    /// The node's capacity type (`spot`, `on-demand`) when its labels were known.
    public var capacityType: String?

    /// Whether the attempt succeeded.
    public var succeeded: Bool { failureClass == nil }

    /// A classification with every field given.
    public init(
        failureClass: FailureClass?, exitCode: Int? = nil, reason: String? = nil, reasons: [String]? = nil,
        message: String = "", evidence: String, podConditions: [String] = [], capacityType: String? = nil
    ) {
        self.failureClass = failureClass
        self.exitCode = exitCode
        self.reason = reason
        self.reasons = reasons ?? reason.map { [$0] } ?? []
        self.message = message
        self.evidence = evidence
        self.podConditions = podConditions
        self.capacityType = capacityType
    }

    /// A success, with the main container's exit code when known.
    public static func succeeded(exitCode: Int? = 0, evidence: String = "succeeded", podConditions: [String] = []) -> Classification {
        Classification(failureClass: nil, exitCode: exitCode, reason: nil, evidence: evidence, podConditions: podConditions)
    }

    /// `OutOfMemory: container main terminated OOMKilled (exit 137)` — for messages and events.
    public var summary: String {
        "\(failureClass?.rawValue ?? "Succeeded"): \(evidence)"
    }
}

/// A warning event of an attempt's pod, reduced to what classification reads: a kubelet or
/// scheduler `reason`, its `message`, and how often it happened.
public struct PodWarning: Sendable, Hashable {
    /// `FailedScheduling`, `OOMKilling`, `BackOff`, `Failed`, …
    public var reason: String
    public var message: String
    /// How many times it happened (de-duplicated events carry a count).
    public var count: Int

    /// A warning with its fields.
    public init(reason: String, message: String, count: Int = 1) {
        self.reason = reason
        self.message = message
        self.count = count
    }

    /// The warning an `Event` carries (reason and message default to empty).
    public init(_ event: Event) {
        self.init(reason: event.reason ?? "", message: event.message ?? "", count: Int(event.series?.count ?? event.count ?? 1))
    }

    /// The warning an attempt's history recorded.
    public init(_ event: AttemptEvent) {
        self.init(reason: event.reason, message: event.message, count: event.count)
    }
}
