import KubeAPI

/// Compares one answer of the server under test with the recorded one, as the corpus README
/// says: the status code; for a Status body its `reason` and the set of (`field`, `reason`) of
/// its causes; for objects and lists their content after placeholders (managedFields
/// included); the Warning headers.
///
/// Status messages are compared only where their wording is the point: the strict-decoding
/// error, the server-side-apply conflict list, and the results of CEL rules (their `message`
/// or `messageExpression`) on objects.
struct CorpusComparison: Sendable {
    var placeholders: CorpusPlaceholders
    /// Whether cause messages are compared (CEL rule results on objects).
    var compareCauseMessages: Bool
    /// Core corpus: compare Pod `status` in full instead of only `qosClass`.
    var compareStatus: Bool

    /// The differences, one line each; empty means the answers match.
    func differences(expected: CorpusExpectation, actual: CorpusResponse) -> [String] {
        var out: [String] = []
        if expected.code != actual.code { out.append("code \(actual.code), recorded \(expected.code)") }
        if let type = expected.contentType, !actual.contentType.hasPrefix(type) {
            out.append("content type \(actual.contentType), recorded \(type)")
        }
        if expected.warnings != actual.warnings {
            out.append("warnings \(actual.warnings), recorded \(expected.warnings)")
        }
        guard let body = expected.body else { return out }
        // A recorded `null` body is an answer without one (`204 No Content`).
        if body.isNull {
            if !actual.bodyText.isEmpty { out.append("body \(actual.bodyText.debugDescription.prefix(200)), recorded none") }
            return out
        }
        if case .string(let text) = body {
            if text != actual.bodyText { out.append("body \(actual.bodyText.debugDescription.prefix(200)), recorded \(text.debugDescription)") }
            return out
        }
        guard let json = actual.json else {
            out.append("body is not JSON: \(actual.bodyText.prefix(200))")
            return out
        }
        // The recorder left some Table Age cells as it saw them: expected Tables get the same placeholders.
        let recorded = body["kind"]?.stringValue == "Table" ? placeholders.apply(body) : body
        out += ManagedFieldsOrder.violations(in: json)
        out += compareBodies(ManagedFieldsOrder.timeFree(recorded), ManagedFieldsOrder.timeFree(placeholders.apply(json)))
        return out
    }

    func compareBodies(_ expected: JSONValue, _ actual: JSONValue) -> [String] {
        if expected["kind"]?.stringValue == "Status" || actual["kind"]?.stringValue == "Status" {
            return compareStatuses(expected, actual)
        }
        if case .array(let events) = expected {
            guard case .array(let got) = actual else { return ["answer is not a list of watch events"] }
            var out: [String] = []
            if events.count != got.count { out.append("\(got.count) watch events, recorded \(events.count)") }
            for (i, (e, g)) in zip(events, got).enumerated() {
                if e["type"] != g["type"] { out.append("event \(i): type \(g["type"].map(JSON.string) ?? "none"), recorded \(e["type"].map(JSON.string) ?? "none")") }
                out += compareBodies(e["object"] ?? .null, g["object"] ?? .null).map { "event \(i): \($0)" }
            }
            return out
        }
        let e = reducingPodStatus(expected)
        let a = reducingPodStatus(actual)
        return e == a ? [] : JSONDifference.paths(e, a).map { "body \($0)" }
    }

