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
/// replica holds the leader-election Lease (losing it stops reconciling at once and `run`
/// returns; a graceful stop releases it). Cancelled, in-flight reconciles finish first.
/// Leadership goes to `configuration.health` (readiness) and `slipway_leader`.
public enum OperatorRunner {
    public static func run(
        client: KubernetesClient, configuration: OperatorConfiguration, leaderElection: LeaderElectionSettings?,
        logger: Logger = Logger(label: "slipway.operator")
    ) async {
        let health = configuration.health
        let metrics = configuration.metrics
        guard let leaderElection else {
            health.setElection(.disabled)
            metrics.setLeader(true)
            await runControllers(client: client, configuration: configuration, logger: logger)
            metrics.setLeader(false)
            return
        }
        health.setElection(.acquiring)
        metrics.setLeader(false)
        let lock = KubernetesLeaseLock(client: client, namespace: leaderElection.namespace, name: leaderElection.name)
        let elector = LeaderElector(
            identity: leaderElection.identity, lock: lock, configuration: leaderElection.timing, logger: logger,
            leading: {
                // Fresh controllers per term: their caches start from a new list.
                await runControllers(client: client, configuration: configuration, logger: logger)
            })
        let reporting = Task {
            for await event in elector.events {
                switch event {
                case .startedLeading:
                    health.setElection(.leading)
                    metrics.setLeader(true)
                case .stoppedLeading:
                    health.setElection(.acquiring)
                    metrics.setLeader(false)
                case .newLeader(let holder) where holder != leaderElection.identity:
                    health.setElection(.standby(leader: holder))
                case .newLeader:
                    break
                }
            }
        }
        await elector.run()
        await reporting.value
    }

    /// A controller for every kind Slipway has (``JobKinds/all``), the JobQueue admission
    /// controller and the JobSchedule controller over one set of caches, until the task is
    /// cancelled.
    public static func runControllers(
        client: KubernetesClient, configuration: OperatorConfiguration, logger: Logger, clock: any KubeClock = SystemClock()
    ) async {
        let caches = OperatorCaches(client: client, configuration: configuration, clock: clock)
        let controllers = JobKinds.all.map { kind in
            kind.makeController(client: client, caches: caches, configuration: configuration, clock: clock, logger: logger)
        } + [
            QueueController(client: client, caches: caches, configuration: configuration, clock: clock, logger: logger),
            ScheduleController(client: client, caches: caches, configuration: configuration, clock: clock, logger: logger),
        ] + (configuration.eventSink.map { [EventSinkController(sink: $0, caches: caches, client: client)] } ?? [])
        // Handlers first, so that no cache event reaches the informers before they are there.
        for controller in controllers { await controller.connect() }
        configuration.web?.attach(caches, client: client)
        await withDiscardingTaskGroup { group in
            group.addTask { await caches.run() }
            for controller in controllers { group.addTask { await controller.run() } }
        }
        configuration.web?.detach(caches)
    }
}
