import Foundation
import KubeAPI
import KubeClient
import NIOSSL
import KubeTesting
import Testing

/// A kubeconfig on disk → `ClientConfiguration.load` → `KubernetesClient` → a scripted HTTPS
/// server: client certificates, exec plugins (tokens, 401 refresh, client certificates) and
/// token files, all with the test CA. Every test works in a fresh temp dir; ~/.kube is never read.
@Suite("kubeconfig end to end")
struct KubeconfigEndToEndTests {
    // MARK: - Support

    /// The environment the kubeconfig is loaded with (and exec plugins inherit): HOME points
    /// into the temp dir, so nothing of the real user's configuration leaks in.
    static func environment(_ dir: ConfigTempDir) -> [String: String] {
        ["HOME": dir.path, "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"]
    }

    /// A kubeconfig with one context whose cluster trusts `ca` at `server`, and `user`
    /// (YAML lines of the user entry, indented as the `user:` mapping's body).
    static func kubeconfig(server: URL, ca: TestCertificateAuthority, user: [String]) -> String {
        """
        apiVersion: v1
        kind: Config
        current-context: e2e
        clusters:
        - name: local
          cluster:
            server: \(server.absoluteString)
            certificate-authority-data: \(configBase64(ca.certificatePEM))
        users:
        - name: tester
          user:
        \(user.map { "    " + $0 }.joined(separator: "\n"))
        contexts:
        - name: e2e
          context:
            cluster: local
            user: tester
            namespace: demo
        """
    }

    /// Starts the server, writes the kubeconfig `makeKubeconfig` returns for its URL, loads it,
    /// and runs `body` with a client built from it. The client and the server are shut down
    /// on every path.
    static func withKubeconfigClient(
        dir: ConfigTempDir, tls: TLSConfiguration, handler: @escaping ScriptedHTTPServer.Handler,
        kubeconfig makeKubeconfig: (URL) throws -> String,
        body: (KubernetesClient, ScriptedHTTPServer) async throws -> Void
    ) async throws {
        let server = try await ScriptedHTTPServer.start(tls: tls, handler: handler)
        let client: KubernetesClient
        do {
            let path = try dir.write("kubeconfig", try makeKubeconfig(server.url))
            var config = try ClientConfiguration.load(kubeconfigPath: path, environment: environment(dir), clock: ConfigTestClock())
            #expect(config.server == server.url)
            #expect(config.namespace == "demo")
            config.maxRetries = 0  // a TLS failure must surface at once, not after back-off
            config.requestTimeout = .seconds(60)
            client = KubernetesClient(configuration: config, clock: SteppingClock())
        } catch {
            await server.shutdown()
            throw error
        }
        var failure: (any Error)?
        do { try await body(client, server) } catch { failure = error }
        do { try await client.shutdown() } catch { failure = failure ?? error }
        await server.shutdown()
        if let failure { throw failure }
    }

    /// An exec plugin that counts its runs in `$STATE_DIR/count` and answers `tok-<run>`.
    static let tokenPlugin = """
        #!/bin/sh
        echo run >> "$STATE_DIR/count"
        n=$(wc -l < "$STATE_DIR/count" | tr -d ' ')
        printf '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"tok-%s"}}\\n' "$n"
        """

    /// An exec plugin that counts its runs and prints `$STATE_DIR/answer.json`.
    static let filePlugin = """
        #!/bin/sh
        echo run >> "$STATE_DIR/count"
        cat "$STATE_DIR/answer.json"
        """

    static func execUser(command: String, stateDir: String) -> [String] {
        [
            "exec:",
            "  apiVersion: client.authentication.k8s.io/v1",
            "  command: \(command)",
            "  args: [get-token]",
            "  env:",
            "  - name: STATE_DIR",
            "    value: \(stateDir)",
            "  interactiveMode: Never",
        ]
    }

    static func runs(_ dir: ConfigTempDir) -> Int { dir.read("count").split(separator: "\n").count }

    static func authorizations(_ server: ScriptedHTTPServer) -> [String?] {
        server.requests.map { $0.header("Authorization") }
    }

