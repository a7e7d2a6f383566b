import KubeAPI
import Testing

@Suite("JSON parser and serializer")
struct JSONTests {
    @Test(arguments: [
        #"{"a":"x\"y\\z\/w\b\f\n\r\t"}"#,
        #"["\u00e9","\u2603","\ud83d\ude80","\u0000"]"#,
    ])
    func escapesDecode(_ text: String) throws {
        let value = try JSON.parse(text)
        // Decoding then re-encoding then decoding gives the same value.
        #expect(try JSON.parse(JSON.serialize(value)) == value)
    }

    @Test func escapeValues() throws {
        let value = try JSON.parse(#"["a\"b","\\","\/","\n\t","\u00e9","\ud83d\ude80","\u001f","x\uDE80"]"#)
        #expect(value == ["a\"b", "\\", "/", "\n\t", "é", "🚀", "\u{1F}", "x\u{FFFD}"])
        #expect(JSON.string(["a\"b", "\n", "\u{1F}", "é🚀"]) == #"["a\"b","\n","\u001f","é🚀"]"#)
    }

    @Test(arguments: [
        ("9223372036854775807", Int64.max),
        ("-9223372036854775808", Int64.min),
        ("1e3", 1000),
        ("2.0", 2),
        ("-0.5", nil),
        ("9223372036854775808", nil),
    ] as [(String, Int64?)])
    func numbers(_ text: String, _ int64: Int64?) throws {
        let value = try JSON.parse(text)
        let number = try #require(value.numberValue)
        #expect(number.text == text)
        #expect(number.int64 == int64)
        #expect(JSON.string(value) == text)
    }

    @Test func doubles() throws {
        #expect(try JSON.parse("-0.5").numberValue?.double == -0.5)
        #expect(try JSON.parse("1E-7").numberValue?.double == 1e-7)
    }

    @Test(arguments: [
        ("", 0, "unexpected end of input"),
        (#"{"a":}"#, 5, "unexpected character '}'"),
        ("[1,2", 4, "unexpected end of input in array"),
        (#"{"a" 1}"#, 5, "expected ':'"),
        ("[01x]", 1, "leading zero in number"),
        ("-", 1, "invalid number"),
        ("1.", 2, "invalid number"),
        ("tru", 0, "unexpected end of input"),
        ("nul!", 0, "invalid literal"),
        (#""abc"#, 4, "unterminated string"),
        ("\"a\u{1}\"", 2, "control character in string"),
        (#""\x""#, 3, "invalid escape"),
        (#""\u12G4""#, 5, "invalid \\u escape"),
        (#"{1:2}"#, 1, "expected a string key"),
        ("[1] x", 4, "unexpected data after the document"),
    ])
    func errorsCarryOffsets(_ text: String, _ offset: Int, _ reason: String) {
        #expect(throws: JSONParseError(offset: offset, reason: reason)) { try JSON.parse(text) }
    }

    @Test func nestingLimit() throws {
        let ok = String(repeating: "[", count: 511) + String(repeating: "]", count: 511)
        #expect(throws: Never.self) { try JSON.parse(ok) }
        let deep = String(repeating: "[", count: 512) + String(repeating: "]", count: 512)
        #expect(throws: JSONParseError(offset: 511, reason: "nesting too deep")) { try JSON.parse(deep) }
        let deepObjects = String(repeating: #"{"a":"#, count: 600) + "1" + String(repeating: "}", count: 600)
        #expect(throws: JSONParseError.self) { try JSON.parse(deepObjects) }
    }

    @Test(arguments: [
        #"{"b":1,"a":[true,false,null],"c":{"z":"é","y":-0.50}}"#,
        #"[1e3,1E-7,-0.0,18446744073709551615,0.1000,{}]"#,
        #"{"":"","k":{"x":[[],{}]}}"#,
    ])
    func compactRoundTripIsByteExact(_ text: String) throws {
        #expect(JSON.string(try JSON.parse(text)) == text)
    }

    @Test(arguments: ["pod-p1", "pod-rich", "events", "lease", "node", "configmap", "namespace", "service"])
    func fixturesRoundTripByteExact(_ name: String) throws {
        let bytes = try Fixture.bytes(name)
        #expect(JSON.serialize(try JSON.parse(bytes)) == bytes)
    }

    @Test func whitespaceIsAccepted() throws {
        #expect(try JSON.parse(" {\n\t\"a\" : [ 1 , 2 ] \r\n} ") == ["a": [1, 2]])
    }
}
