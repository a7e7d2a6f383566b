import Foundation
import SlipwayAPI

/// The outbox of the job-event sink (docs/events.md): what a status write adds to
/// `status.transitions` — every attempt the decision recorded, then the phase change, if
/// any — so that a transition is persisted in the same write that makes it happen, and the
/// sink derives what is still to send from the job, never from memory. Pure.
public enum JobOutbox {
    /// `new` with the entries for `old` → `new` appended after `old`'s, numbered on from
    /// them, and only the newest ``JobTransition/limit`` kept. Attempts first (an ended
    /// attempt is what moves the phase), in the order the decision recorded them.
    public static func record<Status: JobStatusFields>(from old: Status, to new: Status, recorded: [RecordedAttempt], at now: Date) -> Status {
        var status = new
        var entries = old.transitions
        var seq = entries.last?.seq ?? 0
        func append(_ fill: (inout JobTransition) -> Void) {
            seq += 1
            var entry = JobTransition()
            entry.seq = seq
            entry.time = now
            entry.attempts = status.attempts
            fill(&entry)
            entries.append(entry)
        }
        for attempt in recorded {
            let record = status.history.last { $0.unit == attempt.unit && $0.attempt == attempt.attempt }
            append { entry in
                entry.kind = .attemptEnded
                entry.time = record?.finishTime ?? now
                entry.phase = status.phase
                entry.unit = attempt.unit
                entry.attempt = attempt.attempt
                entry.outcome = attempt.outcome.rawValue
                entry.failureClass = attempt.failureClass
                entry.exitCode = record?.exitCode
                entry.reason = record?.reason
                entry.message = record?.message
            }
        }
        if let phase = status.phase, phase != old.phase {
            append { entry in
                entry.kind = .phase
                entry.phase = phase
                entry.previousPhase = old.phase
                entry.message = status.message
            }
        }
        status.transitions = Array(entries.suffix(JobTransition.limit))
        return status
    }
}
