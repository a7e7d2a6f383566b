import Foundation
import KubeAPI
import SlipwayAPI
import SlipwayCore
import Testing

/// Decide tables for SparkJobs: each case runs attempts through ``SparkSimulation`` and
/// checks what the next attempt is submitted with and what status records.
@Suite struct SparkJobDeciderTests {
    static let adaptive = """
        {"type": "Scala", "sparkVersion": "4.0.5", "image": "apache/spark:4.0.5", "mainClass": "org.apache.spark.examples.SparkPi",
         "mainApplicationFile": "local:///opt/spark/examples/jars/spark-examples.jar",
         "driver": {"memory": "1g"}, "executor": {"memory": "512m", "instances": 2},
         "retryStrategy": {"attempts": 3, "backoff": {"initialSeconds": 10, "factor": 2, "maxSeconds": 600}},
         "timeouts": {"driverStartSeconds": 30, "executorStartSeconds": 60},
         "adapt": {"driverMemory": {"factor": 2, "max": "4g"}, "executorMemory": {"factor": 2, "max": "2g"},
                   "executors": {"step": 2, "max": 6},
                   "capacity": {"driver": "on-demand", "executors": "spot"}}}
        """

    @Test func firstDecisionSubmitsOnceWithStatusFirst() {
        var sim = SparkSimulation(Self.adaptive)
        sim.decide()
        #expect(sim.submits.count == 1)
        let submit = sim.submits[0]
        #expect(submit.driverPod.metadata.name == "etl-0-driver")
        #expect(submit.driverPod.metadata.ownerReferences.first?.kind == "SparkJob")
        #expect(submit.driverPod.metadata.finalizers == ["slipway.dev/attempt-record"])
        #expect(submit.driverPod.spec.nodeSelector["karpenter.sh/capacity-type"] == "on-demand")
        #expect(SparkSimulation.property(submit, "spark.kubernetes.executor.node.selector.karpenter.sh/capacity-type") == "spot")
        #expect(sim.job.status.attempts == 1)
        #expect(sim.job.status.current.launchedAt != nil)
        #expect(!sim.eventReasons.contains("Submitted"), "a first attempt is what the status says: no Event")
        // The driver is not in the cache yet: deciding again within the grace submits nothing.
        sim.drivers = []
        sim.decide()
        #expect(sim.submits.isEmpty)
        #expect(sim.job.status.attempts == 1)
    }

