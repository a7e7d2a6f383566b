import CEL
import PropertyBased
import Testing

/// Builds CEL text from a list of choices (so the property library can shrink failing
/// inputs by shrinking the list), printed as ``CELUnparser`` prints.
struct ExpressionBuilder {
    var choices: [Int]
    var index = 0

    mutating func next(_ n: Int) -> Int {
        defer { index += 1 }
        return choices.isEmpty ? 0 : choices[index % choices.count] % n
    }

    /// Any expression the printer prints back identically.
    mutating func expression(_ depth: Int) -> String {
        guard depth > 0 else { return leaf() }
        switch next(9) {
        case 0, 1: return leaf()
        case 2: return "(\(expression(depth - 1)) \(["+", "-", "*", "==", "<", "&&", "||", "in"][next(8)]) \(expression(depth - 1)))"
        case 3: return "(!\(expression(depth - 1)))"
        case 4: return "(\(expression(depth - 1)) ? \(expression(depth - 1)) : \(expression(depth - 1)))"
        case 5: return "[" + (0..<next(3)).map { _ in expression(depth - 1) }.joined(separator: ", ") + "]"
        case 6: return "self.\(["a", "b", "c"][next(3)])"
        case 7: return "\(expression(depth - 1)).all(x, \(expression(depth - 1)))"
        default: return "size(\(expression(depth - 1)))"
        }
    }

    mutating func leaf() -> String {
        switch next(6) {
        case 0: return String(next(1000))
        case 1: return ["true", "false", "null"][next(3)]
        case 2: return CELUnparser.quote(["", "a", "b c", "é\"q"][next(4)])
        case 3: return "\(next(100))u"
        case 4: return "x"
        default: return "self"
        }
    }

    /// An arithmetic expression over small ints and its value (nil when it overflows or
    /// divides by zero).
    mutating func arithmetic(_ depth: Int) -> (String, Int64?) {
        guard depth > 0, next(3) != 0 else {
            let n = Int64(next(20))
            return (String(n), n)
        }
        let (l, lv) = arithmetic(depth - 1)
        let (r, rv) = arithmetic(depth - 1)
        let op = ["+", "-", "*", "/"][next(4)]
        guard let a = lv, let b = rv else { return ("(\(l) \(op) \(r))", nil) }
        let result: (Int64, Bool)? = switch op {
        case "+": a.addingReportingOverflow(b)
        case "-": a.subtractingReportingOverflow(b)
        case "*": a.multipliedReportingOverflow(by: b)
        default: b == 0 ? nil : a.dividedReportingOverflow(by: b)
        }
        guard let (value, overflow) = result, !overflow else { return ("(\(l) \(op) \(r))", nil) }
        return ("(\(l) \(op) \(r))", value)
    }
}

@Suite("CEL parser and evaluator properties")
struct CELPropertyTests {
    @Test func printedExpressionsParseBackToTheSameText() async {
        await propertyCheck(count: 300, input: Gen.int(in: 0...10_000).array(of: 1...60)) { choices in
            var builder = ExpressionBuilder(choices: choices)
            let text = builder.expression(4)
            do {
                let parsed = try CELParser.parse(text)
                #expect(CELUnparser.print(parsed) == text)
            } catch {
                Issue.record("\(text) does not parse: \(error)")
            }
        }
    }

    @Test func arbitraryTextNeverCrashesTheParser() async {
        let alphabet = Array("abcxyz019_.,:?!()[]{}<>=&|+-*/%'\"\\ \nrbu")
        let gen = Gen.int(in: 0...(alphabet.count - 1)).array(of: 0...80).map { String($0.map { alphabet[$0] }) }
        await propertyCheck(count: 500, input: gen) { text in
            do {
                _ = try CELParser.parse(text)
            } catch let error as CELCompileError {
                let length = text.unicodeScalars.count
                #expect(!error.issues.isEmpty)
                #expect(error.issues.allSatisfy { (0...length).contains($0.offset) }, "\(error.issues) for \(text.debugDescription)")
            } catch {
                Issue.record("unexpected error \(error)")
            }
        }
    }

    @Test func arithmeticMatchesSwiftsIncludingOverflowAndDivisionByZero() async {
        await propertyCheck(count: 300, input: Gen.int(in: 0...10_000).array(of: 1...40)) { choices in
            var builder = ExpressionBuilder(choices: choices)
            let (text, expected) = builder.arithmetic(5)
            guard let value = try? CELProgram.compile(text, selfType: nil).evaluate([:]).value else {
                Issue.record("\(text) does not compile")
                return
            }
            switch (value, expected) {
            case (.int(let got), let want?): #expect(got == want, "\(text)")
            case (.error, nil): break
            default: Issue.record("\(text): got \(value), expected \(expected.map(String.init) ?? "an error")")
            }
        }
    }
}
