import ArgumentParser
import Foundation
import LocalCluster
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
        let cluster = try DevCluster(
            configuration: DevClusterConfiguration(dataDirectory: directory, ephemeral: ephemeral, port: port, nodes: try nodes()))
        try await cluster.start()
        let embedded: EmbeddedOperator
        do {
            embedded = try await EmbeddedOperator.start(
                localServer: cluster.server.url!, caPEM: cluster.server.certificateAuthority.certificatePEM, token: cluster.token)
        } catch {
            await cluster.shutdown()
            throw error
        }
        say("""
            Slipway dev control plane is running at \(cluster.server.url?.absoluteString ?? "?")
            Use it with kubectl:

              export KUBECONFIG=\(cluster.kubeconfigPath.path)
              kubectl get nodes

            Press Ctrl-C to stop.
            """)
        await waitForTermination()
        say("Stopping…")
        await embedded.stop()
        await cluster.shutdown()
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