    static let unauthorized = statusJSON(code: 401, reason: "Unauthorized", message: "Unauthorized")

    // MARK: - Tests

    @Test func clientCertificateDataFromTheKubeconfigPassesMutualTLS() async throws {
        let dir = try ConfigTempDir()
        defer { dir.remove() }
        let ca = try TestCertificateAuthority()
        let user = try ca.issueClient(user: "jane", groups: ["system:masters"])
        try await Self.withKubeconfigClient(
            dir: dir, tls: try ca.serverTLS(requireClientCertificate: true),
            handler: { _, r in try await r.respond(status: 200, body: widgetJSON("w1", size: 2)) },
            kubeconfig: { url in
                Self.kubeconfig(server: url, ca: ca, user: [
                    "client-certificate-data: \(configBase64(user.certificatePEM))",
                    "client-key-data: \(configBase64(user.keyPEM))",
                ])
            }
        ) { client, server in
            #expect(server.url.scheme == "https")
            let widget = try await client.get(Widget.self, name: "w1")
            #expect(widget.metadata.name == "w1")
            #expect(widget.size == 2)
            let request = try #require(server.requests.first)
            #expect(request.path == "/apis/test.slipway.dev/v1/namespaces/demo/widgets/w1")
            #expect(request.header("Authorization") == nil)
        }
    }

    @Test func execPluginTokenIsSentAndRefreshedOnceAfterA401() async throws {
        let dir = try ConfigTempDir()
        defer { dir.remove() }
        let ca = try TestCertificateAuthority()
        let plugin = try dir.write("bin/token-plugin.sh", Self.tokenPlugin, executable: true)
        try await Self.withKubeconfigClient(
            dir: dir, tls: try ca.serverTLS(requireClientCertificate: false),
            handler: { request, r in
                // The first token has been revoked by the time it is used.
                if request.header("Authorization") == "Bearer tok-1" {
                    try await r.respond(status: 401, body: Self.unauthorized)
                } else {
                    try await r.respond(status: 200, body: widgetJSON("w1"))
                }
            },
            kubeconfig: { url in Self.kubeconfig(server: url, ca: ca, user: Self.execUser(command: plugin, stateDir: dir.path)) }
        ) { client, server in
            let widget = try await client.get(Widget.self, name: "w1")
            #expect(widget.metadata.name == "w1")
            #expect(Self.authorizations(server) == ["Bearer tok-1", "Bearer tok-2"])
            #expect(Self.runs(dir) == 2)

            // The refreshed token is cached: no third run.
            _ = try await client.get(Widget.self, name: "w1")
            #expect(Self.authorizations(server) == ["Bearer tok-1", "Bearer tok-2", "Bearer tok-2"])
            #expect(Self.runs(dir) == 2)
        }
    }

    @Test func execPluginTokenIsRetriedOnlyOnceWhenTheServerKeepsRefusing() async throws {
        let dir = try ConfigTempDir()
        defer { dir.remove() }
        let ca = try TestCertificateAuthority()
        let plugin = try dir.write("bin/token-plugin.sh", Self.tokenPlugin, executable: true)
        try await Self.withKubeconfigClient(
            dir: dir, tls: try ca.serverTLS(requireClientCertificate: false),
            handler: { _, r in try await r.respond(status: 401, body: Self.unauthorized) },
            kubeconfig: { url in Self.kubeconfig(server: url, ca: ca, user: Self.execUser(command: plugin, stateDir: dir.path)) }
        ) { client, server in
            await #expect(throws: KubeError.self) { _ = try await client.get(Widget.self, name: "w1") }
            #expect(Self.authorizations(server) == ["Bearer tok-1", "Bearer tok-2"])
            #expect(Self.runs(dir) == 2)
        }
    }

