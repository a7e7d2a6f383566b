import Foundation
import KubeAPI

extension ObjectStore {
    /// The events of one resource after `resourceVersion` that a watcher with `filter` sees.
    ///
    /// - `""` or `"0"`: the current state as synthetic ADDED events (the real server's
    ///   "any" semantics), in key order.
    /// - otherwise the recorded events after it; a change that moves an object into the
    ///   selection arrives as ADDED, out of it as DELETED.
    ///
    /// - Throws: `410 Expired` (`too old resource version: X (Y)`) when the history no
    ///   longer reaches back to it; `504 Timeout` when it is in the future; `400` when it is
    ///   not a number.
    public func events(_ type: ResourceType, after resourceVersion: String, filter: ObjectFilter = ObjectFilter()) throws(Status) -> [StoreEvent] {
        if resourceVersion.isEmpty || resourceVersion == "0" { return currentState(type, filter: filter) }
        guard let rv = Int64(resourceVersion) else {
            throw StoreErrors.badRequest("resourceVersion: Invalid value: \"\(resourceVersion)\": must be a valid integer")
        }
        if rv < historyStart { throw StoreErrors.tooOldResourceVersion(rv, oldest: historyStart) }
        if rv > revision { throw StoreErrors.tooLargeResourceVersion(rv, current: revision) }
        return history.lazy.filter { $0.resourceVersion > rv }.compactMap { Self.visible($0, to: type, filter: filter) }
    }

    /// A BOOKMARK event for `type` at the current resourceVersion, as sent on
    /// `allowWatchBookmarks=true` streams.
    /// With `initialEventsEnd`, the bookmark that ends the initial events of a watch-list.
    public func bookmark(_ type: ResourceType, initialEventsEnd: Bool = false) -> StoreEvent {
        var metadata: JSONObject = ["resourceVersion": .string(resourceVersion)]
        if initialEventsEnd { metadata["annotations"] = ["k8s.io/initial-events-end": "true"] }
        let object: JSONObject = [
            "kind": .string(type.resource.kind), "apiVersion": .string(type.resource.apiVersion), "metadata": .object(metadata),
        ]
        return StoreEvent(resourceVersion: revision, type: .bookmark, resource: type, key: StoreKey(type, namespace: nil, name: ""), object: object)
    }

    /// The oldest resourceVersion a watch can still start from.
    public var oldestWatchableResourceVersion: Int64 { historyStart }

    /// `event` as a watcher of `type` with `filter` sees it, or nil when it does not see it.
    public static func visible(_ event: StoreEvent, to type: ResourceType, filter: ObjectFilter) -> StoreEvent? {
        guard event.resource.qualifiedName == type.qualifiedName else { return nil }
        let now = filter.matches(event.object)
        let before = event.previous.map { filter.matches($0) } ?? false
        var seen = event
        switch (event.type, before, now) {
        case (.modified, false, true): seen.type = .added
        case (.modified, true, false): seen.type = .deleted
        case (.modified, false, false): return nil
        case (.added, _, let matches), (.deleted, _, let matches): if !matches { return nil }
        default: break
        }
        return seen
    }

    private func currentState(_ type: ResourceType, filter: ObjectFilter) -> [StoreEvent] {
        sortedKeys.compactMap { key -> StoreEvent? in
            guard key.resource == type.qualifiedName, let entry = entries[key], filter.matches(entry.object) else { return nil }
            let rv = entry.object.meta("resourceVersion")?.stringValue.flatMap { Int64($0) } ?? revision
            return StoreEvent(resourceVersion: rv, type: .added, resource: type, key: key, object: entry.object)
        }
    }
}
