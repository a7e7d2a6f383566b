import Foundation
import KubeAPI
import Logging
import Synchronization

/// Settings of `slipway dev`.
public struct DevClusterConfiguration: Sendable {
    /// Where the kubeconfig, the CA, persisted objects and pod directories live.
    public var dataDirectory: URL
    /// Keep objects in memory only (nothing survives a restart).
    public var ephemeral: Bool
    public var port: Int
    public var bookmarkInterval: Duration
    /// The simulated nodes (one on-demand node by default).
    public var nodes: [NodeConfiguration]
    public var kubelet: KubeletConfiguration
    /// Run Spark images' containers with ``SparkStandIn`` (unless an entrypoint is configured
    /// or ``spark`` is set).
    public var sparkStandIn: Bool = true
    /// Run Spark images' containers with real Spark (``SparkRuntime``) instead of the stand-in.
    public var spark: SparkRuntime?
    /// Told of every API request once answered (``AuditRecord``).
    public var audit: (@Sendable (AuditRecord) -> Void)?
    /// The `slipway` binary that stands for Slipway's own image (the SparkJob analysis
    /// sidecar runs `slipway analyze` from it): containers of images starting with one of
    /// ``slipwayImagePrefixes`` and without a `command` run it with their `args`.
    public var slipwayExecutable: URL?

    /// Slipway's image, as the chart and the operator name it (`--analysis-image`).
    public static let slipwayImagePrefixes = ["ghcr.io/slipway-dev/slipway:", "ghcr.io/slipway-dev/slipway@"]

    public init(
        dataDirectory: URL, ephemeral: Bool = false, port: Int = 0, bookmarkInterval: Duration = .seconds(60),
        nodes: [NodeConfiguration] = NodeConfiguration.defaults, kubelet: KubeletConfiguration = KubeletConfiguration(),
        spark: SparkRuntime? = nil
    ) {
        self.spark = spark
        self.dataDirectory = dataDirectory
        self.ephemeral = ephemeral
        self.port = port
        self.bookmarkInterval = bookmarkInterval
        self.nodes = nodes
        self.kubelet = kubelet
    }

    /// `~/.slipway/dev`, or `$SLIPWAY_DEV_HOME`.
    public static func defaultDataDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        if let home = environment["SLIPWAY_DEV_HOME"], !home.isEmpty { return URL(fileURLWithPath: home) }
        let user = environment["HOME"] ?? NSTemporaryDirectory()
        return URL(fileURLWithPath: user).appendingPathComponent(".slipway/dev")
    }
}

/// The whole local control plane of `slipway dev`: the API server and the local nodes that
/// run pods as processes. Writes a kubeconfig the real kubectl can use.
public final class DevCluster: Sendable {
    public let configuration: DevClusterConfiguration
    public let server: LocalAPIServer
    /// The kubeconfig written at start.
    public let kubeconfigPath: URL
    public let token: String
    /// The log objects are saved in (nil with `ephemeral`).
    let persistence: PersistentLog?
    /// The nodes, the scheduler and the kubelet.
    public let nodes: LocalNodes

    /// Held for the cluster's lifetime: one `slipway dev` per data directory.
    private let lock: DataDirectoryLock

    public init(configuration: DevClusterConfiguration, logger: Logger = Logger(label: "slipway.dev")) throws {
        self.configuration = configuration
        try FileManager.default.createDirectory(at: configuration.dataDirectory, withIntermediateDirectories: true)
        lock = try DataDirectoryLock(directory: configuration.dataDirectory)
        token = try Self.loadOrCreateToken(in: configuration.dataDirectory)
        let ca = try CertificateAuthority()
        let serverConfiguration = LocalAPIServerConfiguration(
            port: configuration.port, token: token, bookmarkInterval: configuration.bookmarkInterval)
        var store: ClusterStore?
        if configuration.ephemeral {
            persistence = nil
        } else {
            let (log, restored) = try PersistentLog.open(
                directory: configuration.dataDirectory.appendingPathComponent("objects"),
                configuration: .init(historyLimit: serverConfiguration.historyLimit))
            persistence = log
            store = ClusterStore(restored, persistence: log)
        }
        server = try LocalAPIServer(configuration: serverConfiguration, store: store, certificateAuthority: ca, logger: logger)
        var kubelet = configuration.kubelet
        if let spark = configuration.spark {
            kubelet.spark = spark
        } else if configuration.sparkStandIn {
            let entrypoints = try SparkStandIn.install(in: configuration.dataDirectory.appendingPathComponent("bin"))
            kubelet.entrypoints.merge(entrypoints) { configured, _ in configured }
        }
        if let slipway = configuration.slipwayExecutable {
            let entrypoints = Dictionary(uniqueKeysWithValues: DevClusterConfiguration.slipwayImagePrefixes.map { ($0, [slipway.path]) })
            kubelet.entrypoints.merge(entrypoints) { configured, _ in configured }
        }
        nodes = LocalNodes(
            store: server.store, root: configuration.dataDirectory.appendingPathComponent("node"), nodes: configuration.nodes,
            configuration: kubelet)
        var hooks = Self.hooks(for: nodes)
        hooks.audit = configuration.audit
        server.setHooks(hooks)
        kubeconfigPath = configuration.dataDirectory.appendingPathComponent("kubeconfig")
    }

