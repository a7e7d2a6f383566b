import Foundation
import SlipwayAPI
import KubeTesting
import Testing
import Yams

/// The chart's documentation and the generated install files stay in step with their sources.
@Suite("Chart values and generated files")
struct GeneratedFilesTests {
    // MARK: - values.yaml

    /// Every key of values.yaml, as dotted paths, by walking its lines: a key line's path is
    /// the keys above it at smaller indentation. Values: whether the line above is a comment.
    static func keyLines(_ text: String) -> [(path: String, commented: Bool)] {
        var stack: [(indent: Int, key: String)] = []
        var previous = ""
        var found: [(String, Bool)] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            defer { if !trimmed.isEmpty { previous = trimmed } }
            guard !trimmed.isEmpty, !trimmed.hasPrefix("#"), !trimmed.hasPrefix("-"),
                let colon = trimmed.firstIndex(of: ":")
            else { continue }
            let indent = line.prefix { $0 == " " }.count
            let key = String(trimmed[..<colon])
            stack.removeAll { $0.indent >= indent }
            stack.append((indent, key))
            found.append((stack.map(\.key).joined(separator: "."), previous.hasPrefix("#")))
        }
        return found
    }

    /// Every key path of a parsed YAML mapping (not into lists).
    static func keyPaths(_ value: Any?, prefix: String = "") -> [String] {
        guard let map = value as? [String: Any] else { return [] }
        return map.keys.sorted().flatMap { key -> [String] in
            let path = prefix.isEmpty ? key : "\(prefix).\(key)"
            return [path] + keyPaths(map[key], prefix: path)
        }
    }

    /// Leaf values (scalars, lists, empty maps): what a user sets.
    static func leafPaths(_ value: Any?, prefix: String = "") -> [String] {
        guard let map = value as? [String: Any], !map.isEmpty else { return prefix.isEmpty ? [] : [prefix] }
        return map.keys.sorted().flatMap { leafPaths(map[$0], prefix: prefix.isEmpty ? $0 : "\(prefix).\($0)") }
    }

    @Test func everyValueHasACommentAboveIt() throws {
        let text = try Repository.read("charts/slipway/values.yaml")
        let lines = Self.keyLines(text)
        let uncommented = lines.filter { !$0.commented }.map(\.path)
        #expect(uncommented.isEmpty, "values without a comment above them: \(uncommented)")
        // The line walk saw every key the YAML parser sees (no key hides in a flow mapping).
        let parsed = Set(Self.keyPaths(try Yams.load(yaml: text)))
        #expect(Set(lines.map(\.path)) == parsed, "keys the line walk missed: \(parsed.subtracting(lines.map(\.path)).sorted())")
        #expect(parsed.count > 40, "values.yaml has \(parsed.count) keys")
    }

    @Test func theCommentCheckCatchesAnUndocumentedValue() {
        let lines = Self.keyLines("# documented\na: 1\nb:\n  # nested\n  c: 2\n\n  d: [x]\n")
        #expect(lines.map(\.path) == ["a", "b", "b.c", "b.d"])
        #expect(lines.filter { !$0.commented }.map(\.path) == ["b", "b.d"])
    }

    @Test func everyValueIsInTheInstallDocsTable() throws {
        let values = try Yams.load(yaml: try Repository.read("charts/slipway/values.yaml"))
        let docs = try Repository.read("docs/install.md")
        let missing = Self.leafPaths(values).filter { !docs.contains("| `\($0)` |") }
        #expect(missing.isEmpty, "docs/install.md has no table row for: \(missing)")
    }

    // MARK: - Drift

    @Test func theChartCRDsAreByteIdenticalToCrdsDirectory() throws {
        let top = try FileManager.default.contentsOfDirectory(atPath: Repository.url("crds").path).filter { $0.hasSuffix(".yaml") }.sorted()
        let chart = try FileManager.default.contentsOfDirectory(atPath: Repository.url("charts/slipway/crds").path).filter { $0.hasSuffix(".yaml") }.sorted()
        #expect(top == chart, "charts/slipway/crds/ holds other files than crds/: run `swift run slipway crds`")
        #expect(top == (try CRDGenerator.files()).map(\.name).sorted(), "crds/ holds other files than the code generates")
        for name in top {
            let a = try Data(contentsOf: Repository.url("crds/\(name)"))
            let b = try Data(contentsOf: Repository.url("charts/slipway/crds/\(name)"))
            #expect(a == b, "charts/slipway/crds/\(name) differs from crds/\(name): run `swift run slipway crds`")
        }
    }

    @Test func installYamlIsAFreshRenderOfTheChart() async throws {
        _ = try Helm.locate()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["bash", Repository.url("scripts/render-manifests.sh").path, "--stdout"]
        let fresh = try await runToEnd(process)
        #expect(fresh.status == 0, "\(fresh)")
        let installed = try Repository.read("manifests/install.yaml")
        #expect(installed == fresh.out, "manifests/install.yaml is out of date: run scripts/render-manifests.sh")
        let manifests = try RenderedChart(yaml: installed).manifests
        #expect(manifests.first?.kind == "Namespace" && manifests.first?.name == "slipway-system")
        #expect(manifests.filter { $0.kind == "CustomResourceDefinition" }.count == (try CRDGenerator.files()).count)
        #expect(manifests.filter { $0.kind == "Deployment" }.count == 1)
    }
}
