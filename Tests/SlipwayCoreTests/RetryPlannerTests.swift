import Foundation
import KubeAPI
import SlipwayAPI
import SlipwayCore
import Testing

private func backoffPolicy(initial: Int = 10, factor: Double = 2, max: Int = 600) -> BackoffPolicy {
    var policy = BackoffPolicy()
    policy.initialSeconds = initial
    policy.factor = factor
    policy.maxSeconds = max
    return policy
}

@Suite("RetryPlanner")
struct RetryPlannerTests {
    static let finished = Date(timeIntervalSince1970: 1_800_007_400)

    @Test(arguments: [
        (1, 10, 2.0, 600, 10.0), (2, 10, 2.0, 600, 20.0), (3, 10, 2.0, 600, 40.0), (7, 10, 2.0, 600, 600.0),
        (60, 10, 2.0, 600, 600.0), (5000, 10, 2.0, 600, 600.0), (3, 5, 1.5, 600, 11.25), (4, 10, 1.0, 600, 10.0),
        (1, 900, 2.0, 600, 600.0), (2, 0, 2.0, 600, 0.0),
    ] as [(Int, Int, Double, Int, Double)])
    func backoffIsExponentialAndCapped(failures: Int, initial: Int, factor: Double, max: Int, seconds: Double) {
        let delay = RetryPlanner.delay(countedFailures: failures, policy: backoffPolicy(initial: initial, factor: factor, max: max))
        #expect(delay == .milliseconds(Int64(seconds * 1000)))
    }

    struct PlanCase: Sendable, CustomTestStringConvertible {
        var name: String
        var classification: Classification
        var action: RetryAction
        var countedFailures: Int
        var attempts = 3
        var capExhausted: String? = nil
        var expected: RetryPlan
        var testDescription: String { name }
    }

    static let planCases: [PlanCase] = [
        PlanCase(name: "first counted failure waits the initial backoff", classification: Samples.appError1, action: .retry, countedFailures: 0,
                 expected: .retry(after: .seconds(10), at: finished.addingTimeInterval(10), counted: true)),
        PlanCase(name: "second counted failure doubles", classification: Samples.appError1, action: .retry, countedFailures: 1,
                 expected: .retry(after: .seconds(20), at: finished.addingTimeInterval(20), counted: true)),
        PlanCase(name: "the last attempt fails the index", classification: Samples.appError1, action: .retry, countedFailures: 2,
                 expected: .fail(message: "AppError: container main terminated Error (exit 1); 3 of 3 attempts used")),
        PlanCase(name: "Ignore retries at once without counting", classification: Samples.preempted, action: .ignore, countedFailures: 2,
                 expected: .retry(after: .zero, at: finished, counted: false)),
        PlanCase(name: "Fail fails now", classification: Samples.imagePull, action: .fail, countedFailures: 0,
                 expected: .fail(message: "StartFailure: image pull failed; rule 0 says Fail")),
        PlanCase(name: "OutOfMemory at the cap fails", classification: Samples.oomKilled, action: .retry, countedFailures: 0,
                 capExhausted: "memory is already at the cap 4Gi (adapt.memory.max); the index fails",
                 expected: .fail(message: "OutOfMemory: container main terminated OOMKilled (exit 137); memory is already at the cap 4Gi (adapt.memory.max); the index fails")),
        PlanCase(name: "one attempt allowed", classification: Samples.appError1, action: .retry, countedFailures: 0, attempts: 1,
                 expected: .fail(message: "AppError: container main terminated Error (exit 1); 1 of 1 attempts used")),
    ]

    @Test(arguments: planCases)
    func plans(_ row: PlanCase) {
        let match = RuleMatch(action: row.action, ruleIndex: 0, source: "rule 0")
        let plan = RetryPlanner.next(
            after: row.classification, match: match, countedFailures: row.countedFailures, attempts: row.attempts,
            backoff: backoffPolicy(), finishedAt: Self.finished, capExhausted: row.capExhausted)
        #expect(plan == row.expected)
        #expect(plan.counted == (row.action != .ignore))
    }
}
