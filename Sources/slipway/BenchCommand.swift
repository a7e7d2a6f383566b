import ArgumentParser
import Foundation
import KubeAPI
import KubeClient
import LocalCluster
import SlipwayAPI
import SlipwayControllers
import SlipwayCore

struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Benchmarks that print numbers (not tests): the local API server, the BatchJob lifecycle, SparkJob submission, JobQueue admission, the operator at scale, the web view.",
        subcommands: [PodCreates.self, BatchJobs.self, SparkJobs.self, QueueJobs.self, ScaleJobs.self, WebPages.self], defaultSubcommand: PodCreates.self)
}

/// A client for a local API server, with no rate limit.
func benchClient(url: URL, caPEM: String, token: String) -> KubernetesClient {
    KubernetesClient(configuration: .local(server: url, caPEM: caPEM, token: token, maxRetries: 0, userAgent: "slipway-bench"))
}

/// Runs `body` against an in-memory slipway dev and a client of it (no leftovers).
func withBenchCluster(auditLog: String? = nil, _ body: (DevCluster, KubernetesClient) async throws -> Void) async throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("slipway-bench-\(UUID().uuidString)")
    var configuration = DevClusterConfiguration(dataDirectory: directory, ephemeral: true, port: 0)
    if let auditLog {
        let file = try AuditLogFile(url: URL(fileURLWithPath: auditLog))
        configuration.audit = { file.write($0) }
    }
    let cluster = try DevCluster(configuration: configuration)
    try await cluster.start()
    let client = benchClient(url: cluster.server.url!, caPEM: cluster.server.certificateAuthority.certificatePEM, token: cluster.token)
    func cleanUp() async {
        try? await client.shutdown()
        await cluster.shutdown()
        try? FileManager.default.removeItem(at: directory)
    }
    do {
        try await body(cluster, client)
    } catch {
        await cleanUp()
        throw error
    }
    await cleanUp()
}

/// Runs `body` against an in-memory slipway dev with the operator in-process (no leftovers).
func withBenchOperator(
    workers: Int? = nil, auditLog: String? = nil, web: JobViewSource? = nil, _ body: (DevCluster, KubernetesClient) async throws -> Void
) async throws {
    try await withBenchCluster(auditLog: auditLog) { cluster, client in
        let embedded = try await EmbeddedOperator.start(
            localServer: cluster.server.url!, caPEM: cluster.server.certificateAuthority.certificatePEM, token: cluster.token, workers: workers, web: web)
        do {
            try await body(cluster, client)
        } catch {
            await embedded.stop()
            throw error
        }
        await embedded.stop()
    }
}

/// Runs `body` against an in-memory slipway dev with `slipway operator` as a child process,
/// whose resident memory is its own, once it has installed its CRDs and serves /metrics.
func withBenchChildOperator(
    workers: Int? = nil, auditLog: String? = nil, _ body: (DevCluster, KubernetesClient, ChildOperator, URL) async throws -> Void
) async throws {
    try await withBenchCluster(auditLog: auditLog) { cluster, client in
        let child = try ChildOperator(kubeconfig: cluster.kubeconfigPath, workers: workers)
        do {
            let metricsURL = try await child.serving(client)
            try await body(cluster, client, child, metricsURL)
        } catch {
            child.stop()
            throw error
        }
        child.stop()
    }
}

/// Sends `count` requests with `concurrency` in flight; returns each one's latency in ms.
func inFlight(_ count: Int, concurrency: Int, _ request: @escaping @Sendable (Int) async throws -> Void) async throws -> [Double] {
    let clock = ContinuousClock()
    return try await withThrowingTaskGroup(of: [Double].self) { group in
        for worker in 0..<concurrency {
            group.addTask {
                var mine: [Double] = []
                for index in stride(from: worker, to: count, by: concurrency) {
                    let t0 = clock.now
                    try await request(index)
                    mine.append((clock.now - t0).seconds * 1000)
                }
                return mine
            }
        }
        var all: [Double] = []
        for try await part in group { all += part }
        return all.sorted()
    }
}

