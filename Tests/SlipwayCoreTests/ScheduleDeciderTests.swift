import Foundation
import KubeAPI
import SlipwayAPI
@testable import SlipwayCore
import Testing

/// A schedule `nightly` in `default`, created at `created`.
func jobSchedule(
    _ cron: String = "* * * * *", zone: String? = nil, policy: ConcurrencyPolicy = .allow, catchUp: Int? = nil,
    deadline: Int? = nil, suspend: Bool = false, created: String = "2026-12-07T06:00:30Z", parameters: [String: String] = [:]
) -> JobSchedule {
    var schedule = JobSchedule(name: "nightly", namespace: "default")
    schedule.metadata.uid = "uid-1"
    schedule.metadata.generation = 1
    schedule.metadata.creationTimestamp = instant(created)
    schedule.spec.schedule = cron
    schedule.spec.timeZone = zone
    schedule.spec.concurrencyPolicy = policy
    if let catchUp { schedule.spec.catchUp = catchUp }
    schedule.spec.startingDeadlineSeconds = deadline
    schedule.spec.suspend = suspend
    var template = ScheduledJobTemplate()
    template.kind = "BatchJob"
    var spec = BatchJobSpec()
    spec.parameters = parameters
    template.spec = spec.object
    schedule.spec.jobTemplate = template
    return schedule
}

extension ScheduleDecision {
    var createdNames: [String] { create.compactMap { $0["metadata"]?.objectValue?["name"]?.stringValue } }
}

@Suite("ScheduleDecider")
struct ScheduleDeciderTests {
    @Test func aDueSlotCreatesOneRunNamedBySlot() {
        let decision = ScheduleDecider.decide(ScheduleInput(schedule: jobSchedule(), runs: [], now: instant("2026-12-07T06:01:00Z")))
        #expect(decision.createdNames == ["nightly-202612070601"])
        #expect(decision.status.lastScheduleTime == instant("2026-12-07T06:01:00Z"))
        #expect(decision.status.nextScheduleTime == instant("2026-12-07T06:02:00Z"))
        #expect(decision.requeueAt == instant("2026-12-07T06:02:00Z"))
        #expect(decision.status.active == ["nightly-202612070601"])
        let run = decision.create[0]
        let labels = run["metadata"]?.objectValue?["labels"]?.objectValue
        #expect(labels?["slipway.dev/schedule"]?.stringValue == "nightly")
        #expect(labels?["slipway.dev/schedule-slot"]?.stringValue == "202612070601")
        let owner = run["metadata"]?.objectValue?["ownerReferences"]?.arrayValue?.first?.objectValue
        #expect(owner?["kind"]?.stringValue == "JobSchedule" && owner?["uid"]?.stringValue == "uid-1" && owner?["controller"]?.boolValue == true)
    }

    @Test func nothingDueCreatesNothing() {
        let decision = ScheduleDecider.decide(ScheduleInput(schedule: jobSchedule(), runs: [], now: instant("2026-12-07T06:00:59Z")))
        #expect(decision.create.isEmpty)
        #expect(decision.requeueAt == instant("2026-12-07T06:01:00Z"))
    }

    @Test func scheduleTimeParametersAreSubstituted() throws {
        let schedule = jobSchedule("30 6 * * *", zone: "Europe/Berlin", parameters: ["day": "$(schedule.date)", "at": "$(schedule.timestamp)", "hm": "$(schedule.time)", "slot": "run-$(schedule.slot)", "fixed": "x"])
        let decision = ScheduleDecider.decide(ScheduleInput(schedule: schedule, runs: [], now: instant("2026-12-08T05:30:00Z")))
        let parameters = try #require(decision.create.first?["spec"]?.objectValue?["parameters"]?.objectValue)
        #expect(parameters["day"]?.stringValue == "2026-12-08")
        #expect(parameters["at"]?.stringValue == "2026-12-08T06:30:00+01:00")
        #expect(parameters["hm"]?.stringValue == "06:30")
        #expect(parameters["slot"]?.stringValue == "run-202612080630")
        #expect(parameters["fixed"]?.stringValue == "x")
        #expect(decision.createdNames == ["nightly-202612080630"])
    }

