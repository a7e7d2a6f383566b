import Foundation
import SparkAnalysis

/// Where an application's event log is, in Spark's two layouts:
///
/// - one file: `<appId>[_<attempt>][.<codec>]`, named `….inprogress` while the application runs;
/// - rolling (`spark.eventLog.rolling.enabled`, Spark 4.0's default): a directory
///   `eventlog_v2_<appId>[_<attempt>]` holding `events_<n>_<appId>[.<codec>]` files (n from 1; a
///   `.compact` suffix after compaction) and an empty `appstatus_<appId>[.inprogress]` file.
public struct EventLogLayout: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case singleFile
        case rolling
    }

    public var kind: Kind
    /// The file, or the rolling log's directory.
    public var path: String
    /// The files holding events, in order, with their codecs.
    public var files: [EventLogFile]
    /// Whether Spark has marked the log finished (no `.inprogress`).
    public var finished: Bool

    public struct EventLogFile: Sendable, Equatable {
        public var path: String
        public var codec: EventLogCodec
    }
}

/// Why an event log cannot be read; each says what to do.
public struct EventLogLocationError: Error, Equatable, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

extension EventLogLayout {
    /// The layout of the log at `path`: a log file, a rolling log directory, or an event-log
    /// directory (`spark.eventLog.dir`) that holds exactly one application's log.
    public static func locate(_ path: String, fileManager: FileManager = .default) throws -> EventLogLayout {
        var isDirectory: ObjCBool = false
        guard fileManager.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw EventLogLocationError("\(path) does not exist: give an event log file or directory (spark.eventLog.dir)")
        }
        let name = (path as NSString).lastPathComponent
        if !isDirectory.boolValue {
            return EventLogLayout(kind: .singleFile, path: path, files: [.init(path: path, codec: EventLogCodec(fileName: name))],
                                  finished: !name.hasSuffix(".inprogress"))
        }
        let entries = try fileManager.contentsOfDirectory(atPath: path)
        if name.hasPrefix("eventlog_v2_") || entries.contains(where: { $0.hasPrefix("events_") }) {
            return try rolling(path, entries: entries)
        }
        let logs = applicationLogs(in: entries)
        guard logs.count == 1 else {
            throw EventLogLocationError(logs.isEmpty
                ? "\(path) holds no Spark event log (files named after the application id, or eventlog_v2_* directories)"
                : "\(path) holds \(logs.count) event logs (\(logs.sorted().prefix(5).joined(separator: ", "))): name one")
        }
        return try locate((path as NSString).appendingPathComponent(logs[0]), fileManager: fileManager)
    }

    /// Entries of an event-log directory that are application logs (not checksums or hidden files).
    static func applicationLogs(in entries: [String]) -> [String] {
        entries.filter { !$0.hasPrefix(".") && !$0.hasSuffix(".crc") }
    }

    private static func rolling(_ path: String, entries: [String]) throws -> EventLogLayout {
        var numbered: [(Int, String)] = entries.compactMap { entry in
            guard entry.hasPrefix("events_") else { return nil }
            let parts = entry.split(separator: "_", maxSplits: 2)
            guard parts.count == 3, let n = Int(parts[1]) else { return nil }
            return (n, entry)
        }
        numbered.sort { $0.0 < $1.0 }
        // After compaction the newest `.compact` file replaces every file before it.
        if let compact = numbered.lastIndex(where: { $0.1.hasSuffix(".compact") }) {
            numbered.removeFirst(compact)
        }
        let files = numbered.map { _, entry in
            var base = entry
            if base.hasSuffix(".compact") { base.removeLast(".compact".count) }
            return EventLogFile(path: (path as NSString).appendingPathComponent(entry), codec: EventLogCodec(fileName: base))
        }
        let statuses = entries.filter { $0.hasPrefix("appstatus_") }
        let finished = statuses.contains { !$0.hasSuffix(".inprogress") }
        return EventLogLayout(kind: .rolling, path: path, files: files, finished: finished)
    }
}
