import Foundation
import SparkAnalysis

/// Reads an event log from disk once, in bounded chunks, into a parser.
public enum EventLogFiles {
    /// Bytes read per call: the memory a read holds beyond the parser's.
    public static let chunkSize = 1 << 20

    /// Parses the whole log at `path` (see ``EventLogLayout/locate(_:fileManager:)``).
    public static func parse(_ path: String) throws -> EventLogParser {
        let layout = try EventLogLayout.locate(path)
        guard !layout.files.isEmpty else { throw EventLogLocationError("\(path) holds no events_* file yet") }
        var parser = EventLogParser()
        for (i, file) in layout.files.enumerated() {
            let handle = try open(file.path)
            defer { try? handle.close() }
            parser.startFile(codec: file.codec)
            while let chunk = try handle.read(upToCount: chunkSize), !chunk.isEmpty {
                try parser.feed([UInt8](chunk))
            }
            // Files before the last are finished (Spark rolled past them); the last when Spark says so.
            try parser.endFile(finished: i < layout.files.count - 1 || layout.finished)
        }
        guard parser.model.eventCount > 0 else {
            throw EventLogLocationError("\(path) is not a Spark event log: none of its \(parser.lines) lines is a listener event"
                + (parser.problems.isEmpty ? "" : " (\(parser.problems.joined(separator: "; ")))"))
        }
        return parser
    }

    static func open(_ path: String) throws -> FileHandle {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw EventLogLocationError("cannot open \(path) for reading")
        }
        return handle
    }
}
