import KubeAPI

// MARK: - Structural schema of the JobSchedule (rendered into crds/ by `slipway crds`)

extension JobSchedule {
    /// The whole `openAPIV3Schema` of the JobSchedule CRD.
    public static var schema: OpenAPISchema {
        .resource(spec: JobScheduleSpec.schema, status: JobScheduleStatus.schema, description: """
            Creates BatchJobs or SparkJobs on a cron schedule, one run per slot, named by the slot.
            """)
    }
}

extension JobScheduleSpec {
    /// The schema of `spec`. The cron text and the time zone are checked by the controller
    /// (the status message names the field), as CronJob's are by its validation.
    public static var schema: OpenAPISchema {
        .object([
            "schedule": OpenAPISchema.string(maxLength: 256).describe("Cron: minute hour day-of-month month day-of-week, or @yearly, @monthly, @weekly, @daily, @hourly."),
            "timeZone": OpenAPISchema.string(maxLength: 64).describe("An IANA time zone name; default UTC."),
            "suspend": .boolean(default: false).describe("While true no slot runs; slots passed meanwhile are skipped, not caught up."),
            "concurrencyPolicy": OpenAPISchema.string(enumOf: ConcurrencyPolicy.self).defaulting("Allow")
                .describe("Allow: runs may overlap. Forbid: no new run while one is active. Replace: delete the active runs, create the new one."),
            "startingDeadlineSeconds": OpenAPISchema.integer(minimum: 0).describe("A slot not started within this many seconds of its time is missed."),
            "catchUp": OpenAPISchema.integer(minimum: 1, maximum: 1000, default: 1).describe("After downtime, at most this many missed slots run (the newest, oldest first)."),
            "successfulJobsHistoryLimit": .integer(minimum: 0, default: 3),
            "failedJobsHistoryLimit": .integer(minimum: 0, default: 1),
            "jobTemplate": ScheduledJobTemplate.schema,
            "backfill": OpenAPISchema.object([
                "id": OpenAPISchema.string(pattern: "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", maxLength: 20).describe("Names the request and its runs; a new id starts a new backfill."),
                "from": OpenAPISchema.dateTime.describe("The first slot at or after this time runs."),
                "to": OpenAPISchema.dateTime.describe("The last slot at or before this time runs."),
                "maxActive": OpenAPISchema.integer(minimum: 1, maximum: 100, default: 3).describe("Backfill runs not finished at once."),
            ], required: ["id", "from", "to"]).describe("Run every slot of a past range, throttled."),
        ], required: ["schedule", "jobTemplate"]).describe("What the user asks for.")
    }
}

extension ScheduledJobTemplate {
    /// The schema of `spec.jobTemplate`: the job's spec is checked against its kind's CRD when
    /// a run is created.
    public static var schema: OpenAPISchema {
        .object([
            "kind": OpenAPISchema.string(enum: kinds).defaulting("BatchJob"),
            "labels": OpenAPISchema.map(.string()),
            "annotations": OpenAPISchema.map(.string()),
            "spec": OpenAPISchema.podTemplate.describe("The BatchJob or SparkJob spec; $(schedule.date), $(schedule.time), $(schedule.timestamp) and $(schedule.slot) are filled in its parameters."),
        ], required: ["spec"]).describe("The job each slot creates.")
    }
}

extension JobScheduleStatus {
    /// The schema of `status` (written by the operator only).
    public static var schema: OpenAPISchema {
        .object([
            "observedGeneration": .integer(),
            "scheduledThrough": OpenAPISchema.dateTime.describe("Every slot up to this time is decided."),
            "lastScheduleTime": .dateTime,
            "nextScheduleTime": .dateTime,
            "active": OpenAPISchema.array(.string()).describe("Runs not finished."),
            "activeCount": OpenAPISchema.integer().describe("How many runs are not finished."),
            "lastSuccessfulRun": .string(),
            "lastFailedRun": .string(),
            "recentRuns": OpenAPISchema.array(.object([
                "name": .string(),
                "scheduledTime": .dateTime,
                "state": .string(enumOf: ScheduledRunState.self),
                "manual": .boolean(),
            ])).describe("The newest runs, bounded, oldest first."),
            "lastTrigger": OpenAPISchema.string().describe("The trigger annotation value last acted on."),
            "missedRuns": OpenAPISchema.integer().describe("Slots missed in all."),
            "backfill": OpenAPISchema.object([
                "id": .string(),
                "createdThrough": .dateTime,
                "created": .integer(),
                "pendingSlots": OpenAPISchema.array(.dateTime),
                "active": .integer(),
                "complete": .boolean(),
            ]).describe("The progress of the current backfill."),
            "message": .string(),
        ]).describe("What the operator reports.")
    }
}
