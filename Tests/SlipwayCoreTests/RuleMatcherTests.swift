import KubeAPI
import SlipwayAPI
import SlipwayCore
import Testing

/// Sample classifications and spec fragments shared by the rule, planner and adapter tables.
enum Samples {
    /// A retry rule from the JSON a user writes in `retryStrategy.rules`.
    static func rule(_ json: String) -> RetryRule {
        guard let value = try? JSON.parse(json), let rule = RetryRule(json: value) else { fatalError("bad rule JSON: \(json)") }
        return rule
    }

    static let appError1 = Classification(failureClass: .appError, exitCode: 1, reason: "Error", reasons: ["Error"],
        message: "ConnectionResetError: [Errno 104] Connection reset by peer", evidence: "container main terminated Error (exit 1)")
    static let appError4 = Classification(failureClass: .appError, exitCode: 4, reason: "Error", message: "ValueError: bad row", evidence: "exit 4")
    static let oomKilled = Classification(failureClass: .outOfMemory, exitCode: 137, reason: "OOMKilled", evidence: "container main terminated OOMKilled (exit 137)")
    static let preempted = Classification(failureClass: .interrupted, exitCode: 143, reason: "PreemptionByScheduler", reasons: ["Error", "PreemptionByScheduler"],
        evidence: "pod condition DisruptionTarget (PreemptionByScheduler)", podConditions: ["DisruptionTarget", "PodScheduled"])
    static let imagePull = Classification(failureClass: .startFailure, reason: "ImagePullBackOff", message: "Back-off pulling image", evidence: "image pull failed")
    static let evicted = Classification(failureClass: .interrupted, exitCode: 137, reason: "Evicted", reasons: ["ContainerStatusUnknown", "Evicted"], evidence: "pod Evicted")
    static let unschedulable = Classification(failureClass: .unschedulable, reason: "Unschedulable", evidence: "unschedulable for 5m")
}

struct RuleCase: Sendable, CustomTestStringConvertible {
    var name: String
    var classification: Classification
    var rules: [String]
    var action: RetryAction
    var ruleIndex: Int?
    var source: String? = nil
    var testDescription: String { name }
}

private let ruleCases: [RuleCase] = [
    RuleCase(name: "exit code value", classification: Samples.appError1, rules: [#"{"action": "Fail", "exitCodes": ["1"]}"#], action: .fail, ruleIndex: 0),
    RuleCase(name: "exit code range", classification: Samples.appError4, rules: [#"{"action": "Fail", "exitCodes": ["1", "3-5"]}"#], action: .fail, ruleIndex: 0),
    RuleCase(name: "exit code outside the range", classification: Samples.appError4, rules: [#"{"action": "Fail", "exitCodes": ["1", "5-9"]}"#],
             action: .retry, ruleIndex: nil, source: "no rule matched"),
    RuleCase(name: "malformed exit code range never matches", classification: Samples.appError4, rules: [#"{"action": "Fail", "exitCodes": ["5-3", "x"]}"#],
             action: .retry, ruleIndex: nil),
    RuleCase(name: "exit codes need an exit code", classification: Samples.unschedulable, rules: [#"{"action": "Ignore", "exitCodes": ["0-255"]}"#],
             action: .retry, ruleIndex: nil),
    RuleCase(name: "class", classification: Samples.unschedulable, rules: [#"{"action": "Fail", "classes": ["AppError"]}"#, #"{"action": "Ignore", "classes": ["Unschedulable"]}"#],
             action: .ignore, ruleIndex: 1),
    RuleCase(name: "container reason", classification: Samples.oomKilled, rules: [#"{"action": "Fail", "reasons": ["OOMKilled"]}"#], action: .fail, ruleIndex: 0),
    RuleCase(name: "pod status reason", classification: Samples.evicted, rules: [#"{"action": "Fail", "reasons": ["Evicted"]}"#], action: .fail, ruleIndex: 0),
    RuleCase(name: "pod condition", classification: Samples.preempted, rules: [#"{"action": "Fail", "podConditions": ["DisruptionTarget"]}"#], action: .fail, ruleIndex: 0),
    RuleCase(name: "pod condition absent", classification: Samples.appError1, rules: [#"{"action": "Fail", "podConditions": ["DisruptionTarget"]}"#],
             action: .retry, ruleIndex: nil),
    RuleCase(name: "message pattern", classification: Samples.appError1, rules: [#"{"action": "Ignore", "messagePattern": "Connection (reset|refused)"}"#],
             action: .ignore, ruleIndex: 0),
    RuleCase(name: "message pattern not found", classification: Samples.appError4, rules: [#"{"action": "Ignore", "messagePattern": "Connection reset"}"#],
             action: .retry, ruleIndex: nil),
    RuleCase(name: "invalid pattern never matches", classification: Samples.appError1, rules: [#"{"action": "Fail", "messagePattern": "Connection (reset"}"#],
             action: .retry, ruleIndex: nil),
    RuleCase(name: "every criterion must match", classification: Samples.appError1,
             rules: [#"{"action": "Fail", "exitCodes": ["1"], "classes": ["OutOfMemory"]}"#, #"{"action": "Ignore", "exitCodes": ["1"], "classes": ["AppError"], "reasons": ["Error"]}"#],
             action: .ignore, ruleIndex: 1),
    RuleCase(name: "first match wins", classification: Samples.appError1,
             rules: [#"{"action": "Ignore", "classes": ["AppError"]}"#, #"{"action": "Fail", "exitCodes": ["1"]}"#], action: .ignore, ruleIndex: 0),
    RuleCase(name: "empty criteria match anything", classification: Samples.oomKilled, rules: [#"{"action": "Fail"}"#], action: .fail, ruleIndex: 0),
    RuleCase(name: "user rules beat the defaults", classification: Samples.preempted, rules: [#"{"action": "Fail", "classes": ["Interrupted"]}"#],
             action: .fail, ruleIndex: 0),
    RuleCase(name: "default Interrupted → Ignore", classification: Samples.preempted, rules: [], action: .ignore, ruleIndex: nil,
             source: "default rule Interrupted → Ignore"),
    RuleCase(name: "default OutOfMemory → Retry", classification: Samples.oomKilled, rules: [#"{"action": "Fail", "exitCodes": ["1"]}"#],
             action: .retry, ruleIndex: nil, source: "default rule OutOfMemory → Retry"),
    RuleCase(name: "default StartFailure → Fail", classification: Samples.imagePull, rules: [], action: .fail, ruleIndex: nil,
             source: "default rule StartFailure → Fail"),
    RuleCase(name: "no match → Retry", classification: Samples.appError1, rules: [], action: .retry, ruleIndex: nil, source: "no rule matched"),
]

@Suite("RuleMatcher")
struct RuleMatcherTests {
    @Test(arguments: ruleCases)
    func matches(_ row: RuleCase) {
        let match = RuleMatcher.action(for: row.classification, rules: row.rules.map(Samples.rule))
        #expect(match.action == row.action)
        #expect(match.ruleIndex == row.ruleIndex)
        if let source = row.source { #expect(match.source == source) }
    }

    @Test(arguments: [("1", 1...1), ("3-5", 3...5), (" 7 - 9 ", 7...9), ("0-0", 0...0)] as [(String, ClosedRange<Int>)])
    func parsesExitCodeRanges(text: String, range: ClosedRange<Int>) {
        #expect(RuleMatcher.exitCodeRange(text) == range)
    }

    @Test(arguments: ["", "-", "5-3", "1-2-3", "a", "1-"])
    func refusesMalformedExitCodes(text: String) {
        #expect(RuleMatcher.exitCodeRange(text) == nil)
    }
}
