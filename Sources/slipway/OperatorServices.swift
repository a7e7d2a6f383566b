import Foundation
import KubeClient
import LocalCluster
import Logging
import ServiceLifecycle
import SlipwayControllers

/// The controllers as a service: they run until a graceful shutdown (SIGTERM, SIGINT),
/// which stops them taking new keys, lets in-flight reconciles finish and releases the
/// Lease. Returning on its own — the Lease was lost — is an error, so that the process
/// exits non-zero and Kubernetes restarts it as a fresh candidate.
struct OperatorService: Service {
    /// How long a graceful shutdown may take before the rest is cancelled; below
    /// Kubernetes' default termination grace period of 30 s.
    static let gracePeriod = Duration.seconds(25)

    let client: KubernetesClient
    let configuration: OperatorConfiguration
    let leaderElection: LeaderElectionSettings?
    let logger: Logger

    struct LostLeadership: Error, CustomStringConvertible {
        var description: String { "lost the leader-election Lease; exiting so that this replica restarts as a candidate" }
    }

    func run() async throws {
        let health = configuration.health
        let logger = self.logger
        await withGracefulShutdownHandler {
            await cancelWhenGracefulShutdown { [self] in
                await OperatorRunner.run(client: client, configuration: configuration, leaderElection: leaderElection, logger: logger)
            }
        } onGracefulShutdown: {
            logger.info("shutting down: finishing in-flight reconciles")
            health.setStopping()
        }
        guard Task.isShuttingDownGracefully || Task.isCancelled else { throw LostLeadership() }
    }
}

/// One of the operator's HTTP servers (metrics, or health) as a service: it answers until
/// the group has shut the controllers down, then closes.
struct EndpointServer: Service {
    let name: String
    let server: HTTPServer
    let url: String

    /// Starts the health server (`/healthz`, `/readyz`) and the metrics server (`/metrics`).
    static func start(settings: OperatorSettings, health: OperatorHealth, metrics: SlipwayMetrics) async throws -> [EndpointServer] {
        let health = OperatorEndpoints(serving: [.healthz, .readyz], health: health, metrics: metrics)
        let metrics = OperatorEndpoints(serving: [.metrics], health: health.health, metrics: metrics)
        let healthServer = try await serve(health, host: settings.bindAddress, port: settings.healthPort)
        let metricsServer: HTTPServer
        do {
            metricsServer = try await serve(metrics, host: settings.bindAddress, port: settings.metricsPort)
        } catch {
            await healthServer.shutdown()
            throw error
        }
        let host = settings.bindAddress.contains(":") ? "[\(settings.bindAddress)]" : settings.bindAddress
        return [
            EndpointServer(name: "health", server: healthServer, url: "http://\(host):\(healthServer.port)/healthz"),
            EndpointServer(name: "metrics", server: metricsServer, url: "http://\(host):\(metricsServer.port)/metrics"),
        ]
    }

    static func serve(_ endpoints: OperatorEndpoints, host: String, port: Int) async throws -> HTTPServer {
        do {
            return try await HTTPServer.start(host: host, port: port) { request, response in
                let answer = endpoints.respond(method: request.method, path: request.path)
                try await response.respond(status: answer.status, headers: [("Content-Type", answer.contentType)], body: answer.body)
            }
        } catch {
            throw StartFailure(description: "cannot listen on \(host):\(port): \(error)")
        }
    }

    struct StartFailure: Error, CustomStringConvertible {
        var description: String
    }

    func run() async throws {
        try? await gracefulShutdown()
        await server.shutdown()
    }
}
