import Foundation
import KubeAPI
import SparkAnalysis

// MARK: - spec.analysis and status.analysis (docs/analysis.md, "How a SparkJob gets its findings")

/// Whether the application's event log is analysed by a sidecar beside the driver, and with
/// which thresholds.
public struct SparkAnalysisSpec: JSONBacked {
    public var object: JSONObject
    public init(object: JSONObject) { self.object = object }

    /// nil: the operator's default (`--analysis`, the chart's `analysis.enabled`).
    public var enabled: Bool? { get { self["enabled"] } set { self["enabled"] = newValue } }
    /// Thresholds over the defaults, named as `AnalysisThresholds` names them.
    public var thresholds: JSONObject? { get { self["thresholds"] } set { self["thresholds"] = newValue } }
}

extension SparkJobSpec {
    public var analysis: SparkAnalysisSpec { get { self[object: "analysis"] } set { self[object: "analysis"] = newValue } }

    /// Whether this job's attempts run the analysis sidecar, with `byDefault` the operator's
    /// default: the job's own `analysis.enabled`, else the default — except for a job that
    /// writes its own event log (`spark.eventLog.dir`, say for a History Server), which the
    /// default leaves alone (enabling it explicitly there is Invalid).
    public func analysisEnabled(byDefault: Bool) -> Bool {
        if let enabled = analysis.enabled { return enabled }
        return byDefault && sparkConf[SparkAnalysisSpec.eventLogDirKey] == nil
    }
}

extension SparkAnalysisSpec {
    /// The Spark setting the sidecar needs for itself: Spark writes one event log.
    public static let eventLogDirKey = "spark.eventLog.dir"

    /// The names of the thresholds a job may set (`AnalysisThresholds`' fields), sorted.
    public static let thresholdNames: [String] = {
        let data = (try? JSONEncoder().encode(AnalysisThresholds())) ?? Data()
        let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
        return object.keys.sorted()
    }()

    /// The schema of `spec.analysis`.
    public static var schema: OpenAPISchema {
        OpenAPISchema.object([
            "enabled": OpenAPISchema.boolean().describe(
                "Analyse the application's event log in a sidecar beside the driver (default: the operator's --analysis)."),
            "thresholds": OpenAPISchema.object(thresholdNames.map { ($0, OpenAPISchema.number(minimum: 0)) })
                .describe("Analysis thresholds over the defaults, by name (docs/analysis.md lists them)."),
        ]).describe("Spark analysis: anti-patterns found in the event log, in status.analysis, events and metrics.")
    }

    /// Why `spec.analysis` is unusable, by field; empty: usable.
    public static func violations(_ spec: SparkJobSpec) -> [FieldViolation] {
        var out: [FieldViolation] = []
        if spec.analysis.enabled == true, spec.sparkConf[eventLogDirKey] != nil {
            out.append(FieldViolation(
                field: "spec.analysis.enabled",
                message: "cannot be true together with spec.sparkConf[\(eventLogDirKey)]: Spark writes one event log and the analysis "
                    + "sidecar needs it; remove spec.sparkConf[\(eventLogDirKey)] or set spec.analysis.enabled to false"))
        }
        if let thresholds = spec.analysis.thresholds, let problem = thresholdsProblem(thresholds) {
            out.append(FieldViolation(field: "spec.analysis.thresholds", message: problem))
        }
        return out
    }

    /// What `AnalysisThresholds` refuses in `thresholds` (an unknown name, a value out of range,
    /// a fraction where a whole number is needed), or nil.
    public static func thresholdsProblem(_ thresholds: JSONObject) -> String? {
        func decodes(_ object: JSONObject) -> Bool {
            (try? JSONDecoder().decode(AnalysisThresholds.self, from: Data(JSON.string(.object(object)).utf8))) != nil
        }
        // A fraction where a whole number is read (Foundation's words for it vary): the
        // threshold alone fails, and its whole part passes.
        for (key, value) in thresholds {
            guard let number = value.numberValue?.double, number != number.rounded(.towardZero) else { continue }
            if !decodes([key: value]), decodes([key: .number(JSONNumber(Int(number)))]) { return "\(key) must be a whole number" }
        }
        do {
            _ = try JSONDecoder().decode(AnalysisThresholds.self, from: Data(JSON.string(.object(thresholds)).utf8))
            return nil
        } catch DecodingError.dataCorrupted(let context) {
            return context.debugDescription
        } catch DecodingError.typeMismatch(_, let context) {
            return "\(context.codingPath.map(\.stringValue).joined(separator: ".")) must be a whole number"
        } catch {
            return "is not an object of thresholds (docs/analysis.md lists them)"
        }
    }
}

