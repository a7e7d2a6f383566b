import Foundation
import KubeAPI

extension ObjectStore {
    /// Starts the graceful deletion of a pod that runs on a node: the pod keeps existing
    /// with `deletionTimestamp` = now + grace and `deletionGracePeriodSeconds`, so that the
    /// kubelet can stop its containers (SIGTERM, then SIGKILL at the deadline) and then
    /// remove it with a zero-grace delete — as a real API server and kubelet do.
    ///
    /// Returns nil when the object is already being deleted with a grace no longer than
    /// `graceSeconds` (nothing to change).
    public mutating func beginGracefulDeletion(
        _ type: ResourceType, namespace: String?, name: String, graceSeconds: Int64, now: Date
    ) throws(Status) -> JSONObject? {
        let key = StoreKey(type, namespace: namespace, name: name)
        guard let existing = entries[key]?.object else { throw StoreErrors.notFound(type, name: name) }
        if let current = existing.meta("deletionGracePeriodSeconds")?.numberValue?.int64, current <= graceSeconds {
            return nil
        }
        var updated = existing
        updated.setMeta("deletionTimestamp", now.addingTimeInterval(TimeInterval(graceSeconds)).json)
        updated.setMeta("deletionGracePeriodSeconds", .number(JSONNumber(graceSeconds)))
        return commit(type, key: key, object: updated, event: .modified)
    }
}

extension ObjectStore {
    /// Deletes a pod the way its registry does: it is marked with `deletionTimestamp` = now +
    /// grace, `deletionGracePeriodSeconds` and a bumped `generation`; with a zero grace and no
    /// finalizers it is removed at once (and the marked object returned), otherwise it stays
    /// for its node to stop. A pod already being deleted only gets a shorter grace period.
    ///
    /// - Throws: `404 NotFound`; `409 Conflict` when a precondition fails.
    public mutating func deletePod(
        namespace: String?, name: String, graceSeconds: Int64, options: DeleteOptions = DeleteOptions(), now: Date
    ) throws(Status) -> JSONObject {
        let key = StoreKey(.pods, namespace: namespace, name: name)
        guard let existing = entries[key]?.object else { throw StoreErrors.notFound(.pods, name: name) }
        try checkDeletePreconditions(.pods, name: name, existing: existing, options: options)
        if let current = existing.meta("deletionGracePeriodSeconds")?.numberValue?.int64, existing.meta("deletionTimestamp") != nil {
            guard graceSeconds < current else { return existing }
        }
        var marked = existing
        marked.setMeta("deletionTimestamp", now.addingTimeInterval(TimeInterval(graceSeconds)).json)
        marked.setMeta("deletionGracePeriodSeconds", .number(JSONNumber(graceSeconds)))
        if existing.meta("deletionTimestamp") == nil {
            marked.setMeta("generation", .number(JSONNumber((existing.meta("generation")?.numberValue?.int64 ?? 0) + 1)))
        }
        marked.metadata.finalizers = Self.finalizers(existing.metadata.finalizers, for: options.propagationPolicy)
        if graceSeconds == 0, marked.metadata.finalizers.isEmpty {
            return commit(.pods, key: key, object: marked, event: .deleted)
        }
        return commit(.pods, key: key, object: marked, event: .modified)
    }

    /// Stores a pod bound to a node by `pods/binding`: no generation change, no managed fields.
    mutating func bind(_ pod: JSONObject, namespace: String, name: String) throws(Status) -> JSONObject {
        let key = StoreKey(.pods, namespace: namespace, name: name)
        guard entries[key] != nil else { throw StoreErrors.notFound(.pods, name: name) }
        return commit(.pods, key: key, object: pod, event: .modified)
    }

    /// The uid and resourceVersion preconditions of a delete.
    func checkDeletePreconditions(_ type: ResourceType, name: String, existing: JSONObject, options: DeleteOptions) throws(Status) {
        let currentUID = existing.meta("uid")?.stringValue ?? ""
        if let uid = options.preconditionUID, uid != currentUID {
            throw StoreErrors.uidPreconditionFailed(type, name: name, expected: uid, actual: currentUID)
        }
        let currentRV = existing.meta("resourceVersion")?.stringValue ?? ""
        if let rv = options.preconditionResourceVersion, rv != currentRV {
            throw StoreErrors.resourceVersionPreconditionFailed(type, name: name, expected: rv, actual: currentRV)
        }
    }

    /// Removes an object whose last finalizer is gone (a namespace the controller emptied).
    mutating func removeFinalized(_ type: ResourceType, _ object: JSONObject) {
        let key = StoreKey(type, namespace: object.meta("namespace")?.stringValue, name: object.meta("name")?.stringValue ?? "")
        guard entries[key] != nil else { return }
        commit(type, key: key, object: object, event: .deleted)
    }
}
