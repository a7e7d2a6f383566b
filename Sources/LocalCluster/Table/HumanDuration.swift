import Foundation
import KubeAPI

/// kubectl's `duration.HumanDuration` (k8s.io/apimachinery/pkg/util/duration): the AGE of
/// `kubectl get`, such as `45s`, `5m3s`, `3h10m`, `2d3h`, `1y20d`.
public enum HumanDuration {
    /// Formats `seconds`. Up to 2 s in the future counts as `0s` (clock skew); further in
    /// the future is `<invalid>`.
    public static func string(_ seconds: TimeInterval) -> String {
        let whole = Int(seconds.rounded(.towardZero))
        if whole < -1 { return "<invalid>" }
        if whole < 0 { return "0s" }
        if whole < 120 { return "\(whole)s" }
        let minutes = whole / 60
        if minutes < 10 {
            let s = whole % 60
            return s == 0 ? "\(minutes)m" : "\(minutes)m\(s)s"
        }
        if minutes < 180 { return "\(minutes)m" }
        let hours = whole / 3600
        if hours < 8 {
            let m = minutes % 60
            return m == 0 ? "\(hours)h" : "\(hours)h\(m)m"
        }
        if hours < 48 { return "\(hours)h" }
        if hours < 24 * 8 {
            let h = hours % 24
            return h == 0 ? "\(hours / 24)d" : "\(hours / 24)d\(h)h"
        }
        if hours < 24 * 365 * 2 { return "\(hours / 24)d" }
        if hours < 24 * 365 * 8 {
            let days = (hours / 24) % 365
            return days == 0 ? "\(hours / 24 / 365)y" : "\(hours / 24 / 365)y\(days)d"
        }
        return "\(hours / 24 / 365)y"
    }

    /// The age of an RFC 3339 timestamp at `now` (`translateTimestampSince`): `<unknown>`
    /// when the timestamp is missing or unparsable.
    public static func since(_ timestamp: String?, now: Date) -> String {
        guard let timestamp, let date = parseTimestamp(timestamp) else { return "<unknown>" }
        return string(now.timeIntervalSince(date))
    }

    /// Parses RFC 3339 with or without fractional seconds.
    static func parseTimestamp(_ text: String) -> Date? { RFC3339.parse(text) }
}
