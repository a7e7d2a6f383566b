/// A Spark listener event the analysers use, decoded from one line of an event log.
///
/// Spark writes one JSON object per line (`JsonProtocol`); the field names below are Spark's,
/// the same in 3.5 and 4.0. Events no analyser needs (task starts, block updates, …) are not
/// decoded at all.
public enum SparkEvent: Sendable, Equatable {
    case logStart(sparkVersion: String)
    case applicationStart(ApplicationStart)
    case applicationEnd(timestamp: Int64)
    case environmentUpdate(sparkProperties: [String: String])
    case executorAdded(ExecutorAdded)
    case executorRemoved(ExecutorRemoved)
    case jobStart(JobStart)
    case stageCompleted(StageCompleted)
    case taskEnd(TaskEnd)
    /// Peak memory of an executor: `SparkListenerStageExecutorMetrics` and the
    /// `SparkListenerExecutorMetricsUpdate`s Spark 4.0 logs.
    case executorMetrics(executorID: String, metrics: ExecutorMetrics)
    case sqlExecutionStart(SQLExecutionStart)
    case sqlExecutionEnd(executionID: Int, time: Int64)
    /// A new physical plan for an execution (adaptive query execution re-plans as it runs).
    case sqlPlanUpdate(executionID: Int, plan: SparkPlanInfo)
    /// Values of driver-side SQL metrics (files and partitions a scan read).
    case driverAccumulatorUpdates(executionID: Int, updates: [AccumulatorUpdate])
}

public struct ApplicationStart: Sendable, Equatable, Decodable {
    public var name: String
    public var id: String?
    public var attemptID: String?
    public var timestamp: Int64
    public var user: String?

    enum CodingKeys: String, CodingKey {
        case name = "App Name", id = "App ID", attemptID = "App Attempt ID", timestamp = "Timestamp", user = "User"
    }
}

public struct ExecutorAdded: Sendable, Equatable, Decodable {
    public var timestamp: Int64
    public var executorID: String
    public var info: Info

    public struct Info: Sendable, Equatable, Decodable {
        public var host: String?
        public var totalCores: Int
        public var resourceProfileID: Int?

        enum CodingKeys: String, CodingKey {
            case host = "Host", totalCores = "Total Cores", resourceProfileID = "Resource Profile Id"
        }
    }

    enum CodingKeys: String, CodingKey {
        case timestamp = "Timestamp", executorID = "Executor ID", info = "Executor Info"
    }
}

public struct ExecutorRemoved: Sendable, Equatable, Decodable {
    public var timestamp: Int64
    public var executorID: String
    public var reason: String?

    enum CodingKeys: String, CodingKey {
        case timestamp = "Timestamp", executorID = "Executor ID", reason = "Removed Reason"
    }
}

public struct JobStart: Sendable, Equatable, Decodable {
    public var jobID: Int
    public var stageIDs: [Int]
    public var properties: [String: String]?

    /// The SQL execution that ran this job, when a Dataset action did.
    public var sqlExecutionID: Int? { properties?["spark.sql.execution.id"].flatMap { Int($0) } }

    enum CodingKeys: String, CodingKey {
        case jobID = "Job ID", stageIDs = "Stage IDs", properties = "Properties"
    }
}

public struct StageCompleted: Sendable, Equatable, Decodable {
    public var stageID: Int
    public var attemptID: Int
    public var name: String
    public var numberOfTasks: Int
    public var submissionTime: Int64?
    public var completionTime: Int64?
    public var failureReason: String?

    enum CodingKeys: String, CodingKey {
        case stageID = "Stage ID", attemptID = "Stage Attempt ID", name = "Stage Name", numberOfTasks = "Number of Tasks"
        case submissionTime = "Submission Time", completionTime = "Completion Time", failureReason = "Failure Reason"
    }
}

public struct AccumulatorUpdate: Sendable, Equatable {
    public var id: Int
    public var value: Int64

    public init(id: Int, value: Int64) {
        self.id = id
        self.value = value
    }
}
