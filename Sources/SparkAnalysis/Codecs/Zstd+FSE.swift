/// A finite-state-entropy decoding table (RFC 8878 §4.1).
struct FSETable: Sendable {
    private(set) var accuracyLog: Int
    private(set) var symbols: [UInt8]
    private(set) var bits: [UInt8]
    private(set) var baselines: [UInt16]

    /// A table whose only state always yields `symbol` (the RLE mode of a sequence table).
    init(rle symbol: UInt8) {
        accuracyLog = 0
        symbols = [symbol]
        bits = [0]
        baselines = [0]
    }

    /// Builds the table of a normalised distribution; -1 is a "less than one" probability.
    init(distribution: [Int], accuracyLog: Int) throws {
        let size = 1 << accuracyLog
        self.accuracyLog = accuracyLog
        symbols = [UInt8](repeating: 0, count: size)
        bits = [UInt8](repeating: 0, count: size)
        baselines = [UInt16](repeating: 0, count: size)
        var next = [Int](repeating: 0, count: distribution.count)
        var high = size
        for (s, p) in distribution.enumerated() where p == -1 {
            high -= 1
            symbols[high] = UInt8(s)
            next[s] = 1
        }
        let step = (size >> 1) + (size >> 3) + 3
        var position = 0
        for (s, p) in distribution.enumerated() where p > 0 {
            next[s] = p
            for _ in 0..<p {
                symbols[position] = UInt8(s)
                repeat { position = (position + step) & (size - 1) } while position >= high
            }
        }
        guard position == 0 else { throw ZstdCorruption("an FSE distribution that does not fill its table") }
        for state in 0..<size {
            let s = Int(symbols[state])
            let n = next[s]
            next[s] += 1
            let b = accuracyLog - n.highBit
            bits[state] = UInt8(b)
            baselines[state] = UInt16((n << b) - size)
        }
    }

    /// Reads a table description (RFC 8878 §4.1.1); returns the table and the bytes it took.
    static func read(_ src: UnsafeBufferPointer<UInt8>, maxAccuracyLog: Int, maxSymbol: Int) throws -> (FSETable, Int) {
        var reader = ForwardBitReader(src)
        let accuracyLog = try reader.read(4) + 5
        guard accuracyLog <= maxAccuracyLog else {
            throw ZstdCorruption("an FSE accuracy log of \(accuracyLog), above the maximum \(maxAccuracyLog)")
        }
        var remaining = 1 << accuracyLog
        var distribution: [Int] = []
        while remaining > 0 {
            guard distribution.count <= maxSymbol else { throw ZstdCorruption("an FSE distribution with too many symbols") }
            let nbBits = (remaining + 1).highBit + 1
            var value = try reader.read(nbBits)
            let lowerMask = (1 << (nbBits - 1)) - 1
            let threshold = (1 << nbBits) - 1 - (remaining + 1)
            if value & lowerMask < threshold {
                reader.rewind(1)
                value &= lowerMask
            } else if value > lowerMask {
                value -= threshold
            }
            let probability = value - 1
            remaining -= abs(probability)
            distribution.append(probability)
            if probability == 0 {
                var repeatCount = try reader.read(2)
                while true {
                    for _ in 0..<repeatCount { distribution.append(0) }
                    if repeatCount == 3 { repeatCount = try reader.read(2) } else { break }
                }
            }
        }
        guard remaining == 0, distribution.count <= maxSymbol + 1 else {
            throw ZstdCorruption("an FSE distribution that does not sum to its table size")
        }
        return (try FSETable(distribution: distribution, accuracyLog: accuracyLog), reader.bytesConsumed)
    }

    @inline(__always) func symbol(_ state: Int) -> Int { Int(symbols[state]) }

    @inline(__always) func update(_ state: inout Int, _ reader: inout BackwardBitReader) {
        state = Int(baselines[state]) + reader.read(Int(bits[state]))
    }

    /// Decodes two interleaved FSE streams into at most `limit` symbols (Huffman weights).
    func decodeInterleaved(_ src: UnsafeBufferPointer<UInt8>, limit: Int) throws -> [UInt8] {
        var reader = try BackwardBitReader(src)
        var state1 = reader.read(accuracyLog)
        var state2 = reader.read(accuracyLog)
        var out: [UInt8] = []
        while true {
            guard out.count + 2 <= limit else { throw ZstdCorruption("too many Huffman weights") }
            out.append(symbols[state1])
            update(&state1, &reader)
            if reader.remaining < 0 {
                out.append(symbols[state2])
                break
            }
            out.append(symbols[state2])
            update(&state2, &reader)
            if reader.remaining < 0 {
                out.append(symbols[state1])
                break
            }
        }
        return out
    }
}
