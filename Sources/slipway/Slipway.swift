import ArgumentParser
import Foundation
import KubeAPI
import KubeClient

@main
struct Slipway: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "slipway",
        abstract: "Runs Spark applications and batch jobs on Kubernetes, and makes failed jobs succeed on the next try.",
        version: SlipwayVersion.current,
        subcommands: [Dev.self, Operator.self, Crds.self, Bench.self, Analyze.self, Version.self]
    )
}

enum SlipwayVersion {
    static let current = "0.1.0-dev"
}

/// Where to find the cluster: the same flags and rules as kubectl.
struct ClusterOptions: ParsableArguments {
    @Option(help: "Path to a kubeconfig file (default: $KUBECONFIG, then ~/.kube/config, then in-cluster).")
    var kubeconfig: String?

    @Option(help: "The kubeconfig context to use (default: its current-context).")
    var context: String?

    func clientConfiguration() throws -> ClientConfiguration {
        try ClientConfiguration.load(kubeconfigPath: kubeconfig, context: context)
    }
}

struct Version: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print Slipway's version, and the API server's with --server.")

    @Flag(help: "Also ask the API server of the current kubeconfig context for its version.")
    var server = false

    @OptionGroup var cluster: ClusterOptions

    func run() async throws {
        guard server else {
            print("Slipway version: \(SlipwayVersion.current)")
            return
        }
        let client = KubernetesClient(configuration: try cluster.clientConfiguration())
        print("Slipway version: \(SlipwayVersion.current)")
        do {
            let info = try await client.getRaw(path: "/version")
            let git = info["gitVersion"]?.stringValue ?? "unknown"
            print("Server version: \(git) (\(client.configuration.server.absoluteString))")
            try await client.shutdown()
        } catch {
            try? await client.shutdown()
            throw ValidationError("cannot reach the API server at \(client.configuration.server.absoluteString): \(error)")
        }
    }
}
