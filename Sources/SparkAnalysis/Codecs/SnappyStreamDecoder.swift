/// Decodes what Spark's `snappy` codec writes: snappy-java's `SnappyOutputStream` framing — a
/// 16-byte header (`\u{82}SNAPPY\0`, version 1, compatible version 1) then chunks, each a
/// big-endian 4-byte length and a raw Snappy block. A header may start again mid-stream
/// (concatenated streams), as snappy-java's reader accepts.
public struct SnappyStreamDecoder: StreamDecoder {
    static let magic: [UInt8] = [0x82, 0x53, 0x4E, 0x41, 0x50, 0x50, 0x59, 0x00]
    static let headerSize = 16

    private var input = PendingInput()

    public init() {}

    public mutating func decode(_ bytes: [UInt8], output emit: ([UInt8]) throws -> Void) throws {
        input.append(bytes)
        while input.count >= 4 {
            let at = input.offset
            if input[0] == Self.magic[0] {
                guard input.count >= Self.headerSize else { break }
                guard (0..<8).allSatisfy({ input[$0] == Self.magic[$0] }) else {
                    throw EventLogDecodingError(codec: "snappy", offset: at, reason: "a damaged snappy-java header")
                }
                input.consume(Self.headerSize)
                continue
            }
            let size = input.bigEndian(at: 0, width: 4)
            guard size <= 1 << 28 else {
                throw EventLogDecodingError(codec: "snappy", offset: at, reason: "a chunk of \(size) bytes (not a snappy-java stream?)")
            }
            guard input.count >= 4 + size else { break }
            var output: [UInt8] = []
            do {
                try input.withBytes(at: 4, count: size) { try SnappyBlock.decode($0, appendingTo: &output) }
            } catch {
                throw EventLogDecodingError(codec: "snappy", offset: at, reason: "\(error)")
            }
            input.consume(4 + size)
            if !output.isEmpty { try emit(output) }
        }
    }

    public func finish() throws {
        guard input.isEmpty else {
            throw EventLogDecodingError(codec: "snappy", offset: input.offset, reason: "the log ends inside a chunk (truncated)")
        }
    }
}

/// The raw Snappy format: a varint length, then literals and copies.
enum SnappyBlock {
    struct Corrupt: Error, CustomStringConvertible {
        var description: String
    }

    static func decode(_ src: UnsafeBufferPointer<UInt8>, appendingTo out: inout [UInt8]) throws {
        var i = 0
        var expected = 0
        var shift = 0
        while true {
            guard i < src.count, shift <= 28 else { throw Corrupt(description: "a damaged length") }
            let b = Int(src[i])
            i += 1
            expected |= (b & 0x7F) << shift
            shift += 7
            if b < 0x80 { break }
        }
        let start = out.count
        out.reserveCapacity(start + expected)
        while i < src.count {
            let tag = Int(src[i])
            i += 1
            var length: Int
            var offset = 0
            switch tag & 3 {
            case 0:
                length = tag >> 2
                if length >= 60 {
                    let n = length - 59
                    guard i + n <= src.count else { throw Corrupt(description: "a truncated literal length") }
                    length = 0
                    for k in 0..<n { length |= Int(src[i + k]) << (8 * k) }
                    i += n
                }
                length += 1
                guard i + length <= src.count, out.count - start + length <= expected else { throw Corrupt(description: "literals beyond the chunk") }
                out.append(contentsOf: src[i..<(i + length)])
                i += length
                continue
            case 1:
                guard i < src.count else { throw Corrupt(description: "a truncated copy") }
                length = 4 + (tag >> 2) & 7
                offset = (tag >> 5) << 8 | Int(src[i])
                i += 1
            case 2:
                guard i + 2 <= src.count else { throw Corrupt(description: "a truncated copy") }
                length = (tag >> 2) + 1
                offset = Int(src[i]) | Int(src[i + 1]) << 8
                i += 2
            default:
                guard i + 4 <= src.count else { throw Corrupt(description: "a truncated copy") }
                length = (tag >> 2) + 1
                offset = Int(src[i]) | Int(src[i + 1]) << 8 | Int(src[i + 2]) << 16 | Int(src[i + 3]) << 24
                i += 4
            }
            guard offset > 0, offset <= out.count - start, out.count - start + length <= expected else {
                throw Corrupt(description: "a copy outside the decoded bytes")
            }
            copyMatch(&out, offset: offset, length: length)
        }
        guard out.count - start == expected else {
            throw Corrupt(description: "a chunk that decodes to \(out.count - start) bytes but declares \(expected)")
        }
    }
}
