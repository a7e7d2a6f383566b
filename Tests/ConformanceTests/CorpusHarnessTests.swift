import KubeAPI
import Testing

/// The replay harness itself: how it compares answers and how it judges a known-differences
/// list (so that a broken harness cannot pass a broken server).
@Suite("Conformance harness")
struct CorpusHarnessTests {
    let comparison = CorpusComparison(placeholders: CorpusPlaceholders(generateNames: ["gen-"]), compareCauseMessages: false, compareStatus: false)

    func answer(_ code: Int, _ body: JSONValue, warnings: [String] = []) -> CorpusResponse {
        CorpusResponse(code: code, contentType: "application/json", warnings: warnings, bodyText: JSON.string(body), json: body)
    }

    func expectation(_ code: Int, _ body: JSONValue, warnings: [String] = []) -> CorpusExpectation {
        CorpusExpectation(json: ["code": .number(JSONNumber(code)), "body": body, "warnings": .array(warnings.map { .string($0) })])
    }

    @Test func statusCausesCompareAsASetOfFieldAndReason() {
        let recorded: JSONValue = ["kind": "Status", "reason": "Invalid", "details": ["causes": [
            ["field": "spec.a", "reason": "FieldValueInvalid", "message": "one wording"], ["field": "spec.b", "reason": "FieldValueRequired", "message": "x"],
        ]]]
        let sameSetOtherOrder: JSONValue = ["kind": "Status", "reason": "Invalid", "details": ["causes": [
            ["field": "spec.b", "reason": "FieldValueRequired", "message": "y"], ["field": "spec.a", "reason": "FieldValueInvalid", "message": "other wording"],
        ]]]
        #expect(comparison.differences(expected: expectation(422, recorded), actual: answer(422, sameSetOtherOrder)).isEmpty)
        let missingOne: JSONValue = ["kind": "Status", "reason": "Invalid", "details": ["causes": [["field": "spec.a", "reason": "FieldValueInvalid"]]]]
        #expect(comparison.differences(expected: expectation(422, recorded), actual: answer(422, missingOne)) == ["missing cause (spec.b, FieldValueRequired)"])
        #expect(comparison.differences(expected: expectation(422, recorded), actual: answer(400, sameSetOtherOrder)) == ["code 400, recorded 422"])
    }

    @Test func objectsCompareAfterPlaceholdersAndWarningsCount() {
        let recorded: JSONValue = ["kind": "Gizmo", "metadata": ["name": "gen-<random>", "uid": "<uid>", "resourceVersion": "<resourceVersion>",
                                                                  "creationTimestamp": "<timestamp>", "generateName": "gen-"], "spec": ["a": 1]]
        let actual: JSONValue = ["kind": "Gizmo", "metadata": ["name": "gen-x7k2q", "uid": "2a23bfae-5db2-42ce-89bf-ce3dc93621e5", "resourceVersion": "42",
                                                                "creationTimestamp": "2026-01-01T00:00:00Z", "generateName": "gen-"], "spec": ["a": 1]]
        #expect(comparison.differences(expected: expectation(201, recorded), actual: answer(201, actual)).isEmpty)
        var changed = actual
        changed["spec"] = ["a": 2]
        #expect(!comparison.differences(expected: expectation(201, recorded), actual: answer(201, changed)).isEmpty)
        #expect(comparison.differences(expected: expectation(201, recorded, warnings: ["unknown field \"spec.b\""]), actual: answer(201, actual))
            == [#"warnings [], recorded ["unknown field \"spec.b\""]"#])
    }

    @Test func managedFieldsMayFallInTwoSecondsButMustBeInTheServersOrder() {
        func entry(_ manager: String, _ time: String, status: Bool = false) -> JSONValue {
            var e: JSONObject = ["manager": .string(manager), "operation": "Update", "apiVersion": "v1", "time": .string(time), "fieldsV1": [:]]
            if status { e["subresource"] = "status" }
            return .object(e)
        }
        func gizmo(_ entries: [JSONValue]) -> JSONValue {
            ["kind": "Gizmo", "metadata": ["name": "g", "managedFields": .array(entries)]]
        }
        // Recorded within one second: by manager.
        let recorded = gizmo([entry("a-recorder", "<timestamp>"), entry("kube-apiserver", "<timestamp>", status: true)])
        // Replayed across a second boundary: the server's writer came first in time.
        let acrossSeconds = gizmo([entry("kube-apiserver", "2026-01-01T00:00:00Z", status: true), entry("a-recorder", "2026-01-01T00:00:01Z")])
        #expect(comparison.differences(expected: expectation(200, recorded), actual: answer(200, acrossSeconds)).isEmpty)
        // Within one second the server's order is by manager; the other order is a difference.
        let sameSecondWrongOrder = gizmo([entry("kube-apiserver", "2026-01-01T00:00:00Z", status: true), entry("a-recorder", "2026-01-01T00:00:00Z")])
        #expect(comparison.differences(expected: expectation(200, recorded), actual: answer(200, sameSecondWrongOrder))
            == ["g: managedFields out of the server's order: kube-apiserver Update/status at 2026-01-01T00:00:00Z before a-recorder Update at 2026-01-01T00:00:00Z"])
        // An entry missing from the answer is still found.
        #expect(!comparison.differences(expected: expectation(200, recorded), actual: answer(200, gizmo([entry("a-recorder", "2026-01-01T00:00:00Z")]))).isEmpty)
    }

    @Test func aListCanOnlyShrink() throws {
        var known = try KnownDifferences(file: "known-differences-crd.json")
        known.entries = [("A", "a reason"), ("B", "another")]
        let outcomes = [CaseOutcome(id: "A", differences: []), CaseOutcome(id: "B", differences: ["x"]), CaseOutcome(id: "C", differences: ["y"])]
        let problems = known.problems(outcomes: outcomes, corpusIDs: ["A", "B", "C"], complete: true)
        #expect(problems.count == 2)
        #expect(problems.contains { $0.hasPrefix("A now matches") })
        #expect(problems.contains { $0.hasPrefix("C differs") })
        known.entries = [("Z", "")]
        #expect(known.problems(outcomes: [], corpusIDs: ["A"], complete: true).count == 2, "an empty reason and an unknown id are both problems")
    }

    @Test func warningHeadersAreReducedToTheirQuotedText() {
        #expect(CorpusClient.warningText(#"299 - "unknown field \"spec.color\"""#) == #"unknown field "spec.color""#)
    }
}
