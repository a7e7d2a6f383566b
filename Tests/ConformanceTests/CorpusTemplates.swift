import Foundation
import KubeAPI

/// Resolves what a request sends from the answers seen so far in its case:
/// `{{setup.N.a.b}}` (field `a.b` of the answer to setup step N), `{{response.a.b}}` (of the
/// case's main answer), and the core corpus's `body_from` with `set`/`unset`.
struct CorpusTemplates: Sendable {
    var setupAnswers: [JSONValue?] = []
    var response: JSONValue?

    /// The bytes to send for `request`, or nil for no body.
    func body(of request: CorpusRequest) throws -> [UInt8]? {
        if let source = request.bodyFrom {
            guard var value = try answer(named: source) else { throw CorpusError("body_from \(source): no such answer") }
            for (path, newValue) in request.set { value = DottedPath(path).setting(resolve(newValue), in: value) }
            for path in request.unset { value = DottedPath(path).removing(from: value) }
            return JSON.serialize(value)
        }
        if let text = request.bodyText { return Array(try substitute(text, encode: false).utf8) }
        if let body = request.body { return JSON.serialize(resolve(body)) }
        return nil
    }

    /// The request path with templates replaced (values percent-encoded).
    func path(of request: CorpusRequest) throws -> String { try substitute(request.path, encode: true) }

    /// A JSON value with templates replaced inside its strings; a string that is only a
    /// template takes the referenced value as it is (number, object, …).
    func resolve(_ value: JSONValue) -> JSONValue {
        switch value {
        case .string(let s):
            if s.hasPrefix("{{"), s.hasSuffix("}}"), s.dropFirst(2).dropLast(2).allSatisfy({ $0 != "}" }),
               let referenced = try? lookup(String(s.dropFirst(2).dropLast(2))) {
                return referenced
            }
            return .string((try? substitute(s, encode: false)) ?? s)
        case .array(let items): return .array(items.map(resolve))
        case .object(let o):
            var out = JSONObject()
            for (key, child) in o { out[key] = resolve(child) }
            return .object(out)
        default: return value
        }
    }

    func substitute(_ text: String, encode: Bool) throws -> String {
        var out = ""
        var rest = Substring(text)
        while let open = rest.range(of: "{{") {
            guard let close = rest[open.upperBound...].range(of: "}}") else { break }
            out += rest[..<open.lowerBound]
            let value = try lookup(String(rest[open.upperBound..<close.lowerBound]))
            let text = value.stringValue ?? JSON.string(value)
            out += encode ? (text.addingPercentEncoding(withAllowedCharacters: Self.queryValue) ?? text) : text
            rest = rest[close.upperBound...]
        }
        return out + rest
    }

    /// `setup.0.metadata.resourceVersion`, `response.metadata.name`.
    func lookup(_ reference: String) throws -> JSONValue {
        let path = DottedPath(reference)
        guard let root = path.segments.first else { throw CorpusError("empty template") }
        let (source, rest): (JSONValue?, ArraySlice<String>)
        if root == "setup", path.segments.count > 1 {
            source = try answer(named: "setup.\(path.segments[1])")
            rest = path.segments.dropFirst(2)
        } else {
            source = try answer(named: root)
            rest = path.segments.dropFirst()
        }
        guard let source, let value = DottedPath(segments: Array(rest)).value(in: source) else {
            throw CorpusError("template {{\(reference)}}: no such value")
        }
        return value
    }

    func answer(named name: String) throws -> JSONValue? {
        if name == "response" { return response }
        let parts = name.split(separator: ".")
        guard parts.count == 2, parts[0] == "setup", let i = Int(parts[1]), setupAnswers.indices.contains(i) else {
            throw CorpusError("unknown answer \(name)")
        }
        return setupAnswers[i]
    }

    static let queryValue: CharacterSet = {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return allowed
    }()
}
