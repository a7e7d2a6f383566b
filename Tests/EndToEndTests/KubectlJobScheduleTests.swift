import Foundation
import KubeTesting
import LocalCluster
import SlipwayDevTesting
import Testing

/// JobSchedules on `slipway dev`, driven by the real kubectl: runs named by their slot, the
/// schedule time in the job's parameters, the trigger annotation, ownership, and an operator
/// restart that creates nothing twice.
@Suite("kubectl: JobSchedule on slipway dev", .serialized)
struct KubectlJobScheduleTests {
    static func schedule(_ name: String, cron: String, extra: String = "") -> String {
        """
        apiVersion: slipway.dev/v1alpha1
        kind: JobSchedule
        metadata: {name: \(name)}
        spec:
          schedule: "\(cron)"
          timeZone: UTC
        \(extra)
          jobTemplate:
            kind: BatchJob
            labels: {team: data}
            spec:
              parameters: {day: "$(schedule.date)", at: "$(schedule.timestamp)"}
              template:
                spec:
                  containers: [{name: main, image: busybox, command: ["sh", "-c", "echo report for $(params.day) at $(params.at)"]}]
        """
    }

    static func utcDate(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd"
        return formatter.string(from: date)
    }

    /// "Run now" from kubectl alone: a new value of the trigger annotation creates one run
    /// with the schedule-time parameters of now; the date reaches the command; the run is
    /// owned by the schedule and labelled with it; the same value again creates nothing.
    @Test func theTriggerAnnotationRunsABatchJobWithTheDateInItsCommand() async throws {
        try await withSlipwayDev { _, _, kubectl in
            try await kubectl.require(["apply", "-f", "-"], input: Self.schedule("report", cron: "0 0 1 1 *"))
            let before = Date()
            try await kubectl.require(["annotate", "jobschedule", "report", "slipway.dev/trigger=1"])
            var name = ""
            #expect(try await eventually(timeout: .seconds(20)) {
                name = try await kubectl.run(["get", "batchjobs", "-l", "slipway.dev/schedule=report", "-o", "jsonpath={.items[*].metadata.name}"]).out
                return !name.isEmpty
            }, "no run was created on trigger")
            #expect(name.hasPrefix("report-m"), "\(name)")
            try await kubectl.require(["wait", "--for=condition=Succeeded", "batchjob/\(name)", "--timeout=60s"], timeout: .seconds(70))
            let log = try await kubectl.require(["logs", "\(name)-0-0"]).out
            let day = Self.utcDate(before)
            #expect(log.hasPrefix("report for \(day) at \(day)T"), "\(log)")
            let owner = try await kubectl.require(["get", "batchjob", name, "-o", "jsonpath={.metadata.ownerReferences[0].kind}/{.metadata.ownerReferences[0].name} {.metadata.labels.team}"]).out
            #expect(owner == "JobSchedule/report data", "\(owner)")
            let trigger = try await kubectl.require(["get", "jobschedule", "report", "-o", "jsonpath={.status.lastTrigger} {.status.recentRuns[0].manual}"]).out
            #expect(trigger == "1 true", "\(trigger)")
            // The same value again (a no-op annotate) creates nothing more.
            try await kubectl.require(["annotate", "jobschedule", "report", "slipway.dev/trigger=1", "--overwrite"])
            try await kubectl.require(["label", "jobschedule", "report", "touched=yes"])
            try await Task.sleep(for: .seconds(2))
            let runs = try await kubectl.require(["get", "batchjobs", "-l", "slipway.dev/schedule=report", "-o", "name"]).out
            #expect(runs.split(separator: "\n").count == 1, "\(runs)")
            // Settled: the controller's own status writes do not wake it into more writes.
            let version = try await kubectl.require(["get", "jobschedule", "report", "-o", "jsonpath={.metadata.resourceVersion}"]).out
            try await Task.sleep(for: .seconds(3))
            let later = try await kubectl.require(["get", "jobschedule", "report", "-o", "jsonpath={.metadata.resourceVersion}"]).out
            #expect(version == later, "the schedule keeps being written: \(version) → \(later)")
        }
    }

    /// An every-minute schedule creates `<schedule>-<yyyymmddhhmm>` with that slot's date;
    /// an operator restarted while it runs creates nothing twice; deleting the schedule
    /// deletes its runs.
    @Test func anEveryMinuteScheduleRunsEachSlotOnceAcrossARestart() async throws {
        try await withDevCluster { cluster, kubectl in
            var embedded = try await EmbeddedOperatorHarness.start(cluster)
            do {
                try await kubectl.require(["apply", "-f", "-"], input: Self.schedule("minutely", cron: "* * * * *", extra: "  successfulJobsHistoryLimit: 5"))
                var first = ""
                #expect(try await eventually(timeout: .seconds(75), interval: .milliseconds(250)) {
                    first = try await kubectl.run(["get", "batchjobs", "-l", "slipway.dev/schedule=minutely", "-o", "jsonpath={.items[0].metadata.name}"]).out
                    return !first.isEmpty
                }, "no run within a minute")
                let slot = String(first.dropFirst("minutely-".count))
                #expect(slot.count == 12 && slot.allSatisfy(\.isNumber), "\(first)")
                let slotLabel = try await kubectl.require(["get", "batchjob", first, "-o", "jsonpath={.metadata.labels.slipway\\.dev/schedule-slot}"]).out
                #expect(slotLabel == slot)
                // Restart the operator: the new one decides the same slot again, under the same name.
                await embedded.stop()
                embedded = try await EmbeddedOperatorHarness.start(cluster)
                try await kubectl.require(["wait", "--for=condition=Succeeded", "batchjob/\(first)", "--timeout=60s"], timeout: .seconds(70))
                let log = try await kubectl.require(["logs", "\(first)-0-0"]).out
                let day = "\(slot.prefix(4))-\(slot.dropFirst(4).prefix(2))-\(slot.dropFirst(6).prefix(2))"
                #expect(log.hasPrefix("report for \(day) at \(day)T\(slot.dropFirst(8).prefix(2)):\(slot.dropFirst(10).prefix(2)):00Z"), "\(log)")
                let columns = try await kubectl.require(["get", "jobschedule", "minutely"]).out
                #expect(columns.hasPrefix("NAME       SCHEDULE    SUSPEND   ACTIVE   LAST"), "\(columns)")
                let names = try await kubectl.require(["get", "batchjobs", "-l", "slipway.dev/schedule=minutely", "-o", "jsonpath={.items[*].metadata.labels.slipway\\.dev/schedule-slot}"]).out
                let slots = names.split(separator: " ")
                #expect(Set(slots).count == slots.count, "a slot ran twice: \(names)")
                let recorded = try await kubectl.require(["get", "jobschedule", "minutely", "-o", "jsonpath={.status.recentRuns[*].name}"]).out
                let recordedNames = recorded.split(separator: " ")
                #expect(Set(recordedNames).count == recordedNames.count && recordedNames.contains(Substring(first)), "\(recorded)")
                try await kubectl.require(["delete", "jobschedule", "minutely"])
                #expect(try await eventually(timeout: .seconds(30)) {
                    try await kubectl.run(["get", "batchjobs", "-l", "slipway.dev/schedule=minutely", "-o", "name"]).out.isEmpty
                }, "deleting the schedule deletes its runs")
            } catch {
                await embedded.stop()
                throw error
            }
            await embedded.stop()
        }
    }

    /// A backfill of 30 daily slots runs 30 BatchJobs with the right dates, never more than
    /// `maxActive` not finished at once.
    @Test func aBackfillOfThirtyDailySlotsRunsThirtyJobsThrottled() async throws {
        try await withSlipwayDev { _, _, kubectl in
            let backfill = """
                  backfill: {id: nov, from: "2026-11-01T00:00:00Z", to: "2026-11-30T23:59:00Z", maxActive: 3}
                """
            try await kubectl.require(["apply", "-f", "-"], input: Self.schedule("daily", cron: "0 2 * * *", extra: backfill))
            var most = 0
            let complete = try await eventually(timeout: .seconds(240), interval: .milliseconds(200)) {
                // One read: every run with its phase (empty before its first reconcile).
                let phases = try await kubectl.run(["get", "batchjobs", "-l", "slipway.dev/backfill=nov", "-o", "jsonpath={range .items[*]}{.status.phase};{end}"]).out
                let runs = phases.split(separator: ";", omittingEmptySubsequences: false).dropLast()
                most = max(most, runs.filter { $0 != "Succeeded" && $0 != "Failed" }.count)
                return try await kubectl.run(["get", "jobschedule", "daily", "-o", "jsonpath={.status.backfill.complete}"]).out == "true"
            }
            #expect(complete, "the backfill did not complete")
            #expect(most <= 3, "\(most) backfill runs were not finished at once")
            let days = try await kubectl.require(["get", "batchjobs", "-l", "slipway.dev/backfill=nov", "-o", "jsonpath={.items[*].spec.parameters.day}"]).out
            #expect(Set(days.split(separator: " ").map(String.init)) == Set((1...30).map { String(format: "2026-11-%02d", $0) }), "\(days)")
            #expect(days.split(separator: " ").count == 30)
            let status = try await kubectl.require(["get", "jobschedule", "daily", "-o", "jsonpath={.status.backfill.created} {.status.backfill.active}"]).out
            #expect(status == "30 0", "\(status)")
        }
    }

    /// A backfill goes through the job's queue like any job: 8 daily slots with `maxActive: 4`
    /// into a JobQueue limited to 2 jobs — the runs beyond the queue's room wait `Queued`, and
    /// never more than 2 are admitted and unfinished at any sampled moment (issue 16: "all
    /// through the queue", so a year of backfill never overcommits the cluster).
    @Test func aBackfillGoesThroughTheJobsQueue() async throws {
        try await withSlipwayDev { _, _, kubectl in
            try await kubectl.require(["apply", "-f", "-"], input: """
                apiVersion: slipway.dev/v1alpha1
                kind: JobQueue
                metadata: {name: backfills}
                spec:
                  limits: {jobs: 2}
                ---
                apiVersion: slipway.dev/v1alpha1
                kind: JobSchedule
                metadata: {name: weekly-report}
                spec:
                  schedule: "0 2 * * *"
                  timeZone: UTC
                  backfill: {id: dec, from: "2026-11-01T00:00:00Z", to: "2026-11-08T23:59:00Z", maxActive: 4}
                  jobTemplate:
                    kind: BatchJob
                    spec:
                      queue: backfills
                      parameters: {day: "$(schedule.date)"}
                      template:
                        spec:
                          containers: [{name: main, image: busybox, command: ["sh", "-c", "sleep 2; echo report for $(params.day)"]}]
                """)
            var mostAdmitted = 0, sawQueued = false
            let complete = try await eventually(timeout: .seconds(240), interval: .milliseconds(100)) {
                let phases = try await kubectl.run(["get", "batchjobs", "-l", "slipway.dev/backfill=dec", "-o", "jsonpath={range .items[*]}{.status.phase};{end}"]).out
                let runs = phases.split(separator: ";", omittingEmptySubsequences: false).dropLast()
                sawQueued = sawQueued || runs.contains("Queued")
                mostAdmitted = max(mostAdmitted, runs.filter { ["Pending", "Running"].contains($0) }.count)
                return try await kubectl.run(["get", "jobschedule", "weekly-report", "-o", "jsonpath={.status.backfill.complete}"]).out == "true"
            }
            #expect(complete, "the backfill did not complete")
            #expect(mostAdmitted <= 2, "\(mostAdmitted) backfill runs were admitted and unfinished at once in a queue of 2")
            #expect(sawQueued, "no backfill run waited in the queue")
            let days = try await kubectl.require(["get", "batchjobs", "-l", "slipway.dev/backfill=dec", "-o", "jsonpath={.items[*].spec.parameters.day}"]).out
            #expect(Set(days.split(separator: " ").map(String.init)) == Set((1...8).map { String(format: "2026-11-%02d", $0) }), "\(days)")
            let phases = try await kubectl.require(["get", "batchjobs", "-l", "slipway.dev/backfill=dec", "-o", "jsonpath={.items[*].status.phase}"]).out
            #expect(phases.split(separator: " ").allSatisfy { $0 == "Succeeded" } && phases.split(separator: " ").count == 8, "\(phases)")
        }
    }

    /// A schedule the controller cannot parse says which field is wrong.
    @Test func anInvalidScheduleNamesTheField() async throws {
        try await withSlipwayDev { _, _, kubectl in
            try await kubectl.require(["apply", "-f", "-"], input: Self.schedule("broken", cron: "0 25 * * *"))
            var message = ""
            #expect(try await eventually(timeout: .seconds(20)) {
                message = try await kubectl.run(["get", "jobschedule", "broken", "-o", "jsonpath={.status.message}"]).out
                return !message.isEmpty
            })
            #expect(message == "spec.schedule: hour field \"25\": 25 is out of range 0-23", "\(message)")
        }
    }
}
