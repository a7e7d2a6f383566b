import Foundation
import Testing
@testable import SparkAnalysis

/// Plan identity (what counts as "the same plan") and what a scan node tells.
@Suite struct PlanTests {
    static func scan(_ ids: (Int, Int), table: String = "spark_catalog.default.clicks", files: Int = 10, partitions: Int = 11) -> SparkPlanInfo {
        SparkPlanInfo(
            nodeName: "Scan parquet \(table)",
            simpleString: "FileScan parquet \(table)[kind#\(ids.0)L,day#\(ids.1)] Batched: true, DataFilters: [], Format: Parquet, "
                + "Location: CatalogFileIndex(1 paths)[file:/w/clicks], PartitionFilters: [], PushedFilters: [], ReadSchema: struct<kind:bigint>",
            metadata: ["Location": "CatalogFileIndex(1 paths)[file:/w/clicks]", "PartitionFilters": "[]", "ReadSchema": "struct<kind:bigint>",
                       "Format": "Parquet"],
            metrics: [.init(name: "number of files read", accumulatorID: files), .init(name: "number of partitions read", accumulatorID: partitions)]
        )
    }

    static func aggregate(_ ids: (Int, Int), planID: Int, finalPlan: Bool = false, leaf: SparkPlanInfo? = nil) -> SparkPlanInfo {
        SparkPlanInfo(nodeName: "AdaptiveSparkPlan", simpleString: "AdaptiveSparkPlan isFinalPlan=\(finalPlan)", children: [
            SparkPlanInfo(nodeName: "HashAggregate", simpleString: "HashAggregate(keys=[kind#\(ids.0)L], functions=[count(1)])", children: [
                SparkPlanInfo(nodeName: "Exchange", simpleString: "Exchange hashpartitioning(kind#\(ids.0)L, 8), ENSURE_REQUIREMENTS, [plan_id=\(planID)]",
                              children: [leaf ?? scan(ids)]),
            ]),
        ])
    }

    @Test func theSamePlanRunAgainHashesEqual() {
        #expect(PlanCanonicalizer.hash(Self.aggregate((1, 2), planID: 15)) == PlanCanonicalizer.hash(Self.aggregate((41, 42), planID: 77)))
        #expect(PlanCanonicalizer.hash(Self.aggregate((1, 2), planID: 15)) == PlanCanonicalizer.hash(Self.aggregate((1, 2), planID: 15, finalPlan: true)))
    }

    @Test func anotherTableIsAnotherPlan() {
        #expect(PlanCanonicalizer.hash(Self.aggregate((1, 2), planID: 15))
            != PlanCanonicalizer.hash(Self.aggregate((1, 2), planID: 15, leaf: Self.scan((1, 2), table: "spark_catalog.default.views"))))
    }

    @Test(arguments: [
        ("HashAggregate(keys=[k#12L], functions=[count(1)])", "HashAggregate(keys=[k#], functions=[count(1)])"),
        ("Exchange hashpartitioning(k#1L, 200), ENSURE_REQUIREMENTS, [plan_id=15]", "Exchange hashpartitioning(k#, 200), ENSURE_REQUIREMENTS, [plan_id=]"),
        ("Subquery subquery#45, [id=#12]", "Subquery subquery#, [id=#]"),
        ("Range (0, 200000, step=1, splits=2)", "Range (0, 200000, step=1, splits=2)"),
    ])
    func normalisation(_ text: String, _ expected: String) {
        #expect(PlanCanonicalizer.normalise(text) == expected)
    }

    @Test func aScanKnowsItsTableAndPartitionColumns() throws {
        let scan = try #require(ScanRecord(Self.scan((1, 2))))
        #expect(scan.table == "spark_catalog.default.clicks")
        #expect(scan.location == "file:/w/clicks")
        #expect(scan.partitionColumns == ["day"])
        #expect(scan.partitionFilters == "[]")
        #expect(ScanRecord.topLevelFields("struct<a:bigint,b:struct<c:int,d:string>,e:map<string,int>>") == ["a", "b", "e"])
    }

    private func execution(_ id: Int, _ plan: SparkPlanInfo, start: Int64) -> [SparkEvent] {
        [
            .sqlExecutionStart(SQLExecutionStart(executionID: id, description: "collect at job.py:\(id)", time: start, plan: plan)),
            .jobStart(JobStart(jobID: id, stageIDs: [id], properties: ["spark.sql.execution.id": String(id)])),
            Events.task(stage: id, id: Int64(id), millis: 8_000, input: 1 << 20),
            .sqlExecutionEnd(executionID: id, time: start + 8_000),
        ]
    }

    @Test func aPlanRunTwiceIsADuplicate() throws {
        let events = [Events.start(), Events.executor("1")]
            + execution(0, Self.aggregate((1, 2), planID: 15, leaf: Self.scan((1, 2), files: 50, partitions: 51)), start: 1_000)
            + execution(1, Self.aggregate((9, 8), planID: 30, leaf: Self.scan((9, 8), files: 60, partitions: 61)), start: 20_000)
        let report = SparkAnalyzer.analyze(Events.model(events))
        let finding = try #require(report.findings.first)
        #expect(report.findings.map(\.kind) == [.duplicatePlan])
        #expect(finding.subject == "SQL executions 0, 1")
        #expect(finding.evidence["runs"] == 2)
        #expect(finding.evidence["repeatTaskCoreSeconds"] == 8)
        #expect(finding.summary.contains("HashAggregate over Scan parquet spark_catalog.default.clicks"))
    }

    @Test func aCachedReadIsNotADuplicate() {
        let cached = SparkPlanInfo(nodeName: "InMemoryTableScan", simpleString: "InMemoryTableScan [kind#1L]")
        let events = [Events.start(), Events.executor("1")]
            + execution(0, Self.aggregate((1, 2), planID: 15, leaf: cached), start: 1_000)
            + execution(1, Self.aggregate((1, 2), planID: 16, leaf: cached), start: 20_000)
        #expect(SparkAnalyzer.analyze(Events.model(events)).findings.isEmpty)
    }

    @Test(arguments: [(Int64(365), true), (Int64(100), false)])
    func partitionsReadAgainstTheThreshold(_ partitions: Int64, _ flagged: Bool) throws {
        let events = [Events.start(), Events.executor("1")]
            + execution(0, Self.aggregate((1, 2), planID: 15), start: 1_000)
            + [.driverAccumulatorUpdates(executionID: 0, updates: [.init(id: 10, value: partitions), .init(id: 11, value: partitions)])]
        let report = SparkAnalyzer.analyze(Events.model(events))
        #expect(report.findings.map(\.kind) == (flagged ? [.excessivePartitionScan] : []))
        if flagged {
            let finding = report.findings[0]
            #expect(finding.subject == "spark_catalog.default.clicks")
            #expect(finding.evidence["maxPartitionsRead"] == 365)
            #expect(finding.recommendation.contains("Filter on day"))
            #expect(abs(finding.wasteCoreSeconds - 8 * (1 - 100.0 / 365)) < 0.001)
        }
    }
}
