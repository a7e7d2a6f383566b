/// Duplicate plans: the same physical plan executed more than once with nothing cached, so that
/// every run after the first recomputes what the first already computed.
enum DuplicatePlanAnalyzer {
    static func findings(_ app: ApplicationModel, _ t: AnalysisThresholds) -> [Finding] {
        let candidates = app.executions.values.filter { $0.readsData && !$0.readsCache && $0.taskRunMillis > 0 }
        return Dictionary(grouping: candidates, by: \.planHash).values.compactMap { group in
            guard group.count >= 2 else { return nil }
            let runs = group.sorted { ($0.startTime, $0.id) < ($1.startTime, $1.id) }
            let repeats = runs.dropFirst()
            let repeatCore = Double(repeats.reduce(0) { $0 + $1.taskRunMillis }) / 1000
            guard repeatCore >= t.duplicatePlanMinRepeatCoreSeconds else { return nil }
            let repeatWall = repeats.reduce(0.0) { $0 + ($1.durationSeconds ?? 0) }
            let ids = runs.prefix(5).map { String($0.id) }.joined(separator: ", ") + (runs.count > 5 ? ", …" : "")
            let first = runs[0]
            return Finding(
                kind: .duplicatePlan,
                subject: "SQL executions \(ids)",
                summary: "The same physical plan (\(first.planSummary)) ran \(runs.count) times, first as \"\(first.description)\"; "
                    + "every run after the first recomputed it from its sources.",
                evidence: [
                    "runs": Double(runs.count),
                    "firstRunTaskCoreSeconds": Double(first.taskRunMillis) / 1000,
                    "repeatTaskCoreSeconds": repeatCore,
                    "repeatWallSeconds": repeatWall,
                ],
                recommendation: "Compute it once: persist the shared DataFrame (df.cache() or df.persist() before the first action, "
                    + "df.unpersist() after the last) or reuse the first result instead of running the same query again.",
                wasteCoreSeconds: repeatCore
            )
        }
    }
}

/// Excessive partition scans: file scans that read more partitions (or files) than a query
/// needs, usually because nothing filters on the table's partition column.
enum PartitionScanAnalyzer {
    private struct Hit {
        var execution: ExecutionRecord
        var scan: ScanRecord
        var files: Int64
        var partitions: Int64?
    }

    static func findings(_ app: ApplicationModel, _ t: AnalysisThresholds) -> [Finding] {
        var hits: [String: [Hit]] = [:]
        for execution in app.executions.values.sorted(by: { $0.id < $1.id }) {
            for (scan, files, partitions) in execution.scanReadings {
                let tooManyPartitions = (partitions ?? 0) > Int64(t.scanMaxPartitions)
                guard tooManyPartitions || files > Int64(t.scanMaxFiles) else { continue }
                hits[scan.subject, default: []].append(Hit(execution: execution, scan: scan, files: files, partitions: partitions))
            }
        }
        return hits.map { subject, hits in finding(subject, hits, t) }
    }

    private static func finding(_ subject: String, _ hits: [Hit], _ t: AnalysisThresholds) -> Finding {
        let maxPartitions = hits.compactMap(\.partitions).max()
        let maxFiles = hits.map(\.files).max() ?? 0
        var waste = 0.0
        var scanCore = 0.0
        var seen = Set<Int>()
        for hit in hits where seen.insert(hit.execution.id).inserted {
            // Time proportional to what was read: reading at most the limit would have saved the rest.
            let share: Double
            if let p = hit.partitions, p > Int64(t.scanMaxPartitions) {
                share = 1 - Double(t.scanMaxPartitions) / Double(p)
            } else {
                share = 1 - Double(t.scanMaxFiles) / Double(max(hit.files, 1))
            }
            waste += Double(hit.execution.inputTaskRunMillis) / 1000 * max(0, share)
            scanCore += Double(hit.execution.inputTaskRunMillis) / 1000
        }
        let scan = hits[0].scan
        let columns = scan.partitionColumns.isEmpty ? "its partition column" : scan.partitionColumns.joined(separator: ", ")
        let unfiltered = (scan.partitionFilters ?? "[]") == "[]"
        let what = maxPartitions.map { "\($0) partitions (\(maxFiles) files)" } ?? "\(maxFiles) files"
        var evidence: [String: Double] = [
            "scans": Double(hits.count), "maxFilesRead": Double(maxFiles), "scanTaskCoreSeconds": scanCore,
        ]
        if let maxPartitions { evidence["maxPartitionsRead"] = Double(maxPartitions) }
        return Finding(
            kind: .excessivePartitionScan,
            subject: subject,
            summary: "\(hits.count == 1 ? "A scan" : "\(hits.count) scans") of \(subject) read up to \(what)"
                + (unfiltered ? " with no partition filter." : " although filtered by \(scan.partitionFilters ?? "").")
                + " Executions: \(Set(hits.map(\.execution.id)).sorted().map(String.init).joined(separator: ", ")).",
            evidence: evidence,
            recommendation: unfiltered
                ? "Filter on \(columns) (for example WHERE \(scan.partitionColumns.first ?? "day") >= …) so that Spark reads only the partitions the query needs."
                : "Narrow the filter on \(columns) so that Spark reads only the partitions the query needs.",
            wasteCoreSeconds: waste
        )
    }
}
