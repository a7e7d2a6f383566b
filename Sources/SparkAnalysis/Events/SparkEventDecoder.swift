import Foundation

/// Decodes one line of an event log into a ``SparkEvent``, or nil for the events no analyser
/// needs. The event name is read first and the other events are never parsed: most of a log's
/// bytes are task starts, metric updates and block updates.
public struct SparkEventDecoder {
    private let json = JSONDecoder()

    public init() {}

    private static let prefix = Array(#"{"Event":""#.utf8)
    private static let sqlPrefix = "org.apache.spark.sql.execution.ui."

    /// The event name of `line`, read from Spark's leading `{"Event":"…"` without parsing the rest.
    static func eventName(_ line: UnsafeRawBufferPointer) -> String? {
        guard line.count > prefix.count, line.starts(with: prefix) else { return nil }
        let start = prefix.count
        guard let end = line[start...].firstIndex(of: UInt8(ascii: "\"")) else { return nil }
        return String(decoding: UnsafeRawBufferPointer(rebasing: line[start..<end]), as: UTF8.self)
    }

    /// The event on `line`; nil when the analysers do not use its kind.
    public func decode(_ line: UnsafeRawBufferPointer) throws -> SparkEvent? {
        guard let name = Self.eventName(line) else {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "not a Spark listener event (no leading \"Event\" field)"))
        }
        let short = name.hasPrefix(Self.sqlPrefix) ? String(name.dropFirst(Self.sqlPrefix.count)) : name
        guard let kind = Self.kinds[short] else { return nil }
        return try decode(kind, Data(line))
    }

    private enum Kind {
        case logStart, appStart, appEnd, environment, executorAdded, executorRemoved, jobStart, stageCompleted, taskEnd
        case stageExecutorMetrics, executorMetricsUpdate, sqlStart, sqlEnd, sqlAdaptive, driverAccum
    }

    private static let kinds: [String: Kind] = [
        "SparkListenerLogStart": .logStart, "SparkListenerApplicationStart": .appStart,
        "SparkListenerApplicationEnd": .appEnd, "SparkListenerEnvironmentUpdate": .environment,
        "SparkListenerExecutorAdded": .executorAdded, "SparkListenerExecutorRemoved": .executorRemoved,
        "SparkListenerJobStart": .jobStart, "SparkListenerStageCompleted": .stageCompleted,
        "SparkListenerTaskEnd": .taskEnd, "SparkListenerStageExecutorMetrics": .stageExecutorMetrics,
        "SparkListenerExecutorMetricsUpdate": .executorMetricsUpdate,
        "SparkListenerSQLExecutionStart": .sqlStart, "SparkListenerSQLExecutionEnd": .sqlEnd,
        "SparkListenerSQLAdaptiveExecutionUpdate": .sqlAdaptive, "SparkListenerDriverAccumUpdates": .driverAccum,
    ]

    private func decode(_ kind: Kind, _ data: Data) throws -> SparkEvent? {
        switch kind {
        case .logStart: return .logStart(sparkVersion: try json.decode(LogStartLine.self, from: data).version)
        case .appStart: return .applicationStart(try json.decode(ApplicationStart.self, from: data))
        case .appEnd: return .applicationEnd(timestamp: try json.decode(TimestampLine.self, from: data).timestamp)
        case .environment: return .environmentUpdate(sparkProperties: try json.decode(EnvironmentLine.self, from: data).properties ?? [:])
        case .executorAdded: return .executorAdded(try json.decode(ExecutorAdded.self, from: data))
        case .executorRemoved: return .executorRemoved(try json.decode(ExecutorRemoved.self, from: data))
        case .jobStart: return .jobStart(try json.decode(JobStart.self, from: data))
        case .stageCompleted: return .stageCompleted(try json.decode(StageCompletedLine.self, from: data).info)
        case .taskEnd: return .taskEnd(try json.decode(TaskEnd.self, from: data))
        case .stageExecutorMetrics:
            let line = try json.decode(StageExecutorMetricsLine.self, from: data)
            return .executorMetrics(executorID: line.executorID, metrics: line.metrics)
        case .executorMetricsUpdate:
            let line = try json.decode(ExecutorMetricsUpdateLine.self, from: data)
            guard let peak = line.updates?.map(\.metrics).max(by: { $0.jvmHeapMemory < $1.jvmHeapMemory }) else { return nil }
            return .executorMetrics(executorID: line.executorID, metrics: peak)
        case .sqlStart: return .sqlExecutionStart(try json.decode(SQLExecutionStart.self, from: data))
        case .sqlEnd:
            let line = try json.decode(SQLExecutionEndLine.self, from: data)
            return .sqlExecutionEnd(executionID: line.executionId, time: line.time)
        case .sqlAdaptive:
            let line = try json.decode(SQLAdaptiveLine.self, from: data)
            return .sqlPlanUpdate(executionID: line.executionId, plan: line.sparkPlanInfo)
        case .driverAccum:
            let line = try json.decode(DriverAccumLine.self, from: data)
            let updates = line.accumUpdates.compactMap { pair in pair.count == 2 ? AccumulatorUpdate(id: Int(pair[0]), value: pair[1]) : nil }
            return .driverAccumulatorUpdates(executionID: line.executionId, updates: updates)
        }
    }
}

// MARK: - Line shapes of the events whose payload is one or two fields

private struct LogStartLine: Decodable {
    var version: String
    enum CodingKeys: String, CodingKey { case version = "Spark Version" }
}

private struct TimestampLine: Decodable {
    var timestamp: Int64
    enum CodingKeys: String, CodingKey { case timestamp = "Timestamp" }
}

private struct EnvironmentLine: Decodable {
    var properties: [String: String]?
    enum CodingKeys: String, CodingKey { case properties = "Spark Properties" }
}

private struct StageCompletedLine: Decodable {
    var info: StageCompleted
    enum CodingKeys: String, CodingKey { case info = "Stage Info" }
}

private struct StageExecutorMetricsLine: Decodable {
    var executorID: String
    var metrics: ExecutorMetrics
    enum CodingKeys: String, CodingKey { case executorID = "Executor ID", metrics = "Executor Metrics" }
}

private struct ExecutorMetricsUpdateLine: Decodable {
    var executorID: String
    var updates: [Update]?
    struct Update: Decodable {
        var metrics: ExecutorMetrics
        enum CodingKeys: String, CodingKey { case metrics = "Executor Metrics" }
    }
    enum CodingKeys: String, CodingKey { case executorID = "Executor ID", updates = "Executor Metrics Updated" }
}

private struct SQLExecutionEndLine: Decodable {
    var executionId: Int
    var time: Int64
}

private struct SQLAdaptiveLine: Decodable {
    var executionId: Int
    var sparkPlanInfo: SparkPlanInfo
}

private struct DriverAccumLine: Decodable {
    var executionId: Int
    var accumUpdates: [[Int64]]
}
