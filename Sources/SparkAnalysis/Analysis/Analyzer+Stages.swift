/// Spill: stages whose tasks ran out of execution memory and wrote to disk what did not fit.
enum SpillAnalyzer {
    static func findings(_ app: ApplicationModel, _ t: AnalysisThresholds) -> [Finding] {
        app.stages.values.filter { $0.diskBytesSpilled >= t.spillMinDiskBytes }.map { stage in
            let mib = Double(1 << 20)
            let waste = 2 * Double(stage.diskBytesSpilled) / Double(t.spillBytesPerCoreSecond)
            return Finding(
                kind: .spill,
                subject: "\(stage.key)" + (stage.name.isEmpty ? "" : " (\(stage.name))"),
                summary: "\(stage.key) spilled \(Int(Double(stage.diskBytesSpilled) / mib)) MiB to disk "
                    + "(\(Int(Double(stage.memoryBytesSpilled) / mib)) MiB in memory) over \(stage.tasks) tasks.",
                evidence: [
                    "diskBytesSpilled": Double(stage.diskBytesSpilled), "memoryBytesSpilled": Double(stage.memoryBytesSpilled),
                    "tasks": Double(stage.tasks), "stageTaskCoreSeconds": Double(stage.runTimeMillis) / 1000,
                ],
                recommendation: "Give each task less to hold: raise spark.sql.shuffle.partitions (or lower "
                    + "spark.sql.adaptive.advisoryPartitionSizeInBytes) for this stage, or give tasks more memory "
                    + "(spark.executor.memory, or fewer spark.executor.cores).",
                wasteCoreSeconds: waste
            )
        }
    }
}

/// Skew: a stage whose longest task ran far longer than its median task, so that the stage
/// waited on a straggler while the other cores idled.
enum SkewAnalyzer {
    static func findings(_ app: ApplicationModel, _ t: AnalysisThresholds) -> [Finding] {
        let cores = max(1, app.executors.values.reduce(0) { $0 + $1.cores })
        return app.stages.values.compactMap { stage in
            let d = stage.durations
            guard d.count >= t.skewMinTasks else { return nil }
            let excess = Double(d.maxMillis - d.medianMillis) / 1000
            guard Double(d.maxMillis) >= t.skewMinRatio * Double(d.medianMillis), excess >= t.skewMinExcessSeconds else { return nil }
            let idle = Double(min(d.count, cores) - 1)
            return Finding(
                kind: .skew,
                subject: "\(stage.key)" + (stage.name.isEmpty ? "" : " (\(stage.name))"),
                summary: "In \(stage.key) the longest of \(d.count) tasks ran \(format(Double(d.maxMillis) / 1000)) s, "
                    + "\(format(Double(d.maxMillis) / Double(max(d.medianMillis, 1))))× the median of \(format(Double(d.medianMillis) / 1000)) s.",
                evidence: [
                    "tasks": Double(d.count), "maxTaskSeconds": Double(d.maxMillis) / 1000,
                    "medianTaskSeconds": Double(d.medianMillis) / 1000, "cores": Double(cores),
                ],
                recommendation: "Spread the hot key: let adaptive execution split skewed partitions "
                    + "(spark.sql.adaptive.enabled and spark.sql.adaptive.skewJoin.enabled for joins), salt the key, "
                    + "or repartition on a better-distributed column.",
                wasteCoreSeconds: excess * idle
            )
        }
    }
}

/// GC time: the executors spent a large share of their task time collecting garbage.
enum GCAnalyzer {
    static func findings(_ app: ApplicationModel, _ t: AnalysisThresholds) -> [Finding] {
        let run = Double(app.executors.values.reduce(0) { $0 + $1.runTimeMillis }) / 1000
        let gc = Double(app.executors.values.reduce(0) { $0 + $1.gcTimeMillis }) / 1000
        guard run >= t.gcMinRunCoreSeconds, gc / run > t.gcMaxShare else { return [] }
        let worst = app.executors.values.filter { $0.runTimeMillis > 0 }
            .max { Double($0.gcTimeMillis) / Double($0.runTimeMillis) < Double($1.gcTimeMillis) / Double($1.runTimeMillis) }
        return [Finding(
            kind: .gcTime,
            subject: "executors",
            summary: "Garbage collection took \(Int((gc / run * 100).rounded()))% of the executors' task time "
                + "(\(format(gc)) of \(format(run)) core-seconds)" + (worst.map { "; executor \($0.id) worst" } ?? "") + ".",
            evidence: ["gcCoreSeconds": gc, "taskCoreSeconds": run, "gcShare": gc / run],
            recommendation: "Give tasks more heap (spark.executor.memory, or fewer spark.executor.cores), cache less "
                + "or in serialized form (MEMORY_ONLY_SER), and avoid building large objects per row.",
            wasteCoreSeconds: max(0, gc - t.gcHealthyShare * run)
        )]
    }
}

/// A number for a sentence: one decimal below 100, none above.
func format(_ x: Double) -> String {
    x >= 100 ? String(Int(x.rounded())) : String(Double(Int((x * 10).rounded())) / 10)
}
