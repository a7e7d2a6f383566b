import Foundation

/// How text is decorated: ANSI colour only when standard output is a terminal (and
/// `NO_COLOR` is unset), as kubectl plugins do; plain otherwise, so pipes and tests read
/// exactly the words.
public struct TextStyle: Sendable, Hashable {
    public var colour: Bool

    public init(colour: Bool) { self.colour = colour }

    public static let plain = TextStyle(colour: false)

    /// Colour when `isTerminal` and the environment does not ask for none (`NO_COLOR`, `TERM=dumb`).
    public static func forOutput(isTerminal: Bool, environment: [String: String]) -> TextStyle {
        let refused = environment["NO_COLOR"].map { !$0.isEmpty } ?? false
        return TextStyle(colour: isTerminal && !refused && environment["TERM"] != "dumb")
    }

    public func bold(_ text: String) -> String { wrap(text, "1") }
    public func red(_ text: String) -> String { wrap(text, "31") }
    public func green(_ text: String) -> String { wrap(text, "32") }
    public func yellow(_ text: String) -> String { wrap(text, "33") }
    public func dim(_ text: String) -> String { wrap(text, "2") }

    /// A phase in its colour: green when it succeeded, red when it failed, yellow while it waits.
    public func phase(_ text: String) -> String {
        switch text {
        case "Succeeded": green(text)
        case "Failed": red(text)
        case "Pending", "Queued", "Retrying", "Suspended", "Submitted": yellow(text)
        default: bold(text)
        }
    }

    private func wrap(_ text: String, _ code: String) -> String {
        colour && !text.isEmpty ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }
}

/// Columns as kubectl prints them: upper-case headers, left-aligned, three spaces apart,
/// `<none>` for empty cells; the last column is not padded.
public struct TextTable: Sendable {
    public var headers: [String]
    public var rows: [[String]] = []

    public init(_ headers: [String]) { self.headers = headers }

    public mutating func add(_ row: [String]) { rows.append(row.map { $0.isEmpty ? "<none>" : $0 }) }

    public var text: String {
        let all = [headers] + rows
        var widths = Array(repeating: 0, count: headers.count)
        for row in all { for (i, cell) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], cell.count) } }
        return all.map { row in
            row.enumerated().map { i, cell in
                i == row.count - 1 ? cell : cell.padding(toLength: widths[i] + 3, withPad: " ", startingAt: 0)
            }.joined()
        }.joined(separator: "\n") + "\n"
    }
}

/// Short human durations as kubectl prints ages: `45s`, `3m12s`, `2h5m`, `3d4h`.
public enum Age {
    public static func text(_ seconds: TimeInterval) -> String {
        let s = max(0, Int(seconds))
        if s < 120 { return "\(s)s" }
        if s < 600 { return "\(s / 60)m\(s % 60 == 0 ? "" : "\(s % 60)s")" }
        if s < 3 * 3600 { return "\(s / 60)m" }
        if s < 8 * 3600 { return "\(s / 3600)h\((s % 3600) / 60 == 0 ? "" : "\((s % 3600) / 60)m")" }
        if s < 2 * 86400 { return "\(s / 3600)h" }
        if s < 8 * 86400 { return "\(s / 86400)d\((s % 86400) / 3600 == 0 ? "" : "\((s % 86400) / 3600)h")" }
        return "\(s / 86400)d"
    }

    public static func since(_ date: Date?, now: Date) -> String {
        date.map { text(now.timeIntervalSince($0)) } ?? ""
    }
}
