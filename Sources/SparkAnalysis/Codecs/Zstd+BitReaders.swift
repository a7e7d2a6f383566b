/// A corrupt zstd unit; the decoder adds the codec and the offset of the frame.
struct ZstdCorruption: Error {
    var reason: String
    init(_ reason: String) { self.reason = reason }
}

/// Reads a zstd bitstream backwards: from the highest bit below the end marker of the last
/// byte towards the first byte, as FSE and Huffman streams are written (RFC 8878 §4.1, §4.2).
///
/// Reading past the start yields zero bits and leaves `remaining` negative, which is how a
/// decoder tells the stream ran out (RFC 8878 §4.2.1.2, the weights of a Huffman tree).
struct BackwardBitReader {
    private let base: UnsafePointer<UInt8>
    private let count: Int
    /// Bits left to read; negative after reading past the start.
    private(set) var remaining: Int

    init(_ bytes: UnsafeBufferPointer<UInt8>) throws {
        guard let base = bytes.baseAddress, let last = bytes.last else { throw ZstdCorruption("an empty bitstream") }
        guard last != 0 else { throw ZstdCorruption("a bitstream whose last byte has no end marker") }
        self.base = base
        self.count = bytes.count
        remaining = bytes.count * 8 - (last.leadingZeroBitCount + 1)
    }

    /// The 64 bits starting at bit `bit` (bits past the end are zero).
    @inline(__always) private func word(atBit bit: Int) -> UInt64 {
        let byte = bit >> 3
        var w: UInt64
        if byte + 8 <= count {
            w = UInt64(littleEndian: UnsafeRawPointer(base + byte).loadUnaligned(as: UInt64.self))
        } else {
            w = 0
            var k = 0
            while byte + k < count {
                w |= UInt64(base[byte + k]) << UInt64(8 * k)
                k += 1
            }
        }
        return w >> UInt64(bit & 7)
    }

    /// The next `n` bits (n ≤ 56) without consuming them.
    @inline(__always) func peek(_ n: Int) -> Int {
        if n == 0 { return 0 }
        let from = remaining - n
        let mask: UInt64 = (1 << UInt64(n)) - 1
        if from >= 0 { return Int(word(atBit: from) & mask) }
        if remaining <= 0 { return 0 }
        let available = word(atBit: 0) & ((1 << UInt64(remaining)) - 1)
        return Int(available << UInt64(-from))
    }

    @inline(__always) mutating func consume(_ n: Int) { remaining -= n }

    /// Reads the next `n` bits (n ≤ 56).
    @inline(__always) mutating func read(_ n: Int) -> Int {
        let value = peek(n)
        remaining -= n
        return value
    }
}

/// Reads bits forwards, least significant first, as FSE table descriptions are written.
struct ForwardBitReader {
    private let bytes: UnsafeBufferPointer<UInt8>
    private(set) var bitOffset = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    mutating func read(_ n: Int) throws -> Int {
        var value = 0
        for i in 0..<n {
            let bit = bitOffset + i
            guard bit >> 3 < bytes.count else { throw ZstdCorruption("a table description longer than its block") }
            value |= Int((bytes[bit >> 3] >> UInt8(bit & 7)) & 1) << i
        }
        bitOffset += n
        return value
    }

    mutating func rewind(_ n: Int) { bitOffset -= n }

    /// Whole bytes read, counting a partly read byte.
    var bytesConsumed: Int { (bitOffset + 7) >> 3 }
}

extension Int {
    /// The index of the highest set bit (`self` > 0).
    @inline(__always) var highBit: Int { Int.bitWidth - 1 - leadingZeroBitCount }
}
