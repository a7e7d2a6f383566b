/// `SparkListenerTaskEnd`: where a task ran, how long, and what it read, spilled and collected.
public struct TaskEnd: Sendable, Equatable, Decodable {
    public var stageID: Int
    public var stageAttemptID: Int
    public var reason: String
    public var info: Info
    public var metrics: Metrics?
    public var executorMetrics: ExecutorMetrics?

    public struct Info: Sendable, Equatable, Decodable {
        public var taskID: Int64
        public var executorID: String
        public var launchTime: Int64
        public var finishTime: Int64
        public var failed: Bool?
        public var killed: Bool?

        /// Wall time from launch to finish, in milliseconds.
        public var durationMillis: Int64 { max(0, finishTime - launchTime) }

        enum CodingKeys: String, CodingKey {
            case taskID = "Task ID", executorID = "Executor ID", launchTime = "Launch Time", finishTime = "Finish Time"
            case failed = "Failed", killed = "Killed"
        }
    }

    public struct Metrics: Sendable, Equatable, Decodable {
        public var executorRunTime: Int64
        public var jvmGCTime: Int64
        public var memoryBytesSpilled: Int64
        public var diskBytesSpilled: Int64
        public var peakExecutionMemory: Int64?
        public var inputBytesRead: Int64
        public var shuffleBytesRead: Int64
        public var shuffleBytesWritten: Int64

        enum CodingKeys: String, CodingKey {
            case executorRunTime = "Executor Run Time", jvmGCTime = "JVM GC Time"
            case memoryBytesSpilled = "Memory Bytes Spilled", diskBytesSpilled = "Disk Bytes Spilled"
            case peakExecutionMemory = "Peak Execution Memory"
            case input = "Input Metrics", shuffleRead = "Shuffle Read Metrics", shuffleWrite = "Shuffle Write Metrics"
        }

        enum InputKeys: String, CodingKey { case bytesRead = "Bytes Read" }
        enum ShuffleReadKeys: String, CodingKey { case remote = "Remote Bytes Read", local = "Local Bytes Read" }
        enum ShuffleWriteKeys: String, CodingKey { case written = "Shuffle Bytes Written" }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            executorRunTime = try c.decodeIfPresent(Int64.self, forKey: .executorRunTime) ?? 0
            jvmGCTime = try c.decodeIfPresent(Int64.self, forKey: .jvmGCTime) ?? 0
            memoryBytesSpilled = try c.decodeIfPresent(Int64.self, forKey: .memoryBytesSpilled) ?? 0
            diskBytesSpilled = try c.decodeIfPresent(Int64.self, forKey: .diskBytesSpilled) ?? 0
            peakExecutionMemory = try c.decodeIfPresent(Int64.self, forKey: .peakExecutionMemory)
            let input = try? c.nestedContainer(keyedBy: InputKeys.self, forKey: .input)
            inputBytesRead = try input?.decodeIfPresent(Int64.self, forKey: .bytesRead) ?? 0
            let read = try? c.nestedContainer(keyedBy: ShuffleReadKeys.self, forKey: .shuffleRead)
            shuffleBytesRead = (try read?.decodeIfPresent(Int64.self, forKey: .remote) ?? 0)
                + (try read?.decodeIfPresent(Int64.self, forKey: .local) ?? 0)
            let write = try? c.nestedContainer(keyedBy: ShuffleWriteKeys.self, forKey: .shuffleWrite)
            shuffleBytesWritten = try write?.decodeIfPresent(Int64.self, forKey: .written) ?? 0
        }

        public init(
            executorRunTime: Int64, jvmGCTime: Int64 = 0, memoryBytesSpilled: Int64 = 0, diskBytesSpilled: Int64 = 0,
            peakExecutionMemory: Int64? = nil, inputBytesRead: Int64 = 0, shuffleBytesRead: Int64 = 0, shuffleBytesWritten: Int64 = 0
        ) {
            self.executorRunTime = executorRunTime
            self.jvmGCTime = jvmGCTime
            self.memoryBytesSpilled = memoryBytesSpilled
            self.diskBytesSpilled = diskBytesSpilled
            self.peakExecutionMemory = peakExecutionMemory
            self.inputBytesRead = inputBytesRead
            self.shuffleBytesRead = shuffleBytesRead
            self.shuffleBytesWritten = shuffleBytesWritten
        }
    }

    enum CodingKeys: String, CodingKey {
        case stageID = "Stage ID", stageAttemptID = "Stage Attempt ID", reason = "Task End Reason", info = "Task Info"
        case metrics = "Task Metrics", executorMetrics = "Task Executor Metrics"
    }

    enum ReasonKeys: String, CodingKey { case reason = "Reason" }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        stageID = try c.decode(Int.self, forKey: .stageID)
        stageAttemptID = try c.decodeIfPresent(Int.self, forKey: .stageAttemptID) ?? 0
        let r = try? c.nestedContainer(keyedBy: ReasonKeys.self, forKey: .reason)
        reason = try r?.decodeIfPresent(String.self, forKey: .reason) ?? "Unknown"
        info = try c.decode(Info.self, forKey: .info)
        metrics = try c.decodeIfPresent(Metrics.self, forKey: .metrics)
        executorMetrics = try c.decodeIfPresent(ExecutorMetrics.self, forKey: .executorMetrics)
    }

    public init(stageID: Int, stageAttemptID: Int = 0, reason: String = "Success", info: Info, metrics: Metrics?, executorMetrics: ExecutorMetrics? = nil) {
        self.stageID = stageID
        self.stageAttemptID = stageAttemptID
        self.reason = reason
        self.info = info
        self.metrics = metrics
        self.executorMetrics = executorMetrics
    }
}

/// The executor memory metrics the sizing analyser reads (bytes), from Spark's `ExecutorMetrics`.
public struct ExecutorMetrics: Sendable, Equatable, Decodable {
    /// Used JVM heap.
    public var jvmHeapMemory: Int64
    /// Used JVM non-heap memory (metaspace, code cache, …).
    public var jvmOffHeapMemory: Int64
    /// Spark's own off-heap execution and storage memory (`spark.memory.offHeap`).
    public var offHeapUnifiedMemory: Int64

    public init(jvmHeapMemory: Int64, jvmOffHeapMemory: Int64 = 0, offHeapUnifiedMemory: Int64 = 0) {
        self.jvmHeapMemory = jvmHeapMemory
        self.jvmOffHeapMemory = jvmOffHeapMemory
        self.offHeapUnifiedMemory = offHeapUnifiedMemory
    }

    enum CodingKeys: String, CodingKey {
        case jvmHeapMemory = "JVMHeapMemory", jvmOffHeapMemory = "JVMOffHeapMemory", offHeapUnifiedMemory = "OffHeapUnifiedMemory"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        jvmHeapMemory = try c.decodeIfPresent(Int64.self, forKey: .jvmHeapMemory) ?? 0
        jvmOffHeapMemory = try c.decodeIfPresent(Int64.self, forKey: .jvmOffHeapMemory) ?? 0
        offHeapUnifiedMemory = try c.decodeIfPresent(Int64.self, forKey: .offHeapUnifiedMemory) ?? 0
    }
}
