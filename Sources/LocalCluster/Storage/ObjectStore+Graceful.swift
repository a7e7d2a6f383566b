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
