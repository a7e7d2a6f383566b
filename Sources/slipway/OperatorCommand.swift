import ArgumentParser
import Foundation
import KubeAPI
import KubeClient
import KubeRuntime
import Logging
import SlipwayControllers

struct Operator: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run Slipway's controllers against a cluster (kubeconfig or in-cluster).")

    @OptionGroup var cluster: ClusterOptions

    @Option(name: .customLong("namespace"), help: "A namespace to watch (repeatable; default: all namespaces).")
    var namespaces: [String] = []

    @Option(help: "Reconciles running at once.")
    var workers = 4

    @Option(help: "Client-side rate limit: queries per second (0 disables the limit).")
    var qps: Double = 50

    @Option(help: "Client-side rate limit: burst.")
    var burst = 100

    @Flag(help: "Elect a leader on a Lease so that only one replica reconciles.")
    var leaderElect = false

    @Option(help: "Namespace of the leader-election Lease (default: the kubeconfig's or service account's namespace).")
    var leaseNamespace: String?

    @Option(help: "Name of the leader-election Lease.")
    var leaseName = "slipway-operator"

    @Option(help: "Node label that tells spot from on-demand capacity, and its values.")
    var capacityLabel = "karpenter.sh/capacity-type"
    @Option var spotValue = "spot"
    @Option var onDemandValue = "on-demand"

    @Flag(help: "Create or update Slipway's CRDs at start (needs rights on customresourcedefinitions).")
    var installCRDs = false

    func validate() throws {
        guard workers > 0 else { throw ValidationError("--workers must be at least 1 (got \(workers))") }
        guard qps >= 0 else { throw ValidationError("--qps must not be negative (got \(qps)); 0 disables the limit") }
        guard burst > 0 else { throw ValidationError("--burst must be at least 1 (got \(burst))") }
    }

    func run() async throws {
        var clientConfiguration = try cluster.clientConfiguration()
        clientConfiguration.qps = qps > 0 ? qps : nil
        clientConfiguration.burst = burst
        let identity = ProcessInfo.processInfo.environment["POD_NAME"] ?? "\(ProcessInfo.processInfo.hostName)-\(getpid())"
        let configuration = OperatorConfiguration(
            namespaces: namespaces, workers: workers, capacityLabel: capacityLabel, spotValue: spotValue, onDemandValue: onDemandValue,
            instance: identity)
        let client = KubernetesClient(configuration: clientConfiguration)
        if installCRDs { try await CRDInstaller.install(client: client) }
        let leaderElection = leaderElect
            ? LeaderElectionSettings(namespace: leaseNamespace ?? client.defaultNamespace, name: leaseName, identity: identity) : nil
        let work = Task { await OperatorRunner.run(client: client, configuration: configuration, leaderElection: leaderElection) }
        say("slipway operator \(SlipwayVersion.current) running as \(identity)")
        await waitForTermination()
        work.cancel()
        await work.value
        try await client.shutdown()
    }
}
