import ArgumentParser
import Foundation
import KubeClient
import LocalCluster
import Logging
import SlipwayControllers

struct Dev: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a local Kubernetes-compatible control plane and node, usable with the real kubectl.")

    @Option(help: "Directory for the kubeconfig, persisted objects and pod directories (default: ~/.slipway/dev or $SLIPWAY_DEV_HOME).")
    var dataDir: String?

    @Option(help: "Port of the API server on 127.0.0.1 (default: 6443; 0 picks a free one).")
    var port: Int = 6443

    @Flag(help: "Keep everything in memory: nothing survives a restart.")
    var ephemeral = false

    @Option(
        name: .customLong("node"),
        help: ArgumentHelp(
            "A simulated node (repeatable), e.g. name=spot,count=2,cpu=4,memory=8Gi,capacity=spot,zone=a,labels=k:v;k2:v2,taints=key=value:NoSchedule. Default: one on-demand node with 8 cpu and 16Gi.",
            valueName: "spec"))
    var nodeSpecs: [String] = []

    @Option(help: "A JSON file of nodes: {\"nodes\": [{\"name\": …, \"cpu\": …, \"memory\": …, \"labels\": {…}, \"taints\": […]}]}.")
    var nodeConfig: String?

    @Option(
        name: .customLong("spark-home"),
        help: ArgumentHelp(
            "A Spark distribution (bin/spark-submit, jars/) that plays Spark images (repeatable; picked by the image's version). Default: every one in ./.tools/spark (scripts/setup.sh), else the Spark stand-in.",
            valueName: "dir"))
    var sparkHomes: [String] = []

    @Flag(help: "Play Spark images with the Python stand-in even when Spark distributions are found.")
    var sparkStandIn = false

    @Option(help: "Append every API request (method, path, client, status, body of writes) to this file as JSON lines.")
    var auditLog: String?

    @Flag(help: "Run no operator in this process: the CRDs are installed, jobs wait for a `slipway operator` you run beside it (it prints the command).")
    var noOperator = false

    @Option(help: ArgumentHelp(
        "Where the web view of jobs, logs and Spark UIs listens (docs/web.md; port 0 picks a free one). Default: 127.0.0.1:8090, or a free port when 8090 is taken.",
        valueName: "host:port"))
    var webAddress: String?

    /// The web view's default address; when its port is taken, a free one is used instead.
    static let defaultWebAddress = WebAddress(host: "127.0.0.1", port: 8090)

    @Flag(help: "Serve no web view.")
    var noWeb = false

    func validate() throws {
        if !noWeb, let webAddress, WebAddress(parsing: webAddress) == nil {
            throw ValidationError("--web-address \(webAddress) is not HOST:PORT, e.g. 127.0.0.1:8090")
        }
    }

    func nodes() throws -> [NodeConfiguration] {
        var nodes: [NodeConfiguration] = []
        do {
            for spec in nodeSpecs { nodes += try NodeConfiguration.parse(flags: spec) }
            if let nodeConfig {
                let data = try Data(contentsOf: URL(fileURLWithPath: nodeConfig))
                nodes += try NodeConfiguration.parse(json: data)
            }
        } catch {
            throw ValidationError("bad node configuration: \(error)")
        }
        return nodes.isEmpty ? NodeConfiguration.defaults : nodes
    }

    func run() async throws {
        let directory = dataDir.map { URL(fileURLWithPath: $0) } ?? DevClusterConfiguration.defaultDataDirectory()
        let spark = try sparkRuntime()
        var configuration = DevClusterConfiguration(dataDirectory: directory, ephemeral: ephemeral, port: port, nodes: try nodes(), spark: spark)
        // Slipway's own image (the SparkJob analysis sidecar) runs this very binary.
        configuration.slipwayExecutable = Self.ownExecutable
        if let auditLog {
            let file = try AuditLogFile(url: URL(fileURLWithPath: auditLog))
            configuration.audit = { file.write($0) }
        }
        let cluster = try DevCluster(configuration: configuration)
        try await cluster.start()
        let url = cluster.server.url!
        var embedded: EmbeddedOperator?
        let web = noWeb || noOperator ? nil : webAddress.flatMap(WebAddress.init(parsing:)) ?? Self.defaultWebAddress
        let source = web.map { _ in JobViewSource() }
        var webTask: Task<Void, any Error>?
        var webLine = ""
        do {
            if noOperator {
                try await Self.installCRDs(localServer: url, caPEM: cluster.server.certificateAuthority.certificatePEM, token: cluster.token)
            } else {
                embedded = try await EmbeddedOperator.start(
                    localServer: url, caPEM: cluster.server.certificateAuthority.certificatePEM, token: cluster.token, web: source)
            }
            if let web, let source {
                var (task, result) = await Self.startWeb(web, source: source)
                if case .failure = result, webAddress == nil {
                    // The default port is taken (another slipway dev?): any free one will do.
                    (task, result) = await Self.startWeb(WebAddress(host: web.host, port: 0), source: source)
                }
                webTask = task
                webLine = "Jobs, logs and Spark UIs in a browser: \(try result.get())\n"
            }
        } catch {
            webTask?.cancel()
            await embedded?.stop()
            await cluster.shutdown()
            throw error
        }
        say("""
            Slipway dev control plane is running at \(url.absoluteString)
            Use it with kubectl:

              export KUBECONFIG=\(cluster.kubeconfigPath.path)
              kubectl get nodes

            \(Self.describe(spark))
            \(webLine)\(noOperator ? Self.operatorHint(kubeconfig: cluster.kubeconfigPath, server: url) : "")Press Ctrl-C to stop.
            """)
        let trimming = Task { await HeapTrimmer.run() }
        await waitForTermination()
        say("Stopping…")
        trimming.cancel()
        webTask?.cancel()
        await embedded?.stop()
        await cluster.shutdown()
    }

    /// Starts the web view; its URL once it listens, or why it cannot.
    static func startWeb(_ address: WebAddress, source: JobViewSource) async -> (Task<Void, any Error>, Result<String, any Error>) {
        let (started, continuation) = AsyncStream<Result<String, any Error>>.makeStream()
        let server = WebServer(host: address.host, port: address.port, source: source, logger: Logger(label: "slipway.web"), started: { continuation.yield($0) })
        let task = Task { try await server.run() }
        for await result in started { return (task, result) }
        return (task, .failure(CancellationError()))
    }

    /// With `--no-operator`: the CRDs, so that jobs can be applied before an operator runs.
    static func installCRDs(localServer url: URL, caPEM: String, token: String) async throws {
        let client = KubernetesClient(configuration: .local(server: url, caPEM: caPEM, token: token, userAgent: "slipway-dev"))
        do {
            try await CRDInstaller.install(client: client)
        } catch {
            try? await client.shutdown()
            throw error
        }
        try await client.shutdown()
    }

    /// What to run beside a `--no-operator` control plane.
    static func operatorHint(kubeconfig: URL, server: URL) -> String {
        """

        No operator runs here (--no-operator): jobs wait until one does. Run it beside this, e.g.:

          slipway operator --kubeconfig \(kubeconfig.path) --spark-master k8s://\(server.absoluteString) --metrics-port 0 --health-port 0


        """
    }
}

