import Foundation
import KubeAPI
import LocalCluster
import KubeTesting
import SlipwayDevTesting
import Testing

/// Real Spark on `slipway dev`, driven by the real kubectl: a PySpark application of its own
/// (in a ConfigMap, mounted) runs as a SparkJob; the real driver creates its two executors
/// through the local API server, and what it asks of the server is compared with what a real
/// kube-apiserver was asked (../shared/reference/spark-driver-api).
@Suite("Real Spark on slipway dev: a PySpark application", .serialized, .timeLimit(.minutes(8)))
struct RealSparkWordCountTests {
    @Test(arguments: RealSparkVersions.selected)
    func aPySparkApplicationRunsOnTwoExecutorsItsDriverCreated(version: String) async throws {
        try await withRealSpark([version]) { _, kubectl, trail in
            var r = try await kubectl.applyExample("real-spark-wordcount.yaml", sparkVersion: version)
            #expect(r.status == 0, "\(r)")
            r = try await kubectl.run(["wait", "--for=condition=Succeeded", "sparkjob/wordcount", "--timeout=360s"], timeout: .seconds(370))
            let driver = "wordcount-0-driver"
            let logs = try await kubectl.run(["logs", driver]).out
            let described = try await kubectl.run(["describe", "sparkjob", "wordcount"]).out
            #expect(r.status == 0, "\(r)\n\(described)\ndriver log:\n\(logs.suffix(6000))")

            // Spark's own log lines, and the application's output, in `kubectl logs`.
            for line in ["INFO SparkContext: Running Spark version \(version)", "words: 11 distinct, 'the' 3000 times, 'fox' 2000 times",
                         "with ID 1,", "with ID 2,", "tasks ran on: wordcount-0-exec-"] {
                #expect(logs.contains(line), "missing \(line) in the driver log:\n\(logs.suffix(6000))")
            }
            try await Self.expectExecutorsOfTheDriver(kubectl, driver: driver, version: version, count: 2)

            // Created by the driver's fabric8 client, and nothing it asked was refused.
            let log = try trail.writeDriverLog(named: "wordcount-\(version)")
            let requests = trail.fabric8
            #expect(requests.filter { $0.method == "POST" && $0.path.hasSuffix("/pods") }.count == 2, "driver requests: \(log.path)")
            #expect(trail.all.filter { $0.method == "POST" && $0.path.hasSuffix("/pods") && !$0.userAgent.hasPrefix("fabric8") }.count == 1,
                    "only the driver pod is created by someone else (the operator)")
            try Self.expectLikeTheReference(requests, line: version.split(separator: ".").prefix(2).joined(separator: "."), log: log)
        }
    }

    /// Exactly `count` executors, labelled and owned as Spark's driver makes them, each with
    /// its own pod address.
    static func expectExecutorsOfTheDriver(_ kubectl: Kubectl, driver: String, version: String, count: Int) async throws {
        let driverPod = Pod(object: try JSON.parse(try await kubectl.run(["get", "pod", driver, "-o", "json"]).out).objectValue ?? [:])
        let app = driverPod.metadata.labels["spark-app-selector"] ?? "?"
        let list = try JSON.parse(try await kubectl.run(["get", "pods", "-l", "spark-role=executor,spark-app-selector=\(app)", "-o", "json"]).out)
        let executors = (list["items"]?.arrayValue ?? []).compactMap(\.objectValue).map(Pod.init(object:))
        #expect(executors.count == count, "\(executors.map { $0.metadata.name ?? "" })")
        var addresses: Set<String> = [driverPod.status.podIP ?? "?"]
        for executor in executors {
            #expect(executor.metadata.ownerReferences.first?.uid == driverPod.metadata.uid, "\(executor.metadata.name ?? "") owned by its driver")
            #expect(executor.metadata.labels["spark-version"] == version)
            #expect(executor.metadata.labels["spark-exec-id"] != nil)
            #expect(executor.spec.containers.first?.args == ["executor"])
            let ip = executor.status.podIP ?? ""
            #expect(ip.hasPrefix("127.") && addresses.insert(ip).inserted, "each pod its own address: \(ip)")
        }
    }

    /// Every kind of request the driver made is one the real driver made of a real API
    /// server, answered with a status that server gave it; the executor pods carry the
    /// labels, env and ports of the recorded ones.
    static func expectLikeTheReference(_ requests: [AuditRecord], line: String, log: URL) throws {
        let reference = try DriverReference.load(line: line)
        for request in requests {
            let kind = RequestKind(request)
            let known = KnownDifferences.statuses[kind.description]
            guard let statuses = reference.statuses[kind] ?? (KnownDifferences.extraKinds[kind.description] != nil ? [200] : nil) else {
                Issue.record("the driver asked \(kind), which the reference never saw (log: \(log.path))")
                continue
            }
            // A watch is 101 where the recorder upgraded it to a WebSocket, 200 where not.
            let allowed = statuses.union(statuses.contains(101) ? [200] : []).union(known?.0 ?? [])
            #expect(allowed.contains(request.status ?? 0), "\(kind) got \(request.status ?? 0), the reference \(statuses.sorted()) (log: \(log.path))")
        }
        let posted = requests.filter { $0.method == "POST" && $0.path.hasSuffix("/pods") }
            .compactMap { $0.body.flatMap { try? JSON.parse(Data($0.utf8)).objectValue } }
        let recorded = try #require(reference.executorPods.first)
        let javaOptions = { (names: Set<String>) in names.filter { !$0.hasPrefix("SPARK_JAVA_OPT_") } }
        for pod in posted {
            // Slipway labels executors with their job (spark.kubernetes.executor.label.*).
            let labels = pod.keys(at: "metadata.labels").filter { !$0.hasPrefix("slipway.dev/") }
            #expect(labels == recorded.keys(at: "metadata.labels"), "labels of \(pod.keys(at: "metadata"))")
            // The image's entrypoint gives executors the driver's address (spark.executorEnv.SPARK_DRIVER_POD_IP).
            #expect(javaOptions(pod.executorContainerShape.env) == javaOptions(recorded.executorContainerShape.env).union(["SPARK_DRIVER_POD_IP"]))
            #expect(pod.executorContainerShape.ports == recorded.executorContainerShape.ports)
            // Cluster mode: the driver names its own pod as the executors' owner.
            #expect(pod.keys(at: "metadata").contains("ownerReferences"))
        }
    }
}
