import Foundation
import SlipwayAPI

/// When a job's status write that may wait (``StatusUrgency``) is due: the controller keeps
/// one per job and asks it at every decision held back. Pure: the controller passes the time.
///
/// - A change is written once the phase it shows is a batch window old
///   (``StatusUrgency/batched``); a phase that lasts less is never written. A short pod's
///   Running, seen 1.5 s after its launch and ended at 2 s, costs no write of its own.
/// - ``StatusUrgency/starting`` (Pending, Submitted) and ``StatusUrgency/message`` wait the
///   longer window.
/// - Whatever the phases do, a change is written at the latest the longer window after the
///   first change held back: nothing waits longer than that.
/// - And never sooner than a batch window after the job's last status write (by this process,
///   or by another writer such as the queue controller): at most one write per window.
public struct StatusHold: Sendable, Hashable {
    /// A change not written yet.
    public struct Held: Sendable, Hashable {
        /// When the first change since the last write was held back.
        public var first: Date
        /// The phase the held change shows, and since when the changes held have shown it.
        public var phase: JobPhase?
        public var since: Date
    }

    /// When this process last wrote the job's status (nil: not since it started).
    public var lastWrite: Date?
    /// The change held back (nil: none).
    public var held: Held?

    public init(lastWrite: Date? = nil) { self.lastWrite = lastWrite }

    /// The status was written at `now`: nothing is held.
    public mutating func written(at now: Date) {
        self = StatusHold(lastWrite: now)
    }

    /// A decision at `now` holds back a change showing `phase`; returns when it is due.
    /// `otherWrite`: the newest write by another writer the job shows (its newest condition
    /// transition); `window` and `longWindow` in seconds.
    public mutating func hold(
        _ phase: JobPhase?, urgency: StatusUrgency, at now: Date, otherWrite: Date? = nil, window: TimeInterval, longWindow: TimeInterval
    ) -> Date {
        var held = self.held ?? Held(first: now, phase: phase, since: now)
        if held.phase != phase {
            held.phase = phase
            held.since = now
        }
        self.held = held
        let phaseWindow = urgency == .batched ? window : longWindow
        let due = min(held.first.addingTimeInterval(longWindow), held.since.addingTimeInterval(phaseWindow))
        guard let written = [lastWrite, otherWrite].compactMap({ $0 }).max() else { return due }
        return max(due, written.addingTimeInterval(window))
    }

    /// The newest moment this hold still depends on (for forgetting holds of jobs long idle).
    public var newest: Date? { [lastWrite, held?.since].compactMap { $0 }.max() }
}
