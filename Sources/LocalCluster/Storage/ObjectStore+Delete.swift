import Foundation
import KubeAPI

/// What happens to an object's dependents when it is deleted (`propagationPolicy`).
public enum PropagationPolicy: String, Sendable, Hashable {
    /// Dependents lose their owner reference and stay (`orphan` finalizer on the owner).
    case orphan = "Orphan"
    /// The owner goes at once; the garbage collector deletes the dependents afterwards.
    case background = "Background"
    /// Dependents go first (`foregroundDeletion` finalizer on the owner), then the owner.
    case foreground = "Foreground"
}

/// `DeleteOptions` the store understands: preconditions and propagation.
public struct DeleteOptions: Sendable, Hashable {
    public var preconditionUID: String?
    public var preconditionResourceVersion: String?
    /// nil means the default, Background.
    public var propagationPolicy: PropagationPolicy?

    public init(preconditionUID: String? = nil, preconditionResourceVersion: String? = nil, propagationPolicy: PropagationPolicy? = nil) {
        self.preconditionUID = preconditionUID
        self.preconditionResourceVersion = preconditionResourceVersion
        self.propagationPolicy = propagationPolicy
    }
}

/// The outcome of a delete request.
public enum DeleteResult: Sendable, Hashable {
    /// The object is gone; this is its last state. The server answers `200` with
    /// ``StoreErrors/deleted(_:object:)``.
    case deleted(JSONObject)
    /// The object stays, with a deletionTimestamp, until its finalizers are removed. The
    /// server answers `200` (or `202`) with the object.
    case pending(JSONObject)
}

/// The finalizers the garbage collector owns.
public enum GCFinalizer {
    public static let orphan = "orphan"
    public static let foregroundDeletion = "foregroundDeletion"
}

extension ObjectStore {
    /// Deletes an object, as `DELETE` does.
    ///
    /// Without finalizers (after adding the one the propagation policy needs) the object is
    /// removed; with finalizers it gets `deletionTimestamp` and
    /// `deletionGracePeriodSeconds: 0` and stays. Dependents are handled later by
    /// ``collectGarbage(now:)``.
    ///
    /// - Throws: `404 NotFound`; `409 Conflict` when a precondition fails.
    public mutating func delete(
        _ type: ResourceType, namespace: String?, name: String, options: DeleteOptions = DeleteOptions(), now: Date
    ) throws(Status) -> DeleteResult {
        let key = StoreKey(type, namespace: namespace, name: name)
        guard let existing = entries[key]?.object else { throw StoreErrors.notFound(type, name: name) }
        let currentUID = existing.meta("uid")?.stringValue ?? ""
        if let uid = options.preconditionUID, uid != currentUID {
            throw StoreErrors.uidPreconditionFailed(type, name: name, expected: uid, actual: currentUID)
        }
        let currentRV = existing.meta("resourceVersion")?.stringValue ?? ""
        if let rv = options.preconditionResourceVersion, rv != currentRV {
            throw StoreErrors.resourceVersionPreconditionFailed(type, name: name, expected: rv, actual: currentRV)
        }
        var updated = existing
        updated.metadata.finalizers = Self.finalizers(existing.metadata.finalizers, for: options.propagationPolicy)
        if existing.meta("deletionTimestamp") != nil {
            // Already being deleted: only a change of propagation policy is recorded.
            if options.propagationPolicy == nil { return .pending(existing) }
            let stored = write(type, key: key, existing: existing, updated: updated)
            return entries[key] == nil ? .deleted(stored) : .pending(stored)
        }
        if updated.metadata.finalizers.isEmpty {
            return .deleted(commit(type, key: key, object: existing, event: .deleted))
        }
        updated.setMeta("deletionTimestamp", now.json)
        updated.setMeta("deletionGracePeriodSeconds", 0)
        return .pending(commit(type, key: key, object: updated, event: .modified))
    }

    /// The finalizers after applying a propagation policy: Orphan and Foreground add their
    /// GC finalizer (and drop the other one); Background drops both.
    static func finalizers(_ current: [String], for policy: PropagationPolicy?) -> [String] {
        guard let policy else { return current }
        var result = current.filter { $0 != GCFinalizer.orphan && $0 != GCFinalizer.foregroundDeletion }
        switch policy {
        case .orphan: result.append(GCFinalizer.orphan)
        case .foreground: result.append(GCFinalizer.foregroundDeletion)
        case .background: break
        }
        return result
    }
}