func percentile(_ sorted: [Double], _ p: Double) -> Double { sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))] }

struct PodCreates: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pods",
        abstract: "Pod creates per second through the real HTTPS client path (in-memory server, no nodes).")

    @Option(help: "How many pods to create.")
    var pods = 2000

    @Option(help: "How many creates are in flight at once.")
    var concurrency = 16

    func run() async throws {
        guard pods > 0, concurrency > 0 else { throw ValidationError("--pods and --concurrency must be positive") }
        let server = try LocalAPIServer(configuration: LocalAPIServerConfiguration(token: "bench"))
        try await server.start()
        let client = benchClient(url: server.url!, caPEM: server.certificateAuthority.certificatePEM, token: "bench")
        defer { Task { try? await client.shutdown(); await server.shutdown() } }
        let clock = ContinuousClock()
        let started = clock.now
        let latencies = try await inFlight(pods, concurrency: concurrency) { index in _ = try await client.create(Self.pod(index)) }
        let seconds = (clock.now - started).seconds
        print("pod creates: \(latencies.count) in \(String(format: "%.2f", seconds)) s with \(concurrency) in flight")
        print(String(format: "throughput: %.0f creates/s", Double(latencies.count) / seconds))
        print(String(format: "latency ms: p50 %.2f  p90 %.2f  p99 %.2f  max %.2f",
                     percentile(latencies, 0.5), percentile(latencies, 0.9), percentile(latencies, 0.99), latencies.last ?? 0))
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
}

