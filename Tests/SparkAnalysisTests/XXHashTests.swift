import Testing
@testable import SparkAnalysis

/// xxHash against the reference implementation's published values.
@Suite struct XXHashTests {
    @Test(arguments: [
        ("", UInt32(0), UInt32(0x02CC_5D05)),
        ("a", 0, 0x550D_7456),
        ("abc", 0, 0x32D1_53FF),
        ("Nobody inspects the spammish repetition", 0, 0xE229_3B2F),
    ])
    func xxh32(_ text: String, _ seed: UInt32, _ expected: UInt32) {
        let value = Array(text.utf8).withUnsafeBufferPointer { XXHash.xxh32($0, seed: seed) }
        #expect(value == expected)
    }

    @Test(arguments: [
        ("", UInt64(0xEF46_DB37_51D8_E999)),
        ("a", 0xD24E_C4F1_A98C_6E5B),
        ("abc", 0x44BC_2CF5_AD77_0999),
        ("Nobody inspects the spammish repetition", 0xFBCE_A83C_8A37_8BF1),
    ])
    func xxh64(_ text: String, _ expected: UInt64) {
        var hasher = XXH64()
        let bytes = Array(text.utf8)
        // Fed in pieces of every size, to cover the streaming buffer.
        for piece in stride(from: 0, to: bytes.count, by: 7) {
            bytes[piece..<min(piece + 7, bytes.count)].withUnsafeBufferPointer { hasher.update($0) }
        }
        #expect(hasher.digest() == expected)
    }
}
