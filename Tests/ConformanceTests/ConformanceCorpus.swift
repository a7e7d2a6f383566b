import Foundation
import KubeAPI
import LocalCluster
import KubeTesting
import SlipwayDevTesting
import Testing

/// Replays a recorded corpus against a fresh in-process `slipway dev` and checks the outcome
/// against the corpus's known-differences list. One call per corpus file: a test function
/// names the corpus and its list, nothing else.
///
/// Set `CONFORMANCE_CASES=B-cel,P-` (id prefixes) to replay only those cases (plus the
/// fixtures and teardown they need) while working on them; `CONFORMANCE_VERBOSE=1` prints
/// the differences of listed cases too.
enum ConformanceCorpus {
    /// `../shared/reference/kube-api/conformance` beside the clone.
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/reference/kube-api/conformance")

    /// Replays `file` and records an issue for every problem the known-differences list
    /// `knownDifferences` does not explain.
    static func replay(_ file: String, knownDifferences: String, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let url = directory.appendingPathComponent(file)
        guard FileManager.default.fileExists(atPath: url.path) else {
            Issue.record("the corpus \(url.path) is missing: the shared reference must be beside the clone", sourceLocation: sourceLocation)
            return
        }
        let all = try CorpusCase.load(url)
        let known = try KnownDifferences(file: knownDifferences)
        let filter = ProcessInfo.processInfo.environment["CONFORMANCE_CASES"].map { $0.split(separator: ",").map(String.init) }
        let selected = all.filter { c in filter.map { prefixes in c.kind != "case" || prefixes.contains { c.id.hasPrefix($0) } } ?? true }
        var outcomes: [CaseOutcome] = []
        try await withDevCluster { cluster, _ in
            let client = try CorpusClient(base: cluster.server.url!, caPEM: cluster.server.certificateAuthority.certificatePEM, token: cluster.token)
            outcomes = await CorpusReplay(client: client).run(selected)
            try await client.shutdown()
        }
        let matched = outcomes.filter(\.matched).count
        let listed = outcomes.filter { !$0.matched && known.reason($0.id) != nil }.count
        print("conformance \(file): matched \(matched) of \(outcomes.count) (\(listed) listed differences in \(knownDifferences))")
        if ProcessInfo.processInfo.environment["CONFORMANCE_VERBOSE"] != nil {
            for o in outcomes where !o.matched { print("  \(o.id):\n    " + o.differences.joined(separator: "\n    ")) }
        }
        let problems = known.problems(outcomes: outcomes, corpusIDs: Set(all.map(\.id)), complete: filter == nil)
        for problem in problems { Issue.record(Comment(rawValue: problem), sourceLocation: sourceLocation) }
    }
}