    /// With the web view on (docs/web.md), each driver's UI carries the proxy's prefix
    /// `/spark/<namespace>/<job>` as `spark.ui.proxyBase`, unless the job sets its own;
    /// without it, the key is not written (what spark-submit would write).
    @Test func theWebViewsProxyBaseIsSetUnlessTheJobSetsOne() throws {
        var off = SparkSimulation(Self.adaptive)
        off.decide()
        #expect(off.submits.first.flatMap { SparkSimulation.property($0, "spark.ui.proxyBase") } == nil)

        var on = SparkSimulation(Self.adaptive)
        on.configuration.sparkUIProxyRoot = "/spark"
        on.decide()
        let submit = try #require(on.submits.first)
        let namespace = on.job.metadata.namespace ?? "default"
        #expect(SparkSimulation.property(submit, "spark.ui.proxyBase") == "/spark/\(namespace)/etl")

        var own = SparkSimulation(Self.adaptive.replacingOccurrences(of: #""driver": {"memory": "1g"}"#, with: #""driver": {"memory": "1g"}, "sparkConf": {"spark.ui.proxyBase": "/mine"}"#))
        own.configuration.sparkUIProxyRoot = "/spark"
        own.decide()
        #expect(own.submits.first.flatMap { SparkSimulation.property($0, "spark.ui.proxyBase") } == "/mine")
    }

    /// `spark.driver.memory` in sparkConf without `driver.memory` is the driver's memory, as
    /// spark-submit reads it (not Spark's 1g default), and adaptation grows it; the typed
    /// field wins when both are given, as `--driver-memory` beats `--conf`.
    @Test func sparkConfMemoryWithoutTheTypedFieldIsHonouredAndAdapted() throws {
        var sim = SparkSimulation(Self.adaptive.replacingOccurrences(of: #""driver": {"memory": "1g"}"#, with: #""sparkConf": {"spark.driver.memory": "3g"}"#))
        sim.decide()
        let first = try #require(sim.submits.first)
        // 3g + max(384, 0.1 × 3072) = 3456Mi (JVM application, Spark 4.0).
        #expect(SparkSimulation.driverMemory(first) == "3456Mi")
        #expect(SparkSimulation.property(first, "spark.driver.memory") == "3g")
        sim.setDriver(0, phase: "Failed", state: SparkSimulation.terminated(137, "OOMKilled"))
        sim.decide()
        #expect(sim.job.status.history.last?.adaptations == ["driver memory 3g → 4g after OOMKilled"])

        var typed = SparkSimulation(Self.adaptive.replacingOccurrences(of: #""driver": {"memory": "1g"}"#, with: #""driver": {"memory": "1g"}, "sparkConf": {"spark.driver.memory": "3g"}"#))
        typed.decide()
        #expect(typed.submits.first.flatMap { SparkSimulation.property($0, "spark.driver.memory") } == "1g")

        // Cores and overhead from sparkConf reach the driver pod too: 1g + 1g overhead, 2 cpus.
        var keys = SparkSimulation(Self.adaptive.replacingOccurrences(
            of: #""driver": {"memory": "1g"}"#, with: #""sparkConf": {"spark.driver.cores": "2", "spark.driver.memoryOverhead": "1g"}"#))
        keys.decide()
        let driver = try #require(keys.submits.first)
        #expect(SparkSimulation.driverMemory(driver) == "2Gi")
        #expect(driver.driverPod.spec.containers.first?.resources.requests["cpu"]?.description == "2")
    }

    /// A submission completed again by a restarted operator renders exactly the objects of
    /// the first, even when the first was decided at a fractional second: the immutable
    /// ConfigMap's spark.app.submitTime must not differ (the server refuses the change).
    @Test func aSubmissionCompletedAfterARestartRendersTheSameObjects() throws {
        var sim = SparkSimulation(Self.adaptive)
        sim.now = sim.now.addingTimeInterval(0.4)
        sim.decide()
        let first = try #require(sim.submits.first)
        sim.completeSubmissions = []  // the restarted operator never saw it complete
        sim.decide(after: 1)
        let again = try #require(sim.submits.first)
        #expect(again.configMap.data == first.configMap.data)
        #expect(again.driverPod.spec == first.driverPod.spec)
    }

    @Test func driverOutOfMemoryDoublesDriverMemory() throws {
        var sim = SparkSimulation(Self.adaptive)
        sim.decide()
        sim.setDriver(0, phase: "Failed", state: SparkSimulation.terminated(137, "OOMKilled"))
        sim.decide()
        let record = try #require(sim.job.status.history.last)
        #expect(record.failureClass == .outOfMemory)
        #expect(record.role == .driver)
        #expect(record.driverMemory == "1g")
        #expect(record.adaptations == ["driver memory 1g → 2g after OOMKilled"])
        #expect(sim.job.status.phase == .retrying)
        #expect(sim.job.status.nextRetryTime != nil)
        sim.decide(after: 11)
        #expect(sim.submits.count == 1)
        // 2g + max(384, 0.1 × 2048) = 2432Mi (JVM application, Spark 4.0).
        #expect(sim.submits.first.flatMap(SparkSimulation.driverMemory) == "2432Mi")
        #expect(sim.job.status.attempts == 2)
    }

    @Test(arguments: [
        (137, "OOMKilled", "executor memory 512m → 1g after OOMKilled"),
        (52, "Error", "executor memory 512m → 1g after OutOfMemory"),
    ])
    func executorOutOfMemoryGrowsExecutorMemoryAndExecutors(code: Int, reason: String, change: String) throws {
        var sim = SparkSimulation(Self.adaptive)
        sim.decide()
        sim.setDriver(0, phase: "Running", state: SparkSimulation.running)
        sim.setExecutor(0, id: 1, phase: "Failed", state: SparkSimulation.terminated(code, reason))
        sim.setExecutor(0, id: 2, phase: "Failed", state: SparkSimulation.terminated(code, reason))
        sim.decide()
        #expect(sim.job.status.executors.failed == 2)
        #expect(sim.job.status.phase == .running)
        sim.setDriver(0, phase: "Failed", state: SparkSimulation.terminated(1, "Error", message: "Exception in thread \"main\" org.apache.spark.SparkException: Job aborted"))
        sim.decide()
        let record = try #require(sim.job.status.history.last)
        #expect(record.failureClass == .outOfMemory)
        #expect(record.role == .executor)
        #expect(record.exitCode == code)
        #expect(record.executorFailures.count == 1)
        #expect(record.executorFailures.first?.count == 2)
        #expect(record.message?.contains("driver: Exception in thread \"main\" org.apache.spark.SparkException") == true)
        #expect(record.adaptations == [change, "executors 2 → 4 after \(code == 137 ? "OOMKilled" : "OutOfMemory")"])
        sim.decide(after: 11)
        let next = try #require(sim.submits.first)
        #expect(SparkSimulation.property(next, "spark.executor.memory") == "1g")
        #expect(SparkSimulation.property(next, "spark.executor.instances") == "4")
    }

    @Test func executorsInterruptedOnSpotMoveToOnDemandUncounted() throws {
        var sim = SparkSimulation(Self.adaptive)
        sim.decide()
        sim.setDriver(0, phase: "Running", state: SparkSimulation.running)
        sim.setExecutor(0, id: 1, phase: "Failed", state: SparkSimulation.terminated(143, "Error"), conditions: SparkSimulation.disrupted)
        sim.setDriver(0, phase: "Failed", state: SparkSimulation.terminated(1, "Error"))
        sim.decide()
        let record = try #require(sim.job.status.history.last)
        #expect(record.failureClass == .interrupted)
        #expect(record.role == .executor)
        #expect(record.counted == false)
        #expect(record.executorCapacity == "spot")
        #expect(record.adaptations.contains("executor capacity spot → on-demand after Interrupted"))
        #expect(sim.job.status.current.countedFailures == 0)
        // Ignore retries at once: the same decision submits the next attempt.
        let next = try #require(sim.submits.first)
        #expect(SparkSimulation.property(next, "spark.kubernetes.executor.node.selector.karpenter.sh/capacity-type") == "on-demand")
        #expect(SparkSimulation.property(next, "spark.executor.instances") == "4")
    }

    @Test func aDriverInterruptedOnSpotMovesToOnDemandUncounted() throws {
        var sim = SparkSimulation(Self.adaptive.replacingOccurrences(of: #""driver": "on-demand""#, with: #""driver": "spot""#))
        sim.decide()
        #expect(sim.submits.first?.driverPod.spec.nodeSelector["karpenter.sh/capacity-type"] == "spot")
        sim.setDriver(0, phase: "Failed", state: SparkSimulation.terminated(143, "Error"), node: "spot-1", conditions: SparkSimulation.disrupted)
        sim.decide()
        let record = try #require(sim.job.status.history.last)
        #expect(record.failureClass == .interrupted)
        #expect(record.role == .driver)
        #expect(record.counted == false)
        #expect(record.driverCapacity == "spot")
        #expect(record.adaptations == ["driver capacity spot → on-demand after Interrupted", "executor capacity spot → on-demand after Interrupted"])
        let next = try #require(sim.submits.first)
        #expect(next.driverPod.spec.nodeSelector["karpenter.sh/capacity-type"] == "on-demand")
    }

    @Test func executorStartTimeoutFailsTheAttemptAndDeletesTheDriver() throws {
        var sim = SparkSimulation(Self.adaptive)
        sim.decide()
        sim.setDriver(0, phase: "Running", state: SparkSimulation.running)
        sim.setExecutor(0, id: 1, phase: "Running", state: SparkSimulation.running)
        sim.setExecutor(0, id: 2, phase: "Pending", state: SparkSimulation.waiting("ContainerCreating"))
        sim.events["etl-0-exec-2"] = [AttemptEvent(reason: "FailedScheduling", message: "0/3 nodes are available: 3 Insufficient memory.")]
        sim.decide()
        #expect(sim.last.requeueAfter != nil)
        // While it waits, the message says why the executor is not running.
        #expect(sim.job.status.message == "driver running on od-1; executors: 1 running, 1 pending, 0 failed; "
            + "executor etl-0-exec-2 is pending: FailedScheduling: 0/3 nodes are available: 3 Insufficient memory.")
        sim.decide(after: 61)
        let record = try #require(sim.job.status.history.last)
        #expect(record.reason == "ExecutorStartTimeout")
        #expect(record.failureClass == .unschedulable)
        #expect(record.message?.contains("1 of 2 executors started within 60s (timeouts.executorStartSeconds): FailedScheduling: 0/3 nodes are available") == true)
        #expect(sim.drivers.isEmpty, "the driver of the timed-out attempt is deleted")
        #expect(record.adaptations == ["executors 2 → 4 after ExecutorStartTimeout"])
    }

    @Test func executorsCarryTheAttemptAndJobNameLabels() {
        var sim = SparkSimulation(Self.adaptive)
        sim.decide()
        let submit = sim.submits[0]
        #expect(SparkSimulation.property(submit, "spark.kubernetes.executor.label.slipway.dev/attempt") == "0")
        #expect(SparkSimulation.property(submit, "spark.kubernetes.executor.label.slipway.dev/sparkjob-name") == "etl")
    }

    @Test func anEndedAttemptIsRecordedThenItsUnterminatedExecutorsAreDeleted() throws {
        var sim = SparkSimulation(Self.adaptive)
        sim.decide()
        sim.setDriver(0, phase: "Running", state: SparkSimulation.running)
        sim.setExecutor(0, id: 1, phase: "Running", state: SparkSimulation.running)
        sim.setExecutor(0, id: 2, phase: "Pending", state: SparkSimulation.waiting("ContainerCreating"), node: "")
        sim.setExecutor(0, id: 3, phase: "Succeeded", state: SparkSimulation.terminated(0, "Completed"))
        sim.decide()
        #expect(sim.deleted.isEmpty, "a running attempt keeps its executors")
        sim.setDriver(0, phase: "Succeeded", state: SparkSimulation.terminated(0, "Completed"))
        sim.decide()
        #expect(sim.job.status.phase == .succeeded)
        #expect(sim.job.status.history.count == 1, "recorded in the status written before the deletes")
        #expect(Set(sim.deleted) == ["etl-0-exec-1", "etl-0-exec-2"], "\(sim.deleted)")
        #expect(sim.executors.map { $0.metadata.name } == ["etl-0-exec-3"])
    }

    @Test func aRetriedAttemptLeavesNoExecutorBehind() throws {
        var sim = SparkSimulation(Self.adaptive)
        sim.decide()
        sim.setDriver(0, phase: "Running", state: SparkSimulation.running)
        sim.setExecutor(0, id: 1, phase: "Pending", state: SparkSimulation.waiting("ContainerCreating"), node: "")
        sim.setDriver(0, phase: "Failed", state: SparkSimulation.terminated(1, "Error"))
        sim.decide()
        #expect(sim.job.status.phase == .retrying)
        #expect(sim.deleted == ["etl-0-exec-1"])
    }

    @Test func aDriverTheRuntimeCannotStartIsAStartFailureNotRetriedWithoutA1970Time() throws {
        var sim = SparkSimulation(Self.adaptive)
        sim.decide()
        let startError = #"{"terminated": {"exitCode": 128, "reason": "StartError", "message": "exec: \"driver\": executable file not found in $PATH", "startedAt": "1970-01-01T00:00:00Z", "finishedAt": "2027-01-15T10:00:03Z"}}"#
        sim.setDriver(0, phase: "Failed", state: startError)
        sim.decide()
        #expect(sim.job.status.phase == .failed)
        let record = try #require(sim.job.status.history.last)
        #expect(record.failureClass == .startFailure)
        #expect(record.reason == "StartError")
        #expect(record.startTime.map { $0.timeIntervalSince1970 > 0 } ?? true, "\(String(describing: record.startTime))")
        #expect(sim.submits.isEmpty)
    }

    @Test func executorsThatNeverStartFailTheAttemptWithinTheOperatorsDefault() throws {
        var sim = SparkSimulation(Self.adaptive.replacingOccurrences(of: #", "executorStartSeconds": 60"#, with: ""))
        sim.configuration.executorStartTimeout = .seconds(120)
        sim.decide()
        sim.setDriver(0, phase: "Running", state: SparkSimulation.running)
        sim.setExecutor(0, id: 1, phase: "Pending", state: SparkSimulation.waiting("ContainerCreating"), node: "")
        sim.events["etl-0-exec-1"] = [AttemptEvent(reason: "FailedScheduling", message: "0/3 nodes are available: 3 Insufficient memory.")]
        sim.decide()
        #expect(sim.job.status.history.isEmpty)
        sim.decide(after: 121)
        let record = try #require(sim.job.status.history.last)
        #expect(record.failureClass == .unschedulable)
        #expect(record.message?.contains("0 of 2 executors started within 120s (the operator's --executor-start-seconds): FailedScheduling: 0/3 nodes") == true, "\(record.message ?? "")")
    }

    @Test func imagePullBackOffPastTheDriverStartTimeoutFailsTheJob() throws {
        var sim = SparkSimulation(Self.adaptive)
        sim.decide()
        sim.setDriver(0, phase: "Pending", state: SparkSimulation.waiting("ImagePullBackOff"))
        sim.decide()
        #expect(sim.job.status.phase == .submitted)
        sim.decide(after: 31)
        #expect(sim.job.status.phase == .failed)
        let record = try #require(sim.job.status.history.last)
        #expect(record.failureClass == .startFailure)
        #expect(record.reason == "ImagePullBackOff")
        let failed = sim.job.status.conditions.first { $0.type == "Failed" }
        #expect(failed?.status == .true)
        #expect(failed?.message?.contains("says Fail") == true)
        #expect(sim.submits.isEmpty)
    }

    @Test func appErrorThenSuccessOnTheNextAttempt() {
        var sim = SparkSimulation(Self.adaptive)
        sim.decide()
        sim.setDriver(0, phase: "Failed", state: SparkSimulation.terminated(1, "Error", message: "Traceback\nValueError: bad input"))
        sim.decide()
        #expect(sim.job.status.history.last?.failureClass == .appError)
        #expect(sim.job.status.history.last?.adaptations == [])
        sim.decide(after: 11)
        sim.setDriver(1, phase: "Running", state: SparkSimulation.running)
        sim.setExecutor(1, id: 1, phase: "Running", state: SparkSimulation.running)
        sim.decide()
        #expect(sim.job.status.phase == .running)
        #expect(sim.job.status.executors.running == 1)
        #expect(sim.job.status.driver.uiAddress == "etl-1-driver-svc.data.svc:4040")
        sim.setExecutor(1, id: 1, phase: "Succeeded", state: SparkSimulation.terminated(0, "Completed"))
        sim.setDriver(1, phase: "Succeeded", state: SparkSimulation.terminated(0, "Completed"))
        sim.decide()
        #expect(sim.job.status.phase == .succeeded)
        #expect(sim.job.status.attempts == 2)
        #expect(sim.job.status.history.map(\.attempt) == [0, 1])
        #expect(sim.job.status.conditions.first { $0.type == "Succeeded" }?.status == .true)
        #expect(sim.job.status.conditions.first { $0.type == "Running" }?.status == .false)
        // Deciding again changes nothing and submits nothing.
        let status = sim.job.status
        sim.decide()
        #expect(sim.submits.isEmpty)
        #expect(sim.job.status == status)
    }

    @Test func outOfMemoryAtTheCapFailsTheJob() {
        var sim = SparkSimulation(Self.adaptive.replacingOccurrences(of: #""driver": {"memory": "1g"}"#, with: #""driver": {"memory": "4g"}"#))
        sim.decide()
        sim.setDriver(0, phase: "Failed", state: SparkSimulation.terminated(137, "OOMKilled"))
        sim.decide()
        #expect(sim.job.status.phase == .failed)
        #expect(sim.job.status.message?.contains("driver memory is already at the cap 4g (adapt.driverMemory.max)") == true)
    }

    @Test func invalidJobCreatesNothing() {
        var sim = SparkSimulation(Self.adaptive)
        sim.job.spec.dynamicAllocation = SparkDynamicAllocationSpec(object: ["enabled": true, "minExecutors": 2, "maxExecutors": 1])
        sim.decide()
        #expect(sim.submits.isEmpty)
        #expect(sim.job.status.phase == .failed)
        #expect(sim.job.status.conditions.first { $0.type == "Invalid" }?.message?.contains("maxExecutors") == true)
    }

    @Test func suspendDeletesTheDriverAndResumeSubmitsTheNextAttempt() {
        var sim = SparkSimulation(Self.adaptive)
        sim.decide()
        sim.setDriver(0, phase: "Running", state: SparkSimulation.running)
        sim.job.spec.suspend = true
        sim.decide()
        #expect(sim.drivers.isEmpty)
        #expect(sim.job.status.phase == .suspended)
        #expect(sim.job.status.history.last?.counted == false)
        sim.job.spec.suspend = false
        sim.decide()
        #expect(sim.submits.first?.driverPod.metadata.name == "etl-1-driver")
    }
}

extension SparkJobDeciderTests {
    @Test func whatSparkSubmitWouldRefuseMakesTheJobInvalid() {
        var sim = SparkSimulation(Self.adaptive.replacingOccurrences(of: #""executor": {"memory": "512m", "instances": 2}"#,
                                                                     with: #""executor": {"memory": "512m", "instances": 2, "labels": {"spark-role": "x"}}"#))
        sim.decide()
        #expect(sim.submits.isEmpty)
        let message = sim.job.status.conditions.first { $0.type == "Invalid" }?.message ?? ""
        #expect(message.contains("spec.executor.labels: spark-role is set by Spark and cannot be given"), "\(message)")
    }
}

extension SparkJobDeciderTests {
    /// A driver that has not started says why (the scheduler's verdict first), but not with
    /// the FailedMount of its own ConfigMap, which spark-submit creates after the pod.
    @Test func aPendingDriverSaysWhyButNotForItsOwnConfigMap() throws {
        var sim = SparkSimulation(Self.adaptive)
        sim.decide()
        let configMap = try #require(sim.submits.first?.configMap.metadata.name)
        sim.setDriver(0, phase: "Pending", state: SparkSimulation.waiting("ContainerCreating"))
        let mount = AttemptEvent(reason: "FailedMount", message: "MountVolume.SetUp failed for volume \"spark-conf-volume-driver\" : configmap \"\(configMap)\" not found")
        sim.events["etl-0-driver"] = [mount]
        sim.decide()
        #expect(sim.job.status.phase == .submitted)
        #expect(sim.job.status.message == "driver etl-0-driver submitted (attempt 0), not running yet")
        sim.events["etl-0-driver"] = [AttemptEvent(reason: "FailedScheduling", message: "0/3 nodes are available: 3 Insufficient memory."), mount]
        sim.decide()
        #expect(sim.job.status.message == "driver etl-0-driver submitted (attempt 0), not running yet: FailedScheduling: 0/3 nodes are available: 3 Insufficient memory.")
    }
}

extension SparkJobDeciderTests {
    /// The driver exists but its Service or ConfigMap apply failed, or the operator restarted
    /// in between: the driver is submitted again with identical objects (adopted, applied
    /// unchanged — the ConfigMap is immutable), until the controller saw the whole submission.
    @Test func aSubmissionCutShortIsCompletedWithIdenticalObjects() throws {
        var sim = SparkSimulation(Self.adaptive)
        sim.decide()
        let first = try #require(sim.submits.first)
        sim.completeSubmissions = []
        sim.decide(after: 5)
        let again = try #require(sim.submits.first)
        #expect(again.driverPod == first.driverPod)
        #expect(again.configMap == first.configMap)
        #expect(again.service == first.service)
        #expect(sim.job.status.attempts == 1)
        #expect(!sim.eventReasons.contains("Submitted"), "the same attempt, not announced again")
        sim.completeSubmissions = ["etl-0-driver"]
        sim.decide()
        #expect(sim.submits.isEmpty)
        // A finished driver needs nothing it owns.
        sim.completeSubmissions = []
        sim.setDriver(0, phase: "Succeeded", state: SparkSimulation.terminated(0, "Completed"))
        sim.decide()
        #expect(sim.submits.isEmpty)
    }

    /// A driver whose create the controller saw fail is submitted again at once; one that
    /// may have been created but is not in the cache yet waits for the grace period.
    @Test func aDriverWhoseCreateFailedIsSubmittedAgainAtOnce() throws {
        var sim = SparkSimulation(Self.adaptive)
        sim.decide()
        sim.drivers.removeAll()
        sim.decide(after: 1)
        #expect(sim.submits.isEmpty, "within the create grace")
        sim.failedCreates = ["etl-0-driver"]
        sim.decide(after: 1)
        #expect(sim.submits.first?.driverPod.metadata.name == "etl-0-driver")
        #expect(sim.job.status.attempts == 1)
    }

    /// A driver the API server refused to create for good ends the application Failed with
    /// the server's words, as any kind does; it is not submitted again.
    @Test func aDriverTheServerRefusedFailsTheJobQuotingTheServer() throws {
        var sim = SparkSimulation(Self.adaptive)
        sim.decide()
        sim.drivers.removeAll()
        sim.failedCreates = ["etl-0-driver"]
        sim.refusedCreates = ["etl-0-driver": #"403 Forbidden: pods "etl-0-driver" is forbidden: violates PodSecurity"#]
        sim.decide(after: 1)
        #expect(sim.submits.isEmpty)
        #expect(sim.job.status.phase == .failed)
        let failed = try #require(sim.job.status.conditions.first { $0.type == "Failed" })
        #expect(failed.reason == "CreateRefused")
        #expect(failed.message?.contains("etl-0-driver") == true && failed.message?.contains("violates PodSecurity") == true, "\(failed)")
        #expect(sim.job.status.attempts == 1)
    }
}

