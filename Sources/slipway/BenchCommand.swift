import ArgumentParser
import Foundation
import KubeAPI
import KubeClient
import LocalCluster

struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure the local API server: pod creates per second through the real HTTPS client path.",
        discussion: """
            Starts an in-memory API server on 127.0.0.1 (no nodes, so only the API is measured), \
            creates pods from concurrent clients and prints throughput and latency percentiles. \
            Numbers depend on the machine; run it on a quiet one.
            """)

    @Option(help: "How many pods to create.")
    var pods = 2000

    @Option(help: "How many creates are in flight at once.")
    var concurrency = 16

    func run() async throws {
        guard pods > 0, concurrency > 0 else { throw ValidationError("--pods and --concurrency must be positive") }
        let server = try LocalAPIServer(configuration: LocalAPIServerConfiguration(token: "bench"))
        try await server.start()
        let client = KubernetesClient(configuration: ClientConfiguration(
            server: server.url!, certificateAuthorityPEM: Data(server.certificateAuthority.certificatePEM.utf8),
            credentials: StaticTokenProvider(token: "bench"), namespace: "default", qps: nil, maxRetries: 0))
        do {
            let latencies = try await createPods(client)
            report(latencies)
        } catch {
            try? await client.shutdown()
            await server.shutdown()
            throw error
        }
        try await client.shutdown()
        await server.shutdown()
    }

    func createPods(_ client: KubernetesClient) async throws -> (latencies: [Double], seconds: Double) {
        let clock = ContinuousClock()
        let started = clock.now
        let latencies = try await withThrowingTaskGroup(of: [Double].self) { group in
            for worker in 0..<concurrency {
                group.addTask {
                    var mine: [Double] = []
                    var index = worker
                    while index < pods {
                        let t0 = clock.now
                        _ = try await client.create(Self.pod(index))
                        mine.append((clock.now - t0).seconds * 1000)
                        index += concurrency
                    }
                    return mine
                }
            }
            var all: [Double] = []
            for try await part in group { all += part }
            return all
        }
        return (latencies, (clock.now - started).seconds)
    }

    static func pod(_ index: Int) -> Pod {
        var pod = Pod(name: "bench-\(index)", namespace: "default")
        var container = Container()
        container.name = "main"
        container.image = "busybox"
        container.command = ["sh", "-c", "exit 0"]
        pod.spec.containers = [container]
        pod.metadata.labels = ["app": "bench"]
        return pod
    }

    func report(_ result: (latencies: [Double], seconds: Double)) {
        let sorted = result.latencies.sorted()
        func percentile(_ p: Double) -> Double { sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))] }
        let rate = Double(sorted.count) / result.seconds
        print("pod creates: \(sorted.count) in \(String(format: "%.2f", result.seconds)) s with \(concurrency) in flight")
        print(String(format: "throughput: %.0f creates/s", rate))
        print(String(format: "latency ms: p50 %.2f  p90 %.2f  p99 %.2f  max %.2f", percentile(0.5), percentile(0.9), percentile(0.99), sorted.last ?? 0))
    }
}
