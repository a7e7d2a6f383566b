import Foundation
import KubeAPI

/// Replaces, in an answer of the server under test, the values that change from run to run
/// by the corpus's placeholders (the corpus README's "Placeholders" tables), so that it can be
/// compared with the recorded answer. Applied to the whole body, list items, Table rows'
/// objects and watch events' objects.
struct CorpusPlaceholders: Sendable {
    /// `generateName` prefixes the case's requests used: `gen-x7k2q` → `gen-<random>`.
    var generateNames: Set<String> = []

    static let keptUID = "11111111-2222-3333-4444-555555555555"

    /// The answer with placeholders: a Status, a list, a Table, watch events or an object.
    func apply(_ body: JSONValue) -> JSONValue {
        switch body {
        case .array(let events):
            return .array(events.map { event in
                guard var e = event.objectValue else { return event }
                if let object = e["object"] { e["object"] = apply(object) }
                return .object(e)
            })
        case .object(var o):
            if o["kind"]?.stringValue == "Status" { return text(.object(statusWithPlaceholders(o))) }
            if o["kind"]?.stringValue == "Table" { return text(.object(table(o))) }
            if case .array(let items)? = o["items"] {
                o["metadata"] = listMetadata(o["metadata"])
                o["items"] = .array(items.map { $0.objectValue.map { .object(object($0)) } ?? $0 })
                return text(.object(o))
            }
            return text(.object(object(o)))
        default:
            return body
        }
    }

    func statusWithPlaceholders(_ status: JSONObject) -> JSONObject {
        var s = status
        if s["details"]?["uid"]?.stringValue != nil { s["details"]?["uid"] = "<uid>" }
        return s
    }

    func listMetadata(_ metadata: JSONValue?) -> JSONValue? {
        guard var m = metadata?.objectValue else { return metadata }
        if m["resourceVersion"]?.stringValue != nil { m["resourceVersion"] = "<resourceVersion>" }
        if let token = m["continue"]?.stringValue, !token.isEmpty { m["continue"] = "<continue>" }
        return .object(m)
    }

    /// Placeholders of one object: metadata, managedFields times, CRD and Namespace condition
    /// times, Service cluster IPs and node ports.
    func object(_ input: JSONObject) -> JSONObject {
        var o = input
        if var m = o["metadata"]?.objectValue {
            if let uid = m["uid"]?.stringValue, uid != Self.keptUID { m["uid"] = "<uid>" }
            if m["resourceVersion"]?.stringValue != nil { m["resourceVersion"] = "<resourceVersion>" }
            for key in ["creationTimestamp", "deletionTimestamp"] where m[key]?.stringValue != nil { m[key] = "<timestamp>" }
            if case .array(let entries)? = m["managedFields"] {
                m["managedFields"] = .array(entries.map { entry in
                    guard var e = entry.objectValue, e["time"]?.stringValue != nil else { return entry }
                    e["time"] = "<timestamp>"
                    return .object(e)
                })
            }
            o["metadata"] = .object(m)
        }
        let kind = o["kind"]?.stringValue
        if kind == "CustomResourceDefinition" || kind == "Namespace", case .array(let conditions)? = o["status"]?["conditions"] {
            o["status"]?["conditions"] = .array(conditions.map { c in
                guard var c = c.objectValue, c["lastTransitionTime"]?.stringValue != nil else { return c }
                c["lastTransitionTime"] = "<timestamp>"
                return .object(c)
            })
        }
        if kind == "Service", var spec = o["spec"]?.objectValue {
            if let ip = spec["clusterIP"]?.stringValue, ip != "None", !ip.isEmpty { spec["clusterIP"] = "<clusterIP>" }
            if case .array(let ips)? = spec["clusterIPs"] {
                spec["clusterIPs"] = .array(ips.map { $0.stringValue == "None" ? $0 : "<clusterIP>" })
            }
            if case .array(let ports)? = spec["ports"] {
                spec["ports"] = .array(ports.map { p in
                    guard var p = p.objectValue, p["nodePort"] != nil else { return p }
                    p["nodePort"] = "<nodePort>"
                    return .object(p)
                })
            }
            if spec["healthCheckNodePort"] != nil { spec["healthCheckNodePort"] = "<nodePort>" }
            o["spec"] = .object(spec)
        }
        return o
    }

