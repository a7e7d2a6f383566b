import KubeAPI

extension FieldChecks {
    static let mutableFieldsMessage =
        "pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)"

    /// Errors of a pod update (`ValidatePodUpdate`): the new spec must be valid, and may
    /// differ from the old one only in container images, a lower `activeDeadlineSeconds`,
    /// added tolerations (or a changed `tolerationSeconds`) and a negative grace period
    /// raised to 1.
    static func validatePodUpdate(_ new: JSONObject, old: JSONObject) -> [FieldError] {
        var v = FieldChecks()
        let newSpec = new["spec"]?.objectValue ?? JSONObject()
        let oldSpec = old["spec"]?.objectValue ?? JSONObject()
        let path = FieldPath("spec")
        v.podSpec(newSpec, at: path)
        for key in ["containers", "initContainers"] where newSpec.objects(key).count != oldSpec.objects(key).count {
            v.add(.forbidden, path.child(key), nil, "pod updates may not \(key == "containers" ? "add or remove containers" : "add or remove init containers")")
            return v.errors
        }
        v.activeDeadline(new: newSpec["activeDeadlineSeconds"], old: oldSpec["activeDeadlineSeconds"], at: path.child("activeDeadlineSeconds"))
        var munged = newSpec
        for key in ["containers", "initContainers"] {
            let oldImages = oldSpec.objects(key).map { $0["image"] }
            var index = 0
            munged.editEach(key) { container in
                container["image"] = oldImages[index]
                index += 1
            }
        }
        munged["activeDeadlineSeconds"] = oldSpec["activeDeadlineSeconds"]
        v.onlyAddedTolerations(new: newSpec.objects("tolerations"), old: oldSpec.objects("tolerations"), at: path.child("tolerations"))
        munged["tolerations"] = oldSpec["tolerations"]
        if let oldGrace = oldSpec["terminationGracePeriodSeconds"]?.numberValue?.int64, oldGrace < 0,
            newSpec["terminationGracePeriodSeconds"]?.numberValue?.int64 == 1
        {
            munged["terminationGracePeriodSeconds"] = oldSpec["terminationGracePeriodSeconds"]
        }
        if munged != oldSpec {
            let changed = JSONDifference.paths(.object(oldSpec), .object(munged), at: "spec").prefix(5).joined(separator: ", ")
            v.add(.forbidden, path, nil, mutableFieldsMessage + "\n(changed: \(changed))")
        }
        return v.errors
    }

    mutating func activeDeadline(new: JSONValue?, old: JSONValue?, at path: FieldPath) {
        guard let oldValue = old?.numberValue?.int64 else { return }
        guard let newValue = new?.numberValue?.int64 else {
            add(.invalid, path, .null, "must not update from a positive integer to nil value")
            return
        }
        if newValue > oldValue { add(.invalid, path, .number(JSONNumber(newValue)), "must be less than or equal to previous value") }
    }

    /// `validateOnlyAddedTolerations`: every old toleration is still there, unchanged but for
    /// its `tolerationSeconds` (NoExecute only).
    mutating func onlyAddedTolerations(new: [JSONObject], old: [JSONObject], at path: FieldPath) {
        for oldToleration in old {
            let kept = new.contains { candidate in
                var a = candidate
                var b = oldToleration
                a.removeValue(forKey: "tolerationSeconds")
                b.removeValue(forKey: "tolerationSeconds")
                guard a == b else { return false }
                return candidate["tolerationSeconds"] == oldToleration["tolerationSeconds"] || candidate.string("effect") == "NoExecute"
            }
            if !kept {
                add(.forbidden, path, nil, "existing toleration can not be modified except its tolerationSeconds")
                return
            }
        }
    }
}

/// Where two JSON values differ, as dotted paths (for update error messages).
enum JSONDifference {
    static func paths(_ a: JSONValue, _ b: JSONValue, at path: String) -> [String] {
        switch (a, b) {
        case (.object(let x), .object(let y)):
            let keys = Array(x.keys) + y.keys.filter { x[$0] == nil }
            return keys.flatMap { key in paths(x[key] ?? .null, y[key] ?? .null, at: "\(path).\(key)") }
        case (.array(let x), .array(let y)) where x.count == y.count:
            return zip(x, y).enumerated().flatMap { i, pair in paths(pair.0, pair.1, at: "\(path)[\(i)]") }
        default:
            return a == b ? [] : [path]
        }
    }
}
