import Foundation
import SparkAnalysis

/// Follows an application's event log while Spark writes it — in a directory that the driver
/// writes to (`spark.eventLog.dir`), or a log file or rolling-log directory — and parses every
/// event as it is flushed, until Spark marks the log finished or the caller asks to stop.
///
/// Sleeping and the stop request are injected: the sidecar passes `Task.sleep` and its SIGTERM
/// flag, tests a step function that writes more of the log each time.
public struct EventLogFollower: Sendable {
    /// Why following ended.
    public enum Ending: Sendable, Equatable {
        /// Spark marked the log finished and every byte was read.
        case finished
        /// Asked to stop before that; what was written so far was read.
        case stopped
        /// Asked to stop before any log appeared.
        case noLog
    }

    public let path: String
    public let pollInterval: Duration
    private let sleep: @Sendable (Duration) async throws -> Void
    private let shouldStop: @Sendable () -> Bool

    public init(
        path: String, pollInterval: Duration = .seconds(1),
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) },
        shouldStop: @escaping @Sendable () -> Bool
    ) {
        self.path = path
        self.pollInterval = pollInterval
        self.sleep = sleep
        self.shouldStop = shouldStop
    }

    /// Follows the log to its end (or a stop); returns the parser and why it ended.
    public func run() async throws -> (EventLogParser, Ending) {
        var parser = EventLogParser()
        guard var layout = try await waitForLog() else { return (parser, .noLog) }
        var index = 0
        var handle = try EventLogFiles.open(layout.files[0].path)
        defer { try? handle.close() }
        parser.startFile(codec: layout.files[0].codec)
        while true {
            try drain(handle, into: &parser)
            let stopping = shouldStop()
            layout = relocate() ?? layout
            if index + 1 < layout.files.count {
                // Spark closes a rolled file before it creates the next one: read its rest, move on.
                try drain(handle, into: &parser)
                try parser.endFile(finished: true)
                try? handle.close()
                index += 1
                handle = try EventLogFiles.open(layout.files[index].path)
                parser.startFile(codec: layout.files[index].codec)
                continue
            }
            if layout.finished || stopping {
                try drain(handle, into: &parser)
                try parser.endFile(finished: layout.finished)
                return (parser, layout.finished ? .finished : .stopped)
            }
            try await sleep(pollInterval)
        }
    }

    /// The log's layout now. A followed `….inprogress` file that is gone was renamed: finished.
    private func relocate() -> EventLogLayout? {
        if let layout = try? EventLogLayout.locate(path) { return layout }
        guard path.hasSuffix(".inprogress") else { return nil }
        return try? EventLogLayout.locate(String(path.dropLast(".inprogress".count)))
    }

    /// Polls until a log with at least one events file exists; nil when asked to stop first.
    private func waitForLog() async throws -> EventLogLayout? {
        while true {
            if let layout = try? EventLogLayout.locate(path), !layout.files.isEmpty { return layout }
            if shouldStop() { return nil }
            try await sleep(pollInterval)
        }
    }

    private func drain(_ handle: FileHandle, into parser: inout EventLogParser) throws {
        while let chunk = try handle.read(upToCount: EventLogFiles.chunkSize), !chunk.isEmpty {
            try parser.feed([UInt8](chunk))
        }
    }
}
