import KubeAPI

// MARK: - Structural schema of the BatchJob status (written by the operator only)

extension BatchJobStatus {
    /// The schema of `status`. Typed and closed (unknown fields are pruned, as in any
    /// structural schema; apiextensions refuses an explicit
    /// `x-kubernetes-preserve-unknown-fields: false`), yet loose enough that every status the controller writes validates: no
    /// bounds on counts or list lengths, which the controller keeps bounded itself.
    public static var schema: OpenAPISchema {
        OpenAPISchema.object([
            "phase": .string(enum: BatchJob.phases.map(\.rawValue)),
            "observedGeneration": .integer(),
            "conditions": OpenAPISchema.array(.condition).describe("Started, Succeeded, Failed, Suspended, Invalid."),
            "message": OpenAPISchema.string().describe("One sentence: why the job is where it is."),
            "startTime": .dateTime,
            "completionTime": .dateTime,
            "duration": OpenAPISchema.string().describe("From the first attempt to the end, once finished (a printer column)."),
            "retryGeneration": OpenAPISchema.integer().describe("The spec.retryGeneration last acted on."),
            "total": .integer(),
            "pending": .integer(),
            "running": .integer(),
            "succeeded": .integer(),
            "failed": .integer(),
            "progress": OpenAPISchema.string().describe("Succeeded of total indexes, e.g. \"3/10\" (a printer column)."),
            "succeededIndexes": OpenAPISchema.string().describe("Compact index set, e.g. \"0-41,43\"."),
            "failedIndexes": .string(),
            "attempts": OpenAPISchema.integer().describe("Pods created so far (counted or not)."),
            "nextRetryTime": .dateTime,
            "history": OpenAPISchema.array(AttemptRecord.schema).describe(
                "Attempts sorted by index then attempt, bounded per index and in total; the last failed attempt of each failed index is kept first."),
            "failureSummary": OpenAPISchema.array(FailureSummary.schema).describe(
                "Failed indexes whose last failed attempt history could not keep, by class with index ranges."),
            "admission": QueueAdmissionRecord.schema,
            "transitions": OpenAPISchema.array(JobTransition.schema(phases: BatchJob.phases)).describe(
                "Phase transitions and ended attempts, oldest first, bounded: what the job-event sink sends (docs/events.md)."),
            "transitionsDelivered": OpenAPISchema.integer().describe("The newest transition the event sink delivered, once the job finished."),
            "indexStates": OpenAPISchema.array(indexStateSchema).describe("Retry state of indexes that failed at least once, grouped."),
        ])
        .describe("What the operator reports.")
    }
}

extension BatchJobStatus {
    /// The schema of one `status.indexStates` entry (`IndexState`).
    public static var indexStateSchema: OpenAPISchema {
        .object([
            "indexes": .string(),
            "nextAttempt": .integer(),
            "countedFailures": .integer(),
            "failures": .integer(),
            "memory": .quantity,
            "cpu": .quantity,
            "capacity": .string(),
            "retryAfter": .dateTime,
            "launchedAt": .dateTime,
            "lastFailure": .string(),
        ])
    }
}

extension AttemptRecord {
    /// The schema of one `status.history` entry.
    public static var schema: OpenAPISchema {
        .object([
            "index": .integer(),
            "attempt": .integer(),
            "pod": .string(),
            "node": .string(),
            "capacityType": .string(),
            "memory": .quantity,
            "cpu": .quantity,
            "startTime": .dateTime,
            "finishTime": .dateTime,
            "exitCode": .integer(),
            "reason": .string(),
            "class": .string(enumOf: FailureClass.self),
            "message": .string(),
            "counted": .boolean(),
            "adaptations": OpenAPISchema.array(.string()).describe("What changes for the next attempt."),
            "events": .array(AttemptEvent.schema),
        ])
    }
}

extension AttemptEvent {
    /// The schema of one warning event of an attempt.
    public static var schema: OpenAPISchema {
        .object(["reason": .string(), "message": .string(), "count": .integer()])
    }
}
