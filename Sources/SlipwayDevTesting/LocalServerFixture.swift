import Foundation
import KubeAPI
import KubeClient
import LocalCluster

/// Runs `body` against a fresh in-process local API server (ephemeral, random port) and a
/// client configured for it; both are stopped afterwards, whatever happens.
public func withLocalAPIServer(
    bookmarkInterval: Duration = .seconds(60), clock: any KubeClock = SystemClock(), maxRetries: Int = 0,
    _ body: (LocalAPIServer, KubernetesClient) async throws -> Void
) async throws {
    let server = try LocalAPIServer(configuration: LocalAPIServerConfiguration(token: "test-token", bookmarkInterval: bookmarkInterval))
    try await server.start()
    let configuration = ClientConfiguration.local(server: server.url!, caPEM: server.certificateAuthority.certificatePEM, token: "test-token", maxRetries: maxRetries)
    let client = KubernetesClient(configuration: configuration, clock: clock)
    do {
        try await body(server, client)
    } catch {
        try? await client.shutdown()
        await server.shutdown()
        throw error
    }
    try await client.shutdown()
    await server.shutdown()
}
