import Foundation
import KubeClient
import Hummingbird
import NIOCore
import Logging
import ServiceLifecycle
import SlipwayControllers
import Synchronization

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

/// ``HeapTrimmer`` as a service: gives free heap memory back every 10 s until the group
/// shuts down.
struct HeapTrimmerService: Service {
    func run() async throws {
        await cancelWhenGracefulShutdown { await HeapTrimmer.run() }
    }
}

/// One of the operator's HTTP servers (metrics, or health) as a service: Hummingbird
/// serving ``OperatorEndpoints`` — not the development control plane's server. It prints
/// its URL once it listens (`health: http://127.0.0.1:8081/healthz`; port 0 picks a free
/// one), answers until the group has shut the controllers down, then closes. A port it
/// cannot listen on fails the group: `cannot listen on HOST:PORT: …`.
struct EndpointServer: Service {
    let name: String
    let host: String
    let port: Int
    let path: String
    let endpoints: OperatorEndpoints
    let logger: Logger

    /// The health server (`/healthz`, `/readyz`) and the metrics server (`/metrics`).
    static func servers(settings: OperatorSettings, health: OperatorHealth, metrics: SlipwayMetrics, logger: Logger) -> [EndpointServer] {
        [
            EndpointServer(
                name: "health", host: settings.bindAddress, port: settings.healthPort, path: "/healthz",
                endpoints: OperatorEndpoints(serving: [.healthz, .readyz], health: health, metrics: metrics), logger: logger),
            EndpointServer(
                name: "metrics", host: settings.bindAddress, port: settings.metricsPort, path: "/metrics",
                endpoints: OperatorEndpoints(serving: [.metrics], health: health, metrics: metrics), logger: logger),
        ]
    }

    struct StartFailure: Error, CustomStringConvertible {
        var description: String
    }

    func run() async throws {
        let listening = ListeningFlag()
        let (name, path, host) = (self.name, self.path, self.host)
        let shownHost = host.contains(":") ? "[\(host)]" : host
        let app = Application(
            responder: EndpointsResponder(endpoints: endpoints),
            configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: nil),
            onServerRunning: { channel in
                listening.set()
                say("\(name): http://\(shownHost):\(channel.localAddress?.port ?? 0)\(path)")
            },
            logger: logger)
        do {
            try await app.run()
        } catch where !listening.isSet {
            throw StartFailure(description: "cannot listen on \(host):\(port): \(error)")
        }
    }
}

/// Whether a server has started listening (set from its event loop, read after it stopped).
final class ListeningFlag: Sendable {
    private let state = Mutex(false)
    func set() { state.withLock { $0 = true } }
    var isSet: Bool { state.withLock { $0 } }
}

/// Answers every request with ``OperatorEndpoints/respond(method:path:)``.
struct EndpointsResponder: HTTPResponder {
    typealias Context = BasicRequestContext
    let endpoints: OperatorEndpoints

    func respond(to request: Request, context: Context) async throws -> Response {
        let answer = endpoints.respond(method: request.method.rawValue, path: request.uri.path)
        return Response(
            status: HTTPResponse.Status(code: answer.status), headers: [.contentType: answer.contentType],
            body: ResponseBody(byteBuffer: ByteBuffer(string: answer.body)))
    }
}