/// The findings of the newest analysed attempt: bounded, ranked by estimated waste.
public struct SparkAnalysisStatus: JSONBacked {
    public var object: JSONObject
    public init(object: JSONObject) { self.object = object }

    /// Findings kept in status at most (the rest are counted in `omittedFindings`).
    public static let maxFindings = 10
    /// Notes kept at most, each at most ``maxNoteLength`` characters.
    public static let maxNotes = 5
    public static let maxNoteLength = 256

    public var attempt: Int { get { self["attempt"] ?? 0 } set { self["attempt"] = newValue } }
    public var sparkApplicationId: String? { get { self["sparkApplicationId"] } set { self["sparkApplicationId"] = newValue } }
    /// Most waste first.
    public var findings: [SparkAnalysisFinding] { get { self[list: "findings"] } set { self[list: "findings"] = newValue } }
    /// Findings the sidecar or status left out (the lowest ranked).
    public var omittedFindings: Int { get { self["omittedFindings"] ?? 0 } set { self["omittedFindings"] = newValue } }
    /// What limited the analysis, or why there is none.
    public var notes: [String] { get { self[list: "notes"] } set { self[list: "notes"] = newValue } }

    public static var schema: OpenAPISchema {
        OpenAPISchema.object([
            "attempt": OpenAPISchema.integer().describe("The attempt whose event log was analysed."),
            "sparkApplicationId": .string(),
            "findings": OpenAPISchema.array(SparkAnalysisFinding.schema, maxItems: maxFindings).describe("Ranked by estimated waste, most first."),
            "omittedFindings": OpenAPISchema.integer().describe("Findings left out to keep status bounded (the lowest ranked)."),
            "notes": OpenAPISchema.array(.string(maxLength: maxNoteLength), maxItems: maxNotes).describe("What limited the analysis, or why there is none."),
        ]).describe("The findings of the newest analysed attempt (docs/analysis.md).")
    }
}

/// One anti-pattern of the application, as status keeps it (the evidence stays in the sidecar's log).
public struct SparkAnalysisFinding: JSONBacked {
    public var object: JSONObject
    public init(object: JSONObject) { self.object = object }

    public var kind: String { get { self["kind"] ?? "" } set { self["kind"] = newValue } }
    /// `low`, `medium` or `high`.
    public var severity: String { get { self["severity"] ?? "" } set { self["severity"] = newValue } }
    public var subject: String { get { self["subject"] ?? "" } set { self["subject"] = newValue } }
    public var summary: String { get { self["summary"] ?? "" } set { self["summary"] = newValue } }
    public var recommendation: String { get { self["recommendation"] ?? "" } set { self["recommendation"] = newValue } }
    public var wasteCoreSeconds: Double { get { self["wasteCoreSeconds"] ?? 0 } set { self["wasteCoreSeconds"] = newValue } }

    public static var schema: OpenAPISchema {
        .object([
            "kind": .string(), "severity": .string(enum: Finding.Severity.allCases.map(\.rawValue)), "subject": .string(),
            "summary": .string(), "recommendation": .string(), "wasteCoreSeconds": .number(),
        ])
    }
}

extension SparkAnalysisFinding {
    /// The finding as status keeps it.
    public init(_ finding: Finding) {
        self.init()
        kind = finding.kind.rawValue
        severity = finding.severity.rawValue
        subject = finding.subject
        summary = finding.summary
        recommendation = finding.recommendation
        wasteCoreSeconds = finding.wasteCoreSeconds
    }
}
