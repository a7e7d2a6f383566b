/// The text of one CEL expression, addressed by Unicode scalar offsets, as cel-go reports
/// positions (`<input>:1:5`, one-based line and column in code points).
public struct CELSource: Sendable, Hashable {
    public let text: String
    let scalars: [Unicode.Scalar]

    public init(_ text: String) {
        self.text = text
        scalars = Array(text.unicodeScalars)
    }

    /// One-based line and column of a scalar offset.
    public func location(of offset: Int) -> (line: Int, column: Int) {
        var line = 1
        var column = 1
        for scalar in scalars.prefix(max(0, min(offset, scalars.count))) {
            if scalar == "\n" {
                line += 1
                column = 1
            } else {
                column += 1
            }
        }
        return (line, column)
    }

    /// The text of a one-based line.
    func line(_ number: Int) -> String {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard number >= 1, number <= lines.count else { return "" }
        return String(lines[number - 1])
    }
}

/// A problem found while parsing or checking an expression, with its position.
public struct CELIssue: Sendable, Hashable, CustomStringConvertible {
    public var offset: Int
    public var message: String

    public init(offset: Int, message: String) {
        self.offset = offset
        self.message = message
    }

    public var description: String { message }
}

/// Why an expression does not compile: every issue, formatted as cel-go formats them
/// (`ERROR: <input>:1:5: undefined field 'x'` followed by the source line and a caret).
public struct CELCompileError: Error, Sendable, Hashable, CustomStringConvertible {
    public var source: CELSource
    public var issues: [CELIssue]

    public init(source: CELSource, issues: [CELIssue]) {
        self.source = source
        self.issues = issues
    }

    public var description: String {
        issues.map { issue in
            let (line, column) = source.location(of: issue.offset)
            let text = source.line(line)
            let caret = String(repeating: ".", count: max(0, column - 1)) + "^"
            return "ERROR: <input>:\(line):\(column): \(issue.message)\n | \(text)\n | \(caret)"
        }.joined(separator: "\n")
    }
}
