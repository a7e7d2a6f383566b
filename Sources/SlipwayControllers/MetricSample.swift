import Foundation

/// One sample of the Prometheus text format, as `/metrics` serves it: what `slipway bench
/// --operator-metrics` and the tests read back.
public struct MetricSample: Sendable, Hashable {
    public var name: String
    public var labels: [String: String]
    public var value: Double

    /// Parses `name{a="x",b="y"} 1.5` lines; comments and blanks are skipped.
    public static func parse(_ text: String) -> [MetricSample] {
        text.split(separator: "\n").compactMap { raw in
            let line = String(raw)
            guard !line.hasPrefix("#"), let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else { return nil }
            let series = line[..<space]
            guard let brace = series.firstIndex(of: "{") else { return MetricSample(name: String(series), labels: [:], value: value) }
            var labels: [String: String] = [:]
            let body = series[series.index(after: brace)..<(series.lastIndex(of: "}") ?? series.endIndex)]
            for pair in body.split(separator: ",") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                guard parts.count == 2 else { continue }
                labels[String(parts[0])] = String(parts[1].dropFirst().dropLast())
            }
            return MetricSample(name: String(series[..<brace]), labels: labels, value: value)
        }
    }
}

extension [MetricSample] {
    /// The sum of `name`'s samples whose labels include `labels`.
    public func sum(_ name: String, _ labels: [String: String] = [:]) -> Double {
        filter { sample in sample.name == name && labels.allSatisfy { key, value in sample.labels[key] == value } }.reduce(0) { $0 + $1.value }
    }

    public func has(_ name: String) -> Bool { contains { $0.name == name } }

    /// The upper bound of the histogram bucket that holds the `q` quantile of histogram `name`
    /// (its `_bucket` series, summed over the series whose labels include `labels`), as
    /// Prometheus's `histogram_quantile` would bracket it; nil when it has no observations.
    public func quantile(_ q: Double, of name: String, _ labels: [String: String] = [:]) -> Double? {
        var counts: [Double: Double] = [:]
        for sample in self where sample.name == name + "_bucket" && labels.allSatisfy({ sample.labels[$0.key] == $0.value }) {
            guard let le = sample.labels["le"].flatMap({ $0 == "+Inf" ? Double.infinity : Double($0) }) else { continue }
            counts[le, default: 0] += sample.value
        }
        let buckets = counts.sorted { $0.key < $1.key }
        guard let total = buckets.last?.value, total > 0 else { return nil }
        return buckets.first { $0.value >= q * total }?.key
    }
}
