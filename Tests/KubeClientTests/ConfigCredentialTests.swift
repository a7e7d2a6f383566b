import Foundation
import KubeTesting
import Testing
@testable import KubeClient

/// Token files (rotation) and exec credential plugins (caching, expiry, failures).
@Suite struct ConfigCredentialTests {
    // MARK: - Token file

    /// Rewrites the file in place with the same size and a fixed mtime, so that only the
    /// 60 s re-read (or `invalidate()`) can notice the change.
    private static func rewriteUnnoticeably(_ path: String, _ token: String) throws {
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.write(contentsOf: Data(token.utf8))
        try handle.close()
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: 1_600_000_000)], ofItemAtPath: path)
    }

    @Test func tokenFileIsRereadAfterSixtySeconds() async throws {
        let dir = try ConfigTempDir()
        defer { dir.remove() }
        let path = try dir.write("token", "token-aaa")
        try Self.rewriteUnnoticeably(path, "token-aaa")
        let clock = ConfigTestClock()
        let provider = TokenFileProvider(path: path, clock: clock)
        #expect(try await provider.credentials().bearerToken == "token-aaa")

        try Self.rewriteUnnoticeably(path, "token-bbb")
        #expect(try await provider.credentials().bearerToken == "token-aaa")  // cached
        clock.advance(by: 59)
        #expect(try await provider.credentials().bearerToken == "token-aaa")
        clock.advance(by: 2)
        #expect(try await provider.credentials().bearerToken == "token-bbb")
    }

    @Test func tokenFileInvalidateForcesReread() async throws {
        let dir = try ConfigTempDir()
        defer { dir.remove() }
        let path = try dir.write("token", "token-aaa")
        try Self.rewriteUnnoticeably(path, "token-aaa")
        let provider = TokenFileProvider(path: path, clock: ConfigTestClock())
        #expect(try await provider.credentials().bearerToken == "token-aaa")
        try Self.rewriteUnnoticeably(path, "token-ccc")
        #expect(try await provider.credentials().bearerToken == "token-aaa")
        await provider.invalidate()
        #expect(try await provider.credentials().bearerToken == "token-ccc")
    }

    @Test func tokenFileChangeIsNoticedAtOnce() async throws {
        let dir = try ConfigTempDir()
        defer { dir.remove() }
        // The kubelet's projected-volume layout: token -> ..data/token, ..data -> a timestamped dir.
        try dir.write("v1/token", "first")
        try dir.write("v2/token", "second-rotated\n")
        try FileManager.default.createSymbolicLink(atPath: dir.file("..data"), withDestinationPath: "v1")
        try FileManager.default.createSymbolicLink(atPath: dir.file("token"), withDestinationPath: "..data/token")
        let provider = TokenFileProvider(path: dir.file("token"), clock: ConfigTestClock())
        #expect(try await provider.credentials().bearerToken == "first")
        try FileManager.default.removeItem(atPath: dir.file("..data"))
        try FileManager.default.createSymbolicLink(atPath: dir.file("..data"), withDestinationPath: "v2")
        #expect(try await provider.credentials().bearerToken == "second-rotated")
    }

    @Test func tokenFileErrors() async throws {
        let dir = try ConfigTempDir()
        defer { dir.remove() }
        let missing = TokenFileProvider(path: dir.file("absent"), clock: ConfigTestClock())
        let error = await #expect(throws: KubeConfigError.self) { try await missing.credentials() }
        #expect(error?.description.hasPrefix("token file \(dir.file("absent")): cannot be read") == true)
        let emptyPath = try dir.write("empty", "\n")
        await #expect(throws: KubeConfigError.tokenFile(path: emptyPath, problem: "is empty")) {
            try await TokenFileProvider(path: emptyPath, clock: ConfigTestClock()).credentials()
        }
        // Once read, a vanished file keeps serving the last token (as client-go does).
        let path = try dir.write("token", "kept")
        let clock = ConfigTestClock()
        let provider = TokenFileProvider(path: path, clock: clock)
        #expect(try await provider.credentials().bearerToken == "kept")
        try FileManager.default.removeItem(atPath: path)
        clock.advance(by: 120)
        #expect(try await provider.credentials().bearerToken == "kept")
    }

    // MARK: - Exec plugin

    /// A plugin that counts its runs, records its request and args, and answers `tok-<run>`
    /// with the expiry found in the `expiry` file (none when that file is empty).
    static let pluginScript = """
        #!/bin/sh
        echo run >> "$STATE_DIR/count"
        n=$(wc -l < "$STATE_DIR/count" | tr -d ' ')
        printf '%s' "$KUBERNETES_EXEC_INFO" > "$STATE_DIR/info.json"
        printf '%s\\n' "$@" > "$STATE_DIR/args"
        sleep "${PLUGIN_DELAY:-0}"
        if [ -s "$STATE_DIR/expiry" ]; then exp=",\\"expirationTimestamp\\":\\"$(cat "$STATE_DIR/expiry")\\""; else exp=""; fi
        printf '{"apiVersion":"%s","kind":"ExecCredential","status":{"token":"tok-%s"%s}}\\n' "${ANSWER_VERSION:-client.authentication.k8s.io/v1}" "$n" "$exp"
        """

    struct Plugin {
        let dir: ConfigTempDir
        let command: String
        let delay: String
        var runs: Int { dir.read("count").split(separator: "\n").count }
        func expire(at stamp: String) throws { try dir.write("expiry", stamp) }

        init(delay: String = "0", expiry: String = "") throws {
            dir = try ConfigTempDir()
            command = try dir.write("bin/plugin.sh", ConfigCredentialTests.pluginScript, executable: true)
            try dir.write("expiry", expiry)
            self.delay = delay
        }

        func config(apiVersion: String = ExecCredential.v1, provideClusterInfo: Bool? = nil) -> KubeConfig.ExecConfig {
            KubeConfig.ExecConfig(
                apiVersion: apiVersion, command: command, args: ["get-token", "--cluster", "prod"],
                env: [.init(name: "STATE_DIR", value: dir.path), .init(name: "PLUGIN_DELAY", value: delay)],
                provideClusterInfo: provideClusterInfo)
        }
    }

    @Test func execTokenIsCachedUntilExpiryAndInvalidate() async throws {
        let plugin = try Plugin(expiry: "2030-01-01T01:00:00Z")
        defer { plugin.dir.remove() }
        let clock = ConfigTestClock()  // 2030-01-01T00:00:00Z
        let provider = ExecCredentialProvider(config: plugin.config(), clock: clock, environment: ProcessInfo.processInfo.environment)

        #expect(try await provider.credentials().bearerToken == "tok-1")
        #expect(try await provider.credentials().bearerToken == "tok-1")
        #expect(plugin.runs == 1)
        clock.advance(by: 3600 - 15)  // 15 s before expiry: still fresh
        #expect(try await provider.credentials().bearerToken == "tok-1")
        #expect(plugin.runs == 1)

        try plugin.expire(at: "2030-01-01T02:00:00.5+00:00")
        clock.advance(by: 10)  // 5 s before expiry: refreshed ahead of time
        #expect(try await provider.credentials().bearerToken == "tok-2")
        #expect(try await provider.credentials().bearerToken == "tok-2")
        #expect(plugin.runs == 2)

        await provider.invalidate()  // after a 401
        #expect(try await provider.credentials().bearerToken == "tok-3")
        #expect(plugin.runs == 3)

        #expect(plugin.dir.read("args") == "get-token\n--cluster\nprod\n")
        let info = try JSONDecoder().decode(ExecCredential.self, from: Data(plugin.dir.read("info.json").utf8))
        #expect(info == ExecCredential(apiVersion: ExecCredential.v1, kind: "ExecCredential", spec: .init(cluster: nil, interactive: false)))
    }

    @Test func execTokenWithoutExpiryIsCachedUntilInvalidate() async throws {
        let plugin = try Plugin()
        defer { plugin.dir.remove() }
        let clock = ConfigTestClock()
        let provider = ExecCredentialProvider(config: plugin.config(apiVersion: ExecCredential.v1beta1), clock: clock)
        // v1beta1 plugins answer v1beta1.
        let env = ProcessInfo.processInfo.environment.merging(["ANSWER_VERSION": ExecCredential.v1beta1]) { $1 }
        let beta = ExecCredentialProvider(config: plugin.config(apiVersion: ExecCredential.v1beta1), clock: clock, environment: env)
        #expect(try await beta.credentials().bearerToken == "tok-1")
        clock.advance(by: 365 * 86400)
        #expect(try await beta.credentials().bearerToken == "tok-1")
        #expect(plugin.runs == 1)
        await beta.invalidate()
        #expect(try await beta.credentials().bearerToken == "tok-2")

        // A v1beta1 config whose plugin answers v1 is refused, naming both versions.
        let error = await #expect(throws: ExecPluginError.self) { try await provider.credentials() }
        #expect(error?.description.contains("configures apiVersion client.authentication.k8s.io/v1beta1 but the plugin returned client.authentication.k8s.io/v1") == true)
    }

    @Test func concurrentCallersShareOneRun() async throws {
        let plugin = try Plugin(delay: "0.3")
        defer { plugin.dir.remove() }
        let provider = ExecCredentialProvider(config: plugin.config(), clock: ConfigTestClock())
        let tokens = try await withThrowingTaskGroup(of: String?.self) { group in
            for _ in 0..<8 { group.addTask { try await provider.credentials().bearerToken } }
            return try await group.reduce(into: [String?]()) { $0.append($1) }
        }
        #expect(tokens == Array(repeating: "tok-1", count: 8))
        #expect(plugin.runs == 1)
    }

    @Test func execFailureNamesCommandExitCodeAndStderr() async throws {
        let dir = try ConfigTempDir()
        defer { dir.remove() }
        let command = try dir.write("fail.sh", "#!/bin/sh\necho 'some progress' \necho '  error: could not refresh SSO session  ' >&2\nexit 3\n", executable: true)
        let provider = ExecCredentialProvider(config: .init(command: command), clock: ConfigTestClock())
        let error = await #expect(throws: ExecPluginError.self) { try await provider.credentials() }
        #expect(error == .failed(command: command, exitCode: 3, stderr: "error: could not refresh SSO session"))
        #expect(error?.description == "exec credential plugin \"\(command)\" failed with exit code 3: error: could not refresh SSO session")
    }

    @Test func execPluginThatHangsIsTerminatedAfterTheTimeout() async throws {
        let dir = try ConfigTempDir()
        defer { dir.remove() }
        let command = try dir.write("hang.sh", "#!/bin/sh\necho 'waiting for the browser login' >&2\nsleep 30\necho '{}'\n", executable: true)
        let provider = ExecCredentialProvider(config: .init(command: command), clock: ConfigTestClock(), timeout: .seconds(3))
        #expect(provider.timeout == .seconds(3))
        let error = await #expect(throws: ExecPluginTimeoutError.self) { try await provider.credentials() }
        #expect(error == ExecPluginTimeoutError(command: command, timeout: .seconds(3), stderr: "waiting for the browser login"))
        #expect(error?.description.hasPrefix("exec credential plugin \"\(command)\" did not finish within 3s and was terminated") == true)
        #expect(ExecCredentialProvider(config: .init(command: command)).timeout == .seconds(60))
    }

    @Test func execPluginWhoseBackgroundChildHoldsStdoutTimesOut() async throws {
        let dir = try ConfigTempDir()
        defer { dir.remove() }
        // Answers, then exits leaving a child that keeps stdout open: reading to end-of-file would never end.
        let script = """
            #!/bin/sh
            printf '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"t"}}\\n'
            sleep 30 &
            echo $! > "$STATE_DIR/child"
            exit 0
            """
        let command = try dir.write("leak.sh", script, executable: true)
        let config = KubeConfig.ExecConfig(command: command, env: [.init(name: "STATE_DIR", value: dir.path)])
        let provider = ExecCredentialProvider(config: config, clock: ConfigTestClock(), timeout: .seconds(1))
        await #expect(throws: ExecPluginTimeoutError.self) { try await provider.credentials() }
        #if os(Linux)
        // The leftover child was in the plugin's process group, which was signalled.
        let child = dir.read("child").trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(!child.isEmpty)
        #expect(await Self.processEnds(child), "background child \(child) still runs")
        #endif
    }

    @Test func pluginProcessIgnoringSIGTERMIsKilled() async throws {
        let process = PluginProcess(
            // Sleeps far beyond the timeout: on a starved machine the timeout's timer may fire
            // late, and the run must still be the one the timer ended (a fresh-clone run beside
            // builds and benchmarks saw the 30 s sleep end first).
            executable: "/bin/sh", arguments: ["-c", "trap '' TERM; echo started; sleep 120; echo never"],
            environment: ProcessInfo.processInfo.environment)
        let result = try await process.run(timeout: .seconds(3), killGrace: .milliseconds(300))
        #expect(result.timedOut)
        #expect(result.termination == .signal(SIGKILL))
        #expect(String(decoding: result.stdout, as: UTF8.self) == "started\n")

        let quick = try await PluginProcess(executable: "/bin/sh", arguments: ["-c", "echo ok"], environment: [:]).run(timeout: .seconds(30))
        #expect(!quick.timedOut)
        #expect(quick.termination == .exit(0))
        #expect(String(decoding: quick.stdout, as: UTF8.self) == "ok\n")
    }

    /// Whether the process is gone (or a zombie) within ten seconds (a bound for a loaded machine).
    static func processEnds(_ pid: String) async -> Bool {
        (try? await eventually(timeout: .seconds(10), interval: .milliseconds(50)) {
            guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return true }
            guard let close = stat.lastIndex(of: ")") else { return false }
            return stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).hasPrefix("Z")
        }) ?? false
    }

    @Test func execNotFoundShowsInstallHint() async throws {
        let hint = "slipway-auth is required. Install it with: brew install slipway-auth"
        let config = KubeConfig.ExecConfig(command: "slipway-test-no-such-plugin", installHint: hint)
        let provider = ExecCredentialProvider(config: config, clock: ConfigTestClock(), environment: ["PATH": "/usr/bin:/bin"])
        let error = await #expect(throws: ExecPluginError.self) { try await provider.credentials() }
        #expect(error == .notFound(command: "slipway-test-no-such-plugin", installHint: hint))
        #expect(error?.description.contains("\"slipway-test-no-such-plugin\" not found") == true)
        #expect(error?.description.contains(hint) == true)
    }

    @Test func execGarbageOutputIsReported() async throws {
        let dir = try ConfigTempDir()
        defer { dir.remove() }
        let command = try dir.write("garbage.sh", "#!/bin/sh\necho 'Please log in at https://example.com'\n", executable: true)
        let provider = ExecCredentialProvider(config: .init(command: command), clock: ConfigTestClock())
        let error = await #expect(throws: ExecPluginError.self) { try await provider.credentials() }
        #expect(error?.description.contains("stdout began with: Please log in") == true)
    }

    @Test(arguments: [
        (#"{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"t"}}"#, "t", nil, nil as String?),
        (#"{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"clientCertificateData":"C","clientKeyData":"K","expirationTimestamp":"2030-01-01T00:00:00Z"}}"#,
         nil, 1_893_456_000, nil),
        (#"{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"t","expirationTimestamp":"2030-01-01T01:00:00.250+01:00"}}"#,
         "t", 1_893_456_000.25, nil),
        (#"{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"clientCertificateData":"C"}}"#,
         nil, nil, "only one of clientCertificateData and clientKeyData"),
        (#"{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{}}"#, nil, nil, "neither a token nor"),
        (#"{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential"}"#, nil, nil, "no status field"),
        (#"{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"t","expirationTimestamp":"tomorrow"}}"#,
         nil, nil, "\"tomorrow\" is not an RFC 3339 time"),
    ] as [(String, String?, Double?, String?)])
    func execCredentialParsing(json: String, token: String?, expiry: Double?, error: String?) throws {
        if let error {
            let thrown = #expect(throws: ExecPluginError.self) {
                try ExecCredential.parse(stdout: Data(json.utf8), expectedAPIVersion: ExecCredential.v1, command: "p")
            }
            #expect(thrown?.description.contains(error) == true, "\(String(describing: thrown))")
        } else {
            let (credentials, date) = try ExecCredential.parse(stdout: Data(json.utf8), expectedAPIVersion: ExecCredential.v1, command: "p")
            #expect(credentials.bearerToken == token)
            #expect(date?.timeIntervalSince1970 == expiry)
        }
    }

    @Test func execFromKubeconfigWithRelativeCommandAndClusterInfo() async throws {
        let plugin = try Plugin(expiry: "2030-01-01T01:00:00Z")
        defer { plugin.dir.remove() }
        let yaml = """
            current-context: x
            clusters:
            - name: c
              cluster:
                server: https://api.example:443
                tls-server-name: kubernetes
                certificate-authority-data: \(configBase64("CA-PEM"))
            users:
            - name: u
              user:
                exec:
                  apiVersion: client.authentication.k8s.io/v1
                  command: ./bin/plugin.sh
                  args: [get-token]
                  env:
                  - name: STATE_DIR
                    value: \(plugin.dir.path)
                  provideClusterInfo: true
                  interactiveMode: IfAvailable
            contexts:
            - name: x
              context: {cluster: c, user: u}
            """
        let path = try plugin.dir.write("kubeconfig", yaml)
        let config = try ClientConfiguration.load(kubeconfigPath: path, environment: ProcessInfo.processInfo.environment, clock: ConfigTestClock())
        let provider = try #require(config.credentials as? ExecCredentialProvider)
        #expect(provider.config.command == plugin.command)
        #expect(try await provider.credentials().bearerToken == "tok-1")
        let info = plugin.dir.read("info.json")
        let request = try JSONDecoder().decode(ExecCredential.self, from: Data(info.utf8))
        #expect(request.spec == .init(cluster: .init(server: "https://api.example:443", tlsServerName: "kubernetes", certificateAuthorityData: Data("CA-PEM".utf8)), interactive: false))
        #expect(info.contains("\"tls-server-name\":\"kubernetes\""))
        #expect(info.contains("\"certificate-authority-data\":\"\(configBase64("CA-PEM"))\""))
    }

    @Test func execInteractiveAlwaysIsRefused() throws {
        let dir = try ConfigTempDir()
        defer { dir.remove() }
        let path = try dir.write("config", """
            current-context: x
            clusters: [{name: c, cluster: {server: "https://c"}}]
            users: [{name: u, user: {exec: {apiVersion: client.authentication.k8s.io/v1, command: login, interactiveMode: Always}}}]
            contexts: [{name: x, context: {cluster: c, user: u}}]
            """)
        let error = #expect(throws: KubeConfigError.self) { try ClientConfiguration.load(kubeconfigPath: path, environment: [:]) }
        #expect(error?.description.contains("user \"u\": exec plugin \"login\" requires interactiveMode Always") == true)
    }

    // MARK: - In cluster

    static func serviceAccountRoot(namespace: String? = "jobs") throws -> ConfigTempDir {
        let root = try ConfigTempDir()
        try root.write("token", "sa-token\n")
        try root.write("ca.crt", "CLUSTER CA")
        if let namespace { try root.write("namespace", namespace) }
        return root
    }

    @Test(arguments: [
        ("10.96.0.1", "443", "https://10.96.0.1:443"),
        ("fd00:10:96::1", "443", "https://[fd00:10:96::1]:443"),
        ("kubernetes.default.svc", "6443", "https://kubernetes.default.svc:6443"),
    ])
    func inCluster(host: String, port: String, url: String) async throws {
        let root = try Self.serviceAccountRoot()
        defer { root.remove() }
        let env = ["KUBERNETES_SERVICE_HOST": host, "KUBERNETES_SERVICE_PORT": port]
        let config = try ClientConfiguration.inCluster(environment: env, root: root.path, clock: ConfigTestClock())
        #expect(config.server.absoluteString == url)
        #expect(config.certificateAuthorityPEM == Data("CLUSTER CA".utf8))
        #expect(config.namespace == "jobs")
        let provider = try #require(config.credentials as? TokenFileProvider)
        #expect(provider.path == root.file("token"))
        #expect(try await provider.credentials().bearerToken == "sa-token")
    }

    @Test func inClusterNamespaceAndErrors() throws {
        let root = try Self.serviceAccountRoot(namespace: nil)
        defer { root.remove() }
        var env = ["KUBERNETES_SERVICE_HOST": "10.0.0.1", "KUBERNETES_SERVICE_PORT": "443"]
        #expect(try ClientConfiguration.inCluster(environment: env, root: root.path).namespace == "default")
        env["POD_NAMESPACE"] = "from-downward-api"
        #expect(try ClientConfiguration.inCluster(environment: env, root: root.path).namespace == "from-downward-api")
        #expect(throws: KubeConfigError.self) { try ClientConfiguration.inCluster(environment: [:], root: root.path) }
        let noToken = #expect(throws: KubeConfigError.self) { try ClientConfiguration.inCluster(environment: env, root: root.file("missing")) }
        #expect(noToken?.description.contains("cannot read the service-account token") == true)
    }

    @Test func loadFallsBackToInClusterOnlyWithoutKubeconfig() throws {
        let root = try Self.serviceAccountRoot()
        defer { root.remove() }
        let home = try ConfigTempDir()
        defer { home.remove() }
        var env = ["HOME": home.path, "KUBERNETES_SERVICE_HOST": "10.0.0.1", "KUBERNETES_SERVICE_PORT": "443"]
        let fallback = try ClientConfiguration.load(
            kubeconfigPath: nil, context: nil, namespace: "override", environment: env, clock: ConfigTestClock(), serviceAccountRoot: root.path)
        #expect(fallback.server.absoluteString == "https://10.0.0.1:443")
        #expect(fallback.namespace == "override")

        env["KUBECONFIG"] = try home.write("kc", """
            current-context: x
            clusters: [{name: c, cluster: {server: "https://outside"}}]
            contexts: [{name: x, context: {cluster: c}}]
            """)
        let outside = try ClientConfiguration.load(
            kubeconfigPath: nil, context: nil, namespace: nil, environment: env, clock: ConfigTestClock(), serviceAccountRoot: root.path)
        #expect(outside.server.absoluteString == "https://outside")
    }
}
