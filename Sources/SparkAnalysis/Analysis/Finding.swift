/// One anti-pattern found in an application: what, how bad, the numbers that show it, what to
/// change, and what it cost.
public struct Finding: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable, CaseIterable {
        case duplicatePlan = "DuplicatePlan"
        case excessivePartitionScan = "ExcessivePartitionScan"
        case executorMemoryOverProvisioned = "ExecutorMemoryOverProvisioned"
        case executorMemoryUnderProvisioned = "ExecutorMemoryUnderProvisioned"
        case spill = "Spill"
        case skew = "Skew"
        case gcTime = "GCTime"
    }

    public enum Severity: String, Codable, Sendable, Comparable, CaseIterable {
        case low, medium, high

        private var rank: Int { Severity.allCases.firstIndex(of: self)! }
        public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }
    }

    public var kind: Kind
    public var severity: Severity
    /// What the finding is about: a stage, a table, an executor profile, a plan.
    public var subject: String
    /// One sentence a reader understands without the evidence.
    public var summary: String
    /// The numbers from the log that show it (names say their unit).
    public var evidence: [String: Double]
    public var recommendation: String
    /// Estimated core-seconds the anti-pattern wasted (docs/analysis.md says how, per kind).
    public var wasteCoreSeconds: Double

    public init(
        kind: Kind, severity: Severity = .low, subject: String, summary: String, evidence: [String: Double],
        recommendation: String, wasteCoreSeconds: Double
    ) {
        self.kind = kind
        self.severity = severity
        self.subject = subject
        self.summary = summary
        self.evidence = evidence
        self.recommendation = recommendation
        self.wasteCoreSeconds = wasteCoreSeconds
    }

    /// Ranking: most waste first, then the more severe, then by kind and subject (stable).
    static func ranked(_ a: Finding, _ b: Finding) -> Bool {
        if a.wasteCoreSeconds != b.wasteCoreSeconds { return a.wasteCoreSeconds > b.wasteCoreSeconds }
        if a.severity != b.severity { return a.severity > b.severity }
        if a.kind != b.kind { return a.kind.rawValue < b.kind.rawValue }
        return a.subject < b.subject
    }
}
