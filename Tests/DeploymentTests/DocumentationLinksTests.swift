import Foundation
import Testing

/// Every relative link in the README and docs resolves to a file inside the repository: a
/// clone is all a reader has, so a link to `../shared/…` (or to a file that moved) is broken.
@Suite("Documentation links")
struct DocumentationLinksTests {
    /// The targets of inline Markdown links `[text](target)` and images `![alt](target)`,
    /// outside fenced code blocks.
    static func linkTargets(in markdown: String) -> [String] {
        var targets: [String] = []
        var inFence = false
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.trimmingCharacters(in: .whitespaces).hasPrefix("```") {
                inFence.toggle()
                continue
            }
            guard !inFence else { continue }
            var rest = Substring(line)
            while let open = rest.range(of: "](") {
                let after = rest[open.upperBound...]
                guard let close = after.firstIndex(of: ")") else { break }
                targets.append(String(after[..<close]))
                rest = after[after.index(after: close)...]
            }
        }
        return targets
    }

    /// Links that leave the page for the web or stay on it (anchors) are not files.
    static func isFileLink(_ target: String) -> Bool {
        !(target.hasPrefix("http://") || target.hasPrefix("https://") || target.hasPrefix("mailto:")
            || target.hasPrefix("#") || target.isEmpty)
    }

    static func markdownFiles() throws -> [URL] {
        let root = Repository.root
        var files = [root.appendingPathComponent("README.md")]
        for folder in ["docs", "charts/slipway", "manifests"] {
            let dir = root.appendingPathComponent(folder)
            guard let walk = FileManager.default.enumerator(at: dir, includingPropertiesForKeys: nil) else { continue }
            for case let url as URL in walk where url.pathExtension == "md" { files.append(url) }
        }
        return files
    }

    @Test func everyRelativeLinkResolvesInsideTheRepository() throws {
        let root = Repository.root.path
        var broken: [String] = []
        var checked = 0
        for file in try Self.markdownFiles() {
            let text = try String(contentsOf: file, encoding: .utf8)
            for target in Self.linkTargets(in: text) where Self.isFileLink(target) {
                checked += 1
                let path = String(target.split(separator: "#", maxSplits: 1).first ?? "")
                let resolved = file.deletingLastPathComponent().appendingPathComponent(path).standardized.path
                let name = file.path.replacingOccurrences(of: root + "/", with: "")
                if !resolved.hasPrefix(root + "/") && resolved != root {
                    broken.append("\(name): \(target) leaves the repository")
                } else if !FileManager.default.fileExists(atPath: resolved) {
                    broken.append("\(name): \(target) does not exist")
                }
            }
        }
        #expect(broken.isEmpty, "broken links: \(broken)")
        #expect(checked > 5, "only \(checked) links were checked: the link finder is broken")
    }

    @Test func theLinkFinderSeesLinksAndSkipsCode() {
        let text = "See [a](docs/a.md) and ![b](img/b.png).\n```\n[c](not/a/link.md)\n```\n[d](../out.md#x)"
        #expect(Self.linkTargets(in: text) == ["docs/a.md", "img/b.png", "../out.md#x"])
        #expect(!Self.isFileLink("https://kubernetes.io"))
        #expect(!Self.isFileLink("#rbac"))
        #expect(Self.isFileLink("../shared/DESIGN.md"))
    }
}
