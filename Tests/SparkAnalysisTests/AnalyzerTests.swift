import Foundation
import Testing
@testable import SparkAnalysis

/// The analysers on applications built event by event: each threshold from both sides.
@Suite struct AnalyzerTests {
    private func kinds(_ events: [SparkEvent], _ t: AnalysisThresholds = AnalysisThresholds()) -> [Finding.Kind] {
        SparkAnalyzer.analyze(Events.model(events), thresholds: t).findings.map(\.kind)
    }

    private func stage(_ millis: [Int64], disk: Int64 = 0) -> [SparkEvent] {
        millis.enumerated().map { Events.task(stage: 1, id: Int64($0.offset), millis: $0.element, disk: disk) } + [Events.stageDone(1, tasks: millis.count)]
    }

    @Test(arguments: [
        ([Int64](repeating: 2_000, count: 7) + [60_000], true),   // 30× the median, 58 s longer
        ([Int64](repeating: 2_000, count: 7) + [9_000], false),   // 4.5×, but only 7 s longer
        ([Int64](repeating: 20_000, count: 7) + [70_000], false), // 50 s longer, but 3.5×
        ([2_000, 2_000, 90_000], false),                          // too few tasks to judge
    ])
    func skew(_ durations: [Int64], _ flagged: Bool) {
        let found = kinds([Events.start(), Events.executor("1")] + stage(durations))
        #expect(found == (flagged ? [.skew] : []))
    }

    @Test func skewEvidenceAndWaste() throws {
        let report = SparkAnalyzer.analyze(Events.model([Events.start(), Events.executor("1", cores: 4)] + stage([Int64](repeating: 2_000, count: 7) + [62_000])))
        let skew = try #require(report.findings.first)
        #expect(skew.evidence["maxTaskSeconds"] == 62)
        #expect(skew.evidence["medianTaskSeconds"] == 2)
        #expect(skew.wasteCoreSeconds == 60 * 3)  // the other three cores wait 60 s
        #expect(skew.subject.hasPrefix("stage 1"))
    }

    @Test(arguments: [(Int64(300 << 20), true), (Int64(200 << 20), false)])
    func spill(_ disk: Int64, _ flagged: Bool) throws {
        let events = [Events.start(), Events.executor("1")] + stage([1_000, 1_000], disk: disk / 2)
        #expect(kinds(events) == (flagged ? [.spill] : []))
        if flagged {
            let finding = try #require(SparkAnalyzer.analyze(Events.model(events)).findings.first)
            #expect(finding.evidence["diskBytesSpilled"] == Double(disk))
            #expect(finding.wasteCoreSeconds == 6)  // 300 MiB written and read back at 100 MiB per core-second
        }
    }

    @Test(arguments: [(Int64(20_000), true), (Int64(5_000), false)])
    func gcShare(_ gcPerTask: Int64, _ flagged: Bool) {
        let tasks = (0..<10).map { Events.task(stage: 1, id: Int64($0), millis: 100_000, gc: gcPerTask) }
        #expect(kinds([Events.start(), Events.executor("1")] + tasks) == (flagged ? [.gcTime] : []))
    }

    @Test func overProvisionedExecutorsGetASmallerSize() throws {
        let events: [SparkEvent] = [
            Events.start(), .environmentUpdate(sparkProperties: ["spark.executor.memory": "8g"]),
            Events.executor("1", cores: 2), Events.executor("2", cores: 2),
            Events.task(stage: 1, id: 1, executor: "1", millis: 1000, heap: 900 << 20),
            Events.task(stage: 1, id: 2, executor: "2", millis: 1000, heap: 1000 << 20),
            .applicationEnd(timestamp: 3_600_000),
        ]
        let finding = try #require(SparkAnalyzer.analyze(Events.model(events)).findings.first)
        #expect(finding.kind == .executorMemoryOverProvisioned)
        #expect(finding.evidence["recommendedMiB"] == 1536)  // 1000 MiB + 30%, rounded up to 256 MiB
        #expect(finding.recommendation.contains("spark.executor.memory=1536m"))
        // (8192 − 1536) MiB for two executors' hour, at 0.25 core-seconds per GiB-second
        #expect(abs(finding.wasteCoreSeconds - 6.5 * 7200 * 0.25) < 0.01)
        #expect(finding.severity == .high)
    }

