/// Why the bytes of an event log could not be decoded.
///
/// Carries the codec, where in its compressed input the problem is, and what is wrong, so that
/// a user can tell a truncated upload from a log written with another codec.
public struct EventLogDecodingError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The codec that was decoding: `zstd`, `lz4`, `snappy`, `lzf`.
    public var codec: String
    /// The offset, in the codec's compressed input, of the unit (frame, block, chunk) at fault.
    public var offset: Int
    /// What is wrong.
    public var reason: String

    public init(codec: String, offset: Int, reason: String) {
        self.codec = codec
        self.offset = offset
        self.reason = reason
    }

    public var description: String {
        "cannot decode the \(codec) event log at compressed byte \(offset): \(reason)"
    }
}

/// Turns a compressed byte stream into the bytes it encodes, as the input arrives.
///
/// Input may be cut anywhere (a log that Spark is still writing): a decoder keeps an incomplete
/// unit until the rest arrives and hands on only what complete units decode to, one unit at a
/// time, so that a highly compressed log never sits decoded in memory. ``finish()`` says whether
/// the input ended on a unit boundary, as a finished log must.
public protocol StreamDecoder: Sendable {
    /// Appends `input` and passes `output` the bytes of each complete unit received so far, in
    /// order (at most one unit's worth — a zstd block, an lz4 block, a chunk — per call).
    mutating func decode(_ input: [UInt8], output: ([UInt8]) throws -> Void) throws
    /// Throws when the input ended inside a unit: the log is truncated.
    func finish() throws
}

extension StreamDecoder {
    /// Appends `input` and returns everything the complete units received so far decode to.
    public mutating func decode(_ input: [UInt8]) throws -> [UInt8] {
        var all: [UInt8] = []
        try decode(input) { all += $0 }
        return all
    }
}

/// The bytes a decoder has received and not yet consumed, with the stream offset of the first.
struct PendingInput: Sendable {
    private(set) var bytes: [UInt8] = []
    private(set) var start = 0
    /// Stream offset of `bytes[start]`.
    private(set) var offset = 0

    var count: Int { bytes.count - start }
    var isEmpty: Bool { start == bytes.count }

    mutating func append(_ input: [UInt8]) {
        if start > 0 && start * 2 >= bytes.count {
            bytes.removeFirst(start)
            start = 0
        }
        bytes.append(contentsOf: input)
    }

    mutating func consume(_ n: Int) {
        start += n
        offset += n
    }

    subscript(i: Int) -> UInt8 { bytes[start + i] }

    /// Little-endian unsigned integer of `width` bytes at `i`.
    func littleEndian(at i: Int, width: Int) -> Int {
        var value = 0
        for k in 0..<width { value |= Int(bytes[start + i + k]) << (8 * k) }
        return value
    }

    /// Big-endian unsigned integer of `width` bytes at `i`.
    func bigEndian(at i: Int, width: Int) -> Int {
        var value = 0
        for k in 0..<width { value = value << 8 | Int(bytes[start + i + k]) }
        return value
    }

    /// Calls `body` with the `count` bytes at `i`.
    func withBytes<R>(at i: Int, count: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        try bytes.withUnsafeBufferPointer { all in
            try body(UnsafeBufferPointer(rebasing: all[(start + i)..<(start + i + count)]))
        }
    }
}
