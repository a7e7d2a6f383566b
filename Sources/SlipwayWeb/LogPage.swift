import Foundation
import SlipwayCore

/// `/jobs/…/logs?pod=&container=`: a container's log as HTML, in pieces so that a followed
/// log can be streamed (``head(_:pod:container:following:exception:root:)``, one
/// ``line(_:)`` per line, ``tail(exception:)``). Lines that name an exception or an error
/// (``FailureMessage/isExceptionLine(_:)``, what the operator uses to pick a failure's
/// message from a termination message) are highlighted; the extracted exception goes at the
/// top when the log is complete, at the end when it was followed.
public enum LogPage {
    /// The most lines a page asks the API server for (`tailLines`): the log's end.
    public static let maxLines = 10_000

    /// The whole page of a finished container's log.
    public static func render(_ text: String, key: JobKey, pod: String, container: String?, root: String) -> String {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var out = head(key, pod: pod, container: container, following: false, exception: exception(in: lines), root: root)
        for line in lines.last == "" ? lines.dropLast() : lines[...] { out += Self.line(line) }
        return out + tail(exception: nil)
    }

    /// The page up to the log's first line.
    public static func head(_ key: JobKey, pod: String, container: String?, following: Bool, exception: String?, root: String) -> String {
        let what = "\(pod)" + (container.map { " / \($0)" } ?? "")
        var out = HTML.head(title: "Log of \(what)", root: root)
        out += "<h1>Log of \(HTML.escape(what))</h1>\n"
        out += "<p>" + HTML.link(root + key.path, "← \(key.kind) \(key.namespace)/\(key.name)") + "</p>\n"
        if let exception { out += section(exception) }
        if following { out += "<p class=\"note\" role=\"status\">The container runs: lines appear as it writes them.</p>\n" }
        return out + "<h2>Output</h2>\n<p class=\"note\">At most the log’s last 10,000 lines.</p>\n<pre class=\"log\" id=\"log\">"
    }

    /// One log line, escaped, highlighted when it names an exception or error.
    public static func line(_ text: String) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        return FailureMessage.isExceptionLine(trimmed) ? "<span class=\"err\">\(HTML.escape(text))</span>" : HTML.escape(text) + "\n"
    }

    /// The rest of the page after the last line; a followed log's exception comes here.
    public static func tail(exception: String?) -> String {
        "</pre>\n" + (exception.map(section) ?? "") + HTML.tail
    }

    /// The failure a log explains: the last line naming an exception or error, with the
    /// lines of its stack trace that follow it (at most 20); nil when no line names one.
    public static func exception(in lines: [String]) -> String? {
        guard let index = lines.lastIndex(where: { FailureMessage.isExceptionLine($0.trimmingCharacters(in: .whitespaces)) }) else { return nil }
        // Where the trace starts: the block above it (Python prints the frames first).
        var start = index
        while start > 0, index - start < 20, isTrace(lines[start - 1]) { start -= 1 }
        var end = index + 1
        while end < lines.count, end - index < 20, isTrace(lines[end]) { end += 1 }
        return lines[start..<end].joined(separator: "\n")
    }

    static func isTrace(_ line: String) -> Bool {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        return line.hasPrefix(" ") || line.hasPrefix("\t") || trimmed.hasPrefix("at ") || trimmed.hasPrefix("Caused by:")
            || trimmed.hasPrefix("Traceback (most recent call last)") || trimmed.hasPrefix("...")
    }

    static func section(_ exception: String) -> String {
        "<section class=\"exception\" aria-labelledby=\"exception\"><h2 id=\"exception\">Exception</h2>"
            + "<pre class=\"log\">\(HTML.escape(exception))</pre></section>\n"
    }
}