    @Test func aCrashAfterTheStatusWriteCreatesTheSameNameAgainNeverANewOne() {
        let first = ScheduleDecider.decide(ScheduleInput(schedule: jobSchedule(), runs: [], now: instant("2026-12-07T06:01:00Z")))
        var schedule = jobSchedule()
        schedule.status = first.status
        let second = ScheduleDecider.decide(ScheduleInput(schedule: schedule, runs: [], now: instant("2026-12-07T06:01:05Z")))
        #expect(second.createdNames == first.createdNames)
        #expect(second.create == first.create)
        schedule.status = second.status
        let seen = ScheduleDecider.decide(ScheduleInput(schedule: schedule, runs: [ObservedRun(name: "nightly-202612070601", scheduledTime: instant("2026-12-07T06:01:00Z"))], now: instant("2026-12-07T06:01:10Z")))
        #expect(seen.create.isEmpty)
        #expect(seen.status.recentRuns.map(\.state) == [.active])
    }

    @Test func aCrashBeforeTheStatusWriteDecidesTheSameSlotUnderTheSameName() {
        // The run exists (created), the status still has the old cursor.
        let decision = ScheduleDecider.decide(ScheduleInput(schedule: jobSchedule(), runs: [ObservedRun(name: "nightly-202612070601", scheduledTime: instant("2026-12-07T06:01:00Z"))], now: instant("2026-12-07T06:01:30Z")))
        #expect(decision.create.isEmpty)
        #expect(decision.status.active == ["nightly-202612070601"])
    }

    @Test func aRunDeletedByHandIsNotCreatedAgain() {
        var schedule = jobSchedule()
        let first = ScheduleDecider.decide(ScheduleInput(schedule: schedule, runs: [], now: instant("2026-12-07T06:01:00Z")))
        schedule.status = first.status
        let seen = ScheduleDecider.decide(ScheduleInput(schedule: schedule, runs: [ObservedRun(name: "nightly-202612070601", scheduledTime: instant("2026-12-07T06:01:00Z"))], now: instant("2026-12-07T06:01:10Z")))
        schedule.status = seen.status
        let gone = ScheduleDecider.decide(ScheduleInput(schedule: schedule, runs: [], now: instant("2026-12-07T06:01:20Z")))
        #expect(gone.create.isEmpty)
        #expect(gone.status.recentRuns.map(\.state) == [.deleted])
        #expect(gone.status.active.isEmpty)
    }

    @Test func afterDowntimeTheNewestCatchUpSlotsRunOldestFirst() {
        var schedule = jobSchedule(catchUp: 3)
        schedule.status.scheduledThrough = instant("2026-12-07T06:00:00Z")
        let decision = ScheduleDecider.decide(ScheduleInput(schedule: schedule, runs: [], now: instant("2026-12-07T06:05:10Z")))
        #expect(decision.createdNames == ["nightly-202612070603", "nightly-202612070604", "nightly-202612070605"])
        #expect(decision.status.missedRuns == 2)
        #expect(decision.events.contains { $0.reason == .missed && $0.warning })
    }

    @Test func theDefaultCatchUpRunsOnlyTheNewestMissedSlot() {
        var schedule = jobSchedule()
        schedule.status.scheduledThrough = instant("2026-12-07T06:00:00Z")
        let decision = ScheduleDecider.decide(ScheduleInput(schedule: schedule, runs: [], now: instant("2026-12-07T06:05:10Z")))
        #expect(decision.createdNames == ["nightly-202612070605"])
        #expect(decision.status.missedRuns == 4)
    }

    @Test func aYearOfMissedMinutesIsBoundedAndCounted() {
        var schedule = jobSchedule(catchUp: 2)
        schedule.status.scheduledThrough = instant("2025-12-07T06:00:00Z")
        let decision = ScheduleDecider.decide(ScheduleInput(schedule: schedule, runs: [], now: instant("2026-12-07T06:05:10Z")))
        #expect(decision.createdNames == ["nightly-202612070604", "nightly-202612070605"])
        #expect(decision.status.missedRuns > 500_000)
    }

    @Test func slotsPastTheStartingDeadlineAreMissed() {
        var schedule = jobSchedule(catchUp: 3, deadline: 60)
        schedule.status.scheduledThrough = instant("2026-12-07T06:00:00Z")
        let decision = ScheduleDecider.decide(ScheduleInput(schedule: schedule, runs: [], now: instant("2026-12-07T06:03:30Z")))
        #expect(decision.createdNames == ["nightly-202612070603"])
        #expect(decision.status.missedRuns == 2)
    }

