import Foundation
import KubeAPI
import SlipwayAPI
import SlipwayCore
import SparkAnalysis
import Testing

/// `spec.analysis`: what the renderer adds to the driver pod and spark.properties, and what
/// the decision records from the sidecar's termination message (docs/analysis.md).
@Suite struct SparkJobAnalysisTests {
    static let spec = """
        {"type": "Python", "sparkVersion": "4.0.5", "image": "apache/spark:4.0.5", "mainApplicationFile": "local:///app/etl.py",
         "executor": {"instances": 1}, "analysis": {"enabled": true}}
        """

    static func sidecar(_ submit: SparkSubmit) -> Container? {
        submit.driverPod.spec.initContainers.first { $0.name == "slipway-analysis" }
    }

    // MARK: - Rendering

    @Test func anAnalysedDriverGetsTheSidecarTheVolumeAndTheEventLogSettings() throws {
        var sim = SparkSimulation(Self.spec)
        sim.configuration.analysis.image = "registry.example/slipway:1.2.3"
        sim.decide()
        let submit = try #require(sim.submits.first)
        let sidecar = try #require(Self.sidecar(submit))
        #expect(sidecar.image == "registry.example/slipway:1.2.3")
        #expect(sidecar.restartPolicy == "Always" && sidecar.isSidecar)
        #expect(sidecar.args == ["analyze", "--follow", "/var/run/slipway/events", "--termination-log", "/dev/termination-log", "--hold"])
        #expect(sidecar.resources.requests["cpu"]?.description == "50m" && sidecar.resources.requests["memory"]?.description == "64Mi")
        #expect(sidecar.terminationMessagePath == "/dev/termination-log")
        #expect(sidecar.volumeMounts.map(\.mountPath) == ["/var/run/slipway/events"])
        #expect(sidecar.securityContext?.object["runAsUser"] == 185, "Spark writes its log 770: the sidecar reads it as Spark's user")
        let volume = try #require(submit.driverPod.spec.volumes.first { $0.name == "slipway-events" })
        #expect(volume.object["emptyDir"]?.objectValue?["sizeLimit"]?.stringValue == "1Gi")
        let driver = try #require(submit.driverPod.spec.containers.first { $0.name == "spark-kubernetes-driver" })
        #expect(driver.volumeMounts.contains { $0.name == "slipway-events" && $0.mountPath == "/var/run/slipway/events" })
        #expect(SparkSimulation.property(submit, "spark.eventLog.enabled") == "true")
        #expect(SparkSimulation.property(submit, "spark.eventLog.dir") == "file:///var/run/slipway/events")
        #expect(SparkSimulation.property(submit, "spark.eventLog.logStageExecutorMetrics") == "true")
        #expect(SparkSimulation.property(submit, "spark.eventLog.rolling.enabled") == "true")
        #expect(SparkSimulation.property(submit, "spark.eventLog.rolling.maxFileSize") == "64m")
        // Only the driver: the executors' template knows nothing of it.
        #expect(submit.podTemplateConfigMap.map { !($0.data.values.joined().contains("slipway-analysis")) } ?? true)
    }

