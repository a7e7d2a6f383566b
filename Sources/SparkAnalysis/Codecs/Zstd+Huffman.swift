/// A Huffman decoding table for zstd literals (RFC 8878 §4.2): indexed by the next `maxBits`
/// bits of a stream, each entry holds the symbol and the length of its code.
struct HuffmanTable: Sendable {
    private(set) var maxBits: Int
    private(set) var symbols: [UInt8]
    private(set) var lengths: [UInt8]

    /// Reads a Huffman tree description; returns the table and the bytes it took.
    static func read(_ src: UnsafeBufferPointer<UInt8>) throws -> (HuffmanTable, Int) {
        guard let header = src.first else { throw ZstdCorruption("a missing Huffman tree description") }
        var weights: [UInt8]
        let consumed: Int
        if header >= 128 {
            let count = Int(header) - 127
            consumed = 1 + (count + 1) / 2
            guard consumed <= src.count else { throw ZstdCorruption("a Huffman tree description longer than its block") }
            weights = (0..<count).map { i in
                let byte = src[1 + i / 2]
                return i % 2 == 0 ? byte >> 4 : byte & 0x0F
            }
        } else {
            consumed = 1 + Int(header)
            guard consumed <= src.count else { throw ZstdCorruption("a Huffman tree description longer than its block") }
            let body = UnsafeBufferPointer(rebasing: src[1..<consumed])
            let (fse, tableSize) = try FSETable.read(body, maxAccuracyLog: 6, maxSymbol: 255)
            guard tableSize < body.count else { throw ZstdCorruption("Huffman weights without a bitstream") }
            weights = try fse.decodeInterleaved(UnsafeBufferPointer(rebasing: body[tableSize...]), limit: 255)
        }
        return (try HuffmanTable(weights: weights), consumed)
    }

    /// Builds the table from the weights of every symbol but the last, whose weight is implied.
    init(weights given: [UInt8]) throws {
        var weights = given
        var sum = 0
        for w in weights where w > 0 {
            guard w <= 11 else { throw ZstdCorruption("a Huffman weight of \(w), above 11") }
            sum += 1 << (Int(w) - 1)
        }
        guard sum > 0 else { throw ZstdCorruption("Huffman weights that are all zero") }
        let maxBits = sum.highBit + 1
        let left = (1 << maxBits) - sum
        guard maxBits <= 11, left > 0, left & (left - 1) == 0 else {
            throw ZstdCorruption("Huffman weights that do not complete a prefix code")
        }
        weights.append(UInt8(left.highBit + 1))
        self.maxBits = maxBits
        var start = [Int](repeating: 0, count: maxBits + 2)
        var counts = [Int](repeating: 0, count: maxBits + 2)
        for w in weights where w > 0 { counts[Int(w)] += 1 }
        var position = 0
        for w in 1...maxBits {
            start[w] = position
            position += counts[w] << (w - 1)
        }
        let size = 1 << maxBits
        symbols = [UInt8](repeating: 0, count: size)
        lengths = [UInt8](repeating: 0, count: size)
        for (symbol, w) in weights.enumerated() where w > 0 {
            let span = 1 << (Int(w) - 1)
            let from = start[Int(w)]
            for i in from..<(from + span) {
                symbols[i] = UInt8(symbol)
                lengths[i] = UInt8(maxBits + 1 - Int(w))
            }
            start[Int(w)] = from + span
        }
    }

    /// Decodes one stream into `count` bytes appended to `out`; the stream must end exactly.
    func decodeStream(_ src: UnsafeBufferPointer<UInt8>, count: Int, into out: inout [UInt8]) throws {
        var reader = try BackwardBitReader(src)
        try symbols.withUnsafeBufferPointer { symbols in
            try lengths.withUnsafeBufferPointer { lengths in
                for _ in 0..<count {
                    let index = reader.peek(maxBits)
                    out.append(symbols[index])
                    reader.consume(Int(lengths[index]))
                }
                guard reader.remaining == 0 else { throw ZstdCorruption("a Huffman stream that does not end with its literals") }
            }
        }
    }
}
