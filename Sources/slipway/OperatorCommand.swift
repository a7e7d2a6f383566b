import ArgumentParser
import Foundation
import KubeAPI
import KubeClient
import KubeRuntime
import Logging
import ServiceLifecycle
import SlipwayControllers
import SlipwayCore

/// `slipway operator`: every setting is a flag or `SLIPWAY_<FLAG>` (``OperatorSettings``).
/// Values are taken as text here and checked by `OperatorSettings.resolve`, so a flag and
/// its environment variable fail alike, naming themselves and what they accept.
struct Operator: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run Slipway's controllers against a cluster (kubeconfig or in-cluster).",
        discussion: "Every flag can also be set by SLIPWAY_<FLAG> (e.g. SLIPWAY_WORKERS=8, SLIPWAY_NAMESPACE=a,b, SLIPWAY_ALLOW_PRIVILEGED=true); a flag wins over the environment. See docs/operate.md.")

    @Option(help: "Path to a kubeconfig file (default: $KUBECONFIG, then ~/.kube/config, then in-cluster).")
    var kubeconfig: String?

    @Option(help: "The kubeconfig context to use (default: its current-context).")
    var context: String?

    @Option(name: .customLong("namespace"), help: "A namespace to watch (repeatable, or comma-separated; default: all namespaces).")
    var namespaces: [String] = []

    @Option(help: ArgumentHelp("Reconciles running at once (default: 16).", valueName: "n"))
    var workers: String?

    @Option(help: ArgumentHelp("Client-side rate limit: queries per second; 0 disables it and leaves fairness to the server's API Priority and Fairness (default: 0). When set, creates and deletes go before status writes and Events.", valueName: "qps"))
    var qps: String?

    @Option(help: ArgumentHelp("Client-side rate limit: burst, with --qps (default: 100).", valueName: "n"))
    var burst: String?

    @Option(help: ArgumentHelp("Seconds a status write that changes only progress (Running, counts) may wait to be folded into the next; Pending, Submitted and a new message alone wait five times as long; 0 writes every change at once (default: 1).", valueName: "seconds"))
    var statusBatchSeconds: String?

    @Flag(inversion: .prefixedNo, help: "Elect a leader on a Lease so that only one replica reconciles (default: off).")
    var leaderElect: Bool?

    @Option(help: "Namespace of the leader-election Lease (default: the kubeconfig's or service account's namespace).")
    var leaseNamespace: String?

    @Option(help: "Name of the leader-election Lease (default: slipway-operator).")
    var leaseName: String?

    @Option(help: "Node label that tells spot from on-demand capacity (default: karpenter.sh/capacity-type).")
    var capacityLabel: String?
    @Option(help: "The label's value on spot nodes (default: spot).")
    var spotValue: String?
    @Option(help: "The label's value on on-demand nodes (default: on-demand).")
    var onDemandValue: String?

    @Flag(name: .customLong("install-crds"), inversion: .prefixedNo, help: "Create or update Slipway's CRDs at start (needs rights on customresourcedefinitions).")
    var installCRDs: Bool?

    @Option(help: ArgumentHelp("Counted attempts of a job that leaves retryStrategy.attempts unset (default: 3).", valueName: "n"))
    var defaultAttempts: String?

    @Option(help: ArgumentHelp("The most counted attempts a job may ask for; more makes it Invalid (default: 10).", valueName: "n"))
    var maxAttempts: String?

    @Option(help: ArgumentHelp("Seconds a container may fail to start (image pull, config errors) before the attempt is a StartFailure, for jobs without their own start timeout (default: 300).", valueName: "seconds"))
    var startFailureSeconds: String?

    @Option(help: ArgumentHelp("Seconds a pod may stay unschedulable before the attempt is Unschedulable, for jobs without their own start timeout (default: 600).", valueName: "seconds"))
    var unschedulableSeconds: String?

    @Option(help: ArgumentHelp("Seconds after a SparkJob's driver runs within which its minimum executors must run, for jobs without timeouts.executorStartSeconds (default: 600).", valueName: "seconds"))
    var executorStartSeconds: String?

    @Option(help: ArgumentHelp("The Kubernetes API server as SparkJob drivers reach it (default: k8s://https://kubernetes.default.svc; beside slipway dev --no-operator: k8s://<its URL>).", valueName: "url"))
    var sparkMaster: String?

    @Option(help: ArgumentHelp("POST a CloudEvent for every job phase transition and ended attempt to this HTTP endpoint (docs/events.md; default: none).", valueName: "url"))
    var eventSink: String?

    @Flag(inversion: .prefixedNo, help: "Analyse SparkJobs that leave spec.analysis.enabled unset: a sidecar beside the driver reads its event log (docs/analysis.md; default: off).")
    var analysis: Bool?

    @Option(help: ArgumentHelp("The image of the analysis sidecar: the operator's own (default: \(SparkAnalysisDefaults.defaultImage)).", valueName: "image"))
    var analysisImage: String?

    @Option(help: ArgumentHelp("The sizeLimit of the analysis sidecar's event-log emptyDir (default: 1Gi).", valueName: "quantity"))
    var analysisEventsSizeLimit: String?

    @Flag(inversion: .prefixedNo, help: "Let jobs run privileged containers (default: refused).")
    var allowPrivileged: Bool?
    @Flag(inversion: .prefixedNo, help: "Let jobs mount hostPath volumes (default: refused).")
    var allowHostPath: Bool?
    @Flag(inversion: .prefixedNo, help: "Let jobs use the host's network (default: refused).")
    var allowHostNetwork: Bool?
    @Flag(name: .customLong("allow-host-pid"), inversion: .prefixedNo, help: "Let jobs use the host's PID namespace (default: refused).")
    var allowHostPID: Bool?
    @Flag(name: .customLong("allow-host-ipc"), inversion: .prefixedNo, help: "Let jobs use the host's IPC namespace (default: refused).")
    var allowHostIPC: Bool?
    @Flag(name: .customLong("allow-capabilities"), inversion: .prefixedNo,
          help: "Let jobs add Linux capabilities beyond Pod Security Standards baseline (default: refused).")
    var allowCapabilities: Bool?
    @Flag(name: .customLong("allow-node-name"), inversion: .prefixedNo, help: "Let job pod templates set nodeName, bypassing the scheduler (default: refused).")
    var allowNodeName: Bool?

    @Option(help: ArgumentHelp("trace, debug, info, notice, warning, error or critical (default: info).", valueName: "level"))
    var logLevel: String?

    @Option(help: ArgumentHelp("Log lines as text or json, on standard error (default: text).", valueName: "format"))
    var logFormat: String?

    @Option(help: ArgumentHelp("Port of /metrics; 0 picks a free one and prints it (default: 8080).", valueName: "port"))
    var metricsPort: String?

    @Option(help: ArgumentHelp("Port of /healthz and /readyz; 0 picks a free one and prints it (default: 8081).", valueName: "port"))
    var healthPort: String?

    @Option(help: ArgumentHelp("Address the metrics and health servers listen on (default: 0.0.0.0).", valueName: "address"))
    var bindAddress: String?

    @Option(help: ArgumentHelp("Serve the web view of jobs, logs and Spark UIs on HOST:PORT, e.g. 127.0.0.1:8090 (docs/web.md; default: off).", valueName: "address"))
    var webAddress: String?

    /// The flags given, by name, as `OperatorSettings.resolve` reads them.
    var givenFlags: [String: String] {
        var flags: [String: String] = [:]
        let texts: [(String, String?)] = [
            ("kubeconfig", kubeconfig), ("context", context), ("workers", workers), ("qps", qps), ("burst", burst), ("status-batch-seconds", statusBatchSeconds),
            ("lease-namespace", leaseNamespace), ("lease-name", leaseName), ("capacity-label", capacityLabel), ("spot-value", spotValue),
            ("on-demand-value", onDemandValue), ("default-attempts", defaultAttempts), ("max-attempts", maxAttempts),
            ("start-failure-seconds", startFailureSeconds), ("unschedulable-seconds", unschedulableSeconds),
            ("executor-start-seconds", executorStartSeconds), ("spark-master", sparkMaster), ("event-sink", eventSink),
            ("analysis-image", analysisImage), ("analysis-events-size-limit", analysisEventsSizeLimit),
            ("log-level", logLevel), ("log-format", logFormat), ("metrics-port", metricsPort), ("health-port", healthPort),
            ("bind-address", bindAddress), ("web-address", webAddress),
        ]
        let booleans: [(String, Bool?)] = [
            ("leader-elect", leaderElect), ("install-crds", installCRDs), ("analysis", analysis), ("allow-privileged", allowPrivileged),
            ("allow-host-path", allowHostPath), ("allow-host-network", allowHostNetwork), ("allow-host-pid", allowHostPID),
            ("allow-host-ipc", allowHostIPC), ("allow-capabilities", allowCapabilities), ("allow-node-name", allowNodeName),
        ]
        for (name, value) in texts { if let value { flags[name] = value } }
        for (name, value) in booleans { if let value { flags[name] = value ? "true" : "false" } }
        if !namespaces.isEmpty { flags["namespace"] = namespaces.joined(separator: ",") }
        return flags
    }

    func settings() throws -> OperatorSettings {
        do {
            return try OperatorSettings.resolve(flags: givenFlags, environment: ProcessInfo.processInfo.environment)
        } catch {
            throw ValidationError(error.description)
        }
    }

    func validate() throws { _ = try settings() }

    func run() async throws {
        let settings = try settings()
        LoggingSystem.bootstrap { label in StructuredLogHandler(label: label, level: settings.logLevel, format: settings.logFormat) }
        let logger = Logger(label: "slipway.operator")
        var clientConfiguration = try ClientConfiguration.load(
            kubeconfigPath: settings.kubeconfig, context: settings.context)
        clientConfiguration.qps = settings.qps > 0 ? settings.qps : nil
        clientConfiguration.burst = settings.burst
        let identity = ProcessInfo.processInfo.environment["POD_NAME"] ?? "\(ProcessInfo.processInfo.hostName)-\(getpid())"
        let metrics = SlipwayMetrics.prometheus(version: SlipwayVersion.current)
        let health = OperatorHealth()
        var configuration = settings.operatorConfiguration(instance: identity, metrics: metrics, health: health)
        let web = settings.webAddress.map { WebServer(host: $0.host, port: $0.port, source: JobViewSource(), logger: Logger(label: "slipway.web")) }
        configuration.web = web?.source
        if let url = settings.eventSink {
            configuration.eventSink = JobEventSink(url: url, metrics: metrics, logger: Logger(label: "slipway.events"))
        }
        // In a cluster (the chart sets both): jobs may not borrow the operator's own rights.
        let environment = ProcessInfo.processInfo.environment
        if let namespace = environment["POD_NAMESPACE"], let account = environment["SLIPWAY_SERVICE_ACCOUNT"], !namespace.isEmpty, !account.isEmpty {
            configuration.podPolicy.operatorServiceAccount = (namespace, account)
        }
        let client = KubernetesClient(
            configuration: clientConfiguration, logger: Logger(label: "slipway.client"), observer: metrics.requestObserver)
        do {
            if settings.installCRDs { try await CRDInstaller.install(client: client) }
        } catch {
            try? await client.shutdown()
            throw error
        }
        let servers = EndpointServer.servers(settings: settings, health: health, metrics: metrics, logger: Logger(label: "slipway.endpoints"))
        let leaderElection = settings.leaderElect
            ? LeaderElectionSettings(namespace: settings.leaseNamespace ?? client.defaultNamespace, name: settings.leaseName, identity: identity)
            : nil
        let controllers = OperatorService(client: client, configuration: configuration, leaderElection: leaderElection, logger: logger)
        // Shut down in reverse order: the controllers first (in-flight reconciles finish,
        // the Lease is released), then the servers, so that /readyz says why until the end.
        var group = ServiceGroupConfiguration(
            services: servers.map { ServiceGroupConfiguration.ServiceConfiguration(service: $0, serviceName: $0.name) }
                + (web.map { [ServiceGroupConfiguration.ServiceConfiguration(service: $0, serviceName: "web")] } ?? []) + [
                .init(service: HeapTrimmerService(), serviceName: "heap-trimmer"),
                .init(service: controllers, successTerminationBehavior: .gracefullyShutdownGroup,
                      failureTerminationBehavior: .gracefullyShutdownGroup, serviceName: "controllers"),
            ],
            gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        group.maximumGracefulShutdownDuration = OperatorService.gracePeriod
        say("slipway operator \(SlipwayVersion.current) running as \(identity)")
        do {
            try await ServiceGroup(configuration: group).run()
        } catch {
            try? await client.shutdown()
            throw error
        }
        try await client.shutdown()
        logger.info("stopped")
    }
}
