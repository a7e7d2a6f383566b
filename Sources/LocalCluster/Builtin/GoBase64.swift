/// Standard base64 (with padding) decoded as Go's `encoding/base64.StdEncoding` does —
/// the decoder of `[]byte` fields such as Secret `data` and ConfigMap `binaryData` — with
/// its error: `illegal base64 data at input byte N`. Line breaks are skipped; bits after
/// the last full byte are ignored (Go's non-strict mode).
enum GoBase64 {
    /// The decoded bytes, or the offset Go reports for the first problem.
    static func decode(_ text: String) -> Result<[UInt8], CorruptInput> {
        let src = Array(text.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(src.count / 4 * 3)
        var si = 0
        while si < src.count {
            switch quantum(src, &si) {
            case .success(let bytes): out += bytes
            case .failure(let error): return .failure(error)
            }
        }
        return .success(out)
    }

    /// `CorruptInputError`.
    struct CorruptInput: Error, Equatable {
        var offset: Int
        var message: String { "illegal base64 data at input byte \(offset)" }
    }

    private static func value(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): byte - UInt8(ascii: "A")
        case UInt8(ascii: "a")...UInt8(ascii: "z"): byte - UInt8(ascii: "a") + 26
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0") + 52
        case UInt8(ascii: "+"): 62
        case UInt8(ascii: "/"): 63
        default: nil
        }
    }

    private static func isNewline(_ byte: UInt8) -> Bool { byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") }

    private static func skipNewlines(_ src: [UInt8], _ si: inout Int) {
        while si < src.count, isNewline(src[si]) { si += 1 }
    }

    /// One group of four characters (`decodeQuantum`).
    private static func quantum(_ src: [UInt8], _ si: inout Int) -> Result<[UInt8], CorruptInput> {
        var buffer: [UInt8] = []
        while buffer.count < 4 {
            guard si < src.count else {
                // Input ended inside a quantum: with padding required, that is an error.
                return buffer.isEmpty ? .success([]) : .failure(CorruptInput(offset: si - buffer.count))
            }
            let byte = src[si]
            si += 1
            if let v = value(byte) {
                buffer.append(v)
                continue
            }
            if isNewline(byte) { continue }
            guard byte == UInt8(ascii: "=") else { return .failure(CorruptInput(offset: si - 1)) }
            switch buffer.count {
            case 0, 1: return .failure(CorruptInput(offset: si - 1))
            case 2:
                skipNewlines(src, &si)
                guard si < src.count else { return .failure(CorruptInput(offset: src.count)) }
                guard src[si] == UInt8(ascii: "=") else { return .failure(CorruptInput(offset: si - 1)) }
                si += 1
            default: break
            }
            skipNewlines(src, &si)
            if si < src.count { return .failure(CorruptInput(offset: si)) }
            return .success(bytes(buffer))
        }
        return .success(bytes(buffer))
    }

    /// The bytes of 2, 3 or 4 six-bit values.
    private static func bytes(_ v: [UInt8]) -> [UInt8] {
        var word: UInt32 = 0
        for (i, x) in v.enumerated() { word |= UInt32(x) << (18 - 6 * UInt32(i)) }
        let all: [UInt8] = [UInt8(word >> 16 & 0xff), UInt8(word >> 8 & 0xff), UInt8(word & 0xff)]
        return Array(all.prefix(v.count - 1))
    }
}
