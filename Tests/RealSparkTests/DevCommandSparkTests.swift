import Foundation
import KubeAPI
import KubeTesting
import SlipwayDevTesting
import Testing

/// `slipway dev`'s Spark flags, run as a user runs them: the built executable.
@Suite("slipway dev: real Spark flags", .timeLimit(.minutes(3)))
struct DevCommandSparkTests {
    static var executable: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("slipway")
    }

    /// A temporary directory for one run.
    static func temporary() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("slipway-dev-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    /// Starts `slipway dev ARGS` in `directory` (its working directory) and returns once it
    /// printed its banner; `body` gets the banner; the process is then stopped with SIGTERM.
    static func withDev(_ arguments: [String], in directory: URL, _ body: (String, URL) async throws -> Void) async throws {
        let process = Process()
        process.executableURL = executable
        process.arguments = ["dev", "--ephemeral", "--port", "0", "--data-dir", directory.appendingPathComponent("data").path] + arguments
        process.currentDirectoryURL = directory
        let output = directory.appendingPathComponent("dev.log")
        FileManager.default.createFile(atPath: output.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: output)
        process.standardError = process.standardOutput
        try process.run()
        defer {
            process.terminate()
            process.waitUntilExit()
        }
        var banner = ""
        try await eventually("the banner of slipway dev", timeout: .seconds(60)) {
            banner = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
            return (banner.contains("Press Ctrl-C"), banner)
        }
        try await body(banner, directory.appendingPathComponent("data/kubeconfig"))
    }

    @Test func sparkHomeAndTheAuditLogAreTakenAndSaid() async throws {
        let spark = try sparkDistribution(RealSparkVersions.selected[0])
        let dir = try Self.temporary()
        defer { try? FileManager.default.removeItem(at: dir) }
        let audit = dir.appendingPathComponent("audit.jsonl")
        try await Self.withDev(["--spark-home", spark.home.path, "--audit-log", audit.path], in: dir) { banner, kubeconfig in
            #expect(banner.contains("Spark images run real Spark: Spark \(spark.version) (\(spark.home.path))."), "\(banner)")
            let kubectl = Kubectl(kubeconfig: kubeconfig, home: dir)
            let r = try await kubectl.run(["get", "nodes"])
            #expect(r.status == 0, "\(r)")
            let lines = try String(contentsOf: audit, encoding: .utf8).split(separator: "\n")
            let records = lines.compactMap { try? JSON.parse(String($0)) }
            #expect(records.contains { $0["path"]?.stringValue == "/api/v1/nodes" && $0["userAgent"]?.stringValue?.hasPrefix("kubectl/") == true
                && $0["status"]?.numberValue?.int == 200 }, "\(lines)")
        }
    }

    @Test func distributionsInToolsSparkAreFoundElseTheStandInPlays() async throws {
        let spark = try sparkDistribution(RealSparkVersions.selected[0])
        let dir = try Self.temporary()
        defer { try? FileManager.default.removeItem(at: dir) }
        try await Self.withDev([], in: dir) { banner, _ in
            #expect(banner.contains("Spark images run the Spark stand-in (no Spark distribution: --spark-home DIR, or scripts/setup.sh)."), "\(banner)")
        }
        try FileManager.default.createDirectory(at: dir.appendingPathComponent(".tools/spark"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(at: dir.appendingPathComponent(".tools/spark/\(spark.version)"), withDestinationURL: spark.home)
        try await Self.withDev([], in: dir) { banner, _ in
            #expect(banner.contains("Spark images run real Spark: Spark \(spark.version)"), "\(banner)")
        }
        try await Self.withDev(["--spark-stand-in"], in: dir) { banner, _ in
            #expect(banner.contains("Spark images run the Spark stand-in"), "\(banner)")
        }
    }

    @Test func aDirectoryThatIsNoDistributionIsRefusedSayingWhy() async throws {
        let dir = try Self.temporary()
        defer { try? FileManager.default.removeItem(at: dir) }
        for (arguments, message) in [
            (["--spark-home", dir.path], "--spark-home: \(dir.path) is not a Spark distribution: bin/spark-submit is missing or not executable"),
            (["--spark-home", dir.path, "--spark-stand-in"], "--spark-stand-in and --spark-home exclude each other"),
        ] {
            let process = Process()
            process.executableURL = Self.executable
            process.arguments = ["dev", "--ephemeral", "--port", "0", "--data-dir", dir.appendingPathComponent("data").path] + arguments
            let r = try await runToEnd(process, timeout: .seconds(30))
            #expect(r.status != 0 && r.err.contains(message), "\(r)")
        }
    }
}
