/// Decodes what Spark's `lzf` codec writes: compress-lzf's `LZFOutputStream` chunks — `ZV`, a
/// type byte (0 stored, 1 compressed), big-endian 2-byte lengths, then the bytes.
public struct LZFStreamDecoder: StreamDecoder {
    private var input = PendingInput()

    public init() {}

    public mutating func decode(_ bytes: [UInt8], output emit: ([UInt8]) throws -> Void) throws {
        input.append(bytes)
        while input.count >= 5 {
            let at = input.offset
            func fail(_ reason: String) -> EventLogDecodingError { EventLogDecodingError(codec: "lzf", offset: at, reason: reason) }
            guard input[0] == 0x5A, input[1] == 0x56 else { throw fail("no LZF chunk header (ZV) here") }
            switch input[2] {
            case 0:
                let size = input.bigEndian(at: 3, width: 2)
                guard input.count >= 5 + size else { return }
                let stored = input.withBytes(at: 5, count: size) { Array($0) }
                input.consume(5 + size)
                if !stored.isEmpty { try emit(stored) }
            case 1:
                guard input.count >= 7 else { return }
                let size = input.bigEndian(at: 3, width: 2)
                let decoded = input.bigEndian(at: 5, width: 2)
                guard input.count >= 7 + size else { return }
                var output: [UInt8] = []
                do {
                    try input.withBytes(at: 7, count: size) { try LZFChunk.decode($0, size: decoded, appendingTo: &output) }
                } catch {
                    throw fail("\(error)")
                }
                input.consume(7 + size)
                if !output.isEmpty { try emit(output) }
            default:
                throw fail("an unknown LZF chunk type \(input[2])")
            }
        }
    }

    public func finish() throws {
        guard input.isEmpty else {
            throw EventLogDecodingError(codec: "lzf", offset: input.offset, reason: "the log ends inside a chunk (truncated)")
        }
    }
}

/// One compressed LZF chunk: literal runs and back-references.
enum LZFChunk {
    struct Corrupt: Error, CustomStringConvertible {
        var description: String
    }

    static func decode(_ src: UnsafeBufferPointer<UInt8>, size: Int, appendingTo out: inout [UInt8]) throws {
        let start = out.count
        var i = 0
        while i < src.count {
            let control = Int(src[i])
            i += 1
            if control < 32 {
                let n = control + 1
                guard i + n <= src.count, out.count - start + n <= size else { throw Corrupt(description: "literals beyond the chunk") }
                out.append(contentsOf: src[i..<(i + n)])
                i += n
                continue
            }
            var length = control >> 5
            if length == 7 {
                guard i < src.count else { throw Corrupt(description: "a truncated back-reference") }
                length += Int(src[i])
                i += 1
            }
            length += 2
            guard i < src.count else { throw Corrupt(description: "a truncated back-reference") }
            let offset = ((control & 0x1F) << 8 | Int(src[i])) + 1
            i += 1
            guard offset <= out.count - start, out.count - start + length <= size else {
                throw Corrupt(description: "a back-reference outside the decoded bytes")
            }
            copyMatch(&out, offset: offset, length: length)
        }
        guard out.count - start == size else {
            throw Corrupt(description: "a chunk that decodes to \(out.count - start) bytes but declares \(size)")
        }
    }
}
