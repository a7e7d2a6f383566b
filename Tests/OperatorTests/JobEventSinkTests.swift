import Foundation
import KubeAPI
import KubeTesting
import SlipwayAPI
@testable import SlipwayControllers
import Synchronization
import Testing

/// The sink's delivery loop with a scripted POST: order per job, retries with backoff,
/// refusals skipped, what was delivered not sent again, deleted jobs bounded.
@Suite("Job event sink")
struct JobEventSinkTests {
    static func entries(_ seqs: ClosedRange<Int>) -> [JobTransition] {
        seqs.map { seq in
            var entry = JobTransition()
            entry.seq = seq
            entry.kind = .phase
            entry.phase = seq.isMultiple(of: 2) ? .running : .pending
            entry.time = Date(timeIntervalSince1970: 1_800_000_000 + Double(seq))
            return entry
        }
    }

    static func snapshot(_ name: String, _ seqs: ClosedRange<Int>, deleted: Bool = false) -> JobEventSink.Snapshot {
        .init(kind: "BatchJob", namespace: "default", name: name, uid: "uid-\(name)", transitions: entries(seqs), deleted: deleted)
    }

    /// A POST that answers from `script` in turn (then delivers), recording the ids it accepted.
    final class Receiver: Sendable {
        let script: Mutex<[JobEventSink.Delivery]>
        let accepted = Mutex<[String]>([])
        let tries = Mutex(0)
        init(_ script: [JobEventSink.Delivery] = []) { self.script = Mutex(script) }

        func post(_ body: [UInt8]) -> JobEventSink.Delivery {
            tries.withLock { $0 += 1 }
            let answer = script.withLock { $0.isEmpty ? .delivered : $0.removeFirst() }
            if answer == .delivered, case .object(let event)? = try? JSON.parse(body), case .string(let id)? = event["id"] {
                accepted.withLock { $0.append(id) }
            }
            return answer
        }
    }

    func run(_ sink: JobEventSink, _ receiver: Receiver, until done: @escaping @Sendable () -> Bool) async throws {
        let task = Task { await sink.deliverAll { receiver.post($0) } }
        defer { task.cancel() }
        let finished = try await eventually(timeout: .seconds(60)) { done() }
        #expect(finished, "accepted \(receiver.accepted.withLock { $0 })")
    }

    @Test func eachJobsEventsGoInOrderThroughFailuresAndRefusals() async throws {
        let sink = JobEventSink(url: URL(string: "http://127.0.0.1:1/")!, initialBackoff: .milliseconds(1), maxBackoff: .milliseconds(5))
        let receiver = Receiver([.failed("connection reset"), .failed("HTTP 503"), .delivered, .refused(400), .failed("timeout")])
        sink.offer(Self.snapshot("a", 1...3))
        sink.offer(Self.snapshot("b", 1...2))
        try await run(sink, receiver) { receiver.accepted.withLock { $0.count } == 4 }
        // a.1 after two failures; a.2 refused for good and skipped; a.3 after a timeout; then b.
        #expect(receiver.accepted.withLock { $0 } == ["uid-a.1", "uid-a.3", "uid-b.1", "uid-b.2"])
        #expect(receiver.tries.withLock { $0 } == 8, "3 for a.1, 1 for a.2, 2 for a.3, 1 each for b")
    }

    @Test func whatWasDeliveredIsNotSentAgainButNewEntriesAre() async throws {
        let sink = JobEventSink(url: URL(string: "http://127.0.0.1:1/")!, initialBackoff: .milliseconds(1))
        let receiver = Receiver()
        sink.offer(Self.snapshot("a", 1...2))
        let task = Task { await sink.deliverAll { receiver.post($0) } }
        defer { task.cancel() }
        _ = try await eventually(timeout: .seconds(60)) { receiver.accepted.withLock { $0.count } == 2 }
        sink.offer(Self.snapshot("a", 1...2))
        sink.offer(Self.snapshot("a", 1...4))
        _ = try await eventually(timeout: .seconds(60)) { receiver.accepted.withLock { $0.count } == 4 }
        try await Task.sleep(for: .milliseconds(100))
        #expect(receiver.accepted.withLock { $0 } == ["uid-a.1", "uid-a.2", "uid-a.3", "uid-a.4"])
    }

