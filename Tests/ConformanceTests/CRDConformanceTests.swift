import Testing

/// The CRD and custom-resource corpus (`cases.jsonl`, 299 requests answered by a real
/// kube-apiserver v1.36.2) replayed in order against `slipway dev`.
@Suite("CRD conformance corpus", .serialized)
struct CRDConformanceTests {
    @Test func crdCorpusMatchesTheRealServer() async throws {
        try await ConformanceCorpus.replay("cases.jsonl", knownDifferences: "known-differences-crd.json")
    }
}
