/// A stage attempt.
public struct StageKey: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var stageID: Int
    public var attemptID: Int

    public init(stageID: Int, attemptID: Int) {
        self.stageID = stageID
        self.attemptID = attemptID
    }

    public static func < (a: StageKey, b: StageKey) -> Bool { (a.stageID, a.attemptID) < (b.stageID, b.attemptID) }

    public var description: String { attemptID == 0 ? "stage \(stageID)" : "stage \(stageID) (attempt \(attemptID))" }
}

/// One executor: its cores, lifetime, peak memory and the tasks it ran.
public struct ExecutorRecord: Sendable, Equatable {
    public var id: String
    public var host: String?
    public var cores = 0
    public var addedTime: Int64?
    public var removedTime: Int64?
    public var removedReason: String?
    public var resourceProfileID = 0
    /// Peak used JVM heap, bytes (nil: no sample logged).
    public var peakHeap: Int64?
    public var peakNonHeap: Int64?
    public var peakOffHeapUnified: Int64?
    public var tasks = 0
    public var failedTasks = 0
    public var runTimeMillis: Int64 = 0
    public var gcTimeMillis: Int64 = 0
    public var failedRunTimeMillis: Int64 = 0

    public init(id: String) { self.id = id }

    /// Whether this is the driver (local mode runs tasks in it).
    public var isDriver: Bool { id == "driver" }

    mutating func observe(_ metrics: ExecutorMetrics) {
        if metrics.jvmHeapMemory > 0 { peakHeap = max(peakHeap ?? 0, metrics.jvmHeapMemory) }
        if metrics.jvmOffHeapMemory > 0 { peakNonHeap = max(peakNonHeap ?? 0, metrics.jvmOffHeapMemory) }
        if metrics.offHeapUnifiedMemory > 0 { peakOffHeapUnified = max(peakOffHeapUnified ?? 0, metrics.offHeapUnifiedMemory) }
    }
}

/// One stage attempt: its tasks' time, spill and input, and the spread of task durations.
public struct StageRecord: Sendable, Equatable {
    public var key: StageKey
    public var name = ""
    public var numberOfTasks = 0
    public var completed = false
    public var failureReason: String?
    public var submissionTime: Int64?
    public var completionTime: Int64?
    public var executionID: Int?
    public var tasks = 0
    public var failedTasks = 0
    public var runTimeMillis: Int64 = 0
    public var gcTimeMillis: Int64 = 0
    public var memoryBytesSpilled: Int64 = 0
    public var diskBytesSpilled: Int64 = 0
    public var inputBytes: Int64 = 0
    public var shuffleReadBytes: Int64 = 0
    public var shuffleWriteBytes: Int64 = 0
    /// Durations of successful tasks until the stage completes, then only their summary.
    var liveDurations: [Int64] = []
    var completedSummary: DurationSummary?

    public init(key: StageKey) { self.key = key }

    /// Max, median and count of successful task durations (ms).
    public var durations: DurationSummary { completedSummary ?? DurationSummary(liveDurations) }
}

/// The spread of task durations in a stage.
public struct DurationSummary: Sendable, Equatable {
    public var count: Int
    public var medianMillis: Int64
    public var maxMillis: Int64

    public init(_ durations: [Int64]) {
        count = durations.count
        guard !durations.isEmpty else {
            medianMillis = 0
            maxMillis = 0
            return
        }
        let sorted = durations.sorted()
        let mid = sorted.count / 2
        medianMillis = sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
        maxMillis = sorted[sorted.count - 1]
    }
}

extension ApplicationModel {
    mutating func addExecutor(_ added: ExecutorAdded) {
        var record = executors[added.executorID] ?? ExecutorRecord(id: added.executorID)
        record.host = added.info.host
        record.cores = added.info.totalCores
        record.addedTime = added.timestamp
        record.resourceProfileID = added.info.resourceProfileID ?? 0
        executors[added.executorID] = record
        observe(added.timestamp)
    }

    mutating func removeExecutor(_ removed: ExecutorRemoved) {
        executors[removed.executorID, default: ExecutorRecord(id: removed.executorID)].removedTime = removed.timestamp
        executors[removed.executorID]?.removedReason = removed.reason
        observe(removed.timestamp)
    }

    mutating func endTask(_ task: TaskEnd) {
        let key = StageKey(stageID: task.stageID, attemptID: task.stageAttemptID)
        var stage = stages[key] ?? StageRecord(key: key)
        stage.executionID = stage.executionID ?? executionOfStage[task.stageID]
        let run = task.metrics?.executorRunTime ?? 0
        let succeeded = task.reason == "Success"
        stage.tasks += 1
        stage.runTimeMillis += run
        if let m = task.metrics {
            stage.gcTimeMillis += m.jvmGCTime
            stage.memoryBytesSpilled += m.memoryBytesSpilled
            stage.diskBytesSpilled += m.diskBytesSpilled
            stage.inputBytes += m.inputBytesRead
            stage.shuffleReadBytes += m.shuffleBytesRead
            stage.shuffleWriteBytes += m.shuffleBytesWritten
        }
        if succeeded { stage.liveDurations.append(task.info.durationMillis) } else { stage.failedTasks += 1 }
        stages[key] = stage

        var executor = executors[task.info.executorID] ?? ExecutorRecord(id: task.info.executorID)
        executor.tasks += 1
        executor.runTimeMillis += run
        executor.gcTimeMillis += task.metrics?.jvmGCTime ?? 0
        if !succeeded {
            executor.failedTasks += 1
            executor.failedRunTimeMillis += run
        }
        if let metrics = task.executorMetrics { executor.observe(metrics) }
        executors[task.info.executorID] = executor

        if let id = stage.executionID {
            executions[id]?.taskRunMillis += run
            if (task.metrics?.inputBytesRead ?? 0) > 0 { executions[id]?.inputTaskRunMillis += run }
        }
        observe(task.info.finishTime)
    }

    mutating func completeStage(_ info: StageCompleted) {
        let key = StageKey(stageID: info.stageID, attemptID: info.attemptID)
        var stage = stages[key] ?? StageRecord(key: key)
        stage.name = info.name
        stage.numberOfTasks = info.numberOfTasks
        stage.submissionTime = info.submissionTime
        stage.completionTime = info.completionTime
        stage.failureReason = info.failureReason
        stage.executionID = stage.executionID ?? executionOfStage[info.stageID]
        stage.completed = true
        stage.completedSummary = DurationSummary(stage.liveDurations)
        stage.liveDurations = []
        stages[key] = stage
        if let time = info.completionTime { observe(time) }
    }
}
