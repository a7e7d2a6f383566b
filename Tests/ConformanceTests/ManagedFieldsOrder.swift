import KubeAPI

/// The order of `metadata.managedFields` without the clock.
///
/// A real server sorts managedFields by operation, then by the entry's time in whole seconds,
/// then by manager, apiVersion and subresource. Two writes of one case fall in the same second
/// or in two, as the clock happens to tick, so a replay may order them differently from the
/// recording and both be right. The comparison therefore checks that the answer is in the
/// server's order by its own times (`violations`), and then compares both sides sorted without
/// times (`timeFree`).
enum ManagedFieldsOrder {
    /// The objects of `body` whose managedFields are not in the server's order, one line each.
    static func violations(in body: JSONValue) -> [String] {
        var out: [String] = []
        forEachObject(in: body) { object in
            let entries = object["metadata"]?["managedFields"]?.arrayValue ?? []
            for (a, b) in zip(entries, entries.dropFirst()) where serverOrder(b, a) {
                let name = object["metadata"]?["name"]?.stringValue ?? "?"
                out.append("\(name): managedFields out of the server's order: \(describe(a)) before \(describe(b))")
            }
        }
        return out
    }

    /// `body` with every object's managedFields sorted by operation, manager, apiVersion and
    /// subresource.
    static func timeFree(_ body: JSONValue) -> JSONValue {
        mapObjects(in: body) { object in
            guard var metadata = object["metadata"]?.objectValue,
                  let entries = metadata["managedFields"]?.arrayValue else { return object }
            metadata["managedFields"] = .array(entries.sorted { key($0).lexicographicallyPrecedes(key($1)) })
            var object = object
            object["metadata"] = .object(metadata)
            return object
        }
    }

    private static func key(_ e: JSONValue) -> [String] {
        ["operation", "manager", "apiVersion", "subresource"].map { e[$0]?.stringValue ?? "" }
    }

    /// Whether `a` comes before `b` in the server's order (times compared in whole seconds).
    static func serverOrder(_ a: JSONValue, _ b: JSONValue) -> Bool {
        let (ka, kb) = (key(a), key(b))
        if ka[0] != kb[0] { return ka[0] < kb[0] }
        let (ta, tb) = (seconds(a), seconds(b))
        if ta != tb { return ta < tb }
        return ka[1...].lexicographicallyPrecedes(kb[1...])
    }

    /// The entry's time cut to the second (`2026-12-07T19:38:37`); RFC 3339 times in UTC
    /// sort as text.
    private static func seconds(_ e: JSONValue) -> String {
        String((e["time"]?.stringValue ?? "").prefix(19))
    }

    private static func describe(_ e: JSONValue) -> String {
        "\(e["manager"]?.stringValue ?? "?") \(e["operation"]?.stringValue ?? "?")\(e["subresource"]?.stringValue.map { "/\($0)" } ?? "") at \(e["time"]?.stringValue ?? "?")"
    }

    /// Calls `body` for the answer's object, each list item and each watch event's object.
    private static func forEachObject(in body: JSONValue, _ visit: (JSONObject) -> Void) {
        _ = mapObjects(in: body) { visit($0); return $0 }
    }

    private static func mapObjects(in body: JSONValue, _ transform: (JSONObject) -> JSONObject) -> JSONValue {
        switch body {
        case .array(let events):
            return .array(events.map { event in
                guard var e = event.objectValue, let object = e["object"] else { return event }
                e["object"] = mapObjects(in: object, transform)
                return .object(e)
            })
        case .object(var o):
            if case .array(let items)? = o["items"] {
                o["items"] = .array(items.map { $0.objectValue.map { .object(transform($0)) } ?? $0 })
                return .object(o)
            }
            return .object(transform(o))
        default:
            return body
        }
    }
}
