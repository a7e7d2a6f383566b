import Foundation

/// Decodes a URL query the way Go's `net/url.ParseQuery` does, which is how the real API
/// server reads list and watch options: pairs split on `&`, `+` is a space, `%XX` escapes
/// are decoded, and a pair with a bad escape or a `;` in its key is dropped.
///
/// Go clients (kubectl, client-go) encode a space in a label selector as `+`
/// (`tier+in+%28a%2Cb%29`), so `Foundation.URLComponents`, which keeps `+` literally,
/// would read a different selector than the one sent.
public enum QueryString {
    /// Every `(name, value)` pair in order; a name without `=` has the value `""`.
    public static func pairs(_ query: Substring) -> [(String, String)] {
        var result: [(String, String)] = []
        for pair in query.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let rawKey = parts[0]
            if rawKey.contains(";") { continue }
            guard let key = unescape(rawKey), let value = unescape(parts.count > 1 ? parts[1] : "") else { continue }
            result.append((key, value))
        }
        return result
    }

    /// The first value of each name, as `url.Values.Get` answers.
    public static func firstValues(_ query: Substring) -> [String: String] {
        var values: [String: String] = [:]
        for (key, value) in pairs(query) where values[key] == nil { values[key] = value }
        return values
    }

    /// `url.QueryUnescape`: `+` → space, `%XX` → byte; nil for a malformed escape or bytes
    /// that are not UTF-8.
    public static func unescape(_ text: Substring) -> String? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            switch byte {
            case UInt8(ascii: "+"):
                bytes.append(UInt8(ascii: " "))
            case UInt8(ascii: "%"):
                guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else { return nil }
                bytes.append(high << 4 | low)
            default:
                bytes.append(byte)
            }
        }
        return String(bytes: bytes, encoding: .utf8)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
