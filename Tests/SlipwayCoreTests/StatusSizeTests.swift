import Foundation
import KubeAPI
import SlipwayAPI
import Testing
@testable import SlipwayCore

/// Status stays bounded however big the job (issue 12): far below etcd's 1.5 MiB request
/// limit for a 100,000-index array whose every index failed with its own message, and for
/// a SparkJob attempt with 1,000 failed executors.
@Suite("Status size")
struct StatusSizeTests {
    static let etcdLimit = 1_572_864
    static let bound = 256 * 1024

    @Test func aHundredThousandFailedIndexesKeepStatusSmall() throws {
        let size = 100_000
        var job = Fx.job(arraySize: size) { spec in
            spec.retryStrategy.attempts = 1
        }
        var status = BatchJobStatus()
        status.startTime = Fx.t0
        job.status = status
        let template = try BatchJobPodRenderer.render(job: job, index: 0, attempt: 0, resources: nil)
        let finished = Fx.t0.addingTimeInterval(60)
        var pods: [Pod] = []
        pods.reserveCapacity(size)
        var events: [String: [AttemptEvent]] = [:]
        for index in 0..<size {
            var pod = template
            let name = "etl-\(index)-0"
            pod.metadata.name = name
            pod.metadata.uid = "uid-\(index)"
            pod.metadata.labels[SlipwayLabels.index] = String(index)
            pod.metadata.creationTimestamp = Fx.t0
            if index % 3 == 0 {
                Fx.oomKilled(&pod, at: finished)
            } else {
                Fx.failed(&pod, exitCode: Int32(1 + index % 7), message: "ValueError: bad row \(index) in part-\(index).csv: " + String(repeating: "x", count: 200), at: finished)
            }
            pods.append(pod)
            if index % 10 == 0 { events[name] = [AttemptEvent(reason: "BackOff", message: "Back-off \(index) " + String(repeating: "y", count: 300))] }
        }
        job.status = JobDecider<BatchJob>.decide(JobInput(job: job, pods: pods, podEvents: events, now: finished.addingTimeInterval(1))).status!
        #expect(job.status.phase == .failed)
        #expect(job.status.history.count == DeciderConfiguration().historyTotal)
        #expect(job.status.failureSummary.reduce(0) { $0 + $1.count } == size - job.status.history.count)
        let bytes = JSON.data(.object(job.status.object)).count
        #expect(bytes < Self.bound, "status of a 100,000-index job is \(bytes) bytes")
        let whole = JSON.data(.object(job.object)).count
        #expect(whole < Self.etcdLimit / 4, "the object is \(whole) bytes")
    }

    @Test func aThousandFailedExecutorsKeepStatusSmall() throws {
        var sim = SparkSimulation(SparkJobDeciderBoundsTests.spec(attempts: 3))
        for attempt in 0..<3 {
            sim.decide(after: 2)
            sim.setDriver(attempt, phase: "Running", state: SparkSimulation.running)
            for id in 1...1_000 {
                let state = id % 2 == 0 ? SparkSimulation.terminated(137, "OOMKilled")
                    : SparkSimulation.terminated(Int(1 + id % 5), "Error", message: "java.io.IOException: executor \(id) lost " + String(repeating: "z", count: 300))
                sim.setExecutor(attempt, id: id, phase: "Failed", state: state)
                sim.events["etl-\(attempt)-exec-\(id)"] = [AttemptEvent(reason: "BackOff", message: "executor \(id) " + String(repeating: "w", count: 300))]
            }
            sim.setDriver(attempt, phase: "Failed", state: SparkSimulation.terminated(1, "Error"))
            sim.decide()
        }
        #expect(sim.job.status.phase == .failed)
        let bytes = JSON.data(.object(sim.job.object)).count
        #expect(bytes < Self.bound, "a SparkJob with 3 × 1,000 failed executors is \(bytes) bytes")
    }
}