    /// A Table: list metadata, row objects, and the cells of `date` columns and of the
    /// `Age`, `Last Seen` and `First Seen` columns.
    func table(_ input: JSONObject) -> JSONObject {
        var t = input
        t["metadata"] = listMetadata(t["metadata"])
        let columns = t["columnDefinitions"]?.arrayValue ?? []
        let ageColumns = Set(columns.indices.filter {
            // The recorder left the pod and namespace tables' Age cells (string columns) as it saw
            // them ("41s"): an age depends on when the replay runs, so it is a placeholder too.
            columns[$0]["format"]?.stringValue == "date" || ["Age", "Last Seen", "First Seen"].contains(columns[$0]["name"]?.stringValue ?? "")
        })
        if case .array(let rows)? = t["rows"] {
            t["rows"] = .array(rows.map { row in
                guard var r = row.objectValue else { return row }
                if case .array(var cells)? = r["cells"] {
                    for i in ageColumns where cells.indices.contains(i) && cells[i].stringValue != nil { cells[i] = "<age>" }
                    r["cells"] = .array(cells)
                }
                if let object = r["object"]?.objectValue { r["object"] = .object(self.object(object)) }
                return .object(r)
            })
        }
        return t
    }

    // MARK: - Inside strings

    /// Every string of the value with generated names replaced; inside `message` strings
    /// also UIDs, RFC 3339 timestamps and the server's current resourceVersion.
    func text(_ value: JSONValue, isMessage: Bool = false) -> JSONValue {
        switch value {
        case .string(let s): return .string(isMessage ? message(names(s)) : names(s))
        case .array(let items): return .array(items.map { text($0, isMessage: isMessage) })
        case .object(let o):
            var out = JSONObject()
            for (key, child) in o { out[key] = text(child, isMessage: key == "message") }
            return .object(out)
        default: return value
        }
    }

    func names(_ input: String) -> String {
        var s = input
        for prefix in generateNames where s.contains(prefix) {
            s = Self.replace(NSRegularExpression.escapedPattern(for: prefix) + "[a-z0-9]{5}(?![a-z0-9])", in: s, with: NSRegularExpression.escapedTemplate(for: prefix) + "<random>")
        }
        if s.contains("kube-api-access-") {
            s = Self.replace(#"kube-api-access-[a-z0-9]{5}(?![a-z0-9])"#, in: s, with: "kube-api-access-<random>")
        }
        return s
    }

    func message(_ input: String) -> String {
        var s = input
        s = Self.replace(#"(?<![0-9a-f-])(?!11111111-2222-3333-4444-555555555555)[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(?![0-9a-f-])"#, in: s, with: "<uid>")
        s = Self.replace(#"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})"#, in: s, with: "<timestamp>")
        s = Self.replace(#"(too old resource version: \d+ \()\d+(\))"#, in: s, with: "$1<resourceVersion>$2")
        s = Self.replace(#"(current: |ResourceVersion in object meta: )\d+"#, in: s, with: "$1<resourceVersion>")
        // An object quoted in a message (a strict-decoding error of a patch) carries its own.
        s = Self.replace(#"(\\?"resourceVersion\\?":\\?")\d+"#, in: s, with: "$1<resourceVersion>")
        return s
    }

    static func replace(_ pattern: String, in s: String, with template: String) -> String {
        guard let regex = try? NSRegularExpression(pattern: pattern) else { return s }
        return regex.stringByReplacingMatches(in: s, range: NSRange(s.startIndex..., in: s), withTemplate: template)
    }
}
