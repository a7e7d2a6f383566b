import Foundation
import SparkAnalysisFiles
import Testing
@testable import SparkAnalysis

/// Finding a log on disk in Spark's layouts, and reading it whole.
@Suite struct EventLogFilesTests {
    let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("slipway-eventlog-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    private func touch(_ path: String, _ contents: String = "") throws {
        let url = directory.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(contents.utf8).write(to: url)
    }

    @Test func aSingleFileLogAndItsCodec() throws {
        try touch("local-1.zstd.inprogress")
        let layout = try EventLogLayout.locate(directory.appendingPathComponent("local-1.zstd.inprogress").path)
        #expect(layout.kind == .singleFile && !layout.finished && layout.files.map(\.codec) == [.zstd])
        // An event-log directory holding one application's log leads to it.
        #expect(try EventLogLayout.locate(directory.path).files == layout.files)
    }

    @Test func aRollingLogInOrderFromTheNewestCompaction() throws {
        for name in ["events_1_app.lz4", "events_2_app.lz4.compact", "events_10_app.lz4", "events_3_app.lz4", "appstatus_app", ".events_3_app.lz4.crc"] {
            try touch("eventlog_v2_app/\(name)")
        }
        let layout = try EventLogLayout.locate(directory.appendingPathComponent("eventlog_v2_app").path)
        #expect(layout.kind == .rolling && layout.finished)
        #expect(layout.files.map { ($0.path as NSString).lastPathComponent } == ["events_2_app.lz4.compact", "events_3_app.lz4", "events_10_app.lz4"])
        #expect(layout.files.allSatisfy { $0.codec == .lz4 })
    }

    @Test func errorsSayWhatToDo() throws {
        let missing = directory.appendingPathComponent("nope").path
        #expect(throws: EventLogLocationError("\(missing) does not exist: give an event log file or directory (spark.eventLog.dir)")) {
            try EventLogLayout.locate(missing)
        }
        try touch("local-1")
        try touch("local-2.lz4")
        let error = try #require(throws: EventLogLocationError.self) { try EventLogLayout.locate(directory.path) }
        #expect(error.description.contains("holds 2 event logs (local-1, local-2.lz4): name one"))
    }

    @Test func aFileThatIsNoEventLogIsRefused() throws {
        try touch("notes.txt", "hello\nworld\n")
        let error = try #require(throws: EventLogLocationError.self) { try EventLogFiles.parse(directory.appendingPathComponent("notes.txt").path) }
        #expect(error.description.contains("is not a Spark event log: none of its 2 lines is a listener event"))
    }

    @Test func unreadableLinesAreCountedAndNamed() throws {
        try touch("app", #"{"Event":"SparkListenerLogStart","Spark Version":"3.5.9"}"# + "\n"
            + #"{"Event":"SparkListenerTaskEnd","Stage ID":"one"}"# + "\n" + "garbage\n")
        let parser = try EventLogFiles.parse(directory.appendingPathComponent("app").path)
        #expect(parser.lines == 3 && parser.unreadableLines == 2)
        let note = try #require(parser.report().notes.first)
        #expect(note.hasPrefix("2 of 3 lines were not readable listener events (line 2: unexpected value at \"Stage ID\""))
        #expect(note.contains("line 3: not a Spark listener event"))
    }

    /// A log fed one byte at a time folds to the same application as the whole log at once.
    @Test func linesSplitAcrossReadsAreJoined() throws {
        let bytes = try Fixtures.bytes(try SparkFixtureTests.path("3.5", "clean").replacingOccurrences(of: Fixtures.root.path + "/", with: ""))
        var whole = EventLogParser()
        whole.startFile(codec: .none)
        try whole.feed(bytes)
        try whole.endFile(finished: true)
        var trickle = EventLogParser()
        trickle.startFile(codec: .none)
        for start in stride(from: 0, to: bytes.count, by: 333) { try trickle.feed(Array(bytes[start..<min(start + 333, bytes.count)])) }
        try trickle.endFile(finished: true)
        #expect(trickle.lines == whole.lines && trickle.model.eventCount == whole.model.eventCount)
        #expect(trickle.report() == whole.report())
    }
}
