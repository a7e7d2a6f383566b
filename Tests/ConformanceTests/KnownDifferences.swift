import Foundation
import KubeAPI

/// The cases of one corpus whose answers `slipway dev` knowingly does not match, each with its
/// reason: `KnownDifferences/known-differences-<corpus>.json`, a JSON object `{id: reason}`.
/// The list may only shrink: a listed case that matches fails the replay as well.
struct KnownDifferences: Sendable {
    var file: String
    /// id → reason, in file order.
    var entries: [(id: String, reason: String)]

    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("KnownDifferences")

    init(file: String) throws {
        self.file = file
        let json = try JSON.parse(Data(contentsOf: Self.directory.appendingPathComponent(file)))
        guard case .object(let o) = json else { throw CorpusError("\(file): must be a JSON object of id to reason") }
        entries = o.map { ($0.key, $0.value.stringValue ?? "") }
    }

    /// Every known-differences file, by name.
    static func all() throws -> [KnownDifferences] {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasPrefix("known-differences-") && $0.hasSuffix(".json") }.sorted()
        return try names.map(KnownDifferences.init(file:))
    }

    func reason(_ id: String) -> String? { entries.first { $0.id == id }?.reason }

    /// What is wrong with the outcomes given this list: unlisted differences, listed cases
    /// that now match, ids that are not in the corpus, empty reasons. Empty means pass.
    func problems(outcomes: [CaseOutcome], corpusIDs: Set<String>, complete: Bool) -> [String] {
        var out: [String] = []
        for (id, reason) in entries {
            if reason.trimmingCharacters(in: .whitespaces).isEmpty { out.append("\(file): \(id) has no reason") }
            if complete, !corpusIDs.contains(id) { out.append("\(file): \(id) is not a case of the corpus") }
        }
        for outcome in outcomes {
            let listed = reason(outcome.id) != nil
            if outcome.matched && listed {
                out.append("\(outcome.id) now matches the recording: remove it from \(file) (and docs/slipway-dev.md)")
            } else if !outcome.matched && !listed {
                out.append("\(outcome.id) differs from the recording:\n  " + outcome.differences.joined(separator: "\n  "))
            }
        }
        return out
    }
}
