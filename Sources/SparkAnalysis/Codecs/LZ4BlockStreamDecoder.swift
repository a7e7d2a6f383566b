/// Decodes what Spark's `lz4` codec writes: lz4-java's `LZ4BlockOutputStream` framing (not the
/// LZ4 frame format of the `lz4` tool) around LZ4 blocks, with each block's XXH32 checksum.
///
/// A block is a 21-byte header — `LZ4Block`, a token (method 0x10 raw / 0x20 LZ4, and the
/// block-size level), the compressed and decompressed lengths and the checksum, little-endian —
/// then its bytes. An empty raw block ends a stream; another stream may follow it.
public struct LZ4BlockStreamDecoder: StreamDecoder {
    static let magic = Array("LZ4Block".utf8)
    static let headerSize = 21
    /// lz4-java's checksum seed (its `DEFAULT_SEED`).
    static let seed: UInt32 = 0x9747_B28C

    private var input = PendingInput()
    private var endedStream = true

    public init() {}

    public mutating func decode(_ bytes: [UInt8], output emit: ([UInt8]) throws -> Void) throws {
        input.append(bytes)
        while input.count >= Self.headerSize {
            let at = input.offset
            func fail(_ reason: String) -> EventLogDecodingError {
                EventLogDecodingError(codec: "lz4", offset: at, reason: reason)
            }
            guard (0..<8).allSatisfy({ input[$0] == Self.magic[$0] }) else { throw fail("no LZ4Block header here") }
            let method = input[8] & 0xF0
            let compressed = input.littleEndian(at: 9, width: 4)
            let decompressed = input.littleEndian(at: 13, width: 4)
            let check = UInt32(input.littleEndian(at: 17, width: 4))
            guard method == 0x10 || method == 0x20 else { throw fail("an unknown compression method 0x\(String(method, radix: 16))") }
            guard decompressed <= 1 << 25, compressed <= 1 << 25 else { throw fail("a block larger than lz4-java's 32 MiB") }
            guard method == 0x20 || compressed == decompressed else { throw fail("a raw block whose two lengths differ") }
            guard input.count >= Self.headerSize + compressed else { break }
            let block: [UInt8]
            do {
                block = try input.withBytes(at: Self.headerSize, count: compressed) { src in
                    method == 0x10 ? Array(src) : try LZ4Block.decode(src, decompressedSize: decompressed)
                }
            } catch {
                throw fail("\(error)")
            }
            let actual = block.withUnsafeBufferPointer { XXHash.xxh32($0, seed: Self.seed) } & 0x0FFF_FFFF
            guard decompressed == 0 || actual == check else { throw fail("a block whose checksum does not match") }
            input.consume(Self.headerSize + compressed)
            endedStream = decompressed == 0
            if !block.isEmpty { try emit(block) }
        }
    }

    public func finish() throws {
        guard input.isEmpty else {
            throw EventLogDecodingError(codec: "lz4", offset: input.offset, reason: "the log ends inside a block (truncated)")
        }
    }
}

/// The LZ4 block format: sequences of literals and back-references.
enum LZ4Block {
    struct Corrupt: Error, CustomStringConvertible {
        var description: String
    }

    static func decode(_ src: UnsafeBufferPointer<UInt8>, decompressedSize: Int) throws -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(decompressedSize)
        var i = 0
        func length(_ base: Int) throws -> Int {
            var n = base
            guard base == 15 else { return n }
            while true {
                guard i < src.count else { throw Corrupt(description: "a block that ends inside a length") }
                let b = Int(src[i])
                i += 1
                n += b
                if b != 255 { return n }
            }
        }
        while true {
            guard i < src.count else { throw Corrupt(description: "a block that ends before its last literals") }
            let token = Int(src[i])
            i += 1
            let literals = try length(token >> 4)
            guard i + literals <= src.count, out.count + literals <= decompressedSize else {
                throw Corrupt(description: "literals beyond the block")
            }
            out.append(contentsOf: src[i..<(i + literals)])
            i += literals
            if i == src.count { break }
            guard i + 2 <= src.count else { throw Corrupt(description: "a block that ends inside an offset") }
            let offset = Int(src[i]) | Int(src[i + 1]) << 8
            i += 2
            let match = try length(token & 15) + 4
            guard offset > 0, offset <= out.count, out.count + match <= decompressedSize else {
                throw Corrupt(description: "a match outside the decoded bytes")
            }
            copyMatch(&out, offset: offset, length: match)
        }
        guard out.count == decompressedSize else {
            throw Corrupt(description: "a block that decodes to \(out.count) bytes but declares \(decompressedSize)")
        }
        return out
    }
}

/// Appends `length` bytes copied from `offset` bytes back (the copy may overlap what it appends):
/// the match of every LZ77 codec here.
func copyMatch(_ out: inout [UInt8], offset: Int, length: Int) {
    let from = out.count - offset
    out.append(contentsOf: repeatElement(0, count: length))
    out.withUnsafeMutableBufferPointer { h in
        let base = h.baseAddress!
        if offset >= length {
            (base + from + offset).update(from: base + from, count: length)
        } else {
            for k in 0..<length { base[from + offset + k] = base[from + k] }
        }
    }
}