    @Test func thresholdsReachTheSidecarAsJSON() throws {
        var sim = SparkSimulation(Self.spec.replacingOccurrences(
            of: #""analysis": {"enabled": true}"#, with: #""analysis": {"enabled": true, "thresholds": {"duplicatePlanMinRepeatCoreSeconds": 0.5}}"#))
        sim.decide()
        let sidecar = try #require(sim.submits.first.flatMap(Self.sidecar))
        #expect(Array(sidecar.args.suffix(2)) == ["--thresholds-json", #"{"duplicatePlanMinRepeatCoreSeconds":0.5}"#])
    }

    @Test func theOperatorDefaultDecidesForJobsThatDoNotSayAndSparesOwnEventLogs() throws {
        let unset = Self.spec.replacingOccurrences(of: #", "analysis": {"enabled": true}"#, with: "")
        var off = SparkSimulation(unset)
        off.decide()
        #expect(try #require(off.submits.first).driverPod.spec.initContainers.isEmpty)
        #expect(off.submits.first.flatMap { SparkSimulation.property($0, "spark.eventLog.enabled") } == nil)

        var on = SparkSimulation(unset)
        on.configuration.analysis.enabled = true
        on.decide()
        #expect(on.submits.first.flatMap(Self.sidecar) != nil)

        // A job writing its own event log (a History Server's) is left alone by the default.
        var own = SparkSimulation(unset.replacingOccurrences(of: #""executor""#, with: #""sparkConf": {"spark.eventLog.dir": "s3a://logs/"}, "executor""#))
        own.configuration.analysis.enabled = true
        own.decide()
        #expect(own.submits.first.flatMap(Self.sidecar) == nil)
        #expect(own.job.status.phase != .failed)

        // A job that says no is not analysed whatever the default.
        var no = SparkSimulation(Self.spec.replacingOccurrences(of: #""enabled": true"#, with: #""enabled": false"#))
        no.configuration.analysis.enabled = true
        no.decide()
        #expect(no.submits.first.flatMap(Self.sidecar) == nil)
    }

    @Test func analysisTogetherWithAnOwnEventLogDirIsInvalidNamingBoth() {
        var sim = SparkSimulation(Self.spec.replacingOccurrences(of: #""executor""#, with: #""sparkConf": {"spark.eventLog.dir": "s3a://logs/"}, "executor""#))
        sim.decide()
        #expect(sim.submits.isEmpty)
        #expect(sim.job.status.phase == .failed)
        let message = sim.job.status.conditions.first { $0.type == "Invalid" }?.message ?? ""
        #expect(message.contains("spec.analysis.enabled") && message.contains("spec.sparkConf[spark.eventLog.dir]"), "\(message)")
    }

    // MARK: - Recording

    static let report: AnalysisReport = {
        let application = #"""
            {"id": "local-1", "name": "etl", "sparkVersion": "4.0.5", "user": "spark", "complete": true, "durationSeconds": 120,
             "coreSeconds": 400, "taskCoreSeconds": 300, "executors": 1}
            """#
        var report = AnalysisReport(
            application: try! JSONDecoder().decode(AnalysisReport.Application.self, from: Data(application.utf8)),
            findings: [
                Finding(kind: .skew, severity: .high, subject: "stage 3", summary: "The longest task ran 20× the median.",
                        evidence: ["maxTaskSeconds": 71], recommendation: "Salt the hot keys.", wasteCoreSeconds: 71.4),
                Finding(kind: .spill, severity: .low, subject: "stage 5", summary: "Stage 5 spilled 300 MiB.",
                        evidence: [:], recommendation: "Give executors more memory.", wasteCoreSeconds: 6),
            ])
        report.notes = ["the log has no application end: the application is running or was cut short"]
        return report
    }()

    /// The driver of `attempt` with its Spark container and the sidecar in these states.
    static func finish(_ sim: inout SparkSimulation, attempt: Int = 0, phase: String, driver: String, sidecar: String?) {
        sim.setDriver(attempt, phase: phase, state: driver)
        let i = sim.driverIndex(attempt)
        guard let sidecar else { return }
        var status = sim.drivers[i].status.object
        status["initContainerStatuses"] = try! JSON.parse(
            #"[{"name": "slipway-analysis", "ready": false, "restartCount": 0, "image": "x", "started": false, "state": \#(sidecar), "lastState": {}}]"#)
        sim.drivers[i].object["status"] = .object(status)
    }

    static var message: String { String(decoding: report.boundedJSON(), as: UTF8.self) }

    @Test func theFindingsLandInStatusAndEventsOnceTheSidecarStopped() throws {
        var sim = SparkSimulation(Self.spec)
        sim.decide()
        // The driver exited; the kubelet has not stopped the sidecar yet: the job succeeds, no analysis yet.
        Self.finish(&sim, phase: "Running", driver: SparkSimulation.terminated(0, "Completed"), sidecar: SparkSimulation.running)
        sim.decide()
        #expect(sim.job.status.phase == .succeeded)
        #expect(sim.job.status.analysis == nil)
        // The sidecar stopped and left its report.
        Self.finish(&sim, phase: "Succeeded", driver: SparkSimulation.terminated(0, "Completed"),
                    sidecar: SparkSimulation.terminated(0, "Completed", message: Self.message))
        sim.decide()
        let analysis = try #require(sim.job.status.analysis)
        #expect(analysis.attempt == 0)
        #expect(analysis.sparkApplicationId == sim.drivers[0].metadata.labels["spark-app-selector"])
        #expect(analysis.findings.map(\.kind) == ["Skew", "Spill"])
        #expect(analysis.findings[0].severity == "high" && analysis.findings[0].wasteCoreSeconds == 71.4)
        #expect(analysis.findings[0].recommendation == "Salt the hot keys.")
        #expect(analysis.notes == Self.report.notes)
        #expect(sim.job.status.phase == .succeeded)
        let events = sim.last.actions.compactMap { action -> (JobEventType, String)? in
            if case .event(let type, .analysisFinding, let message) = action { (type, message) } else { nil }
        }
        #expect(events.map(\.0) == [.warning, .normal])
        #expect(events.first?.1 == "Skew stage 3: ~71.4 core-seconds wasted (high). Salt the hot keys.")
        // Recorded once.
        sim.decide()
        #expect(sim.events("AnalysisFinding").isEmpty)
        #expect(sim.job.status.analysis == analysis)
    }

    @Test func aMissingOrUnreadableReportIsANoteNeverAFailure() throws {
        for (sidecar, note) in [
            (SparkSimulation.terminated(137, "OOMKilled"), "the analysis sidecar left no report (exit 137, OOMKilled); its log may say why"),
            (SparkSimulation.terminated(0, "Completed", message: "not json"), "the analysis sidecar's termination message is not a report (exit 0, Completed): not json"),
        ] {
            var sim = SparkSimulation(Self.spec)
            sim.decide()
            Self.finish(&sim, phase: "Succeeded", driver: SparkSimulation.terminated(0, "Completed"), sidecar: sidecar)
            sim.decide()
            #expect(sim.job.status.phase == .succeeded, "a sidecar's exit never decides the attempt")
            #expect(sim.job.status.history.count == 1 && sim.job.status.history[0].counted != true)
            let analysis = try #require(sim.job.status.analysis)
            #expect(analysis.findings.isEmpty && analysis.notes == [note])
            #expect(sim.events("AnalysisFinding").isEmpty)
        }
        // A finished pod whose sidecar reported nothing at all.
        var none = SparkSimulation(Self.spec)
        none.decide()
        Self.finish(&none, phase: "Succeeded", driver: SparkSimulation.terminated(0, "Completed"), sidecar: nil)
        none.decide()
        #expect(none.job.status.analysis?.notes == ["the analysis sidecar did not terminate: no report"])
    }

    @Test func aFailedAttemptIsAnalysedAndTheRetryReplacesItsFindings() throws {
        var sim = SparkSimulation(Self.spec.replacingOccurrences(of: #""executor""#, with: #""retryStrategy": {"attempts": 2, "backoff": {"initialSeconds": 0}}, "executor""#))
        sim.decide()
        Self.finish(&sim, phase: "Failed", driver: SparkSimulation.terminated(1, "Error", message: "boom"),
                    sidecar: SparkSimulation.terminated(0, "Completed", message: Self.message))
        sim.decide()
        #expect(sim.job.status.history.last?.failureClass == .appError, "the driver's exit decides, not the sidecar's")
        #expect(sim.job.status.analysis?.attempt == 0)
        sim.decide()
        let attempt = try #require(sim.drivers.last?.metadata.labels["slipway.dev/attempt"].flatMap(Int.init))
        #expect(attempt == 1)
        var clean = Self.report
        clean.findings = []
        clean.notes = []
        Self.finish(&sim, attempt: 1, phase: "Succeeded", driver: SparkSimulation.terminated(0, "Completed"),
                    sidecar: SparkSimulation.terminated(0, "Completed", message: String(decoding: clean.boundedJSON(), as: UTF8.self)))
        sim.decide()
        #expect(sim.job.status.phase == .succeeded)
        #expect(sim.job.status.analysis?.attempt == 1 && sim.job.status.analysis?.findings.isEmpty == true)
    }

    @Test func statusKeepsTenFindingsAndCountsTheRest() throws {
        var many = Self.report
        many.findings = (0..<14).map { i in
            Finding(kind: .skew, severity: .low, subject: "stage \(i)", summary: "s", evidence: [:], recommendation: "r", wasteCoreSeconds: Double(100 - i))
        }
        many.omittedFindings = 2
        var sim = SparkSimulation(Self.spec)
        sim.decide()
        Self.finish(&sim, phase: "Succeeded", driver: SparkSimulation.terminated(0, "Completed"),
                    sidecar: SparkSimulation.terminated(0, "Completed", message: String(decoding: many.json(), as: UTF8.self)))
        sim.decide()
        let analysis = try #require(sim.job.status.analysis)
        #expect(analysis.findings.count == 10 && analysis.omittedFindings == 6)
        #expect(sim.events("AnalysisFinding").count == 10)
    }

    // MARK: - Classification

    @Test func aSidecarKilledAtTheEndNeverFailsTheAttempt() {
        var sim = SparkSimulation(Self.spec)
        sim.decide()
        Self.finish(&sim, phase: "Succeeded", driver: SparkSimulation.terminated(0, "Completed"),
                    sidecar: SparkSimulation.terminated(143, "Error"))
        sim.decide()
        #expect(sim.job.status.phase == .succeeded)
        // While the driver runs, a sidecar that exited (the kubelet restarts it) is no failure either.
        var running = SparkSimulation(Self.spec)
        running.decide()
        Self.finish(&running, phase: "Running", driver: SparkSimulation.running, sidecar: SparkSimulation.terminated(1, "Error"))
        running.decide()
        #expect(running.job.status.phase == .running)
    }
}
