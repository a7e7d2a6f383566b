import Foundation
import KubeAPI
import SlipwayAPI
import SlipwayCore
import Testing

/// Decide tables for what a SparkJob keeps bounded or ends by time: the run deadline, the
/// TTL after finishing, executor growth by factor, and status that stays small however many
/// executors fail and however many attempts run.
@Suite struct SparkJobDeciderBoundsTests {
    static func spec(attempts: Int = 3, extra: String = "") -> String {
        """
        {"type": "Scala", "sparkVersion": "4.0.5", "image": "apache/spark:4.0.5", "mainClass": "org.apache.spark.examples.SparkPi",
         "mainApplicationFile": "local:///opt/spark/examples/jars/spark-examples.jar",
         "driver": {"memory": "1g"}, "executor": {"memory": "512m", "instances": 2},
         "retryStrategy": {"attempts": \(attempts), "backoff": {"initialSeconds": 1, "factor": 1, "maxSeconds": 1}}\(extra)}
        """
    }

    @Test func runSecondsBecomesTheDriversDeadlineAndItsExpiryIsRecorded() throws {
        var sim = SparkSimulation(Self.spec(attempts: 1, extra: #", "timeouts": {"runSeconds": 600}"#))
        sim.decide()
        let submit = try #require(sim.submits.first)
        #expect(submit.driverPod.spec.activeDeadlineSeconds == 600)
        // The kubelet ends a pod past activeDeadlineSeconds: phase Failed, reason DeadlineExceeded.
        sim.setDriver(0, phase: "Failed", state: SparkSimulation.terminated(137, "Error"))
        sim.drivers[sim.driverIndex(0)].status.reason = "DeadlineExceeded"
        sim.decide()
        let record = try #require(sim.job.status.history.last)
        #expect(record.failureClass == .deadlineExceeded)
        #expect(sim.job.status.phase == .failed)
    }

    @Test func aFinishedJobIsDeletedOnlyAfterItsTTL() {
        var sim = SparkSimulation(Self.spec(extra: #", "ttlSecondsAfterFinished": 60"#))
        sim.decide()
        sim.setDriver(0, phase: "Succeeded", state: SparkSimulation.terminated(0, "Completed"))
        sim.decide()
        #expect(sim.job.status.phase == .succeeded)
        #expect(!sim.last.actions.contains(.deleteJob))
        #expect(sim.last.requeueAfter.map { $0 <= .seconds(60) && $0 > .seconds(50) } == true, "woken up when the TTL expires: \(String(describing: sim.last.requeueAfter))")
        sim.decide(after: 30)
        #expect(!sim.last.actions.contains(.deleteJob))
        sim.decide(after: 31)
        #expect(sim.last.actions.contains(.deleteJob))
    }

    @Test func executorsGrowByFactorUpToTheirCap() throws {
        let adapt = #", "adapt": {"executorMemory": {"factor": 2, "max": "4g"}, "executors": {"factor": 1.5, "max": 4}}"#
        var sim = SparkSimulation(Self.spec(attempts: 5, extra: adapt))
        var grown: [String] = []
        for attempt in 0..<3 {
            sim.decide(after: 2)
            sim.setDriver(attempt, phase: "Running", state: SparkSimulation.running)
            sim.setExecutor(attempt, id: 1, phase: "Failed", state: SparkSimulation.terminated(137, "OOMKilled"))
            sim.setDriver(attempt, phase: "Failed", state: SparkSimulation.terminated(1, "Error"))
            sim.decide()
            grown += try #require(sim.job.status.history.last).adaptations.filter { $0.hasPrefix("executors") }
        }
        // 2 × 1.5 = 3, 3 × 1.5 = 4.5 capped at 4, then at the cap: no further change.
        #expect(grown == ["executors 2 → 3 after OOMKilled", "executors 3 → 4 after OOMKilled"])
    }

    @Test func onlyExecutorsOwnedByTheDriverCount() {
        var sim = SparkSimulation(Self.spec())
        sim.decide()
        sim.setDriver(0, phase: "Running", state: SparkSimulation.running)
        sim.setExecutor(0, id: 1, phase: "Running", state: SparkSimulation.running)
        // A pod that copies the app's labels but is not the driver's: not an executor of it.
        sim.setExecutor(0, id: 2, phase: "Failed", state: SparkSimulation.terminated(137, "OOMKilled"))
        sim.executors[1].metadata.ownerReferences = []
        sim.decide()
        #expect(sim.job.status.executors.running == 1)
        #expect(sim.job.status.executors.failed == 0)
        sim.setDriver(0, phase: "Succeeded", state: SparkSimulation.terminated(0, "Completed"))
        sim.decide()
        #expect(sim.job.status.phase == .succeeded)
        #expect(sim.job.status.history.last?.executorFailures.isEmpty == true)
    }

    /// Warning events of the driver and its executors reach the attempt's record, repeats
    /// merged with a count, the newest five kinds kept; the FailedMount of the ConfigMap that
    /// spark-submit creates after the driver is dropped once the driver ran.
    @Test func theAttemptRecordsItsPodsWarningEventsMergedAndBounded() throws {
        var sim = SparkSimulation(Self.spec())
        sim.decide()
        let configMap = try #require(sim.drivers.first?.spec.volumes.compactMap { $0.object["configMap"]?.objectValue?["name"]?.stringValue }.first)
        sim.setDriver(0, phase: "Running", state: SparkSimulation.running)
        sim.setExecutor(0, id: 1, phase: "Failed", state: SparkSimulation.terminated(137, "OOMKilled"))
        sim.setExecutor(0, id: 2, phase: "Failed", state: SparkSimulation.terminated(137, "OOMKilled"))
        sim.events["etl-0-driver"] = [AttemptEvent(reason: "FailedMount", message: "MountVolume.SetUp failed for volume \"spark-conf-volume-driver\" : configmap \"\(configMap)\" not found")]
        let oom = AttemptEvent(reason: "OOMKilling", message: "Memory cgroup out of memory: Killed process 42 (java)")
        sim.events["etl-0-exec-1"] = (1...6).map { AttemptEvent(reason: "BackOff\($0)", message: "kind \($0)") } + [oom]
        sim.events["etl-0-exec-2"] = [oom]
        sim.setDriver(0, phase: "Failed", state: SparkSimulation.terminated(1, "Error"))
        sim.decide()
        let events = try #require(sim.job.status.history.last).events
        #expect(events.map(\.reason) == ["BackOff3", "BackOff4", "BackOff5", "BackOff6", "OOMKilling"], "\(events)")
        #expect(events.first { $0.reason == "OOMKilling" }?.count == 2, "\(events)")
        #expect(!events.contains { $0.reason == "FailedMount" }, "\(events)")
    }

    @Test func statusStaysBoundedWithManyFailedExecutorsAndAttempts() throws {
        var sim = SparkSimulation(Self.spec(attempts: 20))
        for attempt in 0..<14 {
            sim.decide(after: 2)
            sim.setDriver(attempt, phase: "Running", state: SparkSimulation.running)
            // 200 executors failing with 8 different exit codes.
            for id in 1...200 {
                sim.setExecutor(attempt, id: id, phase: "Failed", state: SparkSimulation.terminated(100 + id % 8, "Error", message: String(repeating: "x", count: 2000)))
            }
            sim.setDriver(attempt, phase: "Failed", state: SparkSimulation.terminated(1, "Error"))
            sim.decide()
            let record = try #require(sim.job.status.history.last)
            #expect(record.attempt == attempt)
            #expect(record.executorFailures.count == 5, "at most 5 kinds of executor failure per attempt")
            #expect(record.executorFailures.map(\.count).reduce(0, +) == 125, "the kept kinds count every executor of theirs")
            sim.executors.removeAll()
        }
        #expect(sim.job.status.history.count == 10)
        #expect(sim.job.status.history.first?.attempt == 4)
        #expect(sim.job.status.attempts == 14)
        let size = JSON.string(sim.job.status.json).utf8.count
        #expect(size < 64 * 1024, "status is \(size) bytes")
    }
}
