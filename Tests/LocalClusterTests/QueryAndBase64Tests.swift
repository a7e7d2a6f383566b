import Foundation
import Testing

@testable import LocalCluster

/// The hand-written decoders of the request layer: Go's query decoding and Go's base64.
@Suite struct QueryAndBase64Tests {
    @Test(arguments: [
        ("labelSelector=set%3Dlw%2Ctier+in+%28a%2Cb%29", "labelSelector", "set=lw,tier in (a,b)"),
        ("a=1&a=2", "a", "1"),
        ("fieldSelector=spec.nodeName%3D", "fieldSelector", "spec.nodeName="),
        ("watch", "watch", ""),
        ("x=%41%42c+d", "x", "ABc d"),
    ])
    func decodesAsGo(query: String, name: String, value: String) {
        #expect(QueryString.firstValues(query[...])[name] == value)
    }

    @Test func dropsPairsGoDrops() {
        let values = QueryString.firstValues("bad=%zz&semi;colon=1&ok=1&=empty")
        #expect(values["bad"] == nil)
        #expect(values["semi;colon"] == nil)
        #expect(values["ok"] == "1")
        #expect(values[""] == "empty")
    }

    /// Property: percent-encoding any string (with `+` for spaces, as Go clients do) and
    /// decoding it gives the string back.
    @Test func roundTripsRandomStrings() {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("ab =+&%/()!,é😀-_.~")
        for _ in 0..<500 {
            let text = String((0..<Int.random(in: 0...12, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! })
            var encoded = ""
            for byte in text.utf8 {
                let c = Character(Unicode.Scalar(byte))
                if byte == UInt8(ascii: " ") { encoded += "+" } else if c.isASCII, c.isLetter || c.isNumber { encoded.append(c) } else {
                    encoded += String(format: "%%%02X", byte)
                }
            }
            #expect(QueryString.firstValues(("k=" + encoded)[...])["k"] == text)
        }
    }

    @Test(arguments: [("!!!", 0), ("not base64!", 3), ("abc", 0), ("ab=c", 2), ("YQ==x", 4), ("Y===", 1)])
    func base64ErrorsAsGo(text: String, offset: Int) {
        guard case .failure(let error) = GoBase64.decode(text) else {
            Issue.record("\(text) decoded")
            return
        }
        #expect(error.offset == offset)
        #expect(error.message == "illegal base64 data at input byte \(offset)")
    }

    /// Property: whatever Foundation encodes (with line breaks here and there), Go's decoder
    /// gives back.
    @Test func base64RoundTripsRandomBytes() throws {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<500 {
            let bytes = (0..<Int.random(in: 0...40, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            var text = Data(bytes).base64EncodedString()
            if !text.isEmpty, Bool.random(using: &generator) {
                text.insert("\n", at: text.index(text.startIndex, offsetBy: Int.random(in: 0..<text.count, using: &generator)))
            }
            #expect(try GoBase64.decode(text).get() == bytes)
        }
    }
}
