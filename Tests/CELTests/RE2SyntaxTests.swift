import CEL
import Testing

/// Go's `regexp` errors for what RE2 refuses, and acceptance of what it allows.
@Suite("RE2 syntax")
struct RE2SyntaxTests {
    @Test(arguments: [
        ("^[a-z(", "error parsing regexp: missing closing ]: `[a-z(`"),
        ("^(?=a)[a-z]+$", "error parsing regexp: invalid or unsupported Perl syntax: `(?=`"),
        ("(?<!a)b", "error parsing regexp: invalid named capture: `(?<!a)b`"),
        ("a)", "error parsing regexp: unexpected ): `a)`"),
        ("(a", "error parsing regexp: missing closing ): `(a`"),
        ("*a", "error parsing regexp: missing argument to repetition operator: `*`"),
        ("a**", "error parsing regexp: invalid nested repetition operator: `**`"),
        ("[z-a]", "error parsing regexp: invalid character class range: `z-a`"),
        ("\\1", "error parsing regexp: invalid escape sequence: `\\1`"),
        ("a{1001}", "error parsing regexp: invalid repeat count: `{1001}`"),
    ])
    func refusedAsGoRefusesThem(_ pattern: String, _ message: String) {
        #expect(RE2Syntax.error(in: pattern) == message)
    }

    @Test(arguments: [
        "^[a-z][a-z0-9-]*$", "^(?:a|b)+$", "(?i)abc", "(?P<name>x)", "(?<name>x)", "\\d{2,3}", "[[:alpha:]]+", "\\pL", "a*?",
        "\\.\\*", "x{2}", "[\\]]", "^$", "a|b|", "\\Qa.b\\E",
    ])
    func acceptedAsGoAcceptsThem(_ pattern: String) {
        #expect(RE2Syntax.error(in: pattern) == nil, "\(pattern)")
    }
}
