/// Turns the bytes of an event log — compressed or not, in one file or rolled over several,
/// complete or still being written — into an ``ApplicationModel``, as they arrive.
///
/// Pure: the caller reads files and hands over their bytes. Each file is its own compressed
/// stream (Spark starts a new one when it rolls the log), so the caller says where files begin
/// and end. Memory stays bounded: only the current line and the decoder's window are buffered.
public struct EventLogParser {
    public private(set) var model = ApplicationModel()
    /// Lines read (complete ones).
    public private(set) var lines = 0
    /// Lines that were not JSON listener events, with the first few reasons.
    public private(set) var unreadableLines = 0
    public private(set) var problems: [String] = []

    private var decoder: any StreamDecoder = PassthroughDecoder()
    private var partial: [UInt8] = []
    private let events = SparkEventDecoder()

    public init() {}

    /// Starts a new file compressed with `codec`; the previous one must have been ended.
    public mutating func startFile(codec: EventLogCodec) {
        decoder = codec.makeDecoder()
        partial = []
    }

    /// Decodes `bytes` of the current file and folds every complete line in.
    public mutating func feed(_ bytes: [UInt8]) throws {
        var decoder = self.decoder
        defer { self.decoder = decoder }
        try decoder.decode(bytes) { split($0) }
    }

    /// Folds in every complete line of `decoded`, keeping the unfinished one.
    private mutating func split(_ decoded: [UInt8]) {
        var start = 0
        decoded.withUnsafeBytes { buffer in
            while let newline = buffer[start...].firstIndex(of: UInt8(ascii: "\n")) {
                if partial.isEmpty {
                    parse(UnsafeRawBufferPointer(rebasing: buffer[start..<newline]))
                } else {
                    partial.append(contentsOf: buffer[start..<newline])
                    let line = partial
                    partial = []
                    line.withUnsafeBytes { parse($0) }
                }
                start = newline + 1
            }
            partial.append(contentsOf: buffer[start...])
        }
    }

    /// Ends the current file. A finished file must end on a compressed-unit boundary, and its
    /// last line counts even without a newline; a file still being written keeps its partial
    /// line out (Spark has not finished writing it).
    public mutating func endFile(finished: Bool) throws {
        guard finished else { return }
        try decoder.finish()
        if !partial.isEmpty {
            let line = partial
            partial = []
            line.withUnsafeBytes { parse($0) }
        }
    }

    private mutating func parse(_ line: UnsafeRawBufferPointer) {
        var line = line
        while let last = line.last, last == UInt8(ascii: "\r") || last == UInt8(ascii: " ") {
            line = UnsafeRawBufferPointer(rebasing: line.dropLast())
        }
        guard !line.isEmpty else { return }
        lines += 1
        do {
            if let event = try events.decode(line) { model.apply(event) }
        } catch {
            unreadableLines += 1
            if problems.count < 3 { problems.append("line \(lines): \(Self.describe(error))") }
        }
    }

    private static func describe(_ error: any Error) -> String {
        switch error {
        case DecodingError.dataCorrupted(let c): return c.debugDescription
        case DecodingError.keyNotFound(let key, let c): return "missing field \"\((c.codingPath + [key]).map(\.stringValue).joined(separator: "."))\""
        case DecodingError.typeMismatch(_, let c), DecodingError.valueNotFound(_, let c):
            return "unexpected value at \"\(c.codingPath.map(\.stringValue).joined(separator: "."))\": \(c.debugDescription)"
        default: return "\(error)"
        }
    }

    /// The findings so far, with notes on lines that could not be read.
    public func report(thresholds: AnalysisThresholds = AnalysisThresholds()) -> AnalysisReport {
        var notes: [String] = []
        if unreadableLines > 0 {
            notes.append("\(unreadableLines) of \(lines) lines were not readable listener events (\(problems.joined(separator: "; ")))")
        }
        return SparkAnalyzer.analyze(model, thresholds: thresholds, notes: notes)
    }
}
