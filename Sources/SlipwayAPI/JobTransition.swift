import Foundation
import KubeAPI

/// One entry of `status.transitions`: a phase transition or an attempt that ended, written
/// in the same status update that makes it happen, numbered without gaps per job (`seq`).
/// It is the outbox of the job-event sink (docs/events.md): what is still to send is derived
/// from these persisted entries, never from the operator's memory. The operator keeps the
/// newest ``limit`` entries; entries are written only while an event sink is configured.
public struct JobTransition: JSONBacked {
    public var object: JSONObject
    public init(object: JSONObject) { self.object = object }

    /// How many entries `status.transitions` keeps (the oldest go first).
    public static let limit = 50
    /// The longest `message` an entry keeps.
    public static let messageLimit = 256

    /// What happened.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// The job's phase changed (`phase`, `previousPhase`).
        case phase = "Phase"
        /// An attempt ended (`unit`, `attempt`, `outcome`, `class`, `exitCode`, `reason`).
        case attemptEnded = "AttemptEnded"
    }

    /// 1, 2, 3, … per job: the order the transitions happened in.
    public var seq: Int { get { self["seq"] ?? 0 } set { self["seq"] = newValue } }
    public var time: Date? { get { self["time"] } set { self["time"] = newValue } }
    public var kind: Kind? {
        get { (self["type"] as String?).flatMap(Kind.init(rawValue:)) }
        set { self["type"] = newValue?.rawValue }
    }
    /// The phase after the transition (for an attempt: the job's phase when it ended).
    public var phase: JobPhase? {
        get { (self["phase"] as String?).flatMap(JobPhase.init(rawValue:)) }
        set { self["phase"] = newValue?.rawValue }
    }
    public var previousPhase: JobPhase? {
        get { (self["previousPhase"] as String?).flatMap(JobPhase.init(rawValue:)) }
        set { self["previousPhase"] = newValue?.rawValue }
    }
    /// The job's message then (truncated to ``messageLimit``).
    public var message: String? { get { self["message"] } set { self["message"] = newValue.map { String($0.prefix(Self.messageLimit)) } } }
    /// Attempts created so far, then.
    public var attempts: Int? { get { self["attempts"] } set { self["attempts"] = newValue } }
    /// The attempt's unit (a BatchJob index; 0 for a SparkJob).
    public var unit: Int? { get { self["unit"] } set { self["unit"] = newValue } }
    public var attempt: Int? { get { self["attempt"] } set { self["attempt"] = newValue } }
    /// Succeeded, Retried, Failed or Suspended.
    public var outcome: String? { get { self["outcome"] } set { self["outcome"] = newValue } }
    public var failureClass: FailureClass? {
        get { (self["class"] as String?).flatMap(FailureClass.init(rawValue:)) }
        set { self["class"] = newValue?.rawValue }
    }
    public var exitCode: Int? { get { self["exitCode"] } set { self["exitCode"] = newValue } }
    public var reason: String? { get { self["reason"] } set { self["reason"] = newValue } }

    /// The schema of one `status.transitions` entry.
    public static func schema(phases: [JobPhase]) -> OpenAPISchema {
        .object([
            "seq": .integer(),
            "time": .dateTime,
            "type": .string(enumOf: Kind.self),
            "phase": .string(enum: phases.map(\.rawValue)),
            "previousPhase": .string(enum: phases.map(\.rawValue)),
            "message": .string(),
            "attempts": .integer(),
            "unit": .integer(),
            "attempt": .integer(),
            "outcome": .string(),
            "class": .string(enumOf: FailureClass.self),
            "exitCode": .integer(),
            "reason": .string(),
        ])
    }
}

extension JobStatusFields {
    /// Phase transitions and ended attempts, oldest first, the newest ``JobTransition/limit``
    /// (written only while the operator has an event sink; docs/events.md).
    public var transitions: [JobTransition] { get { self[list: "transitions"] } set { self[list: "transitions"] = newValue } }
    /// The newest `seq` of `transitions` the event sink delivered, written once the job has
    /// finished and all of them went out: a restarted operator does not send them again.
    public var transitionsDelivered: Int { get { self["transitionsDelivered"] ?? 0 } set { self["transitionsDelivered"] = newValue } }
}
