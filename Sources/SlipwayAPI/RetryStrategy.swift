import Foundation
import KubeAPI

/// How failed attempts are retried: the same for every kind of job (a BatchJob retries
/// each index, a SparkJob the application).
public struct RetryStrategy: JSONBacked {
    public var object: JSONObject
    public init(object: JSONObject) { self.object = object }

    /// Counted attempts when neither the job nor the operator (`--default-attempts`) says.
    public static let defaultAttempts = 3
    /// The most counted attempts the schema allows a job to ask for.
    public static let attemptsLimit = 100
    /// The most counted attempts an operator lets a job ask for unless told otherwise
    /// (`--max-attempts`, the chart's `retry.maxAttempts`): a job asking for more is Invalid.
    public static let defaultMaxAttempts = 10
    /// The rules that apply after the user's (first match wins, so the user's take
    /// precedence): Interrupted → Ignore, OutOfMemory → Retry, StartFailure → Fail.
    public static let defaultRules: [RetryRule] = [
        RetryRule(action: .ignore, classes: [.interrupted]),
        RetryRule(action: .retry, classes: [.outOfMemory]),
        RetryRule(action: .fail, classes: [.startFailure]),
    ]

    /// Counted attempts per index (or per application), counted ones only; unset, the
    /// operator's `--default-attempts` applies (``attempts(default:)``; this getter alone says 3).
    public var attempts: Int { get { self["attempts"] ?? Self.defaultAttempts } set { self["attempts"] = newValue } }
    /// `attempts` as the user wrote it; nil when unset.
    public var requestedAttempts: Int? { self["attempts"] }
    /// `attempts` as the user wrote it, else `defaultAttempts` (the operator's setting).
    public func attempts(default defaultAttempts: Int) -> Int { requestedAttempts ?? defaultAttempts }
    public var backoff: BackoffPolicy { get { self[object: "backoff"] } set { self[object: "backoff"] = newValue } }
    /// First match wins; the defaults (Interrupted → Ignore, OutOfMemory → Retry,
    /// StartFailure → Fail) apply after these.
    public var rules: [RetryRule] { get { self[list: "rules"] } set { self[list: "rules"] = newValue } }
}

/// Exponential backoff between attempts, capped.
public struct BackoffPolicy: JSONBacked {
    public var object: JSONObject
    public init(object: JSONObject) { self.object = object }

    public var initialSeconds: Int { get { self["initialSeconds"] ?? 10 } set { self["initialSeconds"] = newValue } }
    public var factor: Double { get { self["factor"] ?? 2 } set { self["factor"] = newValue } }
    public var maxSeconds: Int { get { self["maxSeconds"] ?? 600 } set { self["maxSeconds"] = newValue } }
}

/// One retry rule: every criterion it names must match (an empty list matches anything).
public struct RetryRule: JSONBacked {
    public var object: JSONObject
    public init(object: JSONObject) { self.object = object }

    public init(action: RetryAction, classes: [FailureClass] = [], exitCodes: [String] = []) {
        self.init(object: JSONObject())
        self.action = action
        self.classes = classes
        self.exitCodes = exitCodes
    }

    public var action: RetryAction {
        get { (self["action"] as String?).flatMap(RetryAction.init(rawValue:)) ?? .retry }
        set { self["action"] = newValue.rawValue }
    }
    /// Exit codes and ranges: `"1"`, `"3-5"`.
    public var exitCodes: [String] { get { self[list: "exitCodes"] } set { self[list: "exitCodes"] = newValue } }
    public var classes: [FailureClass] {
        get { (self[list: "classes"] as [String]).compactMap(FailureClass.init(rawValue:)) }
        set { self[list: "classes"] = newValue.map(\.rawValue) }
    }
    /// Container termination reasons or pod status reasons (`OOMKilled`, `Evicted`, `Error`).
    public var reasons: [String] { get { self[list: "reasons"] } set { self[list: "reasons"] = newValue } }
    /// Pod condition types that must be True (`DisruptionTarget`).
    public var podConditions: [String] { get { self[list: "podConditions"] } set { self[list: "podConditions"] = newValue } }
    /// A regular expression matched against the extracted failure message.
    public var messagePattern: String? { get { self["messagePattern"] } set { self["messagePattern"] = newValue } }
}

// MARK: - Schema

extension RetryStrategy {
    /// The schema of `spec.retryStrategy`.
    public static var schema: OpenAPISchema {
        .object([
            "attempts": .integer(minimum: 1, maximum: RetryStrategy.attemptsLimit)
                .describe("Counted attempts per index (unset: the operator's default, 3 unless slipway operator --default-attempts says otherwise)."),
            "backoff": BackoffPolicy.schema.defaulting([:]),
            "rules": OpenAPISchema.array(RetryRule.schema, maxItems: 64)
                .describe("First match wins; then the defaults Interrupted → Ignore, OutOfMemory → Retry, StartFailure → Fail."),
        ]).describe("How failed attempts are retried.")
    }
}

extension BackoffPolicy {
    /// The schema of `spec.retryStrategy.backoff`.
    public static var schema: OpenAPISchema {
        .object([
            "initialSeconds": .integer(minimum: 0, default: 10),
            "factor": .number(minimum: 1, default: 2),
            "maxSeconds": .integer(minimum: 0, default: 600),
        ]).describe("Exponential backoff between attempts, capped at maxSeconds.")
    }
}

extension RetryRule {
    /// The pattern of one `exitCodes` entry: a code or an inclusive range (`"1"`, `"3-5"`).
    public static let exitCodePattern = #"^[0-9]{1,3}(-[0-9]{1,3})?$"#

    /// The schema of one retry rule.
    public static var schema: OpenAPISchema {
        .object([
            "action": OpenAPISchema.string(enumOf: RetryAction.self).describe("Retry, Fail, or Ignore (retry without counting the attempt)."),
            "exitCodes": OpenAPISchema.array(.string(pattern: exitCodePattern), maxItems: 256).describe("Exit codes and ranges: \"1\", \"3-5\"."),
            "classes": OpenAPISchema.array(.string(enumOf: FailureClass.self), maxItems: 16),
            "reasons": OpenAPISchema.array(.string(maxLength: 128), maxItems: 64).describe("Container termination or pod status reasons."),
            "podConditions": OpenAPISchema.array(.string(maxLength: 316), maxItems: 64).describe("Pod condition types that must be True."),
            "messagePattern": .string(maxLength: 1024).describe("A regular expression matched against the extracted failure message."),
        ], required: ["action"]).describe("Every criterion the rule names must match.")
    }
}
