import Foundation
import KubeAPI
import SlipwayAPI
import Testing
@testable import SlipwayCore

@Suite("BatchJobDecider: history and index states")
struct BatchJobDeciderHistoryTests {
    @Test func historyIsCappedPerIndexAndInTotal() {
        var sim = Sim(Fx.job(arraySize: 2) { spec in
            spec.retryStrategy.attempts = 10
            spec.retryStrategy.backoff.initialSeconds = 0
        })
        sim.configuration = DeciderConfiguration(historyPerIndex: 3, historyTotal: 5)
        sim.step()
        for attempt in 0..<4 {
            for index in 0..<2 { sim.kubelet("etl-\(index)-\(attempt)") { Fx.failed(&$0, exitCode: 1, at: $1) } }
            #expect(Sim.created(sim.step(advance: 10)) == ["etl-0-\(attempt + 1)", "etl-1-\(attempt + 1)"])
        }
        let history = sim.status.history
        #expect(history.count == 5)
        // Sorted by (index, attempt); the earliest older attempt went first.
        #expect(history.map { "\($0.index)/\($0.attempt)" } == ["0/2", "0/3", "1/1", "1/2", "1/3"])
        #expect(sim.status.attempts == 10)
    }

    /// Issue 12: an 80-index job lost index 3's failure to the total cap. Every failed index
    /// keeps its last failure, in history (lowest indexes first) or in the summary by class.
    @Test func everyFailedIndexKeepsItsLastFailureInHistoryOrTheSummary() throws {
        var sim = Sim(Fx.job(arraySize: 80) { spec in
            spec.retryStrategy.attempts = 2
            spec.retryStrategy.backoff.initialSeconds = 0
        })
        sim.configuration.historyTotal = 50
        sim.step()
        for attempt in 0..<2 {
            for index in 0..<80 {
                sim.kubelet("etl-\(index)-\(attempt)") { index % 2 == 0 ? Fx.oomKilled(&$0, at: $1) : Fx.failed(&$0, exitCode: 1, at: $1) }
            }
            sim.step(advance: 10)
        }
        #expect(sim.status.phase == .failed)
        let history = sim.status.history
        #expect(history.count == 50)
        #expect(history.map(\.index) == Array(0..<50), "the last failure of indexes 0-49, sorted")
        #expect(history.allSatisfy { $0.attempt == 1 })
        #expect(history[3].failureClass == .appError && history[3].exitCode == 1)
        let summary = sim.status.failureSummary.map { "\($0.failureClass?.rawValue ?? "-"):\($0.count):\($0.indexes)" }
        #expect(summary.count == 2)
        #expect(sim.status.failureSummary.reduce(0) { $0 + $1.count } == 30)
        #expect(sim.status.failureSummary.first { $0.failureClass == .appError }?.indexes == "51,53,55,57,59,61,63,65,67,69,71,73,75,77,79")
        // The first attempts' records (retried) went first, before any last failure.
        #expect(!history.contains { $0.attempt == 0 })
    }

    @Test func aFinishedJobSaysHowLongItTook() {
        var sim = Sim(Fx.job())
        sim.step()
        sim.kubelet("etl-0-0") { Fx.succeeded(&$0, at: $1) }
        #expect(sim.status.duration == nil)
        sim.step(advance: 125)
        #expect(sim.status.phase == .succeeded)
        #expect(sim.status.duration == "2m5s")
    }

    @Test func indexesInTheSameStateShareOneEntry() throws {
        var sim = Sim(Fx.job(arraySize: 3) { spec in
            var memory = ResourceAdaptation()
            memory.max = "4Gi"
            spec.adapt.memory = memory
        })
        sim.step()
        sim.kubelet("etl-0-0") { Fx.oomKilled(&$0, at: $1) }
        sim.kubelet("etl-1-0") { Fx.oomKilled(&$0, at: $1) }
        sim.kubelet("etl-2-0") { Fx.failed(&$0, exitCode: 1, at: $1) }
        sim.step(advance: 10)
        let states = sim.status.indexStates
        #expect(states.map(\.indexes) == ["0-1", "2"])
        #expect(states.map(\.memory) == ["1Gi", nil])
        #expect(states.map(\.lastFailure) == ["OutOfMemory (memory 512Mi → 1Gi after OOMKilled)", "AppError"])
        #expect(states.allSatisfy { $0.retryAfter == Fx.t0.addingTimeInterval(20) })
    }

    @Test func podOnAGoneNodeIsInterruptedDeletedAndRetried() throws {
        var sim = Sim(Fx.job { $0.retryStrategy.attempts = 1 })
        sim.step()
        sim.kubelet("etl-0-0") { Fx.running(&$0, node: "node-b", at: $1) }
        sim.goneNodes = ["node-b"]
        let decision = sim.step(advance: 10)
        #expect(Sim.deleted(decision) == ["etl-0-0"])
        #expect(Sim.created(decision) == ["etl-0-1"])
        let record = try #require(sim.status.history.first)
        #expect((record.failureClass, record.reason, record.counted) == (.interrupted, "NodeGone", false))
    }

    @Test func aPodOfALaterAttemptThanStatusKnowsIsNotDuplicated() {
        var sim = Sim(Fx.job())
        sim.step()
        sim.pods["etl-0-0"] = nil
        var later = try! BatchJobPodRenderer.render(job: sim.job, index: 0, attempt: 1, resources: nil)
        later.metadata.uid = "later"
        sim.pods["etl-0-1"] = later
        sim.kubelet("etl-0-1") { Fx.running(&$0, at: $1) }
        #expect(Sim.created(sim.step(advance: 120)).isEmpty)
        sim.kubelet("etl-0-1") { Fx.succeeded(&$0, at: $1) }
        sim.step(advance: 10)
        #expect(sim.status.phase == .succeeded)
        #expect(sim.status.history.map(\.attempt) == [1])
    }
}

@Suite("BatchJobDecider: bursts")
struct BatchJobDeciderBurstTests {
    @Test(arguments: [(10, 4, 4), (3, 4, 3)])
    func createsPerDecisionAreBounded(arraySize: Int, cap: Int, expected: Int) {
        var sim = Sim(Fx.job(arraySize: arraySize))
        sim.configuration.maxCreatesPerDecision = cap
        let first = sim.step()
        #expect(Sim.created(first).count == expected)
        // The rest a second later; when all are requested, after the grace that re-requests a create the cache never shows.
        #expect(first.requeueAfter == (expected < arraySize ? .seconds(1) : .seconds(BatchJobDecider.createGrace)))
        if expected < arraySize { #expect(Sim.created(sim.step(advance: 1)).first == "etl-\(cap)-0") }
    }
}