    /// Starts serving and writes the kubeconfig.
    public func start() async throws {
        try await server.start()
        guard let url = server.url else { throw StoreErrors.badRequest("the API server did not start") }
        configuration.kubelet.apiAccess.set(APIAccess(
            host: url.host ?? "127.0.0.1", port: url.port ?? 443, token: token, caPEM: server.certificateAuthority.certificatePEM))
        await nodes.start()
        try Self.kubeconfig(server: url, caPEM: server.certificateAuthority.certificatePEM, token: token)
            .write(to: kubeconfigPath, atomically: true, encoding: .utf8)
        try? FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: kubeconfigPath.path)
    }

    public func shutdown() async {
        await nodes.stop()
        await server.shutdown()
        try? persistence?.close()
        lock.release()
    }

    /// What the API server asks of the nodes: logs and faults.
    static func hooks(for nodes: LocalNodes) -> ServerHooks {
        var hooks = ServerHooks()
        hooks.readLog = { namespace, pod, container, tail, previous in
            try await nodes.logs(namespace: namespace, name: pod, container: container, tailLines: tail, previous: previous)
        }
        hooks.followLog = { namespace, pod, container, tail in
            try await nodes.followLogs(namespace: namespace, name: pod, container: container, tailLines: tail)
        }
        hooks.interruptNode = { try await nodes.interruptNode($0) }
        hooks.restoreNode = { try await nodes.restoreNode($0) }
        hooks.evictPod = { try await nodes.evictPod(namespace: $0, name: $1) }
        return hooks
    }

    /// A kubeconfig for the local cluster: context `slipway-dev`, namespace `default`.
    public static func kubeconfig(server: URL, caPEM: String, token: String) -> String {
        let ca = Data(caPEM.utf8).base64EncodedString()
        return """
            apiVersion: v1
            kind: Config
            clusters:
            - name: slipway-dev
              cluster:
                server: \(server.absoluteString)
                certificate-authority-data: \(ca)
            users:
            - name: slipway-dev
              user:
                token: \(token)
            contexts:
            - name: slipway-dev
              context:
                cluster: slipway-dev
                user: slipway-dev
                namespace: default
            current-context: slipway-dev

            """
    }

    /// The bearer token, kept across restarts so exported kubeconfigs stay valid.
    static func loadOrCreateToken(in directory: URL) throws -> String {
        let file = directory.appendingPathComponent("token")
        if let existing = try? String(contentsOf: file, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines), !existing.isEmpty {
            return existing
        }
        var generator = SystemRandomNumberGenerator()
        let token = (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
        try token.write(to: file, atomically: true, encoding: .utf8)
        try? FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file.path)
        return token
    }
}

/// An exclusive `flock` on `<data-dir>/lock`, so two `slipway dev` processes never share a
/// data directory (their logs and pod directories would corrupt each other). The kernel
/// releases it when the process ends, however it ends.
final class DataDirectoryLock: Sendable {
    private let descriptor: Mutex<Int32>

    init(directory: URL) throws {
        let path = directory.appendingPathComponent("lock").path
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw StoreErrors.badRequest("cannot open \(path): \(String(cString: strerror(errno)))") }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            close(fd)
            throw StoreErrors.badRequest(
                "another slipway dev is using \(directory.path): stop it, or pass --data-dir with another directory")
        }
        descriptor = Mutex(fd)
    }

    /// Releases the lock (at shutdown); later calls do nothing.
    func release() {
        descriptor.withLock { fd in
            if fd >= 0 { close(fd) }
            fd = -1
        }
    }

    deinit { release() }
}
