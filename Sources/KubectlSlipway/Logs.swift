import ArgumentParser
import Foundation
import KubeAPI
import KubeClient
import SlipwayPlugin

struct Logs: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The log of a job's pod: a BatchJob index's attempt, a SparkJob's driver or executor.",
        discussion: """
            Without --attempt, the latest attempt (finished ones too, while their pods exist). A BatchJob \
            with several indexes needs --index unless one failed (then the first failed index). A pod that \
            is gone is named, and the termination the job recorded for it is printed instead.
            """)

    @Argument(help: "NAME, batchjob/NAME or sparkjob/NAME.") var job: String
    @Option(help: "BatchJob: the array index.") var index: Int?
    @Option(help: "The attempt number (default: the latest).") var attempt: Int?
    @Flag(help: "SparkJob: the driver's log (the default).") var driver = false
    @Option(help: "SparkJob: the log of the executor with this id (spark-exec-id).") var executor: String?
    @Flag(name: [.short, .long], help: "Follow the log as it is written.") var follow = false
    @Flag(help: "The previous container instance's log, if it restarted.") var previous = false
    @Option(help: "Only the last N lines.") var tail: Int?
    @OptionGroup var cluster: ClusterOptions

    func validate() throws {
        if driver && executor != nil { throw ValidationError("--driver and --executor exclude each other") }
    }

    func run() async throws {
        let target = try JobTarget(parsing: job)
        try await cluster.withClient { client in
            let namespace = cluster.namespace(of: client)
            let found = try await client.job(target, namespace: namespace)
            let jobPods = try await client.pods(of: found, namespace: namespace)
            let pods = jobPods.pods
            let source: LogSource
            switch found {
            case .batch(let j):
                if driver || executor != nil { throw PluginError("\(found.reference) is a BatchJob: use --index and --attempt, not --driver/--executor") }
                source = try PodChoice.batchJob(j, pods: pods, index: index, attempt: attempt)
            case .spark(let j):
                if index != nil { throw PluginError("\(found.reference) is a SparkJob: use --driver or --executor ID, not --index") }
                source = try PodChoice.sparkJob(j, pods: pods, attempt: attempt, role: executor.map { .executor($0) } ?? .driver)
            }
            switch source {
            case .gone(let pod, let recorded):
                FileHandle.standardError.write(Data("pod \(pod) is gone (deleted with its log); the termination \(found.reference) recorded:\n".utf8))
                print(recorded)
            case .pod(let pod, let container):
                // A pod that has not started has no log yet (the API server answers with
                // nothing while no node runs it): say why it waits instead.
                if let waiting = jobPods.pod(named: pod), waiting.status.phase == .pending,
                    !waiting.status.containerStatuses.contains(where: { $0.state.running != nil || $0.state.terminated != nil })
                {
                    throw PluginError("pod \(pod) has not started, so it has no log yet: \(jobPods.whyWaiting(waiting)); see kubectl slipway status \(found.reference)")
                }
                let options = LogOptions(container: container, tailLines: tail, previous: previous)
                if follow {
                    for try await line in try await client.followLogs(pod: pod, namespace: namespace, options: options) {
                        FileHandle.standardOutput.write(Data((line + "\n").utf8))
                    }
                } else {
                    print(try await client.logs(pod: pod, namespace: namespace, options: options), terminator: "")
                }
            }
        }
    }
}
