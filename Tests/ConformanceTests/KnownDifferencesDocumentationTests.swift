import Foundation
import Testing

/// docs/slipway-dev.md's "Known differences" section says, for each corpus, exactly what its
/// known-differences file lists: one subsection per file (its heading names the file), one
/// bullet "- `id`: reason" per listed case, with the same reason.
@Suite("Known differences are documented")
struct KnownDifferencesDocumentationTests {
    static let document = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("docs/slipway-dev.md")

    @Test func everyListedDifferenceIsDocumentedWithItsReason() throws {
        let section = try Self.knownDifferencesSection()
        let files = try KnownDifferences.all()
        #expect(!files.isEmpty, "no known-differences files in \(KnownDifferences.directory.path)")
        for known in files {
            let documented = try #require(Self.bullets(in: section, headingNaming: known.file), "docs/slipway-dev.md has no \"### …\" subsection naming \(known.file) under \"## Known differences\"")
            let listed = known.entries.map { "\($0.id): \(Self.normalised($0.reason))" }
            #expect(documented == listed, "docs/slipway-dev.md and \(known.file) disagree")
        }
    }

    /// The lines of `## Known differences`, up to the next `## ` heading.
    static func knownDifferencesSection() throws -> [String] {
        let lines = try String(contentsOf: document, encoding: .utf8).components(separatedBy: "\n")
        guard let start = lines.firstIndex(of: "## Known differences") else {
            Issue.record("docs/slipway-dev.md has no \"## Known differences\" section")
            return []
        }
        let rest = lines[(start + 1)...]
        let end = rest.firstIndex { $0.hasPrefix("## ") } ?? lines.endIndex
        return Array(lines[(start + 1)..<end])
    }

    /// The bullets of the `### ` subsection whose heading names `file`, as "id: reason"
    /// (continuation lines joined); nil when there is no such subsection.
    static func bullets(in section: [String], headingNaming file: String) -> [String]? {
        guard let start = section.firstIndex(where: { $0.hasPrefix("### ") && $0.contains("`\(file)`") }) else { return nil }
        var bullets: [String] = []
        for line in section[(start + 1)...] {
            if line.hasPrefix("### ") { break }
            if line.hasPrefix("- `"), let close = line.dropFirst(3).firstIndex(of: "`") {
                let id = line[line.index(line.startIndex, offsetBy: 3)..<close]
                let reason = line[line.index(after: close)...].drop { $0 == ":" || $0 == " " }
                bullets.append("\(id): \(reason)")
            } else if line.hasPrefix("  "), let last = bullets.popLast() {
                bullets.append(last + " " + line.trimmingCharacters(in: .whitespaces))
            }
        }
        return bullets.map { normalised($0) }
    }

    static func normalised(_ text: String) -> String {
        text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }
}
