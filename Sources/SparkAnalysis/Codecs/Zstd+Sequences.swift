/// The three code tables of zstd sequences and their fixed baselines (RFC 8878 §3.1.1.3.2).
enum SequenceCodes {
    static let literalLengthBase: [Int] = Array(0...15) + [
        16, 18, 20, 22, 24, 28, 32, 40, 48, 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384, 32768, 65536,
    ]
    static let literalLengthBits: [Int] = Array(repeating: 0, count: 16) + [
        1, 1, 1, 1, 2, 2, 3, 3, 4, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
    ]
    static let matchLengthBase: [Int] = Array(3...34) + [
        35, 37, 39, 41, 43, 47, 51, 59, 67, 83, 99, 131, 259, 515, 1027, 2051, 4099, 8195, 16387, 32771, 65539,
    ]
    static let matchLengthBits: [Int] = Array(repeating: 0, count: 32) + [
        1, 1, 1, 1, 2, 2, 3, 3, 4, 4, 5, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
    ]

    static let defaultLiteralLengths = try! FSETable(distribution: [
        4, 3, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 2, 3, 2, 1, 1, 1, 1, 1, -1, -1, -1, -1,
    ], accuracyLog: 6)
    static let defaultMatchLengths = try! FSETable(distribution: [
        1, 4, 3, 2, 2, 2, 2, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
        1, 1, 1, 1, 1, 1, 1, 1, 1, 1, -1, -1, -1, -1, -1, -1, -1,
    ], accuracyLog: 6)
    static let defaultOffsets = try! FSETable(distribution: [
        1, 1, 1, 1, 1, 1, 2, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, -1, -1, -1, -1, -1,
    ], accuracyLog: 5)
}

extension ZstdFrameState {
    /// Picks or reads the table of one sequence code given its mode; returns the bytes it took.
    private static func table(
        mode: Int, _ src: UnsafeBufferPointer<UInt8>, current: inout FSETable?, predefined: FSETable,
        maxAccuracyLog: Int, maxSymbol: Int
    ) throws -> Int {
        switch mode {
        case 0:
            current = predefined
            return 0
        case 1:
            guard let symbol = src.first, Int(symbol) <= maxSymbol else { throw ZstdCorruption("an RLE sequence code out of range") }
            current = FSETable(rle: symbol)
            return 1
        case 2:
            let (table, used) = try FSETable.read(src, maxAccuracyLog: maxAccuracyLog, maxSymbol: maxSymbol)
            current = table
            return used
        default:
            guard current != nil else { throw ZstdCorruption("a repeated sequence table without an earlier one") }
            return 0
        }
    }

    /// Decodes the sequences section and executes it with `literals`, appending to `history`.
    mutating func decodeSequences(_ src: UnsafeBufferPointer<UInt8>, literals: [UInt8]) throws {
        guard let first = src.first else { throw ZstdCorruption("a compressed block without its sequences header") }
        var count = Int(first)
        var at = 1
        if first >= 128 {
            guard src.count >= (first == 255 ? 3 : 2) else { throw ZstdCorruption("a truncated sequences header") }
            if first == 255 {
                count = Int(src[1]) + Int(src[2]) << 8 + 0x7F00
                at = 3
            } else {
                count = (Int(first) - 128) << 8 + Int(src[1])
                at = 2
            }
        }
        if count == 0 {
            guard at == src.count else { throw ZstdCorruption("bytes after an empty sequences section") }
            try append(literals[...])
            return
        }
        guard at < src.count else { throw ZstdCorruption("a truncated sequences header") }
        let modes = Int(src[at])
        guard modes & 3 == 0 else { throw ZstdCorruption("reserved bits set in the sequence compression modes") }
        at += 1
        at += try Self.table(mode: modes >> 6, UnsafeBufferPointer(rebasing: src[at...]), current: &literalLengths,
                        predefined: SequenceCodes.defaultLiteralLengths, maxAccuracyLog: 9, maxSymbol: 35)
        at += try Self.table(mode: (modes >> 4) & 3, UnsafeBufferPointer(rebasing: src[at...]), current: &offsets,
                        predefined: SequenceCodes.defaultOffsets, maxAccuracyLog: 8, maxSymbol: 31)
        at += try Self.table(mode: (modes >> 2) & 3, UnsafeBufferPointer(rebasing: src[at...]), current: &matchLengths,
                        predefined: SequenceCodes.defaultMatchLengths, maxAccuracyLog: 9, maxSymbol: 52)
        guard at < src.count else { throw ZstdCorruption("sequences without a bitstream") }
        try execute(count: count, UnsafeBufferPointer(rebasing: src[at...]), literals: literals)
    }

    private mutating func execute(count: Int, _ stream: UnsafeBufferPointer<UInt8>, literals: [UInt8]) throws {
        guard let ll = literalLengths, let of = offsets, let ml = matchLengths else { throw ZstdCorruption("missing sequence tables") }
        var reader = try BackwardBitReader(stream)
        var llState = reader.read(ll.accuracyLog)
        var ofState = reader.read(of.accuracyLog)
        var mlState = reader.read(ml.accuracyLog)
        var literalAt = 0
        for n in 0..<count {
            let ofCode = of.symbol(ofState)
            let mlCode = ml.symbol(mlState)
            let llCode = ll.symbol(llState)
            guard ofCode <= 31 else { throw ZstdCorruption("an offset code above 31") }
            let offsetValue = (1 << ofCode) + reader.read(ofCode)
            let matchLength = SequenceCodes.matchLengthBase[mlCode] + reader.read(SequenceCodes.matchLengthBits[mlCode])
            let literalLength = SequenceCodes.literalLengthBase[llCode] + reader.read(SequenceCodes.literalLengthBits[llCode])
            let offset = try resolve(offsetValue: offsetValue, literalLength: literalLength)
            guard literalAt + literalLength <= literals.count else { throw ZstdCorruption("a sequence with more literals than its block") }
            try append(literals[literalAt..<(literalAt + literalLength)])
            literalAt += literalLength
            try copyMatch(offset: offset, length: matchLength)
            if n + 1 < count {
                ll.update(&llState, &reader)
                ml.update(&mlState, &reader)
                of.update(&ofState, &reader)
            }
            guard reader.remaining >= 0 else { throw ZstdCorruption("a sequence bitstream that ends too early") }
        }
        guard reader.remaining == 0 else { throw ZstdCorruption("a sequence bitstream with bits left after its last sequence") }
        try append(literals[literalAt...])
    }

    /// The offset a sequence copies from, with the repeat offsets updated (RFC 8878 §3.1.1.5).
    private mutating func resolve(offsetValue: Int, literalLength: Int) throws -> Int {
        if offsetValue > 3 {
            let offset = offsetValue - 3
            repeats = (offset, repeats.0, repeats.1)
            return offset
        }
        let index = offsetValue - 1 + (literalLength == 0 ? 1 : 0)
        switch index {
        case 0: return repeats.0
        case 1:
            repeats = (repeats.1, repeats.0, repeats.2)
            return repeats.0
        case 2:
            repeats = (repeats.2, repeats.0, repeats.1)
            return repeats.0
        default:
            let offset = repeats.0 - 1
            guard offset > 0 else { throw ZstdCorruption("a repeat offset of zero") }
            repeats = (offset, repeats.0, repeats.1)
            return offset
        }
    }
}
