import Foundation
import KubeAPI
import SlipwayAPI

/// The units of one job during a decision: which succeeded, which failed, and each unit's
/// state (a unit without one is at attempt 0 with what the spec says). A kind reads it
/// from its status and writes it back (``JobKind/units(of:size:)``, ``JobKind/store(_:into:)``).
public struct UnitTable<State: AttemptStateFields>: Sendable, Hashable {
    /// The number of units.
    public let size: Int
    /// Units that succeeded.
    public var succeeded: IndexRanges
    /// Units that failed for good.
    public var failed: IndexRanges
    /// States by unit.
    public var states: [Int: State]

    public init(size: Int, succeeded: IndexRanges = IndexRanges(), failed: IndexRanges = IndexRanges(), states: [Int: State] = [:]) {
        self.size = size
        self.succeeded = succeeded
        self.failed = failed
        self.states = states
    }

    /// Whether the unit succeeded or failed for good.
    public func isDone(_ unit: Int) -> Bool { succeeded.contains(unit) || failed.contains(unit) }

    /// The attempt number of the unit's attempt that is not yet recorded.
    public func attempt(_ unit: Int) -> Int { states[unit]?.attempt ?? 0 }

    /// Whether attempt `attempt` of `unit` is already in status (so its pod may go).
    public func isRecorded(unit: Int, attempt: Int) -> Bool { isDone(unit) || self.attempt(unit) > attempt }

    /// The unit's state (an empty one for a unit at attempt 0 with what the spec says).
    public func state(_ unit: Int) -> State { states[unit] ?? State() }

    /// The unit succeeded; its state stays as it was (what its last attempt ran with).
    mutating func markSucceeded(_ unit: Int) {
        succeeded.insert(unit)
    }

    /// The unit failed for good, with `state` (nothing of it is launched or waits).
    mutating func markFailed(_ unit: Int, state: State) {
        failed.insert(unit)
        var kept = state
        kept.launchedAt = nil
        kept.retryAfter = nil
        states[unit] = kept
    }

    /// Units neither succeeded nor failed.
    public var remaining: Int { size - succeeded.count - failed.count }
}
