import Foundation

/// Extracts the line that explains a failure from a termination message and keeps
/// messages short enough for status (an object must stay far below etcd's limit).
public enum FailureMessage {
    /// The longest message kept, in UTF-8 bytes.
    public static let limit = 1024

    /// The most telling line of a termination message.
    ///
    /// Under `FallbackToLogsOnError` the message is the log tail, so the explanation is the
    /// last line naming an exception or error — Python's `ValueError: bad row`, Java's
    /// `Caused by: java.io.IOException: …` or `Exception in thread "main" …` — rather than
    /// the stack frames after it. Without such a line the whole message is kept, its start
    /// dropped when it is too long: a log's end is what matters.
    public static func extract(from text: String) -> String {
        let lines = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
        if let line = lines.last(where: isExceptionLine) {
            return truncated(line)
        }
        return tail(text.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// Whether a log line names an exception or error, and is not a stack frame.
    public static func isExceptionLine(_ line: String) -> Bool {
        guard !line.isEmpty, !line.hasPrefix("at "), !line.hasPrefix("File \""), !line.hasPrefix("...") else { return false }
        if line.hasPrefix("Traceback (most recent call last)") { return false }
        return line.contains("Exception") || line.contains("Error:") || line.contains("Error ")
            || line.hasSuffix("Error") || line.hasPrefix("panic:") || line.hasPrefix("fatal error:")
    }

    /// `text` cut to ``limit`` bytes at a character boundary, keeping the start.
    public static func truncated(_ text: String, limit: Int = limit) -> String {
        guard text.utf8.count > limit else { return text }
        var kept = "", size = 0
        for character in text {
            let width = character.utf8.count
            if size + width > limit - 3 { break }
            kept.append(character)
            size += width
        }
        return kept + "…"
    }

    /// `text` cut to ``limit`` bytes at a character boundary, keeping the end.
    public static func tail(_ text: String, limit: Int = limit) -> String {
        guard text.utf8.count > limit else { return text }
        var kept: [Character] = [], size = 0
        for character in text.reversed() {
            let width = character.utf8.count
            if size + width > limit - 3 { break }
            kept.append(character)
            size += width
        }
        return "…" + String(kept.reversed())
    }

    /// A short human duration, as kubectl prints ages: `45s`, `5m`, `1m30s`, `2h`, `1h5m`.
    public static func describe(_ duration: Duration) -> String {
        let seconds = max(0, Int(duration.components.seconds))
        let (h, m, s) = (seconds / 3600, seconds % 3600 / 60, seconds % 60)
        if h > 0 { return m > 0 ? "\(h)h\(m)m" : "\(h)h" }
        if m > 0 { return s > 0 ? "\(m)m\(s)s" : "\(m)m" }
        return "\(s)s"
    }
}
