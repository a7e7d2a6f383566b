import Foundation
import KubeClient
import LocalCluster
import SlipwayControllers

/// Starts Slipway's operator in-process against a dev cluster (for restart tests, which
/// stop and start it while the cluster keeps running).
public enum EmbeddedOperatorHarness {
    /// `configure` changes the operator's settings (a test shortens its timeouts);
    /// `interceptor` injects faults into its client (`CrashPointTests`).
    public static func start(
        _ cluster: DevCluster, observer: (any RequestObserver)? = nil, interceptor: (any RequestInterceptor)? = nil,
        configure: (inout OperatorConfiguration) -> Void = { _ in }
    ) async throws -> EmbeddedOperator {
        var configuration = OperatorConfiguration(sparkMaster: "k8s://" + (cluster.server.url?.absoluteString ?? ""))
        configure(&configuration)
        return try await EmbeddedOperator.start(
            clientConfiguration: cluster.clientConfiguration(userAgent: "slipway-operator"), configuration: configuration, observer: observer,
            interceptor: interceptor)
    }
}

extension DevCluster {
    /// A client configuration for this cluster: its CA and token, no rate limit.
    public func clientConfiguration(userAgent: String = "slipway") -> ClientConfiguration {
        .local(server: server.url!, caPEM: server.certificateAuthority.certificatePEM, token: token, userAgent: userAgent)
    }
}
