/// Decodes zstd (RFC 8878) as it arrives: any number of frames one after another, as Spark
/// writes an event log (zstd-jni closes a frame at every flush), skippable frames ignored.
///
/// Pure Swift, so that the `slipway` binary needs no libzstd wherever it runs (the operator's
/// distroless image has none). Dictionaries are not supported: Spark never uses them.
public struct ZstdStreamDecoder: StreamDecoder {
    private enum State {
        case frameStart
        case blocks(ZstdFrameState)
        case checksum(ZstdFrameState)
        case skipping(Int)
    }

    private var input = PendingInput()
    private var state = State.frameStart
    private var frameOffset = 0

    public init() {}

    public mutating func decode(_ bytes: [UInt8], output: ([UInt8]) throws -> Void) throws {
        input.append(bytes)
        while true {
            var block: [UInt8] = []
            do {
                guard try step(into: &block) else { return }
            } catch let corruption as ZstdCorruption {
                throw EventLogDecodingError(codec: "zstd", offset: frameOffset, reason: corruption.reason)
            }
            if !block.isEmpty { try output(block) }
        }
    }

    public func finish() throws {
        switch state {
        case .frameStart where input.isEmpty: return
        case .frameStart:
            throw EventLogDecodingError(codec: "zstd", offset: input.offset, reason: "the log ends inside a frame header (truncated)")
        default:
            throw EventLogDecodingError(codec: "zstd", offset: frameOffset, reason: "the log ends inside a frame (truncated)")
        }
    }

    /// Consumes one unit if it is complete; false when more input is needed.
    private mutating func step(into output: inout [UInt8]) throws -> Bool {
        switch state {
        case .frameStart:
            return try startFrame()
        case .skipping(let left):
            let n = min(left, input.count)
            input.consume(n)
            state = n == left ? .frameStart : .skipping(left - n)
            return n == left
        case .blocks(var frame):
            guard input.count >= 3 else { return false }
            let header = input.littleEndian(at: 0, width: 3)
            let (last, type, size) = (header & 1 == 1, (header >> 1) & 3, header >> 3)
            let stored = type == 1 ? 1 : size
            guard type != 3 else { throw ZstdCorruption("a block of the reserved type 3") }
            guard size <= frame.maxBlockSize else { throw ZstdCorruption("a block of \(size) bytes, above the \(frame.maxBlockSize) the frame allows") }
            guard input.count >= 3 + stored else { return false }
            state = .frameStart  // frame is moved out while the block is decoded
            try input.withBytes(at: 3, count: stored) { block in
                switch type {
                case 0: try frame.append(ArraySlice(block))
                case 1: frame.appendRun(block[0], count: size)
                default: try frame.decodeCompressedBlock(block)
                }
            }
            input.consume(3 + stored)
            output = frame.takeOutput()
            if last {
                if let expected = frame.contentSize, expected != frame.produced {
                    throw ZstdCorruption("a frame that decodes to \(frame.produced) bytes but declares \(expected)")
                }
                state = frame.hasChecksum ? .checksum(frame) : .frameStart
                if !frame.hasChecksum { frameOffset = input.offset }
            } else {
                state = .blocks(frame)
            }
            return true
        case .checksum(let frame):
            guard input.count >= 4 else { return false }
            let stored = UInt32(input.littleEndian(at: 0, width: 4))
            guard stored == frame.checksumValue else { throw ZstdCorruption("a frame whose content checksum does not match") }
            input.consume(4)
            frameOffset = input.offset
            state = .frameStart
            return true
        }
    }

    /// Reads a frame header when it is complete.
    private mutating func startFrame() throws -> Bool {
        frameOffset = input.offset
        guard input.count >= 4 else { return false }
        let magic = input.littleEndian(at: 0, width: 4)
        if magic & 0xFFFF_FFF0 == 0x184D_2A50 {
            guard input.count >= 8 else { return false }
            let size = input.littleEndian(at: 4, width: 4)
            input.consume(8)
            state = .skipping(size)
            return true
        }
        guard magic == 0xFD2F_B528 else { throw ZstdCorruption("no zstd frame here (magic number 0x\(String(magic, radix: 16)))") }
        guard input.count >= 5 else { return false }
        let descriptor = Int(input[4])
        let sizeFlag = descriptor >> 6
        let singleSegment = descriptor & 0x20 != 0
        let dictionaryFlag = descriptor & 3
        guard descriptor & 0x08 == 0 else { throw ZstdCorruption("a frame header with the reserved bit set") }
        let sizeBytes = [singleSegment ? 1 : 0, 2, 4, 8][sizeFlag]
        let dictionaryBytes = [0, 1, 2, 4][dictionaryFlag]
        let headerSize = 5 + (singleSegment ? 0 : 1) + dictionaryBytes + sizeBytes
        guard input.count >= headerSize else { return false }
        var at = 5
        var windowSize = 0
        if !singleSegment {
            let w = Int(input[at])
            let windowLog = 10 + (w >> 3)
            guard windowLog <= 31 else { throw ZstdCorruption("a window of 2^\(windowLog) bytes, above 2^31") }
            windowSize = (1 << windowLog) + ((1 << windowLog) >> 3) * (w & 7)
            at += 1
        }
        if dictionaryBytes > 0, input.littleEndian(at: at, width: dictionaryBytes) != 0 {
            throw ZstdCorruption("a frame that needs a dictionary (Spark's event logs never do)")
        }
        at += dictionaryBytes
        var contentSize: Int?
        if sizeBytes > 0 {
            contentSize = input.littleEndian(at: at, width: sizeBytes) + (sizeBytes == 2 ? 256 : 0)
        }
        if singleSegment { windowSize = contentSize ?? 0 }
        guard windowSize <= 1 << 31 else { throw ZstdCorruption("a window above 2 GiB") }
        input.consume(headerSize)
        state = .blocks(ZstdFrameState(windowSize: max(windowSize, 1), contentSize: contentSize, hasChecksum: descriptor & 4 != 0))
        return true
    }
}
