import ArgumentParser
import Foundation
import KubeAPI
import KubeClient
import SlipwayAPI
import SlipwayPlugin

/// `kubectl slipway …`: kubectl runs this executable for `kubectl slipway` when it is on
/// PATH as `kubectl-slipway` (kubectl's plugin discovery). docs/plugin.md.
@main
struct KubectlSlipway: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kubectl slipway",
        abstract: "Why a Slipway job is where it is, its logs, and retry, suspend, resume, trigger.",
        discussion: "JOB is NAME (a BatchJob or SparkJob of that name), batchjob/NAME or sparkjob/NAME.",
        version: "0.1.0-dev",
        subcommands: [Status.self, Logs.self, History.self, Retry.self, Suspend.self, Resume.self, Trigger.self, Queues.self]
    )

    /// Runs the command; every failure ends with one line on standard error and exit code 1
    /// (help and --version exit 0), as kubectl does.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asynchronous = command as? any AsyncParsableCommand {
                try await asynchronous.run()
            } else {
                try command.run()
            }
        } catch {
            if exitCode(for: error) == .success { exit(withError: error) }
            let text: String
            switch error {
            case let error as PluginError: text = error.message
            case _ where exitCode(for: error) == .validationFailure: text = message(for: error) + " (see kubectl slipway --help)"
            default: text = message(for: error)
            }
            let line = text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.joined(separator: "; ")
            FileHandle.standardError.write(Data("error: \(line)\n".utf8))
            Foundation.exit(1)
        }
    }
}

/// The flags every subcommand takes, with kubectl's names and meaning.
struct ClusterOptions: ParsableArguments {
    @Option(help: "Path to the kubeconfig file (default: $KUBECONFIG, then ~/.kube/config, then in-cluster).")
    var kubeconfig: String?

    @Option(help: "The kubeconfig context to use.")
    var context: String?

    @Option(name: [.short, .long], help: "The namespace (default: the context's).")
    var namespace: String?

    /// Opens a client, runs `body` with it and shuts it down on every path.
    func withClient<T>(_ body: (KubernetesClient) async throws -> T) async throws -> T {
        let configuration: ClientConfiguration
        do {
            configuration = try ClientConfiguration.load(kubeconfigPath: kubeconfig, context: context, namespace: namespace)
        } catch {
            throw PluginError("\(error) (pass --kubeconfig or --context, or set KUBECONFIG)")
        }
        let client = KubernetesClient(configuration: configuration)
        do {
            let result = try await body(client)
            try? await client.shutdown()
            return result
        } catch {
            try? await client.shutdown()
            throw Failure.explain(error, server: configuration.server.absoluteString)
        }
    }
}

/// `-o json|yaml`.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case json, yaml
}

struct OutputOptions: ParsableArguments {
    @Option(name: [.short, .long], help: "Print the data instead of the screen: json or yaml.")
    var output: OutputFormat?

    /// Prints `value` in the chosen format; false when no format was chosen.
    func print(_ value: JSONValue) throws -> Bool {
        switch output {
        case nil: return false
        case .json: Swift.print(JSON.prettyString(value))
        case .yaml: Swift.print(try CRDGenerator.yaml(value), terminator: "")
        }
        return true
    }
}

/// Colour only when standard output is a terminal.
var outputStyle: TextStyle {
    TextStyle.forOutput(isTerminal: isatty(STDOUT_FILENO) == 1, environment: ProcessInfo.processInfo.environment)
}