struct BatchJobs: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "batchjobs",
        abstract: "Apply N one-pod BatchJobs and time them until every pod exists and until all Succeeded; the operator's API writes per job by verb and resource, and the time to pods against a plain client creating the same pods in the same run (the floor).")

    @Option(help: "How many one-pod BatchJobs.")
    var jobs = 200

    @Option(help: "How many creates are in flight at once while applying (and for the floor).")
    var concurrency = 16

    @Flag(help: "Only until every pod exists: the pods ask for a node that does not exist, so the time is the operator's, not the node's running them.")
    var toPods = false

    @OptionGroup var target: BenchTargetOptions

    func run() async throws {
        guard jobs > 0, concurrency > 0 else { throw ValidationError("--jobs and --concurrency must be positive") }
        let (jobs, concurrency, toPods) = (jobs, concurrency, toPods)
        try await BenchTarget.with(target) { target in
            let (client, namespace) = (target.client, target.namespace)
            let clock = ContinuousClock()
            let pods = CountingSet()
            let watcher = Task {
                for try await event in try await client.watch(Pod.self, namespace: namespace, options: ListOptions(labelSelector: SlipwayLabels.jobName)) {
                    if let name = event.object.metadata.name { await pods.add(name) }
                }
            }
            defer { watcher.cancel() }
            try await Task.sleep(for: .milliseconds(200))
            let before = await target.operatorWrites()
            let started = clock.now
            _ = try await inFlight(jobs, concurrency: concurrency) { index in
                var job = Self.job(index, namespace: namespace)
                if toPods { job.spec.template.spec.nodeSelector = ["slipway.dev/bench": "no-such-node"] }
                _ = try await client.create(job)
            }
            let applied = clock.now - started
            var podsExist: Duration?
            var done = 0
            while done < jobs, !(toPods && podsExist != nil) {
                try await Task.sleep(for: .milliseconds(100))
                if podsExist == nil, await pods.count >= jobs { podsExist = clock.now - started }
                let list = try await client.list(BatchJob.self, namespace: namespace, options: ListOptions(labelSelector: "slipway.dev/bench=batchjobs"))
                done = list.items.filter { $0.status.phase == .succeeded }.count
                if clock.now - started > .seconds(1800) { throw ValidationError("gave up after 30 minutes: \(done) of \(jobs) succeeded") }
            }
            let total = clock.now - started
            // Status writes held back land within the batch window (1 s), a message-only
            // change within five: count them too.
            try await Task.sleep(for: .seconds(7))
            let after = await target.operatorWrites()
            let podSeconds = (podsExist ?? total).seconds
            if toPods {
                print(String(format: "one-pod BatchJobs: %d; applied in %.2f s (%d in flight); every pod exists after %.2f s (pods left pending)",
                             jobs, applied.seconds, concurrency, podSeconds))
            } else {
                print(String(format: "one-pod BatchJobs: %d; applied in %.2f s (%d in flight); every pod exists after %.2f s; all Succeeded after %.2f s",
                             jobs, applied.seconds, concurrency, podSeconds, total.seconds))
                print(String(format: "throughput: %.1f jobs/s", Double(jobs) / total.seconds))
            }
            BenchTarget.printWrites(before: before, after: after, jobs: jobs)
            let floor = try await BenchFloor.measure(target, count: jobs, concurrency: concurrency) { index in
                [BenchFloor.pendingPod("bench-floor-\(index)", namespace: namespace)]
            }
            print(String(format: "floor: a plain client creates the same %d pods in %.2f s; Slipway to every pod: %.2fx the floor", jobs, floor, podSeconds / floor))
            try await Self.cleanUp(client, namespace: namespace, jobs: jobs, concurrency: concurrency)
        }
    }

    static func job(_ index: Int, namespace: String = "default") -> BatchJob {
        var job = BatchJob(name: "bench-\(index)", namespace: namespace)
        job.metadata.labels = ["slipway.dev/bench": "batchjobs"]
        var container = Container()
        container.name = "main"
        container.image = "busybox"
        container.command = ["true"]
        job.spec.template.spec.containers = [container]
        return job
    }

    static func cleanUp(_ client: KubernetesClient, namespace: String, jobs: Int, concurrency: Int) async throws {
        _ = try await inFlight(jobs, concurrency: concurrency) { index in
            _ = try? await client.delete(BatchJob.self, name: "bench-\(index)", namespace: namespace, options: DeleteOptions(propagationPolicy: .background))
        }
    }
}

/// Names seen, counted once each.
actor CountingSet {
    private var names: Set<String> = []
    var count: Int { names.count }
    func add(_ name: String) { names.insert(name) }
}

