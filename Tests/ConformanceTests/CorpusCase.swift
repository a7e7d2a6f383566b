import Foundation
import KubeAPI

/// One line of a conformance corpus (`../shared/reference/kube-api/conformance/*.jsonl`):
/// a recorded request to a real kube-apiserver and its answer, with optional setup steps,
/// follow-up requests and cleanup. The line format is described in the corpus README.
struct CorpusCase: Sendable {
    /// `case`, `fixture` or `teardown`.
    var id: String
    var section: String
    var kind: String
    var description: String
    var setup: [CorpusRequest]
    var request: CorpusRequest
    var expected: CorpusExpectation
    var followups: [(request: CorpusRequest, expected: CorpusExpectation)]
    var cleanup: [CorpusRequest]
    /// Core corpus: compare Pod `status` in full (otherwise it is reduced to `qosClass`).
    var compareStatus: Bool

    init(line: JSONValue) throws {
        guard let id = line["id"]?.stringValue, let request = line["request"], let expected = line["expected"] else {
            throw CorpusError("a corpus line needs id, request and expected: \(JSON.string(line).prefix(200))")
        }
        self.id = id
        section = line["section"]?.stringValue ?? ""
        kind = line["kind"]?.stringValue ?? "case"
        description = line["description"]?.stringValue ?? ""
        setup = try (line["setup"]?.arrayValue ?? []).map(CorpusRequest.init(json:))
        self.request = try CorpusRequest(json: request)
        self.expected = CorpusExpectation(json: expected)
        followups = try (line["followups"]?.arrayValue ?? []).map { f in
            guard let r = f["request"], let e = f["expected"] else { throw CorpusError("\(id): a follow-up needs request and expected") }
            return (try CorpusRequest(json: r), CorpusExpectation(json: e))
        }
        cleanup = try (line["cleanup"]?.arrayValue ?? []).map(CorpusRequest.init(json:))
        compareStatus = line["compare_status"]?.boolValue ?? false
    }

    /// Reads every line of a corpus file, in order.
    static func load(_ url: URL) throws -> [CorpusCase] {
        let text = try String(contentsOf: url, encoding: .utf8)
        return try text.split(separator: "\n").filter { !$0.allSatisfy(\.isWhitespace) }.map { try CorpusCase(line: JSON.parse(String($0))) }
    }
}

/// One request of a case (setup step, main request, follow-up or cleanup).
struct CorpusRequest: Sendable {
    var method: String
    /// The path with its query, possibly holding `{{…}}` templates.
    var path: String
    var headers: [(String, String)]
    /// JSON to send as is (after templates).
    var body: JSONValue?
    /// Bytes to send verbatim.
    var bodyText: String?
    /// Core corpus: send the answer to a setup step (`setup.0`) with `set`/`unset` applied.
    var bodyFrom: String?
    var set: [(path: String, value: JSONValue)]
    var unset: [String]
    /// Repeat every 0.25 s until the answer matches, for at most `timeout` seconds.
    var until: PollCondition?
    var timeout: Double
    /// A watch: read at most `maxEvents` events for at most `wait` seconds.
    var stream: (maxEvents: Int, wait: Double)?
    /// Setup steps: the code the real server answered.
    var expectedCode: Int?

    init(json: JSONValue) throws {
        guard let method = json["method"]?.stringValue, let path = json["path"]?.stringValue else {
            throw CorpusError("a request needs method and path: \(JSON.string(json).prefix(200))")
        }
        self.method = method
        self.path = path
        headers = (json["headers"]?.objectValue ?? JSONObject()).compactMap { key, value in value.stringValue.map { (key, $0) } }
        body = json["body"]
        bodyText = json["body_text"]?.stringValue
        bodyFrom = json["body_from"]?.stringValue
        set = (json["set"]?.objectValue ?? JSONObject()).map { ($0.key, $0.value) }
        unset = json["unset"]?.arrayValue?.compactMap(\.stringValue) ?? []
        until = json["until"].map(PollCondition.init(json:))
        timeout = json["timeout_s"]?.numberValue?.double ?? 30
        if let stream = json["stream"] {
            self.stream = (stream["max_events"]?.numberValue?.int ?? 1, stream["wait_s"]?.numberValue?.double ?? 1)
        }
        expectedCode = json["expected_code"]?.numberValue?.int
    }

    func header(_ name: String) -> String? { headers.first { $0.0.lowercased() == name.lowercased() }?.1 }
}

/// The condition of a polled request: a code, and optionally an `Established` condition or a
/// present field (dotted path, list indexes as numbers).
struct PollCondition: Sendable {
    var code: Int
    var condition: String?
    var has: String?

    init(json: JSONValue) {
        code = json["code"]?.numberValue?.int ?? 200
        condition = json["condition"]?.stringValue
        has = json["has"]?.stringValue
    }

    func isMet(by response: CorpusResponse) -> Bool {
        guard response.code == code else { return false }
        if let condition {
            let conditions = response.json?[path: ["status", "conditions"]]?.arrayValue ?? []
            guard conditions.contains(where: { $0["type"]?.stringValue == condition && $0["status"]?.stringValue == "True" }) else { return false }
        }
        if let has, response.json.flatMap({ DottedPath(has).value(in: $0) }) == nil { return false }
        return true
    }
}

/// What the real server answered.
struct CorpusExpectation: Sendable {
    var code: Int
    var body: JSONValue?
    /// The quoted texts of the `Warning` headers, in order.
    var warnings: [String]
    /// Present only when the answer was not `application/json`.
    var contentType: String?

    init(json: JSONValue) {
        code = json["code"]?.numberValue?.int ?? 0
        body = json["body"]
        warnings = json["warnings"]?.arrayValue?.compactMap(\.stringValue) ?? []
        contentType = json["content_type"]?.stringValue
    }
}

/// A malformed corpus line or an answer the harness cannot read.
struct CorpusError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
