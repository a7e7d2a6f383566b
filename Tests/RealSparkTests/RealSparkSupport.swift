import Foundation
import KubeAPI
import LocalCluster
import SlipwayControllers
import KubeTesting
import SlipwayDevTesting
import Synchronization
import Testing

/// The repository, found from this file's path.
enum Repository {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().standardized
    static func url(_ relative: String) -> URL { root.appendingPathComponent(relative) }
    static func example(_ name: String) -> URL { url("manifests/examples/\(name)") }
}

/// The Spark versions the tests run with: `$SLIPWAY_REAL_SPARK_VERSIONS` (space-separated),
/// by default 3.5.9 — the one CI installs. `scripts/real-spark.sh 4.0.5` runs them with 4.0.5.
enum RealSparkVersions {
    static let selected: [String] = {
        let text = ProcessInfo.processInfo.environment["SLIPWAY_REAL_SPARK_VERSIONS"] ?? ""
        let versions = text.split(separator: " ").map(String.init)
        return versions.isEmpty ? ["3.5.9"] : versions
    }()
}

/// The pinned Spark distributions are missing: the tests fail (never skip) and say how to
/// install them.
struct SparkMissing: Error, CustomStringConvertible {
    var version: String
    var description: String {
        "Spark \(version) is not installed at .tools/spark/\(version): run scripts/setup.sh (it lays out the pinned pyspark releases from PyPI there)"
    }
}

/// The distribution `scripts/setup.sh` installed for `version`.
func sparkDistribution(_ version: String) throws -> SparkDistribution {
    do { return try SparkDistribution.load(Repository.url(".tools/spark/\(version)")) } catch { throw SparkMissing(version: version) }
}

/// Every API request of a cluster, as its audit hook saw them.
final class AuditTrail: Sendable {
    private let records = Mutex<[AuditRecord]>([])

    func record(_ record: AuditRecord) { records.withLock { $0.append(record) } }

    var all: [AuditRecord] { records.withLock { $0 } }

    /// The requests of the Spark driver's Kubernetes client.
    var fabric8: [AuditRecord] { all.filter { $0.userAgent.hasPrefix("fabric8-kubernetes-client") } }

    /// Writes the driver's requests as JSON lines (the test log) and returns its path.
    func writeDriverLog(named name: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("slipway-\(name)-driver-requests.jsonl")
        try fabric8.map { JSON.string($0.json) }.joined(separator: "\n").write(to: url, atomically: true, encoding: .utf8)
        return url
    }
}

/// `slipway dev` with real Spark (`versions` from `.tools/spark`), Slipway's operator, a
/// kubectl, and the audit trail of every request.
func withRealSpark(
    _ versions: [String], nodes: [NodeConfiguration] = NodeConfiguration.defaults,
    _ body: (DevCluster, Kubectl, AuditTrail) async throws -> Void
) async throws {
    let spark = SparkRuntime(distributions: try versions.map(sparkDistribution))
    let trail = AuditTrail()
    try await withSlipwayDev(nodes: nodes, configure: { configuration in
        configuration.spark = spark
        configuration.audit = { trail.record($0) }
    }) { cluster, _, kubectl in
        try await body(cluster, kubectl, trail)
    }
}

/// Polls `condition` every 250 ms until it holds or `timeout` passes; then fails with the
/// last value `describe` gives.
func eventually(_ what: String, timeout: Duration, _ condition: () async throws -> (Bool, String)) async throws {
    let deadline = ContinuousClock.now + timeout
    var last = ""
    while ContinuousClock.now < deadline {
        let (done, description) = try await condition()
        if done { return }
        last = description
        try await Task.sleep(for: .milliseconds(250))
    }
    Issue.record("timed out after \(timeout) waiting for \(what); last seen: \(last)")
    throw EventuallyTimedOut()
}

struct EventuallyTimedOut: Error {}

extension Kubectl {
    /// `kubectl get OBJECT -o jsonpath=PATH`.
    func jsonpath(_ object: String, _ path: String) async throws -> String {
        try await run(["get", object, "-o", "jsonpath=\(path)"]).out
    }

    /// A manifest with its Spark version (and image) set to `version`, applied.
    func applyExample(_ name: String, sparkVersion version: String) async throws -> ProcessResult {
        let text = try String(contentsOf: Repository.example(name), encoding: .utf8)
            .replacingOccurrences(of: "3.5.9", with: version)
        return try await run(["apply", "-f", "-"], input: text)
    }
}