    @Test func aSinkForgetsNothingItWasNotTold() async throws {
        // A new sink (a restarted operator) knows nothing delivered: it sends what the job keeps, again.
        let receiver = Receiver()
        for _ in 0..<2 {
            let sink = JobEventSink(url: URL(string: "http://127.0.0.1:1/")!)
            sink.offer(Self.snapshot("a", 3...4))
            let before = receiver.accepted.withLock { $0.count }
            try await run(sink, receiver) { receiver.accepted.withLock { $0.count } == before + 2 }
        }
        #expect(receiver.accepted.withLock { $0 } == ["uid-a.3", "uid-a.4", "uid-a.3", "uid-a.4"])
    }

    @Test func aFinishedJobIsAcknowledgedOnceAllItsTransitionsWentOut() async throws {
        let sink = JobEventSink(url: URL(string: "http://127.0.0.1:1/")!)
        let acknowledged = Mutex<[String: Int]>([:])
        func snapshot(_ name: String, _ seqs: ClosedRange<Int>, finished: Bool, acknowledged already: Int = 0) -> JobEventSink.Snapshot {
            var snapshot = Self.snapshot(name, seqs)
            snapshot.finished = finished
            snapshot.acknowledged = already
            snapshot.acknowledge = { seq in acknowledged.withLock { $0[name] = seq } }
            return snapshot
        }
        sink.offer(snapshot("running", 1...2, finished: false))
        sink.offer(snapshot("done", 1...3, finished: true))
        // Acknowledged by an earlier operator up to 2: only 3 goes out.
        sink.offer(snapshot("restarted", 1...3, finished: true, acknowledged: 2))
        // All acknowledged: nothing to send.
        sink.offer(snapshot("old", 1...3, finished: true, acknowledged: 3))
        let receiver = Receiver()
        try await run(sink, receiver) { acknowledged.withLock { $0.count } == 2 }
        #expect(receiver.accepted.withLock { $0 } == ["uid-running.1", "uid-running.2", "uid-done.1", "uid-done.2", "uid-done.3", "uid-restarted.3"])
        #expect(acknowledged.withLock { $0 } == ["done": 3, "restarted": 3], "a running job is not acknowledged")
    }

    @Test func deletedJobsWaitForTheSinkWithinTheirBound() async throws {
        let sink = JobEventSink(url: URL(string: "http://127.0.0.1:1/")!, maxDeletedJobs: 2)
        for name in ["a", "b", "c"] { sink.offer(Self.snapshot(name, 1...2, deleted: true)) }
        let receiver = Receiver()
        try await run(sink, receiver) { receiver.accepted.withLock { $0.count } == 4 }
        #expect(receiver.accepted.withLock { $0 } == ["uid-b.1", "uid-b.2", "uid-c.1", "uid-c.2"], "the oldest deleted job beyond the bound is dropped")
    }

    @Test func theEventIsACloudEvent() throws {
        let sink = JobEventSink(url: URL(string: "http://127.0.0.1:1/")!)
        var attempt = JobTransition()
        attempt.seq = 7
        attempt.kind = .attemptEnded
        attempt.unit = 3
        attempt.attempt = 1
        attempt.outcome = "Retried"
        attempt.failureClass = .outOfMemory
        attempt.exitCode = 137
        attempt.time = Date(timeIntervalSince1970: 1_800_000_000.5)
        let snapshot = JobEventSink.Snapshot(kind: "BatchJob", namespace: "data", name: "etl", uid: "u-1", transitions: [attempt])
        let event = sink.cloudEvent(attempt, of: snapshot)
        #expect(event["specversion"] == "1.0" && event["id"] == "u-1.7" && event["source"] == "slipway.dev/operator")
        #expect(event["type"] == "dev.slipway.job.attempt.retried" && event["subject"] == "BatchJob/data/etl")
        #expect(event["datacontenttype"] == "application/json" && event["time"] == "2027-01-15T08:00:00Z")
        guard case .object(let data)? = event["data"] else { Issue.record("no data"); return }
        #expect(data["kind"] == "BatchJob" && data["namespace"] == "data" && data["name"] == "etl" && data["uid"] == "u-1")
        #expect(data["seq"] == 7 && data["unit"] == 3 && data["attempt"] == 1 && data["class"] == "OutOfMemory" && data["exitCode"] == 137)
        var phase = JobTransition()
        phase.seq = 8
        phase.kind = .phase
        phase.phase = .succeeded
        #expect(JobEventSink.type(phase) == "dev.slipway.job.succeeded")
    }
}
