import Foundation
import Testing
@testable import SparkAnalysis

/// `slipway analyze` as a user (and the sidecar) runs it: the built executable beside the tests.
@Suite struct AnalyzeCommandTests {
    struct Result {
        var status: Int32
        var out: String
        var err: String
    }

    static var executable: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("slipway")
    }

    let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("slipway-analyze-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    /// Starts `slipway analyze …` with its output in files (no pipe to fill up).
    private func start(_ arguments: [String]) throws -> (Process, URL, URL) {
        let (out, err) = (directory.appendingPathComponent("out-\(UUID().uuidString)"), directory.appendingPathComponent("err-\(UUID().uuidString)"))
        FileManager.default.createFile(atPath: out.path, contents: nil)
        FileManager.default.createFile(atPath: err.path, contents: nil)
        let process = Process()
        process.executableURL = Self.executable
        process.arguments = ["analyze"] + arguments
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        try process.run()
        return (process, out, err)
    }

    private func finish(_ started: (Process, URL, URL)) async throws -> Result {
        let (process, out, err) = started
        while process.isRunning { try await Task.sleep(for: .milliseconds(20)) }
        return Result(status: process.terminationStatus, out: try String(contentsOf: out, encoding: .utf8),
                      err: try String(contentsOf: err, encoding: .utf8))
    }

    private func run(_ arguments: [String]) async throws -> Result { try await finish(try start(arguments)) }

    @Test func jsonOutputIsTheReport() async throws {
        #expect(FileManager.default.isExecutableFile(atPath: Self.executable.path), "build the package first: \(Self.executable.path)")
        let result = try await run([try SparkFixtureTests.path("4.0", "skewed-stage"), "-o", "json"])
        #expect(result.status == 0, "\(result.err)")
        let report = try JSONDecoder().decode(AnalysisReport.self, from: Data(result.out.utf8))
        #expect(report.findings.map(\.kind) == [.skew])
    }

    @Test func errorsNameTheProblem() async throws {
        let missing = try await run([directory.appendingPathComponent("nope").path])
        #expect(missing.status != 0)
        #expect(missing.err.contains("does not exist: give an event log file or directory"))
        #expect(!missing.err.contains("Usage:"))
        let thresholds = directory.appendingPathComponent("t.json")
        try Data(#"{"skewMinRatoi": 2}"#.utf8).write(to: thresholds)
        let typo = try await run([try SparkFixtureTests.path("4.0", "clean"), "--thresholds", thresholds.path])
        #expect(typo.status != 0)
        #expect(typo.err.contains(#""skewMinRatoi" is not a threshold"#))
    }

    /// The sidecar's command: it finds the finished log, writes the bounded findings, and holds
    /// until SIGTERM, which ends it cleanly.
    @Test func followWritesTheTerminationMessageAndHoldsUntilSIGTERM() async throws {
        let events = directory.appendingPathComponent("events")
        try FileManager.default.createDirectory(at: events, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: URL(fileURLWithPath: try SparkFixtureTests.path("4.0", "duplicate-plan")),
                                         to: events.appendingPathComponent("eventlog_v2_app"))
        let message = directory.appendingPathComponent("termination-log")
        let started = try start(["--follow", events.path, "--termination-log", message.path, "--poll-interval", "0.1", "--hold"])
        let deadline = ContinuousClock.now + .seconds(60)
        while !FileManager.default.fileExists(atPath: message.path), ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(started.0.isRunning, "--hold keeps the sidecar running after the findings are written")
        started.0.terminate()
        let result = try await finish(started)
        #expect(result.status == 0, "\(result.err)")
        let data = try Data(contentsOf: message)
        #expect(data.count <= 4096)
        let report = try JSONDecoder().decode(AnalysisReport.self, from: data)
        #expect(report.findings.map(\.kind) == [.duplicatePlan])
        #expect(result.out.contains("DuplicatePlan"))
    }
}
