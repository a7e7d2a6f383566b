/// What an event log says about one Spark application, folded event by event.
///
/// Memory stays bounded by the application's shape (executors, stages, SQL executions), never by
/// the log's length: a stage keeps its task durations only until it completes, then a summary.
/// Folding is pure: ``apply(_:)`` reads nothing but the event.
public struct ApplicationModel: Sendable {
    public internal(set) var sparkVersion: String?
    public internal(set) var applicationName: String?
    public internal(set) var applicationID: String?
    public internal(set) var user: String?
    public internal(set) var startTime: Int64?
    public internal(set) var endTime: Int64?
    /// The latest timestamp any event carried: the end of an application still running.
    public internal(set) var lastEventTime: Int64?
    public internal(set) var sparkProperties: [String: String] = [:]
    public internal(set) var executors: [String: ExecutorRecord] = [:]
    public internal(set) var stages: [StageKey: StageRecord] = [:]
    public internal(set) var executions: [Int: ExecutionRecord] = [:]
    /// Events folded in (of the kinds the analysers use).
    public internal(set) var eventCount = 0
    /// The SQL execution of each stage's job.
    var executionOfStage: [Int: Int] = [:]

    public init() {}

    /// Folds one event in.
    public mutating func apply(_ event: SparkEvent) {
        eventCount += 1
        switch event {
        case .logStart(let version): sparkVersion = version
        case .applicationStart(let start):
            applicationName = start.name
            applicationID = start.id
            user = start.user
            startTime = start.timestamp
            observe(start.timestamp)
        case .applicationEnd(let time):
            endTime = time
            observe(time)
        case .environmentUpdate(let properties): sparkProperties.merge(properties) { _, new in new }
        case .executorAdded(let added): addExecutor(added)
        case .executorRemoved(let removed): removeExecutor(removed)
        case .jobStart(let job):
            if let execution = job.sqlExecutionID {
                for stage in job.stageIDs { executionOfStage[stage] = execution }
            }
        case .stageCompleted(let stage): completeStage(stage)
        case .taskEnd(let task): endTask(task)
        case .executorMetrics(let id, let metrics): executors[id, default: ExecutorRecord(id: id)].observe(metrics)
        case .sqlExecutionStart(let start): startExecution(start)
        case .sqlExecutionEnd(let id, let time):
            executions[id]?.endTime = time
            observe(time)
        case .sqlPlanUpdate(let id, let plan): executions[id]?.addScans(from: plan)
        case .driverAccumulatorUpdates(let id, let updates): executions[id]?.record(updates)
        }
    }

    mutating func observe(_ time: Int64) {
        lastEventTime = max(lastEventTime ?? time, time)
    }

    /// The end of the application, or of what the log has shown of it so far.
    public var effectiveEndTime: Int64? { endTime ?? lastEventTime }

    /// Whether the log holds the application's end (a finished application).
    public var isComplete: Bool { endTime != nil }

    /// Wall-clock seconds from the application's start to its (effective) end.
    public var durationSeconds: Double {
        guard let start = startTime, let end = effectiveEndTime else { return 0 }
        return Double(max(0, end - start)) / 1000
    }

    /// Core-seconds the application held: each executor's cores for its lifetime.
    public var allocatedCoreSeconds: Double {
        executors.values.reduce(0) { $0 + Double($1.cores) * lifetimeSeconds(of: $1) }
    }

    /// Seconds an executor lived (to the application's end when it was never removed).
    public func lifetimeSeconds(of executor: ExecutorRecord) -> Double {
        guard let added = executor.addedTime, let end = executor.removedTime ?? effectiveEndTime else { return 0 }
        return Double(max(0, end - added)) / 1000
    }

    /// Task run time of all tasks, in core-seconds.
    public var taskCoreSeconds: Double {
        Double(stages.values.reduce(0) { $0 + $1.runTimeMillis }) / 1000
    }
}
