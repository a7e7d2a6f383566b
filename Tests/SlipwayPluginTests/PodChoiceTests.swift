import Foundation
import KubeAPI
import SlipwayAPI
import SlipwayPlugin
import Testing

/// Which pod `kubectl slipway logs` reads, from the job's labels and status.
@Suite struct PodChoiceTests {
    let job = PluginFixtures.sixFailed
    let pods = [
        PluginFixtures.batchPod(index: 0, attempt: 0), PluginFixtures.batchPod(index: 3, attempt: 0, phase: "Failed"),
        PluginFixtures.batchPod(index: 4, attempt: 0),
    ]

    @Test func withoutAnIndexTheFirstFailedIndexsLatestAttempt() throws {
        // six-3-1 is gone: its recorded termination stands in for the log.
        let source = try PodChoice.batchJob(job, pods: pods, index: nil, attempt: nil)
        #expect(source == .gone(pod: "six-3-1", recorded: "AppError, exit 3 (Error):\nValueError: bad row 42"))
    }

    @Test func aFinishedAttemptWhosePodExistsIsRead() throws {
        #expect(try PodChoice.batchJob(job, pods: pods, index: 3, attempt: 0) == .pod(name: "six-3-0", container: "main"))
        #expect(try PodChoice.batchJob(job, pods: pods, index: 4, attempt: nil) == .pod(name: "six-4-0", container: "main"))
    }

    @Test func theJobsMainContainerIsChosen() throws {
        var job = job
        job.spec.container = "worker"
        #expect(try PodChoice.batchJob(job, pods: pods, index: 0, attempt: nil) == .pod(name: "six-0-0", container: "worker"))
    }

    @Test(arguments: [
        (Int?.none, Int?.none, true, "batchjob/six has 6 indexes and none failed; choose one with --index N"),
        (9, nil, false, "batchjob/six has indexes 0-5; --index 9 is not one of them"),
        (3, 7, false, "index 3 of batchjob/six has no attempt 7 (attempts seen: 0, 1); choose one with --attempt"),
        (2, nil, false, "index 2 of batchjob/six has no attempt yet; see why with kubectl slipway status batchjob/six"),
    ])
    func refusalsSayWhatToDo(index: Int?, attempt: Int?, succeeded: Bool, message: String) {
        var job = job
        if succeeded { job.status.failedIndexes = nil }
        #expect(throws: PluginError(message)) { try PodChoice.batchJob(job, pods: [], index: index, attempt: attempt) }
    }

    let spark = PluginFixtures.sparkRetrying
    let sparkPods = [
        PluginFixtures.driver(attempt: 1, app: "spark-app-1", phase: "Running"),
        PluginFixtures.executor(attempt: 1, id: 1, app: "spark-app-1", phase: "Running"),
        PluginFixtures.executor(attempt: 1, id: 2, app: "spark-app-1", phase: "Running"),
    ]

    @Test func aSparkJobsLatestDriverAndAnExecutorOfIt() throws {
        #expect(try PodChoice.sparkJob(spark, pods: sparkPods, attempt: nil, role: .driver) == .pod(name: "etl-1-driver", container: "spark-kubernetes-driver"))
        #expect(try PodChoice.sparkJob(spark, pods: sparkPods, attempt: nil, role: .executor("2")) == .pod(name: "etl-1-exec-2", container: "spark-kubernetes-executor"))
    }

    @Test func anEarlierAttemptsPodsAreGoneAndTheirRecordsSpeak() throws {
        #expect(try PodChoice.sparkJob(spark, pods: sparkPods, attempt: 0, role: .driver)
            == .gone(pod: "etl-0-driver", recorded: "OutOfMemory, exit 137 (OOMKilled):\nExecutorLostFailure (executor 1 exited caused by one of the running tasks)"))
        #expect(try PodChoice.sparkJob(spark, pods: sparkPods, attempt: 0, role: .executor("1"))
            == .gone(pod: "etl-0-exec-1", recorded: "OutOfMemory, exit 137, OOMKilled: killed at 700Mi"))
        #expect(throws: PluginError("sparkjob/etl attempt 1 has no executor 9 (executors: 1, 2)")) {
            try PodChoice.sparkJob(spark, pods: sparkPods, attempt: nil, role: .executor("9"))
        }
        #expect(throws: PluginError("sparkjob/etl has no attempt 4 (attempts seen: 0, 1); choose one with --attempt")) {
            try PodChoice.sparkJob(spark, pods: sparkPods, attempt: 4, role: .driver)
        }
    }
}
