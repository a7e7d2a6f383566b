import KubeAPI

// MARK: - Structural schema of the SparkJob (rendered into crds/ by `slipway crds`)

extension SparkJob {
    /// The pattern of Slipway's Spark memory fields: a whole number and k, m, g or t
    /// (`512m`, `2g`; binary units as Spark reads them).
    public static let memoryPattern = #"^[0-9]+[kmgtKMGT]?$"#

    /// The whole `openAPIV3Schema` of the SparkJob CRD.
    public static var schema: OpenAPISchema {
        .resource(spec: SparkJobSpec.schema, status: SparkJobStatus.schema, description: """
            A Spark application submitted as spark-submit --deploy-mode cluster would, retried \
            with more memory, more executors or other capacity as its failure calls for.
            """)
    }
}

extension OpenAPISchema {
    /// A Kubernetes object embedded as written (EnvVar, Toleration, Volume, Affinity, a pod
    /// template): the API server validates it when the pods are created.
    static var embeddedObject: OpenAPISchema { .podTemplate }

    static var sparkMemory: OpenAPISchema {
        .string(pattern: SparkJob.memoryPattern, maxLength: 32).describe("Spark memory: a whole number and k, m, g or t (512m, 2g).")
    }
}

extension SparkJobSpec {
    /// The schema of `spec`.
    public static var schema: OpenAPISchema {
        .object([
            "type": OpenAPISchema.string(enumOf: SparkApplicationType.self).describe("The application's language."),
            "sparkVersion": OpenAPISchema.string(pattern: #"^[0-9]+\.[0-9]+(\.[0-9]+)?([-.][0-9A-Za-z.-]+)?$"#, maxLength: 64)
                .describe("The Spark version of the image (e.g. 4.0.5): decides what is rendered."),
            "image": OpenAPISchema.string(maxLength: 1024).describe("The Spark image of the driver and the executors."),
            "imagePullPolicy": OpenAPISchema.string(enum: ["Always", "IfNotPresent", "Never"]),
            "imagePullSecrets": OpenAPISchema.array(.string(maxLength: 253), maxItems: 32),
            "mainApplicationFile": OpenAPISchema.string(maxLength: 4096).describe("The application jar, .py or .R file (local://, s3a://, https://…)."),
            "mainClass": OpenAPISchema.string(maxLength: 1024).describe("The main class (Scala and Java)."),
            "arguments": OpenAPISchema.array(.string(), maxItems: 1024).describe("Arguments of the application."),
            "sparkConf": OpenAPISchema.map(.string()).describe("Spark configuration (spark-submit --conf)."),
            "hadoopConf": OpenAPISchema.map(.string()).describe("Hadoop configuration (spark.hadoop.<key>)."),
            "deps": SparkDeps.schema,
            "parameters": OpenAPISchema.map(.string()).describe("Values substituted for $(params.NAME) in arguments, sparkConf and env values."),
            "driver": SparkPodSpec.schema(role: "driver"),
            "executor": SparkPodSpec.schema(role: "executor"),
            "dynamicAllocation": SparkDynamicAllocationSpec.schema,
            "retryStrategy": RetryStrategy.schema.defaulting([:]),
            "adapt": SparkAdaptation.schema,
            "timeouts": SparkTimeouts.schema,
            "suspend": .boolean(default: false).describe("While true no new driver is created."),
            "retryGeneration": .integer(minimum: 0).describe("Bump to retry a Failed job: only what failed runs again, with a fresh attempt budget and what it learned."),
            "ttlSecondsAfterFinished": .integer(minimum: 0).describe("Delete the finished job and its pods after this many seconds."),
            "queue": QueueSpecSchema.queue,
            "priority": QueueSpecSchema.priority,
            "dedupKey": QueueSpecSchema.dedupKey,
            "dependsOn": OpenAPISchema.array(Dependency.schema, maxItems: 32).describe("Jobs in the same namespace this job waits for."),
            "analysis": SparkAnalysisSpec.schema,
        ], required: ["type", "sparkVersion", "image", "mainApplicationFile"]).describe("What the user asks for.")
        .validated(SparkJobSpec.rules)
    }
}

extension SparkDeps {
    public static var schema: OpenAPISchema {
        .object([
            "jars": OpenAPISchema.array(.string(), maxItems: 256),
            "files": OpenAPISchema.array(.string(), maxItems: 256),
            "pyFiles": OpenAPISchema.array(.string(), maxItems: 256),
            "archives": OpenAPISchema.array(.string(), maxItems: 256),
            "packages": OpenAPISchema.array(.string(), maxItems: 256).describe("Maven coordinates (spark.jars.packages)."),
            "excludePackages": OpenAPISchema.array(.string(), maxItems: 256),
            "repositories": OpenAPISchema.array(.string(), maxItems: 64),
        ]).describe("Jars, files and packages (spark-submit --jars, --files, --py-files, --packages).")
    }
}

extension SparkPodSpec {
    /// The schema of `spec.driver` or `spec.executor`.
    public static func schema(role: String) -> OpenAPISchema {
        var properties: [(String, OpenAPISchema)] = [
            ("cores", OpenAPISchema.integer(minimum: 1).describe("spark.\(role).cores.")),
            ("coreRequest", OpenAPISchema.string(pattern: OpenAPISchema.quantityPattern, maxLength: 64).describe("The cpu request when it differs from cores (500m).")),
            ("coreLimit", OpenAPISchema.string(pattern: OpenAPISchema.quantityPattern, maxLength: 64).describe("The cpu limit (1200m).")),
            ("memory", OpenAPISchema.sparkMemory.describe("spark.\(role).memory: a whole number and k, m, g or t (512m, 2g).")),
            ("memoryOverhead", OpenAPISchema.sparkMemory.describe("spark.\(role).memoryOverhead (default: Spark's factor of memory, at least 384m).")),
            ("serviceAccount", OpenAPISchema.string(maxLength: 253)),
            ("labels", OpenAPISchema.map(.string())),
            ("annotations", OpenAPISchema.map(.string())),
            ("env", OpenAPISchema.array(.embeddedObject).describe("Kubernetes EnvVar entries.")),
            ("nodeSelector", OpenAPISchema.map(.string())),
            ("tolerations", OpenAPISchema.array(.embeddedObject)),
            ("affinity", OpenAPISchema.embeddedObject),
            ("volumes", OpenAPISchema.array(.embeddedObject).describe("Kubernetes Volume entries.")),
            ("volumeMounts", OpenAPISchema.array(.embeddedObject).describe("Kubernetes VolumeMount entries of the Spark container.")),
            ("template", OpenAPISchema.embeddedObject.describe("A pod template for anything else; Spark's settings override it.")),
        ]
        if role == "executor" {
            properties.insert(("instances", OpenAPISchema.integer(minimum: 0, maximum: 10_000).describe("spark.executor.instances (default 2).")), at: 5)
        }
        return OpenAPISchema.object(properties).describe("The \(role)'s pod settings.")
    }
}

extension SparkDynamicAllocationSpec {
    public static var schema: OpenAPISchema {
        .object([
            "enabled": .boolean(default: false),
            "initialExecutors": .integer(minimum: 0),
            "minExecutors": .integer(minimum: 0),
            "maxExecutors": .integer(minimum: 0),
            "shuffleTracking": OpenAPISchema.boolean().describe("spark.dynamicAllocation.shuffleTracking.enabled (default true when enabled)."),
        ]).describe("Spark's dynamic allocation (spark.dynamicAllocation.*).")
        .validated(rules)
    }

