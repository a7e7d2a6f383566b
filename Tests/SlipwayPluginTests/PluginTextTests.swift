import Foundation
import KubeAPI
import SlipwayAPI
import SlipwayCore
import SlipwayPlugin
import Testing

/// Job arguments, the attempt table and the queue listing.
@Suite struct PluginTextTests {
    @Test(arguments: [
        ("six", JobKindName?.none, "six"), ("batchjob/six", .batchJob, "six"), ("bj/six", .batchJob, "six"),
        ("sparkjobs/etl", .sparkJob, "etl"), ("sj/etl", .sparkJob, "etl"),
    ])
    func jobArguments(text: String, kind: JobKindName?, name: String) throws {
        #expect(try JobTarget(parsing: text) == JobTarget(kind: kind, name: name))
    }

    @Test func aJobArgumentThatNamesNoJobKindIsRefused() {
        #expect(throws: PluginError("\"pod\" is not a job kind; use batchjob/NAME, sparkjob/NAME or just NAME")) { try JobTarget(parsing: "pod/x") }
        #expect(throws: PluginError("\"a/\" is not a job; use NAME, batchjob/NAME or sparkjob/NAME")) { try JobTarget(parsing: "a/") }
    }

    @Test func aNameOfBothKindsMustBeDisambiguated() throws {
        let target = JobTarget(kind: nil, name: "x")
        #expect(try target.resolve(found: [.sparkJob], namespace: "d") == .sparkJob)
        #expect(throws: PluginError("both a BatchJob and a SparkJob are named x in namespace d; say which: batchjob/x or sparkjob/x")) {
            try target.resolve(found: [.batchJob, .sparkJob], namespace: "d")
        }
        #expect(throws: PluginError("no BatchJob or SparkJob named x in namespace d; list them with kubectl get batchjobs,sparkjobs -n d")) {
            try target.resolve(found: [], namespace: "d")
        }
    }

    @Test func theAttemptTableOfABatchJob() {
        let text = HistoryTable.render(PluginFixtures.sixFailed)
        let lines = text.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ") }
        #expect(lines == [
            "INDEX ATTEMPT RESULT EXIT REASON NODE CAPACITY MEMORY CPU DURATION NEXT ATTEMPT",
            "0 0 Succeeded 0 Completed dev-node on-demand <none> <none> 3s <none>",
            "3 0 OutOfMemory 137 OOMKilled dev-node on-demand 100Mi <none> 2s memory 100Mi → 200Mi after OOMKilled",
            "3 1 AppError 3 Error dev-node spot 200Mi <none> 2s <none>",
        ], "\(text)")
    }

    @Test func theAttemptTableOfASparkJob() {
        let text = HistoryTable.render(PluginFixtures.sparkRetrying)
        #expect(text.contains("0         OutOfMemory   executor   137    OOMKilled   ondemand"), "\(text)")
        #expect(text.contains("executor memory 256m → 512m after OOMKilled; executors 2 → 3 after OOMKilled"), "\(text)")
    }

    @Test func queuesListUsageAndWaitingJobsInAdmissionOrder() {
        let queue = PluginFixtures.decode(JobQueue.self, """
            {"apiVersion": "slipway.dev/v1alpha1", "kind": "JobQueue", "metadata": {"name": "etl"},
             "spec": {"limits": {"jobs": 2}},
             "status": {"admitted": 2, "running": 1, "pending": 3, "usage": {"jobs": "2", "pods": "3"}, "limits": {"jobs": "2"}}}
            """)
        let t = PluginFixtures.created
        func waiting(_ name: String, _ priority: Int, _ offset: TimeInterval) -> (queue: String, job: QueueListing.Waiting) {
            ("etl", .init(reference: JobReference(kind: "BatchJob", namespace: "data", name: name), priority: priority,
                          created: t.addingTimeInterval(offset), message: "waits"))
        }
        let listing = QueueListing(queues: [queue], jobs: [waiting("late", 0, 30), waiting("urgent", 5, 60), waiting("early", 0, 10)])
        let text = listing.render(now: PluginFixtures.now)
        let rows = text.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ") }
        #expect(rows == [
            "QUEUE STRATEGY ADMITTED RUNNING WAITING USAGE OLDEST WAITING",
            "etl BestEffortFIFO 2 1 3 jobs 2/2, pods 3/- <none>",
            "Waiting in etl:",
            "# JOB PRIORITY WAITING WHY",
            "1 batchjob/data/urgent 5 60s waits",
            "2 batchjob/data/early 0 110s waits",
            "3 batchjob/data/late 0 90s waits",
        ], "\(text)")
        #expect(listing.json.arrayValue?.first?["waiting"]?.arrayValue?.first?["name"] == "urgent")
    }
}
