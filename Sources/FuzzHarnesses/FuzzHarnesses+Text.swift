import CEL
import Foundation
import KubeAPI
import KubeClient
import SlipwayCore
import Yams

extension FuzzHarness {
    /// Kubeconfig YAML (`KubeConfig(yaml:)`, then merged as `MergedKubeConfig` does): never
    /// traps, and a loaded config encodes to YAML that loads back equal. (No context is
    /// resolved: that reads the files a config names.)
    @discardableResult
    public static func kubeconfig(_ bytes: [UInt8]) -> Bool {
        guard let text = text(bytes), let config = try? KubeConfig(yaml: text) else { return false }
        _ = MergedKubeConfig(files: [(path: "/fuzz/a", config: config), (path: "/fuzz/b", config: config)])
        guard let encoded = try? YAMLEncoder().encode(config) else { return true }
        let again: KubeConfig
        do { again = try KubeConfig(yaml: encoded) } catch {
            violated("an encoded kubeconfig loads", "\(text) → \(encoded): \(error)")
        }
        guard again == config else { violated("kubeconfig round trip", "\(text) → \(encoded)") }
        return true
    }

    /// The instant cron harnesses start from, and the zones they step through (one with
    /// daylight saving).
    static let cronStart = Date(timeIntervalSince1970: 1_800_000_000)
    static let cronZones = [TimeZone(identifier: "UTC"), TimeZone(identifier: "America/New_York")].compactMap { $0 }

    /// Cron expressions (`CronSchedule(parsing:)` and `next(after:in:)`): never traps, and
    /// successive firings strictly increase.
    @discardableResult
    public static func cron(_ bytes: [UInt8]) -> Bool {
        guard let text = text(bytes), let schedule = try? CronSchedule(parsing: text) else { return false }
        for zone in cronZones {
            var instant = cronStart
            for _ in 0..<3 {
                guard let next = schedule.next(after: instant, in: zone) else { break }
                guard next > instant else { violated("cron next is after its start", "\(text) in \(zone.identifier): \(next) ≤ \(instant)") }
                _ = CronSchedule.slot(of: next, in: zone)
                instant = next
            }
        }
        return true
    }

    /// The `self` a CEL harness evaluates against: an object with a string, numbers, a
    /// quantity, a list and a map, like a CRD's spec.
    static let celSelf: JSONValue = {
        let text = #"{"name":"job","replicas":3,"ratio":0.5,"memory":"1Gi","tags":["a","b"],"labels":{"k":"v"},"nested":{"x":[1,2,3]}}"#
        do { return try JSON.parse(text) } catch { fatalError("CEL self is valid JSON: \(error)") }
    }()

    /// CEL (parse, type-check, estimate and evaluate with the per-call cost limit): never
    /// traps, and evaluation stops at the cost limit.
    @discardableResult
    public static func cel(_ bytes: [UInt8]) -> Bool {
        guard let text = text(bytes), let program = try? CELProgram.compile(text, selfType: nil) else { return false }
        let value = CELValue.from(json: celSelf, type: nil)
        let limit: UInt64 = 100_000
        let result = program.evaluate(["self": value, "oldSelf": value], costLimit: limit)
        _ = String(describing: result.value)
        return true
    }
}
