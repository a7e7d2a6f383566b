import Foundation

/// Credentials from a client-go credential plugin (`users[].user.exec` in a kubeconfig),
/// e.g. `aws eks get-token`, `gke-gcloud-auth-plugin`, `kubelogin`.
///
/// The plugin runs with the kubeconfig's `env` added to the inherited environment and
/// `KUBERNETES_EXEC_INFO` holding an ExecCredential request (never interactive; with the
/// cluster when `provideClusterInfo` is set). Its answer is cached until shortly before
/// `expirationTimestamp` (measured with the injected clock), or, without one, until
/// `invalidate()` — which the transport calls after a 401. Concurrent callers share one run.
///
/// A run that takes longer than `timeout` (a plugin waiting for a login that never comes,
/// or one that left a background process holding its stdout open) is terminated — SIGTERM,
/// then SIGKILL two seconds later — and fails with `ExecPluginTimeoutError`.
public actor ExecCredentialProvider: CredentialProvider {
    public nonisolated let config: KubeConfig.ExecConfig
    public nonisolated let clusterInfo: ExecCredential.Cluster?
    private let clock: any KubeClock
    private let environment: [String: String]
    private let refreshMargin: Duration
    /// How long one run of the plugin may take (real time, not the injected clock).
    public nonisolated let timeout: Duration

    private var cached: (credentials: Credentials, expiry: Date?)?
    private var running: Task<(Credentials, expiry: Date?), any Error>?

    /// - Parameters:
    ///   - clusterInfo: sent to the plugin only when `config.provideClusterInfo` is true.
    ///   - environment: the environment the plugin inherits (before the kubeconfig's `env`).
    ///   - refreshMargin: how long before expiry a cached credential is refreshed.
    ///   - timeout: how long one run of the plugin may take before it is terminated.
    public init(
        config: KubeConfig.ExecConfig, clusterInfo: ExecCredential.Cluster? = nil, clock: any KubeClock = SystemClock(),
        environment: [String: String] = ProcessInfo.processInfo.environment, refreshMargin: Duration = .seconds(10),
        timeout: Duration = .seconds(60)
    ) {
        self.config = config
        self.clusterInfo = clusterInfo
        self.clock = clock
        self.environment = environment
        self.refreshMargin = refreshMargin
        self.timeout = timeout
    }

    public func credentials() async throws -> Credentials {
        if let cached, isFresh(cached.expiry) { return cached.credentials }
        let task: Task<(Credentials, expiry: Date?), any Error>
        if let running {
            task = running
        } else {
            let invocation = try makeInvocation()
            task = Task { try await invocation.run() }
            running = task
        }
        do {
            let result = try await task.value
            if running == task {
                running = nil
                cached = result
            }
            return result.0
        } catch {
            if running == task { running = nil }
            throw error
        }
    }

    public func invalidate() async {
        cached = nil
    }

    private func isFresh(_ expiry: Date?) -> Bool {
        guard let expiry else { return true }
        return clock.now() < expiry.addingTimeInterval(-refreshMargin.seconds)
    }

    // MARK: - Running the plugin

    /// The request sent in `KUBERNETES_EXEC_INFO`.
    public nonisolated var request: ExecCredential {
        let cluster = config.provideClusterInfo == true ? clusterInfo : nil
        return ExecCredential(apiVersion: config.apiVersion, kind: "ExecCredential", spec: .init(cluster: cluster, interactive: false))
    }

    private func makeInvocation() throws -> Invocation {
        guard let executable = PluginProcess.locate(config.command, path: environment["PATH"]) else {
            throw ExecPluginError.notFound(command: config.command, installHint: config.installHint)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let info = String(decoding: try encoder.encode(request), as: UTF8.self)
        var env = environment
        for variable in config.env ?? [] { env[variable.name] = variable.value }
        env["KUBERNETES_EXEC_INFO"] = info
        return Invocation(
            process: PluginProcess(executable: executable, arguments: config.args ?? [], environment: env),
            command: config.command, apiVersion: config.apiVersion, timeout: timeout)
    }

    /// One run of the plugin, independent of the actor so that it can be shared by waiters.
    private struct Invocation: Sendable {
        var process: PluginProcess
        var command: String
        var apiVersion: String
        var timeout: Duration

        func run() async throws -> (Credentials, expiry: Date?) {
            let result: PluginProcess.Result
            do {
                result = try await process.run(timeout: timeout)
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                throw ExecPluginError.launchFailed(command: command, reason: MergedKubeConfig.reason(error))
            }
            let stderr = Self.trimmed(result.stderr)
            if result.timedOut { throw ExecPluginTimeoutError(command: command, timeout: timeout, stderr: stderr) }
            switch result.termination {
            case .exit(0): break
            case .exit(let code): throw ExecPluginError.failed(command: command, exitCode: code, stderr: stderr)
            case .signal(let signal): throw ExecPluginError.killed(command: command, signal: signal, stderr: stderr)
            }
            return try ExecCredential.parse(stdout: result.stdout, expectedAPIVersion: apiVersion, command: command)
        }

        /// Stderr as text, trimmed and capped so that an error message stays readable.
        static func trimmed(_ data: Data, limit: Int = 4096) -> String {
            var text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            if text.count > limit { text = String(text.prefix(limit)) + " …(truncated)" }
            return text
        }
    }
}

/// An exec credential plugin did not finish within the provider's timeout and was terminated.
public struct ExecPluginTimeoutError: Error, Sendable, Hashable, CustomStringConvertible {
    public var command: String
    public var timeout: Duration
    /// What the plugin wrote on stderr before it was stopped (trimmed, capped).
    public var stderr: String

    public init(command: String, timeout: Duration, stderr: String = "") {
        self.command = command
        self.timeout = timeout
        self.stderr = stderr
    }

    public var description: String {
        let seconds = timeout.seconds
        let amount = seconds == seconds.rounded() && abs(seconds) < 1e15 ? String(Int64(seconds)) : String(seconds)
        var message = "exec credential plugin \"\(command)\" did not finish within \(amount)s and was terminated "
            + "(is it waiting for interactive input, or did it leave a background process holding its output open?)"
        if !stderr.isEmpty { message += ": \(stderr)" }
        return message
    }
}
