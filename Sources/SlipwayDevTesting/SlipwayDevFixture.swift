import Foundation
import LocalCluster
import SlipwayControllers

/// `slipway dev` as the README's run command starts it — control plane, node, Slipway's
/// CRDs and the operator in-process — plus a kubectl pointed at it. Everything is stopped
/// afterwards.
public func withSlipwayDev(
    nodes: [NodeConfiguration] = NodeConfiguration.defaults, configure: (inout DevClusterConfiguration) -> Void = { _ in },
    operator configureOperator: (inout OperatorConfiguration) -> Void = { _ in },
    _ body: (DevCluster, EmbeddedOperator, Kubectl) async throws -> Void
) async throws {
    try await withDevCluster(nodes: nodes, configure: configure) { cluster, kubectl in
        let embedded = try await EmbeddedOperatorHarness.start(cluster, configure: configureOperator)
        do {
            try await body(cluster, embedded, kubectl)
        } catch {
            await embedded.stop()
            throw error
        }
        await embedded.stop()
    }
}
