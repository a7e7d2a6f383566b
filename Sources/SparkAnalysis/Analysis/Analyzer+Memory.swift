/// Executor memory sizing: the peak used JVM heap of the executors against
/// `spark.executor.memory`, both ways. Local mode (tasks in the driver) is not judged.
enum ExecutorMemoryAnalyzer {
    static func findings(_ app: ApplicationModel, _ t: AnalysisThresholds) -> [Finding] {
        let executors = app.executors.values.filter { !$0.isDriver }.sorted { $0.id < $1.id }
        guard !executors.isEmpty else { return [] }
        let setting = app.sparkProperties["spark.executor.memory"] ?? "1g"
        guard let memoryMiB = SparkMemory.mebibytes(setting) else { return [] }
        let sampled = executors.filter { $0.peakHeap != nil }
        let mib = Double(1 << 20)
        let oomExecutors = executors.filter { SparkMemory.diedOfMemory($0.removedReason) }
        let full = sampled.filter { Double($0.peakHeap!) / mib >= t.memoryUnderProvisionedAbove * Double(memoryMiB) }
        if !oomExecutors.isEmpty || !full.isEmpty {
            let peak = Double(sampled.compactMap(\.peakHeap).max() ?? 0) / mib
            let recommended = round(max(Double(memoryMiB) * 1.5, peak * (1 + t.memoryHeadroom)), t)
            let affected = Set((oomExecutors + full).map(\.id))
            let lost = executors.filter { affected.contains($0.id) }.reduce(0) { $0 + $1.failedRunTimeMillis }
            return [Finding(
                kind: .executorMemoryUnderProvisioned,
                subject: "executors (spark.executor.memory=\(setting))",
                summary: "\(affected.count) of \(executors.count) executors ran out of memory or filled their heap "
                    + "(peak \(Int(peak)) MiB of \(memoryMiB) MiB).",
                evidence: [
                    "executorMemoryMiB": Double(memoryMiB), "peakHeapMiB": peak.rounded(),
                    "executorsOutOfMemory": Double(oomExecutors.count), "executorsAtLimit": Double(full.count),
                    "failedTaskCoreSeconds": Double(lost) / 1000,
                ].merging(offHeapEvidence(executors)) { a, _ in a },
                recommendation: "Set spark.executor.memory=\(recommended)m (or run fewer cores per executor, so each task gets more).",
                wasteCoreSeconds: Double(lost) / 1000
            )]
        }
        guard sampled.count == executors.count else { return [] }
        let peak = Double(sampled.compactMap(\.peakHeap).max()!) / mib
        guard peak < t.memoryOverProvisionedBelow * Double(memoryMiB) else { return [] }
        let recommended = round(peak * (1 + t.memoryHeadroom), t)
        let saving = memoryMiB - recommended
        guard saving >= t.memoryMinSavingMiB else { return [] }
        let lifetimes = executors.reduce(0.0) { $0 + app.lifetimeSeconds(of: $1) }
        var evidence: [String: Double] = [
            "executorMemoryMiB": Double(memoryMiB), "peakHeapMiB": peak.rounded(), "executors": Double(executors.count),
            "recommendedMiB": Double(recommended), "executorSeconds": lifetimes,
        ]
        evidence.merge(offHeapEvidence(executors)) { a, _ in a }
        let waste = Double(saving) / 1024 * lifetimes * t.coreSecondsPerGiBSecond
        return [Finding(
            kind: .executorMemoryOverProvisioned,
            subject: "executors (spark.executor.memory=\(setting))",
            summary: "\(executors.count) executors of \(memoryMiB) MiB used at most \(Int(peak)) MiB of heap "
                + "(\(Int((peak / Double(memoryMiB) * 100).rounded()))%).",
            evidence: evidence,
            recommendation: "Set spark.executor.memory=\(recommended)m: \(saving) MiB less per executor, "
                + "still \(Int(t.memoryHeadroom * 100))% above the peak.",
            wasteCoreSeconds: waste
        )]
    }

    /// Peak JVM non-heap memory (metaspace, code cache, threads: what spark.executor.memoryOverhead
    /// must cover) and Spark's off-heap execution and storage memory, in MiB, when logged.
    private static func offHeapEvidence(_ executors: [ExecutorRecord]) -> [String: Double] {
        var evidence: [String: Double] = [:]
        if let nonHeap = executors.compactMap(\.peakNonHeap).max() { evidence["peakNonHeapMiB"] = (Double(nonHeap) / Double(1 << 20)).rounded() }
        if let offHeap = executors.compactMap(\.peakOffHeapUnified).max() { evidence["peakOffHeapMiB"] = (Double(offHeap) / Double(1 << 20)).rounded() }
        return evidence
    }

    /// `mib` with headroom rounded up to the rounding step, at least the minimum.
    private static func round(_ mib: Double, _ t: AnalysisThresholds) -> Int {
        let step = Double(t.memoryRoundingMiB)
        return max(t.memoryMinimumMiB, Int((mib / step).rounded(.up) * step))
    }
}

/// Spark's memory strings and executor loss reasons.
enum SparkMemory {
    /// `spark.executor.memory` in MiB: `4g`, `4096m`, `4096` (MiB), `4194304k`, `1t`.
    static func mebibytes(_ text: String) -> Int? {
        let lower = text.lowercased().trimmingCharacters(in: " ")
        let digits = lower.prefix { $0.isNumber }
        guard let value = Int(digits), !digits.isEmpty else { return nil }
        switch lower.dropFirst(digits.count) {
        case "", "m", "mb": return value
        case "k", "kb": return value / 1024
        case "g", "gb": return value * 1024
        case "t", "tb": return value * 1024 * 1024
        case "b": return value / (1 << 20)
        default: return nil
        }
    }

    /// Whether an executor's removal reason says it died of memory (JVM OOM exit 52, or killed at
    /// its container limit, exit 137).
    static func diedOfMemory(_ reason: String?) -> Bool {
        guard let reason = reason?.lowercased() else { return false }
        return reason.contains("outofmemory") || reason.contains("oomkilled") || reason.contains("exit code 52")
            || reason.contains("exit code 137") || reason.contains("exitcode: 137") || reason.contains("exit status 52")
    }
}
