import Foundation
import KubeTesting
import LocalCluster
import SlipwayControllers
import SlipwayDevTesting
import Testing

/// `spec.analysis` end to end with the real kubectl: the driver pod gets the analysis sidecar
/// (`slipway analyze --follow`, this build's `slipway` binary standing for Slipway's image),
/// the Spark stand-in's driver replays a recorded Spark 4.0 event log with a skewed stage into
/// `spark.eventLog.dir` (`STANDIN_EVENT_LOG`, a slipway dev test aid), and the finding shows in
/// the status, the events, `kubectl slipway status` and the operator's metrics.
@Suite("kubectl SparkJob analysis on slipway dev", .serialized)
struct KubectlSparkAnalysisTests {
    /// The Spark 4.0 skewed-stage fixture (a rolling, zstd-compressed log: one `Skew` finding).
    static var fixture: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../SparkAnalysisTests/Fixtures/spark-4.0/skewed-stage").standardized.path
    }

    static let job = """
        apiVersion: slipway.dev/v1alpha1
        kind: SparkJob
        metadata: {name: skewed}
        spec:
          type: Python
          sparkVersion: 4.0.5
          image: apache/spark:4.0.5
          mainApplicationFile: local:///opt/app/skewed.py
          driver:
            memory: 512m
            env:
            - {name: STANDIN_EVENT_LOG, value: "\(fixture)"}
          executor: {memory: 512m, instances: 1}
          analysis: {enabled: true}
        """

    @Test func theFindingsOfAnAnalysedJobShowInStatusEventsThePluginAndMetrics() async throws {
        let metrics = SlipwayMetrics.prometheus(version: "test")
        try await withSlipwayDev(operator: { $0.metrics = metrics }) { _, _, kubectl in
            try await kubectl.require(["apply", "-f", "-"], input: Self.job)
            try await kubectl.require(["wait", "--for=condition=Succeeded", "sparkjob/skewed", "--timeout=120s"])
            // The sidecar stops after the driver: its findings follow the Succeeded condition.
            var analysis = ""
            let recorded = try await eventually(timeout: .seconds(60)) {
                analysis = try await kubectl.require(["get", "sparkjob", "skewed", "-o", "jsonpath={.status.analysis}"]).out
                return !analysis.isEmpty
            }
            #expect(recorded, "no status.analysis")
            let json = try await kubectl.require(["get", "sparkjob", "skewed", "-o", "json"]).out
            let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
            let status = object?["status"] as? [String: Any]
            let result = try #require(status?["analysis"] as? [String: Any], "\(json)")
            #expect(result["attempt"] as? Int == 0)
            #expect(result["sparkApplicationId"] as? String == status?["sparkApplicationId"] as? String)
            let findings = result["findings"] as? [[String: Any]] ?? []
            #expect(findings.map { $0["kind"] as? String } == ["Skew"], "\(result)")
            let skew = try #require(findings.first)
            #expect((skew["wasteCoreSeconds"] as? Double ?? 0) > 0)
            #expect((skew["recommendation"] as? String ?? "").isEmpty == false)
            #expect(status?["phase"] as? String == "Succeeded")

            // The driver pod ran the sidecar beside the driver, and it left its report.
            let sidecar = try await kubectl.require([
                "get", "pod", "skewed-0-driver", "-o",
                #"jsonpath={.spec.initContainers[0].name} {.spec.initContainers[0].restartPolicy} {.status.initContainerStatuses[0].state.terminated.exitCode}"#,
            ]).out
            #expect(sidecar == "slipway-analysis Always 0", "\(sidecar)")

            let events = try await kubectl.require([
                "get", "events", "--field-selector", "involvedObject.kind=SparkJob,involvedObject.name=skewed,reason=AnalysisFinding",
                "-o", "jsonpath={range .items[*]}{.type} {.message}{\"\\n\"}{end}",
            ]).out
            #expect(events.contains("Skew "), "\(events)")
            #expect(events.contains("core-seconds wasted"), "\(events)")

            let plugin = try KubectlSlipwayPluginTests.withPlugin(kubectl)
            let screen = try await plugin.require(["slipway", "status", "sparkjob/skewed"]).out
            #expect(screen.contains("Findings (1, attempt 0"), "\(screen)")
            #expect(screen.contains("Skew"), "\(screen)")

            let text = metrics.render()
            let lines = text.split(separator: "\n").map(String.init)
            #expect(lines.contains { $0.hasPrefix("slipway_spark_findings_total{") && $0.contains(#"kind="Skew""#) && $0.hasSuffix(" 1") }, "\(text)")
            #expect(lines.contains { $0.hasPrefix("slipway_spark_waste_core_seconds_total{") && $0.contains(#"kind="Skew""#) }, "\(text)")
            #expect(text.contains("# HELP slipway_spark_findings_total "))
        }
    }

    /// Refused at `kubectl apply` by the CRD's CEL rule, naming both fields (the operator's
    /// `Invalid` condition says the same where a server lacks the rule: SparkJobAnalysisTests).
    @Test func anAnalysisWithAnOwnEventLogDirIsRefusedNamingBoth() async throws {
        try await withSlipwayDev { _, _, kubectl in
            let job = Self.job.replacingOccurrences(
                of: "  analysis: {enabled: true}", with: "  analysis: {enabled: true}\n  sparkConf: {spark.eventLog.dir: \"s3a://history/\"}")
            let r = try await kubectl.run(["apply", "-f", "-"], input: job)
            #expect(r.status != 0, "\(r)")
            #expect(r.err.contains("spec.analysis.enabled") && r.err.contains("spec.sparkConf[spark.eventLog.dir]"), "\(r)")
            // Without the sparkConf key it is accepted.
            try await kubectl.require(["apply", "-f", "-"], input: Self.job)
        }
    }
}