    @Test func tokenFileIsSentAndRereadAfterA401() async throws {
        let dir = try ConfigTempDir()
        defer { dir.remove() }
        let ca = try TestCertificateAuthority()
        let tokenPath = try dir.write("token", "token-aaa\n")
        try Self.rewriteInPlace(tokenPath, "token-aaa\n")
        try await Self.withKubeconfigClient(
            dir: dir, tls: try ca.serverTLS(requireClientCertificate: false),
            handler: { request, r in
                // The server accepts only the token currently in the file.
                let current = (try? String(contentsOfFile: tokenPath, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
                if request.header("Authorization") == "Bearer \(current ?? "")" {
                    try await r.respond(status: 200, body: widgetJSON("w1"))
                } else {
                    try await r.respond(status: 401, body: Self.unauthorized)
                }
            },
            kubeconfig: { url in Self.kubeconfig(server: url, ca: ca, user: ["tokenFile: \(tokenPath)"]) }
        ) { client, server in
            _ = try await client.get(Widget.self, name: "w1")
            #expect(Self.authorizations(server) == ["Bearer token-aaa"])

            // Rotated behind the provider's back (same size, inode and mtime): only the 401 reveals it.
            try Self.rewriteInPlace(tokenPath, "token-bbb\n")
            _ = try await client.get(Widget.self, name: "w1")
            #expect(Self.authorizations(server) == ["Bearer token-aaa", "Bearer token-aaa", "Bearer token-bbb"])

            _ = try await client.get(Widget.self, name: "w1")
            #expect(Self.authorizations(server).last == "Bearer token-bbb")
            #expect(server.requests.count == 4)
        }
    }

    @Test func execPluginClientCertificatePassesMutualTLS() async throws {
        let dir = try ConfigTempDir()
        defer { dir.remove() }
        let ca = try TestCertificateAuthority()
        let user = try ca.issueClient(user: "robot", groups: ["deployers"])
        let answer = ExecCredential(status: .init(clientCertificateData: user.certificatePEM, clientKeyData: user.keyPEM))
        try dir.write("answer.json", String(decoding: try JSONEncoder().encode(answer), as: UTF8.self))
        let plugin = try dir.write("bin/cert-plugin.sh", Self.filePlugin, executable: true)
        try await Self.withKubeconfigClient(
            dir: dir, tls: try ca.serverTLS(requireClientCertificate: true),
            handler: { _, r in try await r.respond(status: 200, body: widgetJSON("w1")) },
            kubeconfig: { url in Self.kubeconfig(server: url, ca: ca, user: Self.execUser(command: plugin, stateDir: dir.path)) }
        ) { client, server in
            let widget = try await client.get(Widget.self, name: "w1")
            #expect(widget.metadata.name == "w1")
            _ = try await client.get(Widget.self, name: "w1")
            #expect(server.requests.count == 2)
            #expect(Self.authorizations(server) == [nil, nil])
            #expect(Self.runs(dir) == 1)  // cached: no expiry was given
        }
    }

    @Test func withoutTheExecPluginsCertificateTheMutualTLSServerRefuses() async throws {
        // The control for the test above: the same server refuses a token-only plugin.
        let dir = try ConfigTempDir()
        defer { dir.remove() }
        let ca = try TestCertificateAuthority()
        let plugin = try dir.write("bin/token-plugin.sh", Self.tokenPlugin, executable: true)
        try await Self.withKubeconfigClient(
            dir: dir, tls: try ca.serverTLS(requireClientCertificate: true),
            handler: { _, r in try await r.respond(status: 200, body: widgetJSON("w1")) },
            kubeconfig: { url in Self.kubeconfig(server: url, ca: ca, user: Self.execUser(command: plugin, stateDir: dir.path)) }
        ) { client, server in
            await #expect {
                _ = try await client.get(Widget.self, name: "w1")
            } throws: { error in
                guard case .transport = error as? KubeError else { return false }
                return true
            }
            #expect(server.requests.isEmpty)
        }
    }

    /// Overwrites the file in place (same inode) and pins its mtime, so that a same-length
    /// new token is invisible to the provider's change detection.
    static func rewriteInPlace(_ path: String, _ contents: String) throws {
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.write(contentsOf: Data(contents.utf8))
        try handle.close()
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: 1_600_000_000)], ofItemAtPath: path)
    }
}
