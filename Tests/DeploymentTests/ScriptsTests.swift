import Foundation
import KubeTesting
import Testing

/// scripts/compare-spark-submit.sh takes an already built slipway binary (`--slipway PATH`
/// or `SLIPWAY_BIN`) and refuses a wrong one before it downloads or builds anything.
@Suite("Scripts")
struct ScriptsTests {
    static func compare(_ arguments: [String], environment: [String: String] = [:]) async throws -> ProcessResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["bash", Repository.url("scripts/compare-spark-submit.sh").path] + arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        return try await runToEnd(process, timeout: .seconds(30))
    }

    @Test func compareSparkSubmitDocumentsTheBinaryFlag() async throws {
        let help = try await Self.compare(["--help"])
        #expect(help.status == 0 && help.out.contains("--slipway PATH") && help.out.contains("SLIPWAY_BIN"), "\(help)")
        #expect(!help.out.contains("set -euo"), "only the header comment: \(help.out)")
    }

    @Test func compareSparkSubmitRefusesAWrongBinaryAtOnce() async throws {
        var result = try await Self.compare(["--slipway", "/nonexistent/slipway"])
        #expect(result.status == 2 && result.err.contains("/nonexistent/slipway is not an executable slipway binary"), "\(result)")
        result = try await Self.compare([], environment: ["SLIPWAY_BIN": "/bin/false"])
        #expect(result.status == 2 && result.err.contains("/bin/false --version failed"), "\(result)")
        // The flag wins over the variable.
        result = try await Self.compare(["--slipway=/nonexistent/a"], environment: ["SLIPWAY_BIN": "/bin/false"])
        #expect(result.status == 2 && result.err.contains("/nonexistent/a is not"), "\(result)")
        result = try await Self.compare(["--slipway"])
        #expect(result.status == 2 && result.err.contains("--slipway needs a path"), "\(result)")
        result = try await Self.compare(["--bogus"])
        #expect(result.status == 2 && result.err.contains("unknown option --bogus"), "\(result)")
    }
}