    func compareStatuses(_ expected: JSONValue, _ actual: JSONValue) -> [String] {
        var out: [String] = []
        if actual["kind"]?.stringValue != "Status" { return ["answer is not a Status: \(JSON.string(actual).prefix(300))"] }
        if expected["kind"]?.stringValue != "Status" { return ["answer is a Status, recorded an object: \(JSON.string(actual).prefix(300))"] }
        if expected["reason"] != actual["reason"] {
            out.append("reason \(actual["reason"].map(JSON.string) ?? "none"), recorded \(expected["reason"].map(JSON.string) ?? "none")")
        }
        let expectedCauses = causes(expected)
        let actualCauses = causes(actual)
        let conflict = expectedCauses.contains { $0.reason == "FieldManagerConflict" }
        let withMessages = compareCauseMessages || conflict
        let e = Set(expectedCauses.map { withMessages ? $0 : $0.withoutMessage })
        let a = Set(actualCauses.map { withMessages ? $0 : $0.withoutMessage })
        for missing in e.subtracting(a).sorted() { out.append("missing cause \(missing)") }
        for extra in a.subtracting(e).sorted() { out.append("unexpected cause \(extra)") }
        let message = expected["message"]?.stringValue ?? ""
        if message.contains("strict decoding error") || conflict, expected["message"] != actual["message"] {
            out.append("message \(actual["message"].map(JSON.string) ?? "none"), recorded \(JSON.string(expected["message"] ?? .null))")
        }
        return out
    }

    struct Cause: Hashable, Comparable, CustomStringConvertible {
        var field: String
        var reason: String
        var message: String?
        var withoutMessage: Cause { Cause(field: field, reason: reason, message: nil) }
        var description: String { "(\(field), \(reason)\(message.map { ", \($0.debugDescription)" } ?? ""))" }
        static func < (l: Cause, r: Cause) -> Bool { l.description < r.description }
    }

    func causes(_ status: JSONValue) -> [Cause] {
        (status[path: ["details", "causes"]]?.arrayValue ?? []).map {
            Cause(field: $0["field"]?.stringValue ?? "", reason: $0["reason"]?.stringValue ?? "", message: $0["message"]?.stringValue ?? "")
        }
    }

    /// Pods (and pods in lists, Tables and events) with `status` reduced to `qosClass`,
    /// unless the case compares status.
    func reducingPodStatus(_ value: JSONValue) -> JSONValue {
        guard !compareStatus, case .object(var o) = value else { return value }
        if o["kind"]?.stringValue == "Pod", let status = o["status"]?.objectValue {
            var reduced = JSONObject()
            if let qos = status["qosClass"] { reduced["qosClass"] = qos }
            o["status"] = .object(reduced)
        }
        if case .array(let items)? = o["items"] { o["items"] = .array(items.map(reducingPodStatus)) }
        if case .array(let rows)? = o["rows"] {
            o["rows"] = .array(rows.map { row in
                guard var r = row.objectValue, let object = r["object"] else { return row }
                r["object"] = reducingPodStatus(object)
                return .object(r)
            })
        }
        return .object(o)
    }
}

/// Where two JSON values differ, as short readable lines.
enum JSONDifference {
    static func paths(_ expected: JSONValue, _ actual: JSONValue, at path: String = "", limit: Int = 12) -> [String] {
        var out: [String] = []
        walk(expected, actual, path, &out, limit)
        return out
    }

    private static func walk(_ e: JSONValue, _ a: JSONValue, _ path: String, _ out: inout [String], _ limit: Int) {
        guard out.count < limit, e != a else { return }
        switch (e, a) {
        case (.object(let eo), .object(let ao)):
            for key in eo.keys where ao[key] == nil { out.append("\(path).\(key): missing, recorded \(brief(eo[key]!))") }
            for key in ao.keys where eo[key] == nil { out.append("\(path).\(key): \(brief(ao[key]!)), not recorded") }
            for key in eo.keys { if let ev = eo[key], let av = ao[key] { walk(ev, av, "\(path).\(key)", &out, limit) } }
        case (.array(let ea), .array(let aa)) where ea.count == aa.count:
            for (i, (ev, av)) in zip(ea, aa).enumerated() { walk(ev, av, "\(path)[\(i)]", &out, limit) }
        default:
            out.append("\(path.isEmpty ? "." : path): \(brief(a)), recorded \(brief(e))")
        }
    }

    static func brief(_ v: JSONValue) -> String {
        let s = JSON.string(v)
        return s.count > 160 ? String(s.prefix(160)) + "…" : s
    }
}