    /// Issue 16: "Forbid skips while one runs" — the slot due while a run is active never
    /// runs late; the next slot after the run ended runs.
    @Test func forbidSkipsTheSlotThatComesDueWhileARunIsActive() {
        var schedule = jobSchedule(policy: .forbid)
        schedule.status.scheduledThrough = instant("2026-12-07T06:01:00Z")
        let active = ObservedRun(name: "nightly-202612070601", scheduledTime: instant("2026-12-07T06:01:00Z"))
        let skipped = ScheduleDecider.decide(ScheduleInput(schedule: schedule, runs: [active], now: instant("2026-12-07T06:02:00Z")))
        #expect(skipped.create.isEmpty)
        #expect(skipped.events.map(\.reason) == [.forbidden])
        #expect(skipped.status.missedRuns == 1)
        schedule.status = skipped.status
        let again = ScheduleDecider.decide(ScheduleInput(schedule: schedule, runs: [active], now: instant("2026-12-07T06:02:30Z")))
        #expect(again.create.isEmpty && again.events.isEmpty, "one event per skipped slot")
        schedule.status = again.status
        var done = active
        done.outcome = .succeeded
        let ended = ScheduleDecider.decide(ScheduleInput(schedule: schedule, runs: [done], now: instant("2026-12-07T06:02:40Z")))
        #expect(ended.create.isEmpty, "the skipped slot does not run late")
        #expect(ended.status.lastSuccessfulRun == "nightly-202612070601")
        schedule.status = ended.status
        let next = ScheduleDecider.decide(ScheduleInput(schedule: schedule, runs: [done], now: instant("2026-12-07T06:03:00Z")))
        #expect(next.createdNames == ["nightly-202612070603"])
    }

    @Test func forbidCountsARunCreatedButNotYetSeenAsActive() {
        var schedule = jobSchedule(policy: .forbid)
        let first = ScheduleDecider.decide(ScheduleInput(schedule: schedule, runs: [], now: instant("2026-12-07T06:01:00Z")))
        schedule.status = first.status
        let next = ScheduleDecider.decide(ScheduleInput(schedule: schedule, runs: [], now: instant("2026-12-07T06:02:00Z")))
        #expect(next.createdNames == ["nightly-202612070601"])
    }

    @Test func replaceDeletesTheActiveRunAndCreatesTheNewOne() {
        var schedule = jobSchedule(policy: .replace)
        schedule.status.scheduledThrough = instant("2026-12-07T06:01:00Z")
        let active = ObservedRun(name: "nightly-202612070601", scheduledTime: instant("2026-12-07T06:01:00Z"))
        let decision = ScheduleDecider.decide(ScheduleInput(schedule: schedule, runs: [active], now: instant("2026-12-07T06:02:00Z")))
        #expect(decision.delete == ["nightly-202612070601"])
        #expect(decision.createdNames == ["nightly-202612070602"])
        #expect(decision.events.map(\.reason).contains(.replaced))
    }

    @Test func historyLimitsDeleteTheOldestFinishedRunsNeverARunningOne() {
        var schedule = jobSchedule()
        schedule.spec.successfulJobsHistoryLimit = 2
        schedule.spec.failedJobsHistoryLimit = 0
        schedule.status.scheduledThrough = instant("2026-12-07T06:10:00Z")
        let runs = (1...4).map { ObservedRun(name: "nightly-20261207060\($0)", scheduledTime: instant("2026-12-07T06:0\($0):00Z"), outcome: .succeeded) }
            + [ObservedRun(name: "nightly-202612070605", scheduledTime: instant("2026-12-07T06:05:00Z"), outcome: .failed),
               ObservedRun(name: "nightly-202612070606", scheduledTime: instant("2026-12-07T06:06:00Z"))]
        let decision = ScheduleDecider.decide(ScheduleInput(schedule: schedule, runs: runs, now: instant("2026-12-07T06:10:30Z")))
        #expect(Set(decision.delete) == ["nightly-202612070601", "nightly-202612070602", "nightly-202612070605"])
        #expect(decision.status.active == ["nightly-202612070606"])
        #expect(decision.status.lastFailedRun == "nightly-202612070605")
        #expect(decision.status.lastSuccessfulRun == "nightly-202612070604")
    }

