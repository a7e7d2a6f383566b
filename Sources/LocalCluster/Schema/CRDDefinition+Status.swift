import KubeAPI

extension CRDDefinition {
    /// `status` as a create answers it, before the name controller runs:
    /// `conditions: null`, empty accepted names, the storage version stored.
    public var initialStatus: JSONValue {
        .object([
            "conditions": .null,
            "acceptedNames": ["plural": "", "kind": ""],
            "storedVersions": .array(nextStoredVersions.map { .string($0) }),
        ])
    }

    /// `status` once the CRD is established: NamesAccepted (`NoConflicts`) and Established
    /// (`InitialNamesAccepted`), both True since `transitionTime` (RFC 3339), the accepted
    /// names and the stored versions.
    public func establishedStatus(transitionTime: String) -> JSONValue {
        let time = JSONValue.string(transitionTime)
        let conditions: [JSONValue] = [
            ["type": "NamesAccepted", "status": "True", "lastTransitionTime": time, "reason": "NoConflicts", "message": "no conflicts found"],
            ["type": "Established", "status": "True", "lastTransitionTime": time, "reason": "InitialNamesAccepted", "message": "the initial names have been accepted"],
        ]
        return .object([
            "conditions": .array(conditions),
            "acceptedNames": acceptedNames,
            "storedVersions": .array(nextStoredVersions.map { .string($0) }),
        ])
    }

    /// `status.acceptedNames`: plural, singular, shortNames, kind, listKind, categories
    /// (empty lists omitted), in the server's key order.
    public var acceptedNames: JSONValue {
        var names: JSONObject = ["plural": .string(plural)]
        if !singular.isEmpty { names["singular"] = .string(singular) }
        if !shortNames.isEmpty { names["shortNames"] = .array(shortNames.map { .string($0) }) }
        names["kind"] = .string(kind)
        if !listKind.isEmpty { names["listKind"] = .string(listKind) }
        if !categories.isEmpty { names["categories"] = .array(categories.map { .string($0) }) }
        return .object(names)
    }

    /// The existing `storedVersions` plus the current storage version if it is new.
    public var nextStoredVersions: [String] {
        guard let storage = storageVersion, !storedVersions.contains(storage) else { return storedVersions }
        return storedVersions + [storage]
    }
}

extension CRDDefinition {
    /// The finalizer the apiextensions server puts on every CRD: its instances are deleted
    /// before the CRD goes.
    public static let cleanupFinalizer = "customresourcecleanup.apiextensions.k8s.io"

    /// A CRD as the real server answers its DELETE: marked for deletion, holding the cleanup
    /// finalizer, with a `Terminating` condition. (slipway dev deletes the instances and the
    /// CRD at once; the answer shows the state the real server passes through.)
    public static func terminating(_ crd: JSONObject, at time: String) -> JSONObject {
        var result = crd
        var meta = crd["metadata"]?.objectValue ?? JSONObject()
        if meta["deletionTimestamp"] == nil { meta["deletionTimestamp"] = .string(time) }
        var finalizers = meta["finalizers"]?.arrayValue ?? []
        if !finalizers.contains(.string(cleanupFinalizer)) { finalizers.append(.string(cleanupFinalizer)) }
        meta["finalizers"] = .array(finalizers)
        result["metadata"] = .object(meta)
        var status = crd["status"]?.objectValue ?? JSONObject()
        var conditions = status["conditions"]?.arrayValue ?? []
        conditions.removeAll { $0["type"]?.stringValue == "Terminating" }
        let terminating: JSONValue = [
            "type": "Terminating", "status": "True", "lastTransitionTime": .string(time), "reason": "InstanceDeletionPending",
            "message": "CustomResourceDefinition marked for deletion; CustomResource deletion will begin soon",
        ]
        if let established = conditions.firstIndex(where: { $0["type"]?.stringValue == "Established" }) {
            conditions.insert(terminating, at: established + 1)
        } else {
            conditions.append(terminating)
        }
        status["conditions"] = .array(conditions)
        result["status"] = .object(status)
        return result
    }
}