    /// The cross-field rules of `spec.dynamicAllocation` the API server checks at apply time
    /// (when it is enabled; the operator's `Invalid` condition says the same).
    public static let rules: [ValidationRule] = [
        ValidationRule(
            "!(has(self.enabled) && self.enabled) || !has(self.minExecutors) || !has(self.maxExecutors) || self.maxExecutors >= self.minExecutors",
            message: "maxExecutors must not be below minExecutors", fieldPath: ".maxExecutors"),
        ValidationRule(
            "!(has(self.enabled) && self.enabled) || !has(self.initialExecutors) || !has(self.minExecutors) || self.initialExecutors >= self.minExecutors",
            message: "initialExecutors must not be below minExecutors", fieldPath: ".initialExecutors"),
        ValidationRule(
            "!(has(self.enabled) && self.enabled) || !has(self.initialExecutors) || !has(self.maxExecutors) || self.initialExecutors <= self.maxExecutors",
            message: "initialExecutors must not be above maxExecutors", fieldPath: ".initialExecutors"),
    ]
}

extension SparkJobSpec {
    /// The cross-field rules of a SparkJob's spec the API server checks at apply time.
    public static let rules: [ValidationRule] = [
        ValidationRule(
            "!(self.type in ['Scala', 'Java']) || (has(self.mainClass) && self.mainClass != '')",
            message: "a Scala or Java application needs its main class; set spec.mainClass", fieldPath: ".mainClass"),
        ValidationRule(
            "!(has(self.analysis) && has(self.analysis.enabled) && self.analysis.enabled) || !has(self.sparkConf) || !('spark.eventLog.dir' in self.sparkConf)",
            message: "spec.analysis.enabled cannot be true together with spec.sparkConf[spark.eventLog.dir]: Spark writes one event log and the analysis sidecar needs it",
            fieldPath: ".analysis.enabled"),
    ]
}

extension SparkAdaptation {
    public static var schema: OpenAPISchema {
        let memory: (String) -> OpenAPISchema = { what in
            .object([
                "factor": .number(minimum: 1, default: 2),
                "max": OpenAPISchema.sparkMemory.describe("The cap (mandatory)."),
            ], required: ["max"]).describe(what)
        }
        let capacity = OpenAPISchema.string(enum: ["spot", "on-demand", "any"])
        return .object([
            "driverMemory": memory("After the driver ran out of memory: spark.driver.memory × factor, at most max."),
            "executorMemory": memory("After an executor ran out of memory: spark.executor.memory × factor, at most max."),
            "executors": OpenAPISchema.object([
                "step": .integer(minimum: 1),
                "factor": .number(minimum: 1),
                "max": OpenAPISchema.integer(minimum: 1).describe("The cap (mandatory)."),
            ], required: ["max"]).describe("After executors were lost or did not start in time: + step (or × factor) executors, at most max."),
            "capacity": OpenAPISchema.object([
                "driver": capacity.defaulting("on-demand").describe("Where drivers run."),
                "executors": capacity.defaulting("spot").describe("Where the first attempt's executors run."),
                "executorsOnDemandAfter": OpenAPISchema.object([
                    "classes": OpenAPISchema.array(.string(enumOf: FailureClass.self), maxItems: 16),
                    "failures": OpenAPISchema.integer(minimum: 1).describe("After this many failed attempts."),
                ]).describe("When executors move to on-demand (default: after an Interrupted failure)."),
            ]).describe("Spot or on-demand capacity for the driver and the executors."),
        ]).describe("How the next attempt differs from a failed one. Caps are mandatory.")
    }
}

extension SparkTimeouts {
    public static var schema: OpenAPISchema {
        .object([
            "driverStartSeconds": OpenAPISchema.integer(minimum: 1).describe("How long the driver may take to start running."),
            "executorStartSeconds": OpenAPISchema.integer(minimum: 1).describe("How long after the driver runs the minimum executors must be running."),
            "runSeconds": OpenAPISchema.integer(minimum: 1).describe("How long one attempt may run (the driver's activeDeadlineSeconds)."),
        ])
    }
}

// MARK: - Status

extension SparkJobStatus {
    public static var schema: OpenAPISchema {
        OpenAPISchema.object([
            "phase": .string(enum: SparkJob.phases.map(\.rawValue)),
            "observedGeneration": .integer(),
            "conditions": OpenAPISchema.array(.condition).describe("Submitted, Running, Succeeded, Failed, Suspended, Invalid."),
            "message": OpenAPISchema.string().describe("One sentence: why the job is where it is."),
            "sparkApplicationId": .string(),
            "startTime": .dateTime,
            "completionTime": .dateTime,
            "duration": OpenAPISchema.string().describe("From the first attempt to the end, once finished (a printer column)."),
            "retryGeneration": OpenAPISchema.integer().describe("The spec.retryGeneration last acted on."),
            "driver": .object(["pod": .string(), "node": .string(), "uiAddress": .string(), "state": .string()]),
            "executors": .object(["pending": .integer(), "running": .integer(), "succeeded": .integer(), "failed": .integer()]),
            "attempts": OpenAPISchema.integer().describe("Driver pods created so far (counted or not)."),
            "nextRetryTime": .dateTime,
            "history": OpenAPISchema.array(SparkAttemptRecord.schema).describe("Finished attempts, oldest first (bounded)."),
            "analysis": SparkAnalysisStatus.schema,
            "admission": QueueAdmissionRecord.schema,
            "transitions": OpenAPISchema.array(JobTransition.schema(phases: SparkJob.phases)).describe(
                "Phase transitions and ended attempts, oldest first, bounded: what the job-event sink sends (docs/events.md)."),
            "transitionsDelivered": OpenAPISchema.integer().describe("The newest transition the event sink delivered, once the job finished."),
            "current": .object([
                "attempt": .integer(), "countedFailures": .integer(), "failures": .integer(),
                "driverMemory": .string(), "executorMemory": .string(), "executorInstances": .integer(),
                "driverCapacity": .string(), "executorCapacity": .string(),
                "retryAfter": .dateTime, "launchedAt": .dateTime, "runningSince": .dateTime, "lastFailure": .string(),
            ]),
        ])
        .describe("What the operator reports.")
    }
}

extension SparkAttemptRecord {
    public static var schema: OpenAPISchema {
        .object([
            "attempt": .integer(), "sparkApplicationId": .string(), "driverPod": .string(), "node": .string(),
            "driverMemory": .string(), "executorMemory": .string(), "executorInstances": .integer(),
            "driverCapacity": .string(), "executorCapacity": .string(),
            "startTime": .dateTime, "finishTime": .dateTime, "exitCode": .integer(), "reason": .string(),
            "class": .string(enumOf: FailureClass.self), "role": .string(), "message": .string(), "counted": .boolean(),
            "adaptations": .array(.string()),
            "events": .array(AttemptEvent.schema),
            "executorFailures": .array(.object([
                "class": .string(enumOf: FailureClass.self), "exitCode": .integer(), "reason": .string(),
                "count": .integer(), "pod": .string(), "message": .string(),
            ])),
        ])
    }
}
