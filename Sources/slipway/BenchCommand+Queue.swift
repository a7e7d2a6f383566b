import ArgumentParser
import Foundation
import KubeAPI
import KubeClient
import KubeRuntime
import LocalCluster
import SlipwayAPI
import SlipwayControllers
import Synchronization

/// `slipway bench queue`: N one-pod BatchJobs through one JobQueue limited to `--limit`
/// running jobs (docs/queues.md), on an in-memory slipway dev; the operator is a separate
/// `slipway operator` process, so its resident memory is its own.
struct QueueJobs: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "queue",
        abstract: "Apply N one-pod BatchJobs into one JobQueue limited to --limit running jobs and time them to all Succeeded; with --baseline the same jobs without a queue, for the extra API writes admission costs.")

    @Option(help: "How many one-pod BatchJobs.")
    var jobs = 10_000

    @Option(help: "The queue's limit on running (admitted) jobs.")
    var limit = 50

    @Flag(help: "Also run the same jobs without a queue and report the difference in operator API writes per job.")
    var baseline = false

    @Option(help: "Append every API request of the queued run to this file as JSON lines.")
    var auditLog: String?

    func run() async throws {
        guard jobs > 0, limit > 0 else { throw ValidationError("--jobs and --limit must be positive") }
        let queued = try await Self.measure(jobs: jobs, queueLimit: limit, auditLog: auditLog)
        let finished = queued.succeeded == jobs ? "all Succeeded" : "gave up with \(queued.succeeded) Succeeded"
        print("queue: \(jobs) one-pod BatchJobs through a queue of \(limit): \(finished)"
              + String(format: " after %.2f s (applied in %.2f s)", queued.seconds, queued.applied))
        print(String(format: "admissions: %.1f per second; most admitted and unfinished at any sample: %d (limit %d)",
                     Double(queued.succeeded) / queued.seconds, queued.mostAdmitted, limit))
        print(String(format: "operator API writes: %.2f per job (per job applied)", queued.writesPerJob))
        print("operator RSS: \(queued.rss.idle) MiB idle before the jobs, \(queued.rss.end) MiB after them (peak sampled \(queued.rss.peak) MiB, "
              + "peak \(queued.rss.highWater.map(String.init) ?? "?") MiB by the kernel's high-water mark)")
        guard baseline else { return }
        let plain = try await Self.measure(jobs: jobs, queueLimit: nil)
        print(String(format: "baseline without a queue: all Succeeded after %.2f s; operator API writes: %.2f per job",
                     plain.seconds, plain.writesPerJob))
        print(String(format: "extra operator API writes per job for admission: %.2f", queued.writesPerJob - plain.writesPerJob))
    }

    struct Result {
        var seconds: Double
        var applied: Double
        var writesPerJob: Double
        var mostAdmitted: Int
        var succeeded = 0
        /// The operator's resident memory in MiB.
        var rss = (idle: 0, peak: 0, end: 0, highWater: Int?.none)
    }

    static func measure(jobs: Int, queueLimit: Int?, auditLog: String? = nil) async throws -> Result {
        var result = Result(seconds: 0, applied: 0, writesPerJob: 0, mostAdmitted: 0)
        try await withBenchChildOperator(auditLog: auditLog) { _, client, operatorProcess, metricsURL in
            result.rss.idle = operatorProcess.rssMiB() ?? 0
            let before = try await BenchTarget.scrapeWrites(metricsURL)
            if let queueLimit {
                var queue = JobQueue(object: ["apiVersion": "slipway.dev/v1alpha1", "kind": "JobQueue", "metadata": ["name": "bench"]])
                queue.spec.limits = QueueLimits(jobs: queueLimit)
                _ = try await client.create(queue)
            }
            let clock = ContinuousClock()
            let started = clock.now
            _ = try await inFlight(jobs, concurrency: 16) { index in
                var job = BatchJobs.job(index)
                if queueLimit != nil { job.spec.queue = "bench" }
                _ = try await client.create(job)
            }
            result.applied = (clock.now - started).seconds
            // The jobs through a watch, counted as they change (listing 10,000 jobs four
            // times a second would cost more than the operator does).
            let watched = Informer<BatchJob>(listerWatcher: ClientListerWatcher<BatchJob>(client: client, namespace: "default"), indexes: [])
            let tally = Tally()
            await watched.addEventHandler(InformerEventHandler(
                onAdd: { tally.note($0) }, onUpdate: { _, job in tally.note(job) }, onDelete: { tally.forget($0) }))
            let watching = Task { await watched.run() }
            defer { watching.cancel() }
            var done = 0
            while done < jobs {
                try await Task.sleep(for: .milliseconds(250))
                let (succeeded, admitted) = tally.counts
                done = succeeded
                result.mostAdmitted = max(result.mostAdmitted, admitted)
                result.rss.peak = max(result.rss.peak, operatorProcess.rssMiB() ?? 0)
                // An hour at most: the numbers so far are reported.
                if clock.now - started > .seconds(3600) { break }
            }
            result.succeeded = done
            result.seconds = (clock.now - started).seconds
            // Writes that land after the last job succeeded (its Completed event, finalizer
            // releases, status held back for the batch window) count too, in both runs: wait
            // until the operator has been quiet for 3 s (at most a minute).
            var writes = try await BenchTarget.scrapeWrites(metricsURL)
            var quiet = clock.now
            let settling = clock.now
            while clock.now - quiet < .seconds(3), clock.now - settling < .seconds(60) {
                try await Task.sleep(for: .milliseconds(500))
                let now = try await BenchTarget.scrapeWrites(metricsURL)
                if now != writes { quiet = clock.now }
                writes = now
            }
            let made = BenchTarget.printWrites(before: before, after: writes, jobs: jobs) ?? 0
            result.writesPerJob = Double(made) / Double(jobs)
            result.rss.end = operatorProcess.rssMiB() ?? 0
            result.rss.peak = max(result.rss.peak, result.rss.end)
            result.rss.highWater = operatorProcess.peakRSSMiB()
        }
        return result
    }
}

/// The bench's jobs by name: which succeeded, which hold an admission and have not finished.
final class Tally: Sendable {
    private let state = Mutex<(succeeded: Set<String>, admitted: Set<String>)>(([], []))

    func note(_ job: BatchJob) {
        let name = job.metadata.name ?? ""
        let finished = job.status.phase == .succeeded || job.status.phase == .failed
        state.withLock { state in
            if job.status.phase == .succeeded { state.succeeded.insert(name) } else { state.succeeded.remove(name) }
            if job.status.admission != nil, !finished { state.admitted.insert(name) } else { state.admitted.remove(name) }
        }
    }

    func forget(_ job: BatchJob) {
        let name = job.metadata.name ?? ""
        state.withLock { state in
            state.succeeded.remove(name)
            state.admitted.remove(name)
        }
    }

    var counts: (succeeded: Int, admitted: Int) { state.withLock { ($0.succeeded.count, $0.admitted.count) } }
}
