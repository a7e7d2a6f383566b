import ArgumentParser
import AsyncHTTPClient
import Foundation
import KubeAPI
import KubeClient
import LocalCluster
import SlipwayControllers

/// Where `slipway bench batchjobs|sparkjobs` runs: by default an in-memory slipway dev with
/// the operator in-process; with `--kubeconfig` any cluster whose operator runs separately.
struct BenchTargetOptions: ParsableArguments {
    @Option(help: "Run against this cluster (its operator runs separately) instead of an in-memory slipway dev.")
    var kubeconfig: String?

    @Option(help: "The kubeconfig context (with --kubeconfig).")
    var context: String?

    @Option(help: "The namespace the benchmark's objects go to (created if missing; its bench objects are deleted afterwards).")
    var namespace = "default"

    @Option(help: "Reconcile workers of the in-process operator (default: the operator's default).")
    var workers: Int?

    @Option(help: "Append every API request of the in-memory slipway dev to this file as JSON lines (see slipway dev --audit-log).")
    var auditLog: String?

    @Option(help: "The operator's /metrics URL (with --kubeconfig), e.g. http://127.0.0.1:8080/metrics after `kubectl port-forward`: its API writes are counted from slipway_api_requests_total.")
    var operatorMetrics: String?
}

/// A cluster to benchmark against and a way to count the operator's API writes.
struct BenchTarget: Sendable {
    let client: KubernetesClient
    let namespace: String
    /// The operator's API writes so far, `"<VERB> <resource>"` → count; nil when they cannot be counted.
    let operatorWrites: @Sendable () async -> [String: Int]?

    /// Runs `body` against the target the options name, then cleans up.
    static func with(_ options: BenchTargetOptions, _ body: (BenchTarget) async throws -> Void) async throws {
        guard let kubeconfig = options.kubeconfig else {
            try await withBenchOperator(workers: options.workers, auditLog: options.auditLog) { cluster, client in
                let server = cluster.server
                try await body(BenchTarget(client: client, namespace: options.namespace) {
                    operatorWriteCounts(server.requestsServedByResource)
                })
            }
            return
        }
        var configuration = try ClientConfiguration.load(kubeconfigPath: kubeconfig, context: options.context)
        configuration.qps = nil
        configuration.userAgent = "slipway-bench"
        let client = KubernetesClient(configuration: configuration)
        let metricsURL = options.operatorMetrics.flatMap(URL.init(string:))
        let target = BenchTarget(client: client, namespace: options.namespace) {
            guard let metricsURL else { return nil }
            return try? await scrapeWrites(metricsURL)
        }
        do {
            try await ensureNamespace(client, options.namespace)
            try await body(target)
        } catch {
            try? await client.shutdown()
            throw error
        }
        try await client.shutdown()
    }

    /// Creates `name` unless it exists.
    static func ensureNamespace(_ client: KubernetesClient, _ name: String) async throws {
        do {
            _ = try await client.create(Namespace(name: name))
        } catch let error as KubeError where error.isAlreadyExists {}
    }

    /// Non-GET requests of the in-process operator, by verb and resource.
    static func operatorWriteCounts(_ served: [String: Int]) -> [String: Int] {
        var writes: [String: Int] = [:]
        for (key, count) in served {
            let parts = key.split(separator: " ", maxSplits: 2).map(String.init)
            guard parts.count == 3, parts[0] == "slipway-operator", parts[1] != "GET" else { continue }
            writes[parts[1] + " " + parts[2], default: 0] += count
        }
        return writes
    }

    /// Non-GET `slipway_api_requests_total` of an operator's /metrics, by verb and resource.
    static func scrapeWrites(_ url: URL) async throws -> [String: Int] {
        writes(inMetrics: try await fetchText(url))
    }

    /// The body of a GET of `url` (an operator's /metrics), as text.
    static func fetchText(_ url: URL) async throws -> String {
        let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: url.absoluteString), timeout: .seconds(10))
        return String(buffer: try await response.body.collect(upTo: 64 << 20))
    }

    /// `slipway_api_requests_total` samples summed by verb and resource, GETs left out.
    static func writes(inMetrics text: String) -> [String: Int] {
        var writes: [String: Int] = [:]
        for sample in MetricSample.parse(text) where sample.name == "slipway_api_requests_total" {
            guard let verb = sample.labels["verb"], verb != "GET" else { continue }
            writes[verb + " " + (sample.labels["resource"] ?? "?"), default: 0] += Int(sample.value)
        }
        return writes
    }

    /// Prints the operator's writes between `before` and `after`, per job, by verb and resource.
    /// Returns their total (nil when they were not counted).
    @discardableResult
    static func printWrites(before: [String: Int]?, after: [String: Int]?, jobs: Int) -> Int? {
        guard let after else {
            print("operator API writes: not counted (pass --operator-metrics with --kubeconfig)")
            return nil
        }
        var delta: [String: Int] = [:]
        for (key, count) in after { delta[key] = count - (before?[key] ?? 0) }
        delta = delta.filter { $0.value > 0 }
        let total = delta.values.reduce(0, +)
        print(String(format: "operator API writes: %d (%.2f per job)", total, Double(total) / Double(jobs)))
        for (key, count) in delta.sorted(by: { $0.value > $1.value || ($0.value == $1.value && $0.key < $1.key) }) {
            print(String(format: "  %-28@ %.2f per job", key as NSString, Double(count) / Double(jobs)))
        }
        return total
    }
}

/// The floor: a plain client creating the same objects, in the same run, on the same server.
enum BenchFloor {
    /// Creates `count` objects sets with `concurrency` in flight and returns the seconds it took,
    /// then deletes them.
    static func measure(
        _ target: BenchTarget, count: Int, concurrency: Int, objects: @escaping @Sendable (Int) -> [any KubeObject]
    ) async throws -> Double {
        let client = target.client
        let clock = ContinuousClock()
        let started = clock.now
        _ = try await inFlight(count, concurrency: concurrency) { index in
            for object in objects(index) { _ = try await client.create(object) }
        }
        let seconds = (clock.now - started).seconds
        _ = try await inFlight(count, concurrency: concurrency) { index in
            for object in objects(index) {
                _ = try? await client.delete(type(of: object).resource, name: object.metadata.name ?? "", namespace: object.metadata.namespace)
            }
        }
        return seconds
    }

    /// A pod that no node takes (the floor measures creating, not running).
    static func pendingPod(_ name: String, namespace: String) -> Pod {
        var pod = Pod(name: name, namespace: namespace)
        var container = Container()
        container.name = "main"
        container.image = "busybox"
        container.command = ["true"]
        pod.spec.containers = [container]
        pod.spec.nodeSelector = ["slipway.dev/bench-floor": "no-such-node"]
        return pod
    }
}
