import Foundation
import KubeClient
import KubeRuntime
import LocalCluster
import SlipwayControllers
import SlipwayDevTesting
import Testing

/// Two operator replicas with leader election against `slipway dev`: one reconciles; when
/// it stops, the other takes the Lease over and jobs keep completing.
@Suite("Operator leader election", .serialized)
struct OperatorLeaderElectionTests {
    /// A graceful stop releases the Lease, so the standby takes over within a retry period;
    /// the renew deadline leaves room for a machine busy running the whole suite (a leader
    /// that cannot renew in time stops, as it must, and this test would then wait for nobody).
    static let timing = LeaderElectionConfiguration(leaseDuration: .seconds(15), renewDeadline: .seconds(10), retryPeriod: .milliseconds(500))

    @Test func aStandbyReplicaTakesOverWhenTheLeaderStops() async throws {
        try await withDevCluster { cluster, kubectl in
            let client = KubernetesClient(configuration: cluster.clientConfiguration(userAgent: "slipway-operator"))
            try await CRDInstaller.install(client: client)
            func replica(_ name: String) -> Task<Void, Never> {
                Task {
                    await OperatorRunner.run(
                        client: client, configuration: OperatorConfiguration(instance: name),
                        leaderElection: LeaderElectionSettings(namespace: "default", identity: name, timing: Self.timing))
                }
            }
            var replicas = ["a": replica("a"), "b": replica("b")]

            try await Self.runJob("first", kubectl)
            let leader = try await kubectl.require(["get", "lease", "slipway-operator", "-o", "jsonpath={.spec.holderIdentity}"]).out
            #expect(leader == "a" || leader == "b", "lease holder: \(leader)")

            // The leader stops gracefully (releasing the Lease); the standby takes over.
            replicas[leader]?.cancel()
            await replicas[leader]?.value
            replicas[leader] = nil
            try await Self.runJob("second", kubectl)
            let next = try await kubectl.require(["get", "lease", "slipway-operator", "-o", "jsonpath={.spec.holderIdentity}"]).out
            #expect(next != leader && !next.isEmpty, "lease holder after the leader stopped: \(next)")

            for task in replicas.values { task.cancel(); await task.value }
            try await client.shutdown()
        }
    }

    static func runJob(_ name: String, _ kubectl: Kubectl) async throws {
        let job = """
            apiVersion: slipway.dev/v1alpha1
            kind: BatchJob
            metadata: {name: \(name)}
            spec:
              template:
                spec:
                  containers: [{name: main, image: busybox, command: ["true"]}]
            """
        var r = try await kubectl.run(["apply", "-f", "-"], input: job)
        #expect(r.status == 0, "\(r)")
        r = try await kubectl.run(["wait", "--for=condition=Succeeded", "batchjob/\(name)", "--timeout=60s"])
        #expect(r.status == 0, "\(r)")
    }
}
