import Foundation
import KubeAPI
import SlipwayAPI
import SlipwayCore
import Testing

/// `status.transitions`, the job-event sink's outbox: what one status write appends.
@Suite("Job outbox")
struct JobOutboxTests {
    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    static func status(_ phase: JobPhase?, message: String? = nil, attempts: Int = 0, history: [AttemptRecord] = [], transitions: [JobTransition] = []) -> BatchJobStatus {
        var status = BatchJobStatus()
        status.phase = phase
        status.message = message
        status.attempts = attempts
        status.history = history
        status.transitions = transitions
        return status
    }

    @Test func theFirstWriteRecordsTheFirstPhase() {
        let new = JobOutbox.record(from: Self.status(nil), to: Self.status(.pending, message: "creating 1 pod"), recorded: [], at: Self.t0)
        #expect(new.transitions.count == 1)
        let entry = new.transitions[0]
        #expect(entry.seq == 1 && entry.kind == .phase && entry.phase == .pending && entry.previousPhase == nil)
        #expect(entry.time == Self.t0 && entry.message == "creating 1 pod" && entry.attempts == 0)
    }

    @Test func endedAttemptsComeBeforeThePhaseTheyCause() {
        var record = AttemptRecord()
        record.index = 2
        record.attempt = 0
        record.exitCode = 137
        record.reason = "OOMKilled"
        record.finishTime = Self.t0.addingTimeInterval(-3)
        let old = JobOutbox.record(from: Self.status(nil), to: Self.status(.running, attempts: 3), recorded: [], at: Self.t0.addingTimeInterval(-10))
        let new = JobOutbox.record(
            from: old, to: Self.status(.retrying, message: "index 2 retries", attempts: 3, history: [record], transitions: old.transitions),
            recorded: [
                RecordedAttempt(unit: 2, attempt: 0, outcome: .retried, failureClass: .outOfMemory, changes: [.memory]),
                RecordedAttempt(unit: 1, attempt: 0, outcome: .succeeded),
            ],
            at: Self.t0)
        #expect(new.transitions.map(\.seq) == [1, 2, 3, 4])
        let oom = new.transitions[1]
        #expect(oom.kind == .attemptEnded && oom.unit == 2 && oom.attempt == 0 && oom.outcome == "Retried")
        #expect(oom.failureClass == .outOfMemory && oom.exitCode == 137 && oom.reason == "OOMKilled")
        #expect(oom.time == record.finishTime, "an attempt's time is when it finished")
        #expect(new.transitions[2].kind == .attemptEnded && new.transitions[2].unit == 1 && new.transitions[2].outcome == "Succeeded")
        #expect(new.transitions[2].time == Self.t0, "no record: the time of the write")
        let phase = new.transitions[3]
        #expect(phase.kind == .phase && phase.phase == .retrying && phase.previousPhase == .running && phase.message == "index 2 retries")
    }

    @Test func aWriteThatChangesNothingRecordsNothing() {
        let old = JobOutbox.record(from: Self.status(nil), to: Self.status(.running), recorded: [], at: Self.t0)
        let same = JobOutbox.record(from: old, to: Self.status(.running, message: "1 running", transitions: old.transitions), recorded: [], at: Self.t0)
        #expect(same.transitions == old.transitions)
        // A decision that dropped the field (it never does) still keeps what was written.
        let dropped = JobOutbox.record(from: old, to: Self.status(.running), recorded: [], at: Self.t0)
        #expect(dropped.transitions == old.transitions)
    }

    @Test func onlyTheNewestAreKeptAndNumberingGoesOn() {
        var status = Self.status(nil)
        var phase = JobPhase.running
        for step in 0..<(JobTransition.limit + 7) {
            phase = phase == .running ? .retrying : .running
            status = JobOutbox.record(from: status, to: Self.status(phase, transitions: status.transitions), recorded: [], at: Self.t0.addingTimeInterval(Double(step)))
        }
        #expect(status.transitions.count == JobTransition.limit)
        #expect(status.transitions.first?.seq == 8 && status.transitions.last?.seq == JobTransition.limit + 7)
        #expect(zip(status.transitions, status.transitions.dropFirst()).allSatisfy { $0.seq + 1 == $1.seq }, "no gaps")
    }

    @Test func longMessagesAreCut() {
        let new = JobOutbox.record(from: Self.status(nil), to: Self.status(.failed, message: String(repeating: "x", count: 1000)), recorded: [], at: Self.t0)
        #expect(new.transitions[0].message?.count == JobTransition.messageLimit)
    }
}
