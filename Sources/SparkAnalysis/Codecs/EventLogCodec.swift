/// The compression of an event log file, as Spark names it in the file's extension
/// (`spark.eventLog.compression.codec`: `lz4`, `lzf`, `snappy`, `zstd`; none without one).
public enum EventLogCodec: String, Sendable, CaseIterable {
    case none
    case lz4
    case lzf
    case snappy
    case zstd

    /// The codec of a log file named `name`: Spark appends `.<codec>` (before `.inprogress`).
    public init(fileName name: String) {
        var base = name
        if base.hasSuffix(".inprogress") { base.removeLast(".inprogress".count) }
        let ext = base.split(separator: ".").count > 1 ? String(base.split(separator: ".").last!) : ""
        self = EventLogCodec(rawValue: ext).flatMap { $0 == .none ? nil : $0 } ?? .none
    }

    /// A decoder for this codec.
    public func makeDecoder() -> any StreamDecoder {
        switch self {
        case .none: PassthroughDecoder()
        case .lz4: LZ4BlockStreamDecoder()
        case .lzf: LZFStreamDecoder()
        case .snappy: SnappyStreamDecoder()
        case .zstd: ZstdStreamDecoder()
        }
    }
}

/// An uncompressed log: bytes pass through.
public struct PassthroughDecoder: StreamDecoder {
    public init() {}
    public mutating func decode(_ input: [UInt8], output: ([UInt8]) throws -> Void) throws { try output(input) }
    public func finish() throws {}
}