extension Dev {
    /// This process's executable.
    static var ownExecutable: URL {
        let link = URL(fileURLWithPath: "/proc/self/exe")
        if let target = try? FileManager.default.destinationOfSymbolicLink(atPath: link.path) { return URL(fileURLWithPath: target) }
        return URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL
    }

    /// Real Spark from `--spark-home`, else from `./.tools/spark`; nil for the stand-in.
    func sparkRuntime() throws -> SparkRuntime? {
        if sparkStandIn {
            guard sparkHomes.isEmpty else { throw ValidationError("--spark-stand-in and --spark-home exclude each other") }
            return nil
        }
        if !sparkHomes.isEmpty {
            do {
                return SparkRuntime(distributions: try sparkHomes.map { dir throws(SparkDistributionError) in try SparkDistribution.load(URL(fileURLWithPath: dir)) })
            } catch {
                throw ValidationError("--spark-home: \(error)")
            }
        }
        let found = SparkDistribution.discover(in: URL(fileURLWithPath: ".tools/spark"))
        return found.isEmpty ? nil : SparkRuntime(distributions: found)
    }

    static func describe(_ spark: SparkRuntime?) -> String {
        guard let spark else { return "Spark images run the Spark stand-in (no Spark distribution: --spark-home DIR, or scripts/setup.sh)." }
        let list = spark.distributions.map { "Spark \($0.version) (\($0.home.path))" }.joined(separator: ", ")
        return "Spark images run real Spark: \(list)."
    }
}

/// Writes a line to standard output at once (unbuffered, so scripts see it immediately).
func say(_ text: String) {
    FileHandle.standardOutput.write(Data((text + "\n").utf8))
}

/// Suspends until SIGINT or SIGTERM.
func waitForTermination() async {
    let (signals, continuation) = AsyncStream<Int32>.makeStream()
    var sources: [any DispatchSourceSignal] = []
    for sig in [SIGINT, SIGTERM] {
        signal(sig, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
        source.setEventHandler { continuation.yield(sig) }
        source.resume()
        sources.append(source)
    }
    for await _ in signals { break }
    withExtendedLifetime(sources) {}
}

