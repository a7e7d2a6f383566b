import KubeAPI

/// JSON merge patch (RFC 7386, `application/merge-patch+json`).
public enum JSONMergePatch {
    /// Applies `patch` to `target`: objects merge recursively, `null` removes a member,
    /// anything else (arrays included) replaces.
    public static func apply(_ patch: JSONValue, to target: JSONValue) -> JSONValue {
        guard case .object(let patchObject) = patch else { return patch }
        var result = target.objectValue ?? JSONObject()
        for (key, value) in patchObject {
            if value.isNull {
                result.removeValue(forKey: key)
            } else {
                result[key] = apply(value, to: result[key] ?? .null)
            }
        }
        return .object(result)
    }

    /// The merge patch that turns `original` into `modified` (objects only; used by tests
    /// and by `kubectl apply`-style callers).
    public static func diff(from original: JSONValue, to modified: JSONValue) -> JSONValue {
        guard case .object(let a) = original, case .object(let b) = modified else { return modified }
        var patch = JSONObject()
        for (key, _) in a where b[key] == nil { patch[key] = .null }
        for (key, value) in b {
            guard let old = a[key] else { patch[key] = value; continue }
            if old == value { continue }
            if case .object = old, case .object = value {
                patch[key] = diff(from: old, to: value)
            } else {
                patch[key] = value
            }
        }
        return .object(patch)
    }
}
