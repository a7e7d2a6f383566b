import KubeAPI

// MARK: - Structural schemas of the BatchJob spec (rendered into crds/ by `slipway crds`)

extension BatchJob {
    /// The whole `openAPIV3Schema` of the BatchJob CRD.
    public static var schema: OpenAPISchema {
        .resource(spec: BatchJobSpec.schema, status: BatchJobStatus.schema, description: """
            An AWS-Batch-style job: one pod template run as an array, retried by rules, with \
            resources adapted between attempts.
            """)
    }
}

extension BatchJobSpec {
    /// The schema of `spec`.
    public static var schema: OpenAPISchema {
        .object([
            "template": OpenAPISchema.podTemplate.describe("The pod template each attempt of each index runs (a full PodTemplateSpec)."),
            "container": .string(maxLength: 63).describe("The main container's name; default: the first container."),
            "arraySize": .integer(minimum: 1, maximum: 100_000, default: 1).describe("Number of indexes (SLIPWAY_ARRAY_INDEX, JOB_COMPLETION_INDEX, AWS_BATCH_JOB_ARRAY_INDEX)."),
            "parallelism": .integer(minimum: 1).describe("How many indexes run at once; default: arraySize."),
            "parameters": OpenAPISchema.map(.string()).describe("Values substituted for $(params.NAME) in command, args and env values."),
            "dependsOn": OpenAPISchema.array(Dependency.schema, maxItems: 32).describe("Jobs in the same namespace this job waits for."),
            "retryStrategy": RetryStrategy.schema.defaulting([:]),
            "adapt": Adaptation.schema,
            "timeouts": Timeouts.schema,
            "suspend": .boolean(default: false).describe("While true no new pods are created."),
            "retryGeneration": .integer(minimum: 0).describe("Bump to retry a Failed job: only what failed runs again, with a fresh attempt budget and what it learned."),
            "ttlSecondsAfterFinished": .integer(minimum: 0).describe("Delete the finished job and its pods after this many seconds."),
            "queue": QueueSpecSchema.queue,
            "priority": QueueSpecSchema.priority,
            "dedupKey": QueueSpecSchema.dedupKey,
        ], required: ["template"]).describe("What the user asks for.")
    }
}

extension Adaptation {
    /// The schema of `spec.adapt`.
    public static var schema: OpenAPISchema {
        .object([
            "memory": ResourceAdaptation.schema.describe("On OutOfMemory: request and limit multiplied by factor, capped at max."),
            "cpu": ResourceAdaptation.schema.describe("Optional cpu growth, capped at max."),
            "capacity": CapacityAdaptation.schema,
        ]).describe("How resources change between attempts. Caps are mandatory.")
    }
}

extension ResourceAdaptation {
    /// The schema of `spec.adapt.memory` and `spec.adapt.cpu`.
    public static var schema: OpenAPISchema {
        .object([
            "factor": .number(minimum: 1, default: 2),
            "max": OpenAPISchema.quantity.describe("The cap (mandatory)."),
        ], required: ["max"])
    }
}

extension CapacityAdaptation {
    /// The schema of `spec.adapt.capacity`.
    public static var schema: OpenAPISchema {
        .object([
            "onDemandAfter": .object([
                "classes": OpenAPISchema.array(.string(enumOf: FailureClass.self), maxItems: 16),
                "failures": OpenAPISchema.integer(minimum: 1).describe("After this many failures of an index."),
            ]),
        ]).describe("When later attempts move from spot to on-demand capacity.")
    }
}

extension Timeouts {
    /// The schema of `spec.timeouts`.
    public static var schema: OpenAPISchema {
        .object([
            "startSeconds": OpenAPISchema.integer(minimum: 1).describe("How long an attempt may stay Pending, pulling images or unschedulable."),
            "attemptSeconds": OpenAPISchema.integer(minimum: 1).describe("activeDeadlineSeconds of each attempt's pod."),
            "totalSeconds": OpenAPISchema.integer(minimum: 1).describe("The whole job's limit."),
        ])
    }
}
