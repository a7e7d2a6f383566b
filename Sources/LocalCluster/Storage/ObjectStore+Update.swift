import Foundation
import KubeAPI

/// The part of an object a write addresses: the main resource or its `status` subresource.
public enum Subresource: String, Sendable, Hashable {
    case main = ""
    case status
}

extension ObjectStore {
    /// Replaces an object, as `PUT` does (patches are applied by the caller, then stored here).
    ///
    /// A `metadata.resourceVersion` in `object` that is not the current one is a `409
    /// Conflict`; without one the update is unconditional. Server-owned metadata (uid,
    /// creationTimestamp, deletionTimestamp, generation) is kept. With a status
    /// subresource, the main resource ignores `status` and `.status` ignores everything
    /// else. `generation` grows only when something outside metadata and status changes.
    /// Removing the last finalizer of an object that is being deleted deletes it.
    /// An update that changes nothing returns the stored object and bumps nothing.
    public mutating func update(
        _ type: ResourceType, _ object: JSONObject, namespace: String? = nil, name: String? = nil,
        subresource: Subresource = .main, now: Date
    ) throws(Status) -> JSONObject {
        let name = name ?? object.meta("name")?.stringValue ?? ""
        let namespace = namespace ?? object.meta("namespace")?.stringValue
        let key = StoreKey(type, namespace: namespace, name: name)
        guard let existing = entries[key]?.object else { throw StoreErrors.notFound(type, name: name) }
        if let bodyName = object.meta("name")?.stringValue, !bodyName.isEmpty, bodyName != name {
            throw StoreErrors.badRequest("the name of the object (\(bodyName)) does not match the name on the URL (\(name))")
        }
        try checkPreconditions(type, name: name, existing: existing, uid: object.meta("uid")?.stringValue, resourceVersion: object.meta("resourceVersion")?.stringValue)
        var updated = merged(type, existing: existing, incoming: object, subresource: subresource)
        if type.tracksGeneration, Self.specChanged(type, existing, updated) {
            updated.setMeta("generation", .number(JSONNumber((existing.meta("generation")?.numberValue?.int64 ?? 0) + 1)))
        }
        return write(type, key: key, existing: existing, updated: updated)
    }

    /// Throws `409 Conflict` when a non-empty uid or resourceVersion does not match.
    func checkPreconditions(_ type: ResourceType, name: String, existing: JSONObject, uid: String?, resourceVersion: String?) throws(Status) {
        let currentUID = existing.meta("uid")?.stringValue ?? ""
        if let uid, !uid.isEmpty, uid != currentUID {
            throw StoreErrors.uidPreconditionFailed(type, name: name, expected: uid, actual: currentUID)
        }
        if let resourceVersion, !resourceVersion.isEmpty, resourceVersion != existing.meta("resourceVersion")?.stringValue {
            throw StoreErrors.conflict(type, name: name)
        }
    }

    /// Stores `updated` over `existing`: a no-op when equal, a delete when the last
    /// finalizer of a deleting object is gone, otherwise a MODIFIED write.
    @discardableResult
    mutating func write(_ type: ResourceType, key: StoreKey, existing: JSONObject, updated: JSONObject) -> JSONObject {
        var candidate = updated.droppingEmptyMetadataLists()
        candidate.setMeta("resourceVersion", existing.meta("resourceVersion"))
        if candidate == existing { return existing }
        if candidate.meta("deletionTimestamp") != nil, candidate.metadata.finalizers.isEmpty {
            return commit(type, key: key, object: candidate, event: .deleted)
        }
        return commit(type, key: key, object: candidate, event: .modified)
    }

    /// The object to store: the incoming one with server-owned fields taken from `existing`.
    private func merged(_ type: ResourceType, existing: JSONObject, incoming: JSONObject, subresource: Subresource) -> JSONObject {
        if type.hasStatusSubresource && subresource == .status {
            var result = existing
            if let status = incoming["status"] { result["status"] = status } else { result.removeValue(forKey: "status") }
            // The managed fields record who wrote the status.
            if let managed = incoming.meta("managedFields") { result.setMeta("managedFields", managed) }
            return result
        }
        var result = incoming
        for field in ["apiVersion", "kind"] where result[field] == nil { result[field] = existing[field] }
        for field in ["name", "namespace", "uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "generation"] {
            result.setMeta(field, existing.meta(field))
        }
        if type.hasStatusSubresource {
            if let status = existing["status"] { result["status"] = status } else { result.removeValue(forKey: "status") }
        }
        // A CRD's new storage version joins status.storedVersions (admission computed them).
        if type == .customResourceDefinitions, let stored = incoming["status"]?["storedVersions"] {
            result["status"]?["storedVersions"] = stored
        }
        return result
    }

    /// Whether anything outside `metadata` (and `status`, with a status subresource) differs.
    static func specChanged(_ type: ResourceType, _ old: JSONObject, _ new: JSONObject) -> Bool {
        var ignored: Set<String> = ["metadata", "apiVersion", "kind"]
        if type.hasStatusSubresource { ignored.insert("status") }
        var a = old
        var b = new
        for key in ignored {
            a.removeValue(forKey: key)
            b.removeValue(forKey: key)
        }
        return a != b
    }
}