struct SparkJobs: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sparkjobs",
        abstract: "Apply N SparkJobs at once and time their submission (driver pod, ConfigMap and Service exist); the operator's API writes per job by verb and resource, and the time against a plain client creating the same objects in the same run (the floor).")

    @Option(help: "How many SparkJobs.")
    var jobs = 1000

    @Option(help: "How many creates are in flight at once while applying (and for the floor).")
    var concurrency = 16

    @OptionGroup var target: BenchTargetOptions

    func run() async throws {
        guard jobs > 0, concurrency > 0 else { throw ValidationError("--jobs and --concurrency must be positive") }
        let (jobs, concurrency) = (jobs, concurrency)
        try await BenchTarget.with(target) { target in
            let (client, namespace) = (target.client, target.namespace)
            let clock = ContinuousClock()
            // Watches (not repeated lists, whose cost grows with the objects) tell when each
            // driver has its Service and ConfigMap.
            let seen = SubmissionTracker()
            let watchers = Task {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        for try await event in try await client.watch(Pod.self, namespace: namespace, options: ListOptions(labelSelector: "spark-role=driver")) {
                            if let name = event.object.metadata.name { await seen.add(driver: name) }
                        }
                    }
                    group.addTask {
                        for try await event in try await client.watch(Service.self, namespace: namespace) {
                            if let owner = event.object.metadata.ownerReferences.first?.name { await seen.add(service: owner) }
                        }
                    }
                    group.addTask {
                        for try await event in try await client.watch(ConfigMap.self, namespace: namespace) {
                            if let owner = event.object.metadata.ownerReferences.first?.name { await seen.add(configMap: owner) }
                        }
                    }
                    try await group.waitForAll()
                }
            }
            defer { watchers.cancel() }
            try await Task.sleep(for: .milliseconds(200))
            let before = await target.operatorWrites()
            let started = clock.now
            _ = try await inFlight(jobs, concurrency: concurrency) { index in _ = try await client.create(Self.job(index, namespace: namespace)) }
            let applied = clock.now - started
            var submitted = 0
            while submitted < jobs {
                try await Task.sleep(for: .milliseconds(50))
                submitted = await seen.complete
                if clock.now - started > .seconds(1800) { throw ValidationError("gave up after 30 minutes: \(submitted) of \(jobs) submitted") }
            }
            let total = clock.now - started
            // Status writes held back land within the batch window (1 s), a message-only
            // change within five: count them too.
            try await Task.sleep(for: .seconds(7))
            let after = await target.operatorWrites()
            print(String(format: "SparkJobs: %d applied in %.2f s (%d in flight); all submitted (driver pod, ConfigMap, Service) after %.2f s",
                         jobs, applied.seconds, concurrency, total.seconds))
            print(String(format: "throughput: %.0f SparkJobs submitted per minute", Double(jobs) / total.seconds * 60))
            BenchTarget.printWrites(before: before, after: after, jobs: jobs)
            let floor = try await BenchFloor.measure(target, count: jobs, concurrency: concurrency) { index in
                let name = "bench-floor-\(index)"
                var service = Service(name: name + "-driver-svc", namespace: namespace)
                service.spec.clusterIP = "None"
                service.spec.selector = ["bench-floor": name]
                service.spec.ports = [ServicePort(name: "driver-rpc-port", port: 7078)]
                var configMap = ConfigMap(name: name + "-conf-map", namespace: namespace)
                configMap.data = ["spark.properties": "spark.app.name=\(name)\n"]
                return [BenchFloor.pendingPod(name + "-driver", namespace: namespace), service, configMap]
            }
            print(String(format: "floor: a plain client creates the same %d × (pod, Service, ConfigMap) in %.2f s; Slipway's submission: %.2fx the floor",
                         jobs, floor, total.seconds / floor))
            _ = try await inFlight(jobs, concurrency: concurrency) { index in
                _ = try? await client.delete(SparkJob.self, name: "bench-\(index)", namespace: namespace, options: DeleteOptions(propagationPolicy: .background))
            }
        }
    }

    /// A SparkJob whose driver stays Pending (its nodeSelector matches no node): the
    /// benchmark measures submission, not Spark.
    static func job(_ index: Int, namespace: String = "default") -> SparkJob {
        var job = SparkJob(name: "bench-\(index)", namespace: namespace)
        job.spec.type = .python
        job.spec.sparkVersion = "4.0.5"
        job.spec.image = "apache/spark:4.0.5"
        job.spec.mainApplicationFile = "local:///opt/spark/examples/src/main/python/pi.py"
        job.spec.driver.nodeSelector = ["slipway.dev/bench": "no-such-node"]
        return job
    }
}

/// Which drivers have their Service and ConfigMap, from three watches.
actor SubmissionTracker {
    private var drivers: Set<String> = []
    private var services: Set<String> = []
    private var configMaps: Set<String> = []
    private(set) var complete = 0

    func add(driver: String) { if drivers.insert(driver).inserted { recount(driver) } }
    func add(service owner: String) { if services.insert(owner).inserted { recount(owner) } }
    func add(configMap owner: String) { if configMaps.insert(owner).inserted { recount(owner) } }

    private func recount(_ name: String) {
        if drivers.contains(name), services.contains(name), configMaps.contains(name) { complete += 1 }
    }
}
