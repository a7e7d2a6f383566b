import Foundation
import KubeAPI

/// The outcome of one corpus line replayed against the server under test.
struct CaseOutcome: Sendable {
    var id: String
    /// Empty when every answer matched the recording.
    var differences: [String]
    var matched: Bool { differences.isEmpty }
}

/// Replays corpus lines in order against a server: for each line its setup steps (checking
/// their codes), the main request, the follow-ups (each compared with its recording), then
/// its cleanup.
struct CorpusReplay: Sendable {
    let client: CorpusClient

    func run(_ cases: [CorpusCase]) async -> [CaseOutcome] {
        var outcomes: [CaseOutcome] = []
        for c in cases { outcomes.append(await run(c)) }
        return outcomes
    }

    func run(_ c: CorpusCase) async -> CaseOutcome {
        var differences: [String] = []
        var templates = CorpusTemplates()
        let comparison = CorpusComparison(
            placeholders: CorpusPlaceholders(generateNames: Self.generateNames(c)),
            compareCauseMessages: c.id.lowercased().contains("cel") && !c.request.path.contains("/apiextensions.k8s.io/"),
            compareStatus: c.compareStatus)
        do {
            for (i, step) in c.setup.enumerated() {
                let answer = try await send(step, templates)
                templates.setupAnswers.append(answer.json)
                if let code = step.expectedCode, code != answer.code {
                    differences.append("setup \(i) (\(step.method) \(step.path)): code \(answer.code), recorded \(code): \(answer.bodyText.prefix(300))")
                }
            }
            let answer = try await send(c.request, templates)
            templates.response = answer.json
            differences += comparison.differences(expected: c.expected, actual: answer)
            for (i, followup) in c.followups.enumerated() {
                let answer = try await send(followup.request, templates)
                differences += comparison.differences(expected: followup.expected, actual: answer).map { "follow-up \(i): \($0)" }
            }
        } catch {
            differences.append("request failed: \(error)")
        }
        for step in c.cleanup { _ = try? await send(step, templates) }
        return CaseOutcome(id: c.id, differences: differences)
    }

    func send(_ request: CorpusRequest, _ templates: CorpusTemplates) async throws -> CorpusResponse {
        try await client.send(request, body: templates.body(of: request), path: templates.path(of: request))
    }

    /// The `generateName` prefixes the case's requests send.
    static func generateNames(_ c: CorpusCase) -> Set<String> {
        let requests = c.setup + [c.request] + c.followups.map(\.request)
        var names: Set<String> = []
        for r in requests {
            let body = r.body ?? r.bodyText.flatMap { try? JSON.parse($0) }
            if let prefix = body?[path: ["metadata", "generateName"]]?.stringValue, !prefix.isEmpty { names.insert(prefix) }
        }
        return names
    }
}
