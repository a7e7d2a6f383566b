import CEL
import KubeAPI
import Testing

/// Limits of the parser (found by fuzzing, docs/fuzzing.md): long chains of selections,
/// calls, indexes or operators once built trees so deep that checking them overflowed the
/// stack and killed `slipway dev` (a CRD rule is user input). cel-go refuses them with its
/// recursion limit, balances `&&`/`||` chains, cancels `!!`/`--`, and refuses expressions
/// over 100,000 code points.
@Suite("CEL parser limits")
struct CELParserLimitTests {
    /// The compile error's messages, or nil if it compiles.
    func compileIssues(_ text: String) -> [String]? {
        do {
            _ = try CELProgram.compile(text, selfType: nil)
            return nil
        } catch {
            return error.issues.map(\.message)
        }
    }

    /// (head, repeated part, repetitions): the arguments stay short in test output.
    @Test(arguments: [
        ("self", ".name", 19_000), ("self", ".size()", 14_000), ("self", "[0]", 30_000), ("1", " + 1", 24_000),
        ("1", " < 1", 24_000), ("1", " * 1", 300), ("self", ".a", 300),
    ])
    func deepChainsAreRefusedWithTheRecursionLimit(_ head: String, _ part: String, _ count: Int) throws {
        let issues = try #require(compileIssues(head + String(repeating: part, count: count)))
        #expect(issues == ["expression recursion limit exceeded: 250"])
    }

    /// Chains nested in the leftmost operand of chains, each under the limit on its own.
    @Test func nestedChainsAreRefusedWithTheRecursionLimit() throws {
        let text = String(repeating: "(", count: 200) + "x" + String(repeating: ".a", count: 200)
            + String(repeating: " + 1)", count: 200)
        let issues = try #require(compileIssues(text))
        #expect(issues == ["expression recursion limit exceeded: 250"])
    }

    @Test func chainsUnderTheLimitCompile() {
        #expect(compileIssues("self" + String(repeating: ".a", count: 200)) == nil)
        #expect(compileIssues("1" + String(repeating: " + 1", count: 200)) == nil)
        // Parentheses count only as nesting of expressions, not toward a chain's operations.
        #expect(compileIssues(String(repeating: "(", count: 100) + "self" + String(repeating: ".a", count: 200) + String(repeating: ")", count: 100)) == nil)
    }

    func isTrue(_ value: CELValue) -> Bool {
        if case .bool(true) = value { true } else { false }
    }

    @Test func longConjunctionsAreBalancedAndEvaluate() throws {
        let text = "true" + String(repeating: " && true", count: 12_000)
        let program = try CELProgram.compile(text, selfType: nil)
        #expect(isTrue(program.evaluate(["self": .null, "oldSelf": .null], costLimit: 10_000_000).value))
        let disjunction = try CELProgram.compile("false" + String(repeating: " || false", count: 9_000) + " || true", selfType: nil)
        #expect(isTrue(disjunction.evaluate(["self": .null, "oldSelf": .null], costLimit: 10_000_000).value))
    }

    @Test func repeatedUnaryOperatorsCancelInPairs() throws {
        #expect(truth(String(repeating: "!", count: 30_000) + "true") == "true")
        #expect(truth(String(repeating: "!", count: 30_001) + "true") == "false")
        #expect(truth(String(repeating: "-", count: 30_000) + "1 == 1") == "true")
        #expect(truth(String(repeating: "-", count: 30_001) + "1 == -1") == "true")
        #expect(truth("--self == 2", self: .number(JSONNumber(2))) == "true")
    }

    @Test func expressionsOverOneHundredThousandCodePointsAreRefused() {
        let text = "'" + String(repeating: "é", count: 100_000) + "'"
        #expect(compileIssues(text) == ["expression code point size exceeds limit: size: 100002, limit 100000"])
    }
}
