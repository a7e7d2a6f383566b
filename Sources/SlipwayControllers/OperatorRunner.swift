import Foundation
import KubeAPI
import KubeClient
import KubeRuntime
import Logging

/// Where the leader-election Lease lives and how long it lasts.
public struct LeaderElectionSettings: Sendable {
    public var namespace: String
    public var name: String
    public var identity: String
    public var timing: LeaderElectionConfiguration

    public init(namespace: String, name: String = "slipway-operator", identity: String, timing: LeaderElectionConfiguration = LeaderElectionConfiguration()) {
        self.namespace = namespace
        self.name = name
        self.identity = identity
        self.timing = timing
    }
}

/// Runs Slipway's controllers until the task is cancelled — directly, or only while this
/// replica holds the leader-election Lease (losing it stops reconciling at once; a graceful
/// stop releases it).
public enum OperatorRunner {
    public static func run(
        client: KubernetesClient, configuration: OperatorConfiguration, leaderElection: LeaderElectionSettings?,
        logger: Logger = Logger(label: "slipway.operator")
    ) async {
        guard let leaderElection else {
            await BatchJobController(client: client, configuration: configuration, logger: logger).run()
            return
        }
        let lock = KubernetesLeaseLock(client: client, namespace: leaderElection.namespace, name: leaderElection.name)
        let elector = LeaderElector(
            identity: leaderElection.identity, lock: lock, configuration: leaderElection.timing, logger: logger,
            leading: {
                // A fresh controller per term: its caches start from a new list.
                await BatchJobController(client: client, configuration: configuration, logger: logger).run()
            })
        await elector.run()
    }
}
