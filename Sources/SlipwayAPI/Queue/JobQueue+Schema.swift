import KubeAPI

// MARK: - Structural schema of the JobQueue (rendered into crds/ by `slipway crds`)

extension JobQueue {
    /// The whole `openAPIV3Schema` of the JobQueue CRD.
    public static var schema: OpenAPISchema {
        .resource(spec: JobQueueSpec.schema, status: JobQueueStatus.schema, description: """
            A cluster-scoped admission queue: limits on what its admitted jobs use at once, overall \
            and per kind, priority order, overflow and duplicate submissions (docs/queues.md).
            """)
    }
}

extension QueueLimits {
    /// The schema of `spec.limits` and of each `spec.kindLimits` entry.
    public static var schema: OpenAPISchema {
        .object([
            "jobs": OpenAPISchema.integer(minimum: 0).describe("Admitted jobs that have not finished."),
            "pods": OpenAPISchema.integer(minimum: 0).describe("Pods of those jobs at once (BatchJob parallelism; SparkJob driver and executors)."),
            "resources": OpenAPISchema.map(.quantity).describe("Requests of those pods together, by resource name (cpu, memory, nvidia.com/gpu, …)."),
        ]).describe("Upper bounds; an absent bound does not limit.")
    }
}

extension JobQueueSpec {
    /// The schema of `spec`.
    public static var schema: OpenAPISchema {
        .object([
            "limits": QueueLimits.schema.describe("What the admitted jobs of every kind use together at most."),
            "kindLimits": OpenAPISchema.map(QueueLimits.schema).describe(
                "Per kind of job (BatchJob, SparkJob): what its admitted jobs use together at most. Keeps parents from taking the capacity their children need."),
            "queueingStrategy": OpenAPISchema.string(enumOf: QueueingStrategy.self).defaulting("BestEffortFIFO").describe(
                "StrictFIFO: a job that does not fit blocks those behind it. BestEffortFIFO: smaller jobs behind it may go first."),
            "maxQueued": OpenAPISchema.integer(minimum: 0).describe("Jobs that may wait at once; a job beyond fails at once (reason QueueFull)."),
            "dedupWindowSeconds": OpenAPISchema.integer(minimum: 0, default: 0).describe(
                "How long a finished job keeps its dedupKey taken: a later job with the same key within it is skipped."),
            "namespaceSelector": OpenAPISchema.labelSelector.describe("Namespaces whose jobs may use the queue; absent: every namespace."),
        ]).describe("What the platform team sets.")
    }
}

extension JobQueueStatus {
    /// The schema of `status`.
    public static var schema: OpenAPISchema {
        let amounts = OpenAPISchema.map(.string())
        return OpenAPISchema.object([
            "pending": OpenAPISchema.integer().describe("Jobs waiting for admission."),
            "admitted": OpenAPISchema.integer().describe("Jobs admitted and not finished."),
            "running": OpenAPISchema.integer().describe("Admitted jobs whose phase is Running."),
            "usage": amounts.describe("What admitted jobs use: jobs, pods and each resource."),
            "limits": amounts.describe("The limits, in the same form."),
            "kinds": OpenAPISchema.array(.object([
                "kind": .string(), "usage": amounts, "limits": amounts,
            ])).describe("Usage and limits per kind of job."),
            "oldestWaiting": OpenAPISchema.string().describe("The job waiting longest."),
            "oldestWaitingSince": .dateTime,
            "message": .string(),
        ]).describe("What the operator reports.")
    }
}