    @Test func executorsWithoutHeapSamplesAreNotJudged() {
        let events: [SparkEvent] = [
            Events.start(), .environmentUpdate(sparkProperties: ["spark.executor.memory": "8g"]),
            Events.executor("1"), Events.task(stage: 1, id: 1, millis: 1000), .applicationEnd(timestamp: 3_600_000),
        ]
        let report = SparkAnalyzer.analyze(Events.model(events))
        #expect(report.findings.isEmpty)
        #expect(report.notes.contains { $0.contains("spark.eventLog.logStageExecutorMetrics") })
    }

    @Test func executorsKilledForMemoryAreUnderProvisioned() throws {
        let events: [SparkEvent] = [
            Events.start(), .environmentUpdate(sparkProperties: ["spark.executor.memory": "2g"]),
            Events.executor("1"), Events.task(stage: 1, id: 1, millis: 40_000, reason: "ExecutorLostFailure", heap: 1900 << 20),
            .executorRemoved(ExecutorRemoved(timestamp: 50_000, executorID: "1",
                                             reason: "The executor with id 1 exited with exit code 137(SIGKILL, possible container OOM).")),
        ]
        let finding = try #require(SparkAnalyzer.analyze(Events.model(events)).findings.first)
        #expect(finding.kind == .executorMemoryUnderProvisioned)
        #expect(finding.recommendation.contains("spark.executor.memory=3072m"))
        #expect(finding.wasteCoreSeconds == 40)
    }

    @Test func localModeIsNotJudgedForExecutorMemory() {
        let events: [SparkEvent] = [
            Events.start(), Events.executor("driver"), Events.task(stage: 1, id: 1, executor: "driver", millis: 1000, heap: 10 << 20),
            .applicationEnd(timestamp: 3_600_000),
        ]
        #expect(kinds(events).isEmpty)
    }

    @Test(arguments: [
        ("4g", 4096), ("4096m", 4096), ("4096", 4096), ("1t", 1_048_576), ("2GB", 2048), ("4194304k", 4096), ("lots", nil),
    ] as [(String, Int?)])
    func sparkMemoryStrings(_ text: String, _ mib: Int?) {
        #expect(SparkMemory.mebibytes(text) == mib)
    }

    @Test func findingsAreRankedByWaste() {
        let events = [Events.start(), Events.executor("1", cores: 4)]
            + (0..<8).map { Events.task(stage: 1, id: Int64($0), millis: $0 == 0 ? 100_000 : 2_000) } + [Events.stageDone(1, tasks: 8)]
            + [Events.task(stage: 2, id: 9, millis: 1_000, disk: 1 << 30), Events.stageDone(2, tasks: 1)]
        let report = SparkAnalyzer.analyze(Events.model(events))
        #expect(report.findings.map(\.kind) == [.skew, .spill])
        #expect(report.findings[0].wasteCoreSeconds > report.findings[1].wasteCoreSeconds)
    }

    @Test func thresholdsOverrideOnlyWhatTheyName() throws {
        let t = try JSONDecoder().decode(AnalysisThresholds.self, from: Data(#"{"skewMinExcessSeconds": 5}"#.utf8))
        var expected = AnalysisThresholds()
        expected.skewMinExcessSeconds = 5
        #expect(t == expected)
        #expect(kinds([Events.start(), Events.executor("1")] + stage([Int64](repeating: 2_000, count: 7) + [9_000])).isEmpty)
        #expect(kinds([Events.start(), Events.executor("1")] + stage([Int64](repeating: 2_000, count: 7) + [9_000]), t) == [.skew])
    }

    @Test(arguments: [
        (#"{"skewMinRatoi": 2}"#, "\"skewMinRatoi\" is not a threshold"),
        (#"{"gcMaxShare": 1.5}"#, "gcMaxShare must be a share between 0 and 1"),
        (#"{"skewMinRatio": 0}"#, "skewMinRatio must be greater than 0"),
        (#"{"scanMaxPartitions": -1}"#, "scanMaxPartitions must be 0 or more"),
    ])
    func badThresholdsAreRefusedNamingTheField(_ json: String, _ message: String) {
        #expect {
            try JSONDecoder().decode(AnalysisThresholds.self, from: Data(json.utf8))
        } throws: { error in
            guard case DecodingError.dataCorrupted(let context) = error else { return false }
            return context.debugDescription.contains(message)
        }
    }
}
