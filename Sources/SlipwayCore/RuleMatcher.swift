import Foundation
import SlipwayAPI

/// Which retry rule applies to a failure, and what it says to do.
public struct RuleMatch: Sendable, Hashable {
    /// What to do with the failed attempt.
    public var action: RetryAction
    /// The index of the user's rule that matched; nil for a default rule or no match.
    public var ruleIndex: Int?
    /// `rule 0`, `default rule Interrupted → Ignore`, or `no rule matched` — for messages.
    public var source: String

    /// A match with its fields.
    public init(action: RetryAction, ruleIndex: Int?, source: String) {
        self.action = action
        self.ruleIndex = ruleIndex
        self.source = source
    }
}

/// Matches a ``Classification`` against `retryStrategy.rules`, as the Kubernetes Job
/// controller's `matchPodFailurePolicy` does: the first matching rule wins; then the
/// defaults Interrupted → Ignore, OutOfMemory → Retry, StartFailure → Fail; with no match,
/// Retry.
///
/// A rule matches when every criterion it names matches (an empty list matches anything):
/// - `exitCodes`: values (`"1"`) and ranges (`"3-5"`); never matches without an exit code;
/// - `classes`: the failure class;
/// - `reasons`: the container's terminated or waiting reason, the pod's `status.reason`
///   or the DisruptionTarget reason (``Classification/reasons``);
/// - `podConditions`: a pod condition type that is True;
/// - `messagePattern`: a regular expression found in the extracted message. An invalid
///   pattern never matches (validation rejects it before a job runs).
public enum RuleMatcher {

    /// The action for `classification` under `rules`, and which rule decided.
    public static func action(for classification: Classification, rules: [RetryRule]) -> RuleMatch {
        if let index = rules.firstIndex(where: { matches($0, classification) }) {
            return RuleMatch(action: rules[index].action, ruleIndex: index, source: "rule \(index)")
        }
        if let rule = RetryStrategy.defaultRules.first(where: { matches($0, classification) }) {
            let name = rule.classes.first?.rawValue ?? "?"
            return RuleMatch(action: rule.action, ruleIndex: nil, source: "default rule \(name) → \(rule.action.rawValue)")
        }
        return RuleMatch(action: .retry, ruleIndex: nil, source: "no rule matched")
    }

    /// Whether every criterion `rule` names matches `classification`.
    public static func matches(_ rule: RetryRule, _ classification: Classification) -> Bool {
        let codes = rule.exitCodes, classes = rule.classes, reasons = rule.reasons, conditions = rule.podConditions
        if !codes.isEmpty {
            guard let code = classification.exitCode, codes.contains(where: { exitCode(code, matches: $0) }) else { return false }
        }
        if !classes.isEmpty {
            guard let failureClass = classification.failureClass, classes.contains(failureClass) else { return false }
        }
        if !reasons.isEmpty, !reasons.contains(where: classification.reasons.contains) { return false }
        if !conditions.isEmpty, !conditions.contains(where: classification.podConditions.contains) { return false }
        if let pattern = rule.messagePattern, !pattern.isEmpty {
            guard let regex = try? Regex(pattern), classification.message.contains(regex) else { return false }
        }
        return true
    }

    /// Whether `code` is the value `"1"` or within the range `"3-5"` (malformed: no).
    public static func exitCode(_ code: Int, matches text: String) -> Bool {
        exitCodeRange(text)?.contains(code) ?? false
    }

    /// The range `"1"` or `"3-5"` denotes; nil when malformed or reversed.
    public static func exitCodeRange(_ text: String) -> ClosedRange<Int>? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
            .map { Int($0.trimmingCharacters(in: .whitespaces)) }
        switch parts.count {
        case 1: return parts[0].map { $0...$0 }
        case 2:
            guard let low = parts[0], let high = parts[1], low <= high else { return nil }
            return low...high
        default: return nil
        }
    }
}
