import ArgumentParser
import Foundation
import KubeAPI
import KubeClient
import SlipwayPlugin

struct Status: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "One screen that answers why: phase, progress, what waits and why, each failure and what the next attempt changes.")

    @Argument(help: "NAME, batchjob/NAME or sparkjob/NAME.") var job: String
    @OptionGroup var cluster: ClusterOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let target = try JobTarget(parsing: job)
        try await cluster.withClient { client in
            let namespace = cluster.namespace(of: client)
            let found = try await client.job(target, namespace: namespace)
            if try output.print(found.json) { return }
            let pods = try await client.pods(of: found, namespace: namespace)
            let screen = StatusScreen(style: outputStyle, now: Date())
            switch found {
            case .batch(let j): print(screen.render(j, pods: pods), terminator: "")
            case .spark(let j): print(screen.render(j, pods: pods), terminator: "")
            }
        }
    }
}

struct History: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "The attempt table: every recorded attempt, how it ended, where, with what.")

    @Argument(help: "NAME, batchjob/NAME or sparkjob/NAME.") var job: String
    @OptionGroup var cluster: ClusterOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let target = try JobTarget(parsing: job)
        try await cluster.withClient { client in
            let found = try await client.job(target, namespace: cluster.namespace(of: client))
            switch found {
            case .batch(let j):
                if try output.print(.array(j.status.history.map(\.json))) { return }
                print(HistoryTable.render(j), terminator: "")
            case .spark(let j):
                if try output.print(.array(j.status.history.map(\.json))) { return }
                print(HistoryTable.render(j), terminator: "")
            }
        }
    }
}
