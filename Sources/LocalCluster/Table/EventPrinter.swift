import Foundation
import KubeAPI

/// `printEvent` (wide) for core/v1 Events; events.k8s.io/v1 fields (`regarding`, `note`,
/// `reportingController`, `deprecated*`; core/v1 spells the
/// reporting controller `reportingComponent`) are read as the server's conversion maps them.
enum EventPrinter {
    static func cells(_ o: JSONValue, now: Date) -> [JSONValue] {
        let involved = o["involvedObject"] ?? o["regarding"]
        func since(_ key: String) -> String? {
            guard let text = (o[key] ?? o["deprecated" + key.capitalizedFirst])?.stringValue, !text.isEmpty else { return nil }
            return HumanDuration.since(text, now: now)
        }
        let first = since("firstTimestamp") ?? since("eventTime") ?? "<unknown>"
        var last = since("lastTimestamp") ?? first
        var count = (o["count"] ?? o["deprecatedCount"])?.numberValue?.int ?? 0
        if let series = o["series"], series.objectValue != nil {
            last = HumanDuration.since((series["lastObservedTime"])?.stringValue, now: now)
            count = series["count"]?.numberValue?.int ?? count
        } else if count == 0 {
            count = 1
        }
        let kind = involved?["kind"]?.stringValue?.lowercased() ?? ""
        let target = (involved?["name"]?.stringValue).map { $0.isEmpty ? kind : "\(kind)/\($0)" } ?? kind
        return [
            .string(last), .string(o["type"]?.stringValue ?? ""), .string(o["reason"]?.stringValue ?? ""), .string(target),
            .string(involved?["fieldPath"]?.stringValue ?? ""), .string(source(o)),
            .string((o["message"] ?? o["note"])?.stringValue?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""),
            .string(first), .number(JSONNumber(count)), .string(o["metadata"]?["name"]?.stringValue ?? ""),
        ]
    }

    /// `formatEventSource`: `component, host`, or else `reportingController, reportingInstance`.
    static func source(_ o: JSONValue) -> String {
        let src = o["source"] ?? o["deprecatedSource"]
        let component = src?["component"]?.stringValue ?? ""
        let host = src?["host"]?.stringValue ?? ""
        if component.isEmpty && host.isEmpty {
            let controller = o["reportingComponent"]?.stringValue ?? o["reportingController"]?.stringValue
            return [controller, o["reportingInstance"]?.stringValue]
                .compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ", ")
        }
        return host.isEmpty ? component : "\(component), \(host)"
    }
}
