import Testing

/// The core API corpus (`core-cases.jsonl`, 302 requests on pods, services, configmaps,
/// secrets, events, leases, namespaces, lists, watches and patches answered by a real
/// kube-apiserver v1.36.2) replayed in order against `slipway dev`.
@Suite("Core API conformance corpus", .serialized)
struct CoreConformanceTests {
    @Test func coreCorpusMatchesTheRealServer() async throws {
        try await ConformanceCorpus.replay("core-cases.jsonl", knownDifferences: "known-differences-core.json")
    }
}
