import Foundation
import LocalCluster
import SlipwayControllers

/// Starts Slipway's operator in-process against a dev cluster (for restart tests, which
/// stop and start it while the cluster keeps running).
public enum EmbeddedOperatorHarness {
    public static func start(_ cluster: DevCluster) async throws -> EmbeddedOperator {
        try await EmbeddedOperator.start(
            localServer: cluster.server.url!, caPEM: cluster.server.certificateAuthority.certificatePEM, token: cluster.token)
    }
}