    @Test func theTriggerAnnotationCreatesOneManualRunPerValue() {
        var schedule = jobSchedule("0 0 * * *", parameters: ["day": "$(schedule.date)"])
        schedule.metadata.annotations = [JobSchedule.triggerAnnotation: "1"]
        let first = ScheduleDecider.decide(ScheduleInput(schedule: schedule, runs: [], now: instant("2026-12-07T06:01:07Z")))
        #expect(first.createdNames == ["nightly-m20261207060107"])
        #expect(first.create.first?["spec"]?.objectValue?["parameters"]?.objectValue?["day"]?.stringValue == "2026-12-07")
        schedule.status = first.status
        let again = ScheduleDecider.decide(ScheduleInput(schedule: schedule, runs: [ObservedRun(name: "nightly-m20261207060107", scheduledTime: instant("2026-12-07T06:01:07Z"))], now: instant("2026-12-07T06:02:00Z")))
        #expect(again.create.isEmpty)
        #expect(again.status.lastScheduleTime == nil)
    }

    @Test func suspendedCreatesNothingAndSkipsTheSlotsItPasses() {
        var schedule = jobSchedule(suspend: true)
        let suspended = ScheduleDecider.decide(ScheduleInput(schedule: schedule, runs: [], now: instant("2026-12-07T06:03:00Z")))
        #expect(suspended.create.isEmpty)
        #expect(suspended.status.nextScheduleTime == nil)
        #expect(suspended.requeueAt == instant("2026-12-07T06:04:00Z"))
        schedule.status = suspended.status
        schedule.spec.suspend = false
        let resumed = ScheduleDecider.decide(ScheduleInput(schedule: schedule, runs: [], now: instant("2026-12-07T06:03:20Z")))
        #expect(resumed.create.isEmpty)
        #expect(resumed.status.nextScheduleTime == instant("2026-12-07T06:04:00Z"))
    }

    @Test(arguments: [
        ("0 25 * * *", nil as String?, "spec.schedule: hour field \"25\": 25 is out of range 0-23"),
        ("@daily", "Mars/Olympus", "spec.timeZone: \"Mars/Olympus\" is not an IANA time zone name (e.g. Europe/Berlin)"),
    ])
    func anInvalidSpecSaysWhatToFix(cron: String, zone: String?, message: String) {
        let decision = ScheduleDecider.decide(ScheduleInput(schedule: jobSchedule(cron, zone: zone), runs: [], now: instant("2026-12-07T06:03:00Z")))
        #expect(decision.status.message == message)
        #expect(decision.create.isEmpty && decision.requeueAt == nil)
        #expect(decision.events.map(\.reason) == [.invalid])
    }

    /// Deciding again within the same minute writes the same status (else the controller's
    /// own status write would wake it into another write, for ever).
    @Test(arguments: [ConcurrencyPolicy.allow, .forbid, .replace], [false, true])
    func decidingAgainWithinAMinuteChangesNothing(policy: ConcurrencyPolicy, suspend: Bool) {
        var schedule = jobSchedule(policy: policy, suspend: suspend)
        schedule.status.scheduledThrough = instant("2026-12-07T06:00:00Z")
        let run = ObservedRun(name: "nightly-202612070601", scheduledTime: instant("2026-12-07T06:01:00Z"))
        let first = ScheduleDecider.decide(ScheduleInput(schedule: schedule, runs: [], now: instant("2026-12-07T06:01:00.250Z")))
        schedule.status = first.status
        let seen = ScheduleDecider.decide(ScheduleInput(schedule: schedule, runs: suspend ? [] : [run], now: instant("2026-12-07T06:01:10.5Z")))
        schedule.status = seen.status
        for now in ["2026-12-07T06:01:20.125Z", "2026-12-07T06:01:59.9Z"] {
            let again = ScheduleDecider.decide(ScheduleInput(schedule: schedule, runs: suspend ? [] : [run], now: instant(now)))
            #expect(again.status == schedule.status, "\(now)")
            #expect(again.create.isEmpty && again.delete.isEmpty && again.events.isEmpty)
        }
    }

    @Test func aSparkJobTemplateCreatesSparkJobs() {
        var schedule = jobSchedule()
        schedule.spec.jobTemplate.kind = "SparkJob"
        let decision = ScheduleDecider.decide(ScheduleInput(schedule: schedule, runs: [], now: instant("2026-12-07T06:01:00Z")))
        #expect(decision.create.first?["kind"]?.stringValue == "SparkJob")
        #expect(decision.create.first?["apiVersion"]?.stringValue == "slipway.dev/v1alpha1")
    }

    @Test func anUnknownTemplateKindIsInvalid() {
        var schedule = jobSchedule()
        schedule.spec.jobTemplate.kind = "Job"
        let decision = ScheduleDecider.decide(ScheduleInput(schedule: schedule, runs: [], now: instant("2026-12-07T06:01:00Z")))
        #expect(decision.status.message == "spec.jobTemplate.kind: must be one of BatchJob, SparkJob, is Job")
        #expect(decision.create.isEmpty)
    }

