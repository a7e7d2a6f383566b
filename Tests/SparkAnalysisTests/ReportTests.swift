import Foundation
import Testing
@testable import SparkAnalysis

/// The report as JSON (whole, and bounded for a termination message) and as text.
@Suite struct ReportTests {
    private func report(findings n: Int) -> AnalysisReport {
        let findings = (0..<n).map { i in
            Finding(kind: Finding.Kind.allCases[i % Finding.Kind.allCases.count], severity: .medium, subject: "stage \(i) (collect at a/very/long/path/job.py:\(i))",
                    summary: String(repeating: "A long explanation of what happened in this stage. ", count: 6),
                    evidence: ["tasks": Double(i), "maxTaskSeconds": 12.5], recommendation: String(repeating: "Do this. ", count: 30),
                    wasteCoreSeconds: Double(1000 - i))
        }
        return AnalysisReport(
            application: .init(id: "app-1", name: "etl", sparkVersion: "4.0.5", user: "me", complete: true, durationSeconds: 60,
                               coreSeconds: 240, taskCoreSeconds: 200, executors: 2),
            findings: findings, notes: ["a note"])
    }

    @Test(arguments: [0, 1, 3, 10, 60])
    func boundedJSONFitsATerminationMessage(_ n: Int) throws {
        let data = report(findings: n).boundedJSON(maxBytes: 4096)
        #expect(data.count <= 4096)
        let decoded = try JSONDecoder().decode(AnalysisReport.self, from: data)
        #expect(decoded.findings.count + decoded.omittedFindings == n)
        // What stays is the top of the ranking.
        #expect(decoded.findings.map(\.wasteCoreSeconds) == report(findings: n).findings.prefix(decoded.findings.count).map(\.wasteCoreSeconds))
        #expect(decoded.application.id == "app-1")
    }

    @Test func aReportThatFitsIsKeptWhole() throws {
        let small = report(findings: 1)
        #expect(try JSONDecoder().decode(AnalysisReport.self, from: small.boundedJSON(maxBytes: 1 << 20)) == small)
    }

    @Test func textShowsEachFindingWithItsEvidenceAndRecommendation() {
        let text = report(findings: 2).text
        #expect(text.hasPrefix("Application etl (app-1), Spark 4.0.5\n"))
        #expect(text.contains("2 findings, ranked by estimated waste:"))
        #expect(text.contains("1. [medium] DuplicatePlan: stage 0"))
        #expect(text.contains("evidence: maxTaskSeconds=12.5 tasks=1"))
        #expect(text.contains("waste: ~999 core-seconds"))
        #expect(text.contains("note: a note"))
        #expect(report(findings: 0).text.contains("No findings."))
    }
}
