import Foundation

/// The findings of one application, ranked by estimated waste, with what the log said about it.
public struct AnalysisReport: Codable, Sendable, Equatable {
    public struct Application: Codable, Sendable, Equatable {
        public var id: String?
        public var name: String?
        public var sparkVersion: String?
        public var user: String?
        /// Whether the log holds the application's end.
        public var complete: Bool
        public var durationSeconds: Double
        /// Core-seconds the executors held.
        public var coreSeconds: Double
        /// Core-seconds of task run time.
        public var taskCoreSeconds: Double
        /// Executors that ran tasks apart from the driver (1 in local mode: the driver itself).
        public var executors: Int
    }

    public var application: Application
    /// Ranked: most waste first.
    public var findings: [Finding]
    /// Findings left out to fit a size bound (the lowest ranked).
    public var omittedFindings: Int
    /// What limited the analysis (missing metrics, unreadable lines).
    public var notes: [String]

    public init(application: Application, findings: [Finding], omittedFindings: Int = 0, notes: [String] = []) {
        self.application = application
        self.findings = findings
        self.omittedFindings = omittedFindings
        self.notes = notes
    }
}

/// Runs every analyser over an application.
public enum SparkAnalyzer {
    /// The ranked findings of `app` with `thresholds`.
    public static func analyze(_ app: ApplicationModel, thresholds t: AnalysisThresholds = AnalysisThresholds(), notes: [String] = []) -> AnalysisReport {
        let analysers: [(ApplicationModel, AnalysisThresholds) -> [Finding]] = [
            DuplicatePlanAnalyzer.findings, PartitionScanAnalyzer.findings, ExecutorMemoryAnalyzer.findings,
            SpillAnalyzer.findings, SkewAnalyzer.findings, GCAnalyzer.findings,
        ]
        let held = app.allocatedCoreSeconds > 0 ? app.allocatedCoreSeconds : app.taskCoreSeconds
        let findings = analysers.flatMap { $0(app, t) }.map { finding in
            var f = finding
            f.wasteCoreSeconds = rounded(f.wasteCoreSeconds)
            f.evidence = f.evidence.mapValues(rounded)
            let share = held > 0 ? f.wasteCoreSeconds / held : 0
            f.severity = share >= t.highSeverityShare ? .high : share >= t.mediumSeverityShare ? .medium : .low
            return f
        }
        .sorted(by: Finding.ranked)
        return AnalysisReport(
            application: .init(
                id: app.applicationID, name: app.applicationName, sparkVersion: app.sparkVersion, user: app.user,
                complete: app.isComplete, durationSeconds: rounded(app.durationSeconds),
                coreSeconds: rounded(app.allocatedCoreSeconds), taskCoreSeconds: rounded(app.taskCoreSeconds),
                executors: max(app.executors.values.filter { !$0.isDriver }.count, app.executors.isEmpty ? 0 : 1)
            ),
            findings: findings,
            notes: notes + coverageNotes(app)
        )
    }

    /// What the analysers could not judge, and why.
    static func coverageNotes(_ app: ApplicationModel) -> [String] {
        var notes: [String] = []
        let executors = app.executors.values.filter { !$0.isDriver }
        if !executors.isEmpty, executors.contains(where: { $0.peakHeap == nil }) {
            notes.append("executor memory not judged: some executors logged no heap peaks "
                + "(set spark.eventLog.logStageExecutorMetrics=true)")
        }
        if !app.isComplete { notes.append("the log has no application end: the application is running or was cut short") }
        return notes
    }

    static func rounded(_ x: Double) -> Double { (x * 1000).rounded() / 1000 }
}

extension AnalysisReport {
    /// Compact JSON, keys sorted.
    public func json(pretty: Bool = false) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(self)) ?? Data("{}".utf8)
    }

    /// Compact JSON of at most `maxBytes` bytes: notes go first, then long texts are shortened,
    /// then the lowest-ranked findings are left out (and counted in `omittedFindings`).
    /// Kubernetes keeps at most 4096 bytes of a termination message.
    public func boundedJSON(maxBytes: Int = 4096) -> Data {
        var report = self
        var data = report.json()
        if data.count <= maxBytes { return data }
        report.notes = []
        report.findings = report.findings.map { $0.shortened(to: 160) }
        report.application.name = report.application.name.map { String($0.prefix(100)) }
        data = report.json()
        while data.count > maxBytes, !report.findings.isEmpty {
            report.findings.removeLast()
            report.omittedFindings += 1
            data = report.json()
        }
        return data
    }
}

extension Finding {
    func shortened(to n: Int) -> Finding {
        func cut(_ s: String) -> String { s.count <= n ? s : String(s.prefix(n - 1)) + "…" }
        var f = self
        f.summary = cut(summary)
        f.recommendation = cut(recommendation)
        f.subject = cut(subject)
        return f
    }
}