    @Test func longScheduleNamesGiveBoundedRunNames() {
        let slot = ScheduleSlot(time: instant("2026-12-07T06:01:00Z"), zone: zone("UTC"))
        let name = slot.runName(schedule: String(repeating: "a", count: 80))
        #expect(name.count <= 63 && name.hasSuffix("-202612070601"))
    }
}

@Suite("ScheduleDecider backfill")
struct ScheduleBackfillTests {
    static func backfilled(maxActive: Int = 3) -> JobSchedule {
        var schedule = jobSchedule("0 2 * * *", parameters: ["day": "$(schedule.date)"])
        var backfill = Backfill()
        backfill.id = "r1"
        backfill.from = instant("2026-11-01T00:00:00Z")
        backfill.to = instant("2026-11-30T23:59:00Z")
        backfill.maxActive = maxActive
        schedule.spec.backfill = backfill
        schedule.metadata.creationTimestamp = instant("2026-12-07T06:00:30Z")
        schedule.status.scheduledThrough = instant("2026-12-07T06:00:30Z")
        return schedule
    }

    /// Thirty daily slots run as thirty runs with the right dates, never more than the
    /// throttle at once, each once, whatever order the runs finish in.
    @Test func thirtyDailySlotsRunThrottledEachOnce() {
        var schedule = Self.backfilled()
        var runs: [String: ObservedRun] = [:]
        var days: [String: String] = [:]
        var now = instant("2026-12-07T06:01:00Z")
        for _ in 0..<100 {
            let decision = ScheduleDecider.decide(ScheduleInput(schedule: schedule, runs: Array(runs.values), now: now))
            schedule.status = decision.status
            for object in decision.create {
                let name = object["metadata"]?.objectValue?["name"]?.stringValue ?? ""
                let labels = object["metadata"]?.objectValue?["labels"]?.objectValue
                #expect(labels?["slipway.dev/backfill"]?.stringValue == "r1")
                days[name] = object["spec"]?.objectValue?["parameters"]?.objectValue?["day"]?.stringValue
                if runs[name] == nil { runs[name] = ObservedRun(name: name, scheduledTime: nil, backfill: "r1") }
            }
            let active = runs.values.filter { $0.outcome == nil }
            #expect(active.count <= 3, "more than the throttle at once: \(active.map(\.name))")
            // The oldest active run finishes.
            if let done = active.min(by: { $0.name < $1.name }) { runs[done.name]?.outcome = .succeeded }
            now = now.addingTimeInterval(1)
            if decision.status.backfill?.complete == true { break }
        }
        #expect(schedule.status.backfill?.complete == true)
        #expect(schedule.status.backfill?.created == 30)
        #expect(runs.count == 30)
        #expect(Set(days.values) == Set((1...30).map { String(format: "2026-11-%02d", $0) }))
        #expect(runs["nightly-r1-202611150200"] != nil)
    }

    @Test func aBackfillRunLostInACrashIsCreatedAgainUnderTheSameName() {
        let schedule = Self.backfilled(maxActive: 2)
        let first = ScheduleDecider.decide(ScheduleInput(schedule: schedule, runs: [], now: instant("2026-12-07T06:01:00Z")))
        #expect(first.createdNames == ["nightly-r1-202611010200", "nightly-r1-202611020200"])
        var again = schedule
        again.status = first.status
        let second = ScheduleDecider.decide(ScheduleInput(schedule: again, runs: [], now: instant("2026-12-07T06:01:02Z")))
        #expect(second.createdNames == first.createdNames)
    }

    @Test func backfillRunsAreNeitherReplacedNorCountedByForbidNorDeletedByHistoryLimits() {
        var schedule = Self.backfilled()
        schedule.spec.concurrencyPolicy = .replace
        schedule.spec.successfulJobsHistoryLimit = 0
        schedule.status.scheduledThrough = instant("2026-12-07T01:00:00Z")
        let runs = [ObservedRun(name: "nightly-r1-202611010200", scheduledTime: nil, backfill: "r1"),
                    ObservedRun(name: "nightly-r1-202611020200", scheduledTime: nil, outcome: .succeeded, backfill: "r1")]
        let decision = ScheduleDecider.decide(ScheduleInput(schedule: schedule, runs: runs, now: instant("2026-12-07T02:00:10Z")))
        #expect(decision.delete.isEmpty)
        #expect(decision.createdNames.contains("nightly-202612070200"))
    }
}
