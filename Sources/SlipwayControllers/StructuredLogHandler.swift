import Foundation
import Logging

/// How the operator writes its log lines.
public enum LogFormat: String, Sendable, Hashable, CaseIterable {
    /// `2025-06-01T12:00:00.123Z info slipway.batchjob: message key=value …`
    case text
    /// One JSON object per line: `{"ts":…,"level":…,"logger":…,"message":…,"metadata":{…}}`.
    case json
}

/// A swift-log handler that writes one line per message to standard error, as text or as
/// JSON, with the logger's label and metadata. `slipway operator` bootstraps it with its
/// `--log-level` and `--log-format`.
public struct StructuredLogHandler: LogHandler {
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    public let label: String
    public let format: LogFormat
    private let write: @Sendable (String) -> Void

    /// A handler for the logger `label`; lines go to `write` (standard error by default).
    public init(
        label: String, level: Logger.Level, format: LogFormat, metadataProvider: Logger.MetadataProvider? = nil,
        write: @escaping @Sendable (String) -> Void = StructuredLogHandler.standardError
    ) {
        self.label = label
        self.logLevel = level
        self.format = format
        self.metadataProvider = metadataProvider
        self.write = write
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { $1 } }
        if let extra = event.metadata { merged.merge(extra) { $1 } }
        if let error = event.error, merged["error"] == nil { merged["error"] = .string("\(error)") }
        write(Self.line(date: Date(), level: event.level, label: label, message: event.message.description, metadata: merged, format: format) + "\n")
    }

    /// Writes to standard error in one call, so lines of concurrent loggers never interleave.
    public static let standardError: @Sendable (String) -> Void = { text in
        FileHandle.standardError.write(Data(text.utf8))
    }

    // MARK: - Rendering

    /// One log line (without its newline); metadata keys sorted.
    public static func line(date: Date, level: Logger.Level, label: String, message: String, metadata: Logger.Metadata, format: LogFormat) -> String {
        let ts = timestamp(date)
        let keys = metadata.keys.sorted()
        switch format {
        case .text:
            var out = "\(ts) \(level.rawValue) \(label): \(message)"
            for key in keys { out += " \(key)=\(text(metadata[key]!))" }
            return out
        case .json:
            var out = #"{"ts":\#(quoted(ts)),"level":\#(quoted(level.rawValue)),"logger":\#(quoted(label)),"message":\#(quoted(message))"#
            if !keys.isEmpty {
                out += #","metadata":{"# + keys.map { "\(quoted($0)):\(json(metadata[$0]!))" }.joined(separator: ",") + "}"
            }
            return out + "}"
        }
    }

    /// RFC 3339 in UTC with milliseconds.
    static func timestamp(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }

    /// A metadata value as text; values with spaces or quotes are quoted.
    static func text(_ value: Logger.Metadata.Value) -> String {
        let plain: String = switch value {
        case .string(let s): s
        case .stringConvertible(let s): s.description
        case .array(let items): "[" + items.map(text).joined(separator: ",") + "]"
        case .dictionary(let d): "{" + d.keys.sorted().map { "\($0)=\(text(d[$0]!))" }.joined(separator: ",") + "}"
        }
        let needsQuotes = plain.isEmpty || plain.contains { $0 == " " || $0 == "\"" || $0 == "=" || $0.isNewline }
        return needsQuotes ? quoted(plain) : plain
    }

    static func json(_ value: Logger.Metadata.Value) -> String {
        switch value {
        case .string(let s): quoted(s)
        case .stringConvertible(let s): quoted(s.description)
        case .array(let items): "[" + items.map(json).joined(separator: ",") + "]"
        case .dictionary(let d): "{" + d.keys.sorted().map { "\(quoted($0)):\(json(d[$0]!))" }.joined(separator: ",") + "}"
        }
    }

    /// A JSON string literal.
    static func quoted(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case let c where c.value < 0x20: out += String(format: "\\u%04x", c.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
