import Foundation
import KubeAPI
import SlipwayAPI
import SlipwayPlugin
import Testing

/// The `kubectl slipway status` screen, rendered from decoded objects (no cluster).
@Suite struct StatusScreenTests {
    let screen = StatusScreen(now: PluginFixtures.now)

    @Test func aFailedIndexShowsClassExitMessageNodeCapacityAndWhatChanged() {
        let pods = JobPods(pods: [PluginFixtures.batchPod(index: 0, attempt: 0), PluginFixtures.batchPod(index: 3, attempt: 0, phase: "Failed")])
        let text = screen.render(PluginFixtures.sixFailed, pods: pods)
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines[0] == "BatchJob data/six: Failed, 5/6 indexes succeeded, 1 failed, 7 attempts", "\(text)")
        #expect(lines[1] == "  1 of 6 indexes failed (3); index 3: OutOfMemory", "\(text)")
        for expected in [
            "  conditions: Started=True (AttemptsCreated), Failed=True (IndexesFailed)",
            "Failures (1 index failed for good: 3):",
            "  index 3, attempt 1 (failed for good): AppError, exit 3 (Error)",
            "    on node dev-node (spot) with memory 200Mi for 2s",
            "    message: ValueError: bad row 42",
            "    pod six-3-1 (deleted; its record above is what remains)",
            "    earlier: attempt 0 OutOfMemory exit 137, then memory 100Mi → 200Mi after OOMKilled",
            "Retry what failed:  kubectl slipway retry batchjob/six",
            "Logs of index 3:  kubectl slipway logs batchjob/six --index 3",
        ] {
            #expect(lines.contains(expected), "missing \(expected) in\n\(text)")
        }
        #expect(!text.contains("\u{1B}["), "no colour unless asked: \(text)")
    }

    @Test func aRetryingIndexShowsWhatTheNextAttemptChanges() {
        var job = PluginFixtures.sixFailed
        job.status.phase = .retrying
        job.status.failedIndexes = nil
        job.status.history.removeLast()
        let text = screen.render(job, pods: JobPods())
        #expect(text.contains("  index 3, attempt 0 (retrying): OutOfMemory, exit 137 (OOMKilled)\n"), "\(text)")
        #expect(text.contains("    message: Traceback (most recent call last):\n             MemoryError\n"), "\(text)")
        #expect(text.contains("    event: BackOff ×2: Back-off restarting\n"), "\(text)")
        #expect(text.contains("    next attempt: memory 100Mi → 200Mi after OOMKilled\n"), "\(text)")
        #expect(!text.contains("Retry what failed"), "only a Failed job offers a retry: \(text)")
    }

    @Test func waitingPodsAreExplainedInTheSchedulersAndKubeletsWords() {
        var job = PluginFixtures.sixFailed
        job.status.phase = .running
        let unschedulable = PluginFixtures.batchPod(index: 4, attempt: 0, phase: "Pending", node: nil)
        let pulling = PluginFixtures.batchPod(
            index: 5, attempt: 0, phase: "Pending",
            extra: #", "containerStatuses": [{"name": "main", "state": {"waiting": {"reason": "ErrImagePull", "message": "pull access denied"}}}]"#)
        let events = [
            PluginFixtures.event(pod: "six-4-0", reason: "FailedScheduling", message: "0/1 nodes are available: 1 Insufficient memory.", count: 3),
            PluginFixtures.event(pod: "six-5-0", reason: "Failed", message: "Error: ErrImagePull"),
        ]
        let text = screen.render(job, pods: JobPods(pods: [unschedulable, pulling], events: events))
        #expect(text.contains("Waiting (2):\n"), "\(text)")
        #expect(text.contains("  index 4 (six-4-0, 60s): FailedScheduling: 0/1 nodes are available: 1 Insufficient memory. (×3)\n"), "\(text)")
        #expect(text.contains("  index 5 (six-5-0, 60s): Failed: Error: ErrImagePull\n"), "\(text)")
        // Without events, the waiting container's own reason and message.
        let bare = screen.render(job, pods: JobPods(pods: [pulling]))
        #expect(bare.contains("  index 5 (six-5-0, 60s): ErrImagePull: pull access denied\n"), "\(bare)")
    }

    @Test func aQueuedJobShowsItsPositionInTheQueue() {
        var job = PluginFixtures.sixFailed
        job.status = BatchJobStatus()
        job.status.phase = .queued
        job.status.conditions = [Condition(
            type: "Admitted", status: .false, reason: "Waiting", message: "position 2 of 3 in queue etl (priority 0): needs pods 6",
            lastTransitionTime: PluginFixtures.created)]
        let text = screen.render(job, pods: JobPods())
        #expect(text.contains("  queue: position 2 of 3 in queue etl (priority 0): needs pods 6\n"), "\(text)")
    }

    @Test func aSparkJobShowsEachFailedAttemptWithItsExecutorsAndWhatChanged() {
        let pods = JobPods(
            pods: [PluginFixtures.driver(attempt: 1, app: "spark-app-1", phase: "Running"),
                   PluginFixtures.executor(attempt: 1, id: 3, app: "spark-app-1", phase: "Pending", node: nil)],
            events: [PluginFixtures.event(pod: "etl-1-exec-3", reason: "FailedScheduling", message: "0/2 nodes are available")])
        let text = screen.render(PluginFixtures.sparkRetrying, pods: pods)
        for expected in [
            "SparkJob data/etl: Running, attempt 1, 2 attempts created, executors 2 running, 1 pending, 0 succeeded, 0 failed",
            "  application spark-app-1, driver etl-1-driver (Running) on node ondemand, UI etl-1-driver-svc.data.svc:4040",
            "  attempt 1 runs with executor memory 512m × 3, executors on on-demand",
            "  executor 3 (etl-1-exec-3, 60s): FailedScheduling: 0/2 nodes are available",
            "Failed attempts (1):",
            "  attempt 0 (executor): OutOfMemory, exit 137 (OOMKilled)",
            "    driver on node ondemand (on-demand); ran with executor memory 256m × 2, executors on spot",
            "    message: ExecutorLostFailure (executor 1 exited caused by one of the running tasks)",
            "    executors failed: 2 × OutOfMemory exit 137 OOMKilled, first etl-0-exec-1 (deleted): killed at 700Mi",
            "    next attempt: executor memory 256m → 512m after OOMKilled; executors 2 → 3 after OOMKilled",
            "    driver pod etl-0-driver (deleted)",
        ] {
            #expect(text.split(separator: "\n").map(String.init).contains(expected), "missing \(expected) in\n\(text)")
        }
    }

    @Test func aSparkJobShowsItsAnalysisFindingsMostWasteFirst() {
        var job = PluginFixtures.sparkRetrying
        var analysis = SparkAnalysisStatus()
        analysis.attempt = 1
        analysis.sparkApplicationId = "spark-app-1"
        var skew = SparkAnalysisFinding()
        skew.kind = "Skew"
        skew.severity = "high"
        skew.subject = "stage 3"
        skew.summary = "The longest task ran 20× the median."
        skew.recommendation = "Salt the hot keys."
        skew.wasteCoreSeconds = 71.44
        analysis.findings = [skew]
        analysis.omittedFindings = 2
        analysis.notes = ["executor memory not judged: some executors logged no heap peaks"]
        job.status.analysis = analysis
        let text = screen.render(job, pods: JobPods(pods: []))
        for expected in [
            "Findings (3, attempt 1, spark-app-1):",
            "  1. [high] Skew stage 3: ~71.4 core-seconds wasted",
            "     The longest task ran 20× the median.",
            "     → Salt the hot keys.",
            "  … and 2 more (lower ranked; the sidecar's log has them all)",
            "  note: executor memory not judged: some executors logged no heap peaks",
        ] {
            #expect(text.split(separator: "\n").map(String.init).contains(expected), "missing \(expected) in\n\(text)")
        }
        // None found: said so.
        job.status.analysis?.findings = []
        job.status.analysis?.omittedFindings = 0
        #expect(screen.render(job, pods: JobPods(pods: [])).contains("  none: no anti-pattern found"))
        // Not analysed: no section.
        #expect(!screen.render(PluginFixtures.sparkRetrying, pods: JobPods(pods: [])).contains("Findings"))
    }

    @Test(arguments: [(true, [String: String](), true), (false, [:], false), (true, ["NO_COLOR": "1"], false), (true, ["TERM": "dumb"], false)])
    func colourOnlyOnATerminal(isTerminal: Bool, environment: [String: String], colour: Bool) {
        let style = TextStyle.forOutput(isTerminal: isTerminal, environment: environment)
        #expect(style.colour == colour)
        let text = StatusScreen(style: style, now: PluginFixtures.now).render(PluginFixtures.sixFailed, pods: JobPods())
        #expect(text.contains("\u{1B}[31mFailed\u{1B}[0m") == colour, "\(text)")
    }
}
