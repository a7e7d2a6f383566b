import Foundation
import KubeAPI
import LocalCluster
import KubeTesting
import SlipwayDevTesting
import Testing

/// `spec.analysis` with real Spark on `slipway dev`: a small PySpark program runs the same
/// query twice without caching it (a duplicate plan); the real driver writes its event log
/// into the analysis sidecar's emptyDir, the sidecar (`slipway analyze --follow`, this build's
/// binary) reads it while it grows, and `spec.analysis.thresholds` lowers
/// `duplicatePlanMinRepeatCoreSeconds` so that the tiny run is flagged (docs/analysis.md).
@Suite("Real Spark on slipway dev: analysis", .serialized, .timeLimit(.minutes(8)))
struct RealSparkAnalysisTests {
    static func job(version: String) -> String {
        """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: twice-app}
        data:
          twice.py: |
            from pyspark.sql import SparkSession
            spark = SparkSession.builder.getOrCreate()
            def totals():
                df = spark.range(0, 400000, 1, 4).selectExpr("id % 97 AS k", "id").groupBy("k").count()
                return df.collect()
            first, again = totals(), totals()
            print("groups: %d and %d" % (len(first), len(again)))
            spark.stop()
        ---
        apiVersion: slipway.dev/v1alpha1
        kind: SparkJob
        metadata: {name: twice}
        spec:
          type: Python
          sparkVersion: "\(version)"
          image: apache/spark:\(version)
          mainApplicationFile: local:///opt/app/twice.py
          driver:
            memory: 512m
            volumes: [{name: app, configMap: {name: twice-app}}]
            volumeMounts: [{name: app, mountPath: /opt/app}]
          executor: {instances: 1, memory: 512m}
          analysis:
            enabled: true
            thresholds: {duplicatePlanMinRepeatCoreSeconds: 0.001}
        """
    }

    @Test(arguments: RealSparkVersions.selected)
    func aQueryRunTwiceIsFoundByTheSidecarFromTheRealEventLog(version: String) async throws {
        try await withRealSpark([version]) { _, kubectl, _ in
            try await kubectl.require(["apply", "-f", "-"], input: Self.job(version: version))
            let r = try await kubectl.run(["wait", "--for=condition=Succeeded", "sparkjob/twice", "--timeout=360s"], timeout: .seconds(370))
            let logs = try await kubectl.run(["logs", "twice-0-driver"]).out
            #expect(r.status == 0, "\(r)\ndriver log:\n\(logs.suffix(6000))")
            #expect(logs.contains("groups: 97 and 97"), "\(logs.suffix(3000))")
            // One read gives both whether the analysis is recorded and what it found (two reads
            // could see the analysis appear between them).
            var analysis = ""
            try await eventually("status.analysis", timeout: .seconds(60)) {
                analysis = try await kubectl.require(["get", "sparkjob", "twice", "-o", "jsonpath={.status.analysis}"]).out
                return (!analysis.isEmpty, analysis)
            }
            let recorded = try JSON.parse(analysis)
            let kinds = (recorded["findings"]?.arrayValue ?? []).compactMap { $0["kind"]?.stringValue }
            let sidecarLog = try await kubectl.run(["logs", "twice-0-driver", "-c", "slipway-analysis"]).out
            #expect(kinds.contains("DuplicatePlan"), "status.analysis: \(analysis)\nsidecar log:\n\(sidecarLog)")
            let events = try await kubectl.require([
                "get", "events", "--field-selector", "involvedObject.name=twice,reason=AnalysisFinding", "-o", "jsonpath={.items[*].message}",
            ]).out
            #expect(events.contains("DuplicatePlan"), "\(events)")
        }
    }
}
