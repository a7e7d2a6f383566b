/// What a zstd frame carries from block to block: its window of decoded bytes, the tables a
/// later block may repeat, the repeat offsets, and the running checksum.
struct ZstdFrameState {
    let windowSize: Int
    let contentSize: Int?
    let hasChecksum: Bool
    /// Decoded bytes still reachable by a match (at least the window), then the new ones.
    private(set) var history: [UInt8] = []
    /// Bytes of `history` already returned to the caller.
    private var emitted = 0
    /// Bytes this frame has decoded.
    private(set) var produced = 0
    var huffman: HuffmanTable?
    var literalLengths: FSETable?
    var offsets: FSETable?
    var matchLengths: FSETable?
    var repeats = (1, 4, 8)
    private var checksum = XXH64()
    private var literals: [UInt8] = []

    init(windowSize: Int, contentSize: Int?, hasChecksum: Bool) {
        self.windowSize = windowSize
        self.contentSize = contentSize
        self.hasChecksum = hasChecksum
    }

    var maxBlockSize: Int { min(windowSize, 128 * 1024) }

    mutating func append(_ bytes: ArraySlice<UInt8>) throws {
        history.append(contentsOf: bytes)
        produced += bytes.count
    }

    mutating func appendRun(_ byte: UInt8, count: Int) {
        history.append(contentsOf: repeatElement(byte, count: count))
        produced += count
    }

    mutating func copyMatch(offset: Int, length: Int) throws {
        guard offset > 0, offset <= history.count else {
            throw ZstdCorruption("a match \(offset) bytes back, before the start of the frame or the window")
        }
        SparkAnalysis.copyMatch(&history, offset: offset, length: length)
        produced += length
    }

    /// Decodes one compressed block (RFC 8878 §3.1.1.3).
    mutating func decodeCompressedBlock(_ src: UnsafeBufferPointer<UInt8>) throws {
        var literals = self.literals
        self.literals = []
        defer { self.literals = literals }
        let used = try decodeLiterals(src, into: &literals)
        try decodeSequences(UnsafeBufferPointer(rebasing: src[used...]), literals: literals)
    }

    /// Returns the bytes decoded since the last call and drops history the window no longer needs.
    mutating func takeOutput() -> [UInt8] {
        let output = Array(history[emitted...])
        if hasChecksum { output.withUnsafeBufferPointer { checksum.update($0) } }
        emitted = history.count
        let keep = windowSize
        if history.count > keep + max(keep, 1 << 20) {
            let drop = history.count - keep
            history.removeFirst(drop)
            emitted -= drop
        }
        return output
    }

    /// The low 32 bits of the XXH64 of the frame's content, as its checksum field holds them.
    var checksumValue: UInt32 { UInt32(truncatingIfNeeded: checksum.digest()) }
}
