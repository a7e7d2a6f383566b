import Foundation
import KubeAPI
import LocalCluster

extension FuzzHarness {
    /// The time every apply in the harnesses runs at.
    static let applyTime = Date(timeIntervalSince1970: 1_800_000_000)

    /// JSON patch (RFC 6902) of the input against the base pod: never traps, and a patch
    /// that applies gives a document that serializes and parses back equal.
    @discardableResult
    public static func jsonPatch(_ bytes: [UInt8]) -> Bool {
        guard let patch = try? JSON.parse(bytes), let patched = try? JSONPatch.apply(patch, to: basePod) else { return false }
        checkRoundTrip(patched, "JSON patch result")
        return true
    }

    /// JSON merge patch (RFC 7386) of the input against the base pod: idempotent (applying
    /// the same patch again changes nothing), and the diff from the base to the result,
    /// applied to the base, gives the result back when the result has no nulls.
    @discardableResult
    public static func mergePatch(_ bytes: [UInt8]) -> Bool {
        guard let patch = try? JSON.parse(bytes) else { return false }
        let once = JSONMergePatch.apply(patch, to: basePod)
        let twice = JSONMergePatch.apply(patch, to: once)
        guard once == twice else { violated("merge patch is idempotent", "\(patch): \(once) then \(twice)") }
        if case .object = once, !containsNull(once) {
            let diff = JSONMergePatch.diff(from: basePod, to: once)
            let rebuilt = JSONMergePatch.apply(diff, to: basePod)
            guard rebuilt == once else { violated("merge diff rebuilds the target", "\(patch): diff \(diff) gave \(rebuilt)") }
        }
        checkRoundTrip(once, "merge patch result")
        return true
    }

    /// Strategic merge patch of the input against the base pod with the pod's patch schema
    /// (containers, env, ports, volumes merged by key; directives `$patch`, `$retainKeys`,
    /// `$deleteFromPrimitiveList`, `$setElementOrder`): never traps.
    @discardableResult
    public static func strategicMergePatch(_ bytes: [UInt8]) -> Bool {
        guard let patch = try? JSON.parse(bytes),
              let patched = try? StrategicMergePatch.apply(patch, to: basePod, schema: .forKind("Pod"))
        else { return false }
        checkRoundTrip(patched, "strategic merge patch result")
        return true
    }

    /// Server-side apply of the input (an applied configuration; the first byte's low bit is
    /// `force`) to the base pod with the pod's apply schema: never traps, re-applying the
    /// same configuration by the same manager changes nothing, and a second manager's
    /// apply either conflicts (409) or succeeds.
    @discardableResult
    public static func serverSideApply(_ bytes: [UInt8]) -> Bool {
        guard let flags = bytes.first, case .object(let applied)? = try? JSON.parse(bytes.dropFirst()),
              case .object(let live) = basePod
        else { return false }
        let force = flags & 1 == 1
        let schema = ApplySchema.builtin(kind: "Pod")
        let once: JSONObject
        do {
            once = try ServerSideApply.apply(
                applied: applied, to: live, manager: "fuzz", force: force, now: applyTime, apiVersion: "v1", schema: schema)
        } catch { return false }
        let twice: JSONObject
        do {
            twice = try ServerSideApply.apply(
                applied: applied, to: once, manager: "fuzz", force: false, now: applyTime.addingTimeInterval(60), apiVersion: "v1",
                schema: schema)
        } catch {
            violated("re-applying the same configuration succeeds", "\(applied): \(error)")
        }
        guard once == twice else { violated("re-applying the same configuration changes nothing", "\(applied): \(once) then \(twice)") }
        _ = try? ServerSideApply.apply(
            applied: applied, to: once, manager: "other", force: false, now: applyTime, apiVersion: "v1", schema: schema)
        _ = ServerSideApply.recordUpdate(old: live, new: once, manager: "update", now: applyTime, apiVersion: "v1", schema: schema)
        checkRoundTrip(.object(once), "apply result")
        return true
    }

    // MARK: - Decoders

    /// The Kubernetes protobuf reader (`KubernetesProtobuf.decodeObject`, the `k8s\0`
    /// envelope and ConfigMap, Secret, Namespace and DeleteOptions): never traps, bounded
    /// by the input, and what it decodes is JSON that round-trips.
    @discardableResult
    public static func protobuf(_ bytes: [UInt8]) -> Bool {
        guard let object = try? KubernetesProtobuf.decodeObject(bytes) else { return false }
        checkRoundTrip(.object(object), "decoded protobuf object")
        return true
    }

    // MARK: - Helpers

    /// `value` serializes to JSON that parses back equal.
    static func checkRoundTrip(_ value: JSONValue, _ what: String) {
        let serialized = JSON.serialize(value)
        guard let again = try? JSON.parse(serialized), again == value else {
            violated("\(what) round-trips through JSON", String(decoding: serialized, as: UTF8.self))
        }
    }

    static func containsNull(_ value: JSONValue) -> Bool {
        switch value {
        case .null: true
        case .array(let items): items.contains(where: containsNull)
        case .object(let object): object.storage.values.contains(where: containsNull)
        default: false
        }
    }
}
