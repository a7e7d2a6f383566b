import Foundation
import SparkAnalysisFiles
import Synchronization
import Testing
@testable import SparkAnalysis

/// Plays Spark writing an event log: each step (one poll of the follower) does the next write.
actor LogWriter {
    typealias Step = @Sendable () throws -> Void
    private var steps: [Step]
    private(set) var done = 0

    init(_ steps: [Step]) { self.steps = steps }

    func step() throws {
        guard !steps.isEmpty else { return }
        try steps.removeFirst()()
        done += 1
    }

    var finished: Bool { steps.isEmpty }
}

final class StopFlag: Sendable {
    let value = Atomic<Bool>(false)
}

/// Following a log while it is written, in both of Spark's layouts, cut at arbitrary bytes.
@Suite struct EventLogFollowerTests {
    let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("slipway-follow-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    private static func append(_ bytes: ArraySlice<UInt8>, to url: URL) throws {
        if !FileManager.default.fileExists(atPath: url.path) { FileManager.default.createFile(atPath: url.path, contents: nil) }
        let handle = try FileHandle(forWritingTo: url)
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(bytes))
        try handle.close()
    }

    /// Steps writing `bytes` into `name` in pieces of `piece` bytes.
    private func writes(_ bytes: [UInt8], to name: String, piece: Int) -> [LogWriter.Step] {
        let url = directory.appendingPathComponent(name)
        return stride(from: 0, to: bytes.count, by: piece).map { start in
            { try Self.append(bytes[start..<min(start + piece, bytes.count)], to: url) }
        }
    }

    private func create(_ name: String) -> LogWriter.Step {
        let url = directory.appendingPathComponent(name)
        return { try Self.append([], to: url) }
    }

    private func rename(_ from: String, _ to: String) -> LogWriter.Step {
        let (a, b) = (directory.appendingPathComponent(from), directory.appendingPathComponent(to))
        return { try FileManager.default.moveItem(at: a, to: b) }
    }

    private func follow(_ path: String, _ writer: LogWriter, stopAfter: Int? = nil) async throws -> (EventLogParser, EventLogFollower.Ending) {
        let stop = StopFlag()
        let follower = EventLogFollower(path: path, sleep: { _ in
            try await writer.step()
            if let stopAfter, await writer.done >= stopAfter { stop.value.store(true, ordering: .relaxed) }
        }, shouldStop: { stop.value.load(ordering: .relaxed) })
        return try await follower.run()
    }

    private func oneShot(_ version: String, _ scenario: String) throws -> AnalysisReport {
        try EventLogFiles.parse(try SparkFixtureTests.path(version, scenario)).report()
    }

    @Test func aZstdRollingLogFollowedInPiecesCutMidFrame() async throws {
        let fixture = try SparkFixtureTests.path("4.0", "clean")
        let layout = try EventLogLayout.locate(fixture)
        let events = [UInt8](try Data(contentsOf: URL(fileURLWithPath: layout.files[0].path)))
        let name = (layout.files[0].path as NSString).lastPathComponent
        let app = String(name.dropFirst("events_1_".count).dropLast(".zstd".count))
        let dir = "eventlog_v2_\(app)"
        try FileManager.default.createDirectory(at: directory.appendingPathComponent(dir), withIntermediateDirectories: true)
        let writer = LogWriter(
            [create("\(dir)/appstatus_\(app).inprogress")]
                + writes(events, to: "\(dir)/\(name)", piece: 4999)
                + [rename("\(dir)/appstatus_\(app).inprogress", "\(dir)/appstatus_\(app)")])
        // The follower watches the event-log directory, as the sidecar does, before Spark creates anything.
        let (parser, ending) = try await follow(directory.path, writer)
        #expect(ending == .finished)
        #expect(await writer.finished)
        #expect(parser.report() == (try oneShot("4.0", "clean")))
    }

    @Test func aRolledLogMovesToTheNextFile() async throws {
        let lines = try Fixtures.bytes("spark-3.5/clean")
        let cut = lines[(lines.count / 2)...].firstIndex(of: UInt8(ascii: "\n"))! + 1
        let dir = "eventlog_v2_app"
        try FileManager.default.createDirectory(at: directory.appendingPathComponent(dir), withIntermediateDirectories: true)
        let writer = LogWriter(
            writes(Array(lines[..<cut]), to: "\(dir)/events_1_app", piece: 7001)
                + writes(Array(lines[cut...]), to: "\(dir)/events_2_app", piece: 7001)
                + [create("\(dir)/appstatus_app")])
        let (parser, ending) = try await follow(directory.appendingPathComponent(dir).path, writer)
        #expect(ending == .finished)
        #expect(parser.report() == (try oneShot("3.5", "clean")))
    }

    @Test func aSingleFileLogEndsWhenSparkRenamesIt() async throws {
        let bytes = try Fixtures.bytes("spark-3.5/clean")
        let writer = LogWriter(writes(bytes, to: "local-1.inprogress", piece: 10_007) + [rename("local-1.inprogress", "local-1")])
        let (parser, ending) = try await follow(directory.path, writer)
        #expect(ending == .finished)
        #expect(parser.report() == (try oneShot("3.5", "clean")))
    }

    @Test func aFollowedInProgressFileIsFinishedWhenRenamed() async throws {
        let bytes = try Fixtures.bytes("spark-3.5/clean")
        try Data(bytes.prefix(20_000)).write(to: directory.appendingPathComponent("local-1.inprogress"))
        let writer = LogWriter(writes(Array(bytes.dropFirst(20_000)), to: "local-1.inprogress", piece: 50_000)
            + [rename("local-1.inprogress", "local-1")])
        let (parser, ending) = try await follow(directory.appendingPathComponent("local-1.inprogress").path, writer)
        #expect(ending == .finished)
        #expect(parser.report() == (try oneShot("3.5", "clean")))
    }

    @Test func aStopReadsWhatIsThereAndSaysTheLogIsIncomplete() async throws {
        let bytes = try Fixtures.bytes("spark-3.5/clean")
        let writer = LogWriter(writes(Array(bytes.prefix(bytes.count / 2)), to: "local-1.inprogress", piece: 5_003))
        let (parser, ending) = try await follow(directory.path, writer, stopAfter: 3)
        #expect(ending == .stopped)
        let report = parser.report()
        #expect(!report.application.complete)
        #expect(report.notes.contains { $0.contains("no application end") })
        #expect(parser.lines > 0)
    }

    @Test func aStopBeforeAnyLogAppears() async throws {
        let (parser, ending) = try await follow(directory.path, LogWriter([{}]), stopAfter: 1)
        #expect(ending == .noLog)
        #expect(parser.lines == 0)
    }
}
