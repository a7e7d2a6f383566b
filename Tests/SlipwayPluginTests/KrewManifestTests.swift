import Foundation
import Testing

/// The krew manifest in the repository names the binary the package builds, and
/// scripts/package-plugin.sh finds the line it rewrites with the archive's sha256.
@Suite struct KrewManifestTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func read(_ path: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
    }

    @Test func theManifestInstallsTheBuiltBinary() throws {
        let manifest = try Self.read("plugins/krew/slipway.yaml")
        let lines = manifest.split(separator: "\n").map(String.init)
        for expected in [
            "apiVersion: krew.googlecontainertools.github.com/v1alpha2", "kind: Plugin", "  name: slipway", "    bin: kubectl-slipway",
            "    - from: kubectl-slipway",
        ] {
            #expect(lines.contains(expected), "missing \(expected)")
        }
        #expect(lines.contains { $0.range(of: #"^    sha256: "[0-9a-f]{64}"$"#, options: .regularExpression) != nil }, "the line package-plugin.sh rewrites")
        let package = try Self.read("Package.swift")
        #expect(package.contains(#".executable(name: "kubectl-slipway""#))
        let script = try Self.read("scripts/package-plugin.sh")
        #expect(script.contains(#"s/^\(    sha256: \).*/"#), "package-plugin.sh rewrites the manifest's sha256 line")
    }
}
