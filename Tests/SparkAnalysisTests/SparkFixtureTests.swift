import Foundation
import SparkAnalysisFiles
import Testing
@testable import SparkAnalysis

/// The analysers on event logs written by real Spark 3.5 and 4.0 (scripts/make-spark-fixtures.sh):
/// each application finds exactly the anti-pattern planted in it, and the clean one nothing.
@Suite struct SparkFixtureTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var version: String
        var scenario: String
        var expected: [Finding.Kind]
        var testDescription: String { "Spark \(version) \(scenario)" }
    }

    static let planted: [(String, [Finding.Kind])] = [
        ("clean", []),
        ("duplicate-plan", [.duplicatePlan]),
        ("partition-scan", [.excessivePartitionScan]),
        ("over-provisioned", [.executorMemoryOverProvisioned]),
        ("skewed-stage", [.skew]),
        ("spilling-stage", [.spill]),
    ]

    static let cases = ["3.5", "4.0"].flatMap { version in planted.map { Case(version: version, scenario: $0.0, expected: $0.1) } }

    /// The fixture's log: a rolling directory (Spark 4.0's default) or one file with its codec's extension.
    static func path(_ version: String, _ scenario: String) throws -> String {
        let directory = Fixtures.url("spark-\(version)")
        let entry = try #require(try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .first { $0 == scenario || $0.hasPrefix(scenario + ".") })
        return directory.appendingPathComponent(entry).path
    }

    static func report(_ version: String, _ scenario: String) throws -> AnalysisReport {
        let parser = try EventLogFiles.parse(try path(version, scenario))
        #expect(parser.unreadableLines == 0)
        return parser.report()
    }

    @Test(arguments: cases)
    func findsExactlyThePlantedAntiPattern(_ c: Case) throws {
        let report = try Self.report(c.version, c.scenario)
        #expect(report.findings.map(\.kind) == c.expected, "\(report.text)")
        #expect(report.application.complete)
        #expect(report.application.sparkVersion?.hasPrefix(c.version) == true)
    }

    @Test func sparkFourLogsAreRollingZstdAndSparkThreeFiveLogsUseEveryCodec() throws {
        for (scenario, _) in Self.planted {
            let layout = try EventLogLayout.locate(try Self.path("4.0", scenario))
            #expect(layout.kind == .rolling && layout.files.allSatisfy { $0.codec == .zstd } && layout.finished)
        }
        let codecs = try Self.planted.map { try EventLogLayout.locate(try Self.path("3.5", $0.0)).files[0].codec }
        #expect(Set(codecs) == Set(EventLogCodec.allCases))
    }

    @Test(arguments: ["3.5", "4.0"])
    func duplicatePlanEvidence(_ version: String) throws {
        let finding = try #require(try Self.report(version, "duplicate-plan").findings.first)
        #expect(finding.evidence["runs"] == 2)
        #expect(finding.evidence["repeatTaskCoreSeconds"]! >= 5)
        #expect(finding.recommendation.contains("persist"))
    }

    @Test(arguments: ["3.5", "4.0"])
    func partitionScanEvidence(_ version: String) throws {
        let finding = try #require(try Self.report(version, "partition-scan").findings.first)
        #expect(finding.evidence["maxPartitionsRead"] == 365)
        #expect(finding.evidence["scans"] == 1)  // the query filtered on day read 7 partitions: not flagged
        #expect(finding.subject.hasSuffix("clicks"))
        #expect(finding.recommendation.contains("Filter on day"))
    }

    @Test(arguments: ["3.5", "4.0"])
    func overProvisionedEvidence(_ version: String) throws {
        let finding = try #require(try Self.report(version, "over-provisioned").findings.first)
        #expect(finding.evidence["executorMemoryMiB"] == 4096)
        #expect(finding.evidence["executors"] == 2)
        #expect(finding.evidence["recommendedMiB"]! < 4096)
        #expect(finding.evidence["peakHeapMiB"]! < 2048)
        #expect(finding.evidence["peakNonHeapMiB"]! > 0)  // metaspace and the like, for the overhead
    }

    @Test(arguments: ["3.5", "4.0"])
    func skewAndSpillEvidence(_ version: String) throws {
        let skew = try #require(try Self.report(version, "skewed-stage").findings.first)
        #expect(skew.evidence["maxTaskSeconds"]! >= 4 * skew.evidence["medianTaskSeconds"]!)
        let spill = try #require(try Self.report(version, "spilling-stage").findings.first)
        #expect(spill.evidence["diskBytesSpilled"]! >= Double(256 << 20))
    }
}
