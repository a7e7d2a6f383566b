import Foundation
import KubeTesting
import Testing

/// Runs the built `slipway` executable the way a user does.
@Suite("slipway command line")
struct SlipwayCommandTests {
    /// The executable sits beside the test bundle in the build folder.
    static var executable: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("slipway")
    }

    static func run(_ arguments: [String], environment: [String: String] = [:]) async throws -> ProcessResult {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        return try await runToEnd(process)
    }

    @Test func versionPrintsTheClientVersion() async throws {
        #expect(FileManager.default.isExecutableFile(atPath: Self.executable.path), "build the package first: \(Self.executable.path)")
        let result = try await Self.run(["version"])
        #expect(result.status == 0)
        #expect(result.out.hasPrefix("Slipway version: "))
    }

    @Test func versionAsksTheServerOfTheKubeconfigContext() async throws {
        let server = try await ScriptedHTTPServer.start { _, r in
            try await r.respond(status: 200, body: #"{"major":"1","minor":"36","gitVersion":"v1.36.2"}"#)
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("slipway-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let kubeconfig = dir.appendingPathComponent("config")
        try """
        apiVersion: v1
        kind: Config
        clusters:
        - name: local
          cluster: {server: "\(server.url.absoluteString)"}
        users:
        - name: me
          user: {token: t0k3n}
        contexts:
        - name: local
          context: {cluster: local, user: me}
        current-context: local
        """.write(to: kubeconfig, atomically: true, encoding: .utf8)

        let result = try await Self.run(["version", "--server"], environment: ["KUBECONFIG": kubeconfig.path])
        await server.shutdown()
        #expect(result.status == 0, "\(result.err)")
        #expect(result.out.contains("Server version: v1.36.2"))
        #expect(server.requests.first?.path == "/version")
        #expect(server.requests.first?.header("Authorization") == "Bearer t0k3n")

        let missing = try await Self.run(["version", "--server", "--kubeconfig", kubeconfig.path, "--context", "nope"])
        #expect(missing.status != 0)
        #expect(missing.err.contains(#"context "nope" not found"#))
        #expect(missing.err.contains("available contexts: local"))
        #expect(missing.out.isEmpty)
    }
}
