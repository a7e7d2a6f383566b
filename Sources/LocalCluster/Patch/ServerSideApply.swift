import Foundation
import KubeAPI

/// Server-side apply and field ownership (`metadata.managedFields`), as the API server
/// does them: an apply owns exactly the fields its configuration sets, conflicts with other
/// managers' changed fields unless forced, and removes the fields it stopped setting;
/// every other write (an *Update*) owns the fields whose value it changed.
public enum ServerSideApply {
    /// Applies `applied` (an `application/apply-patch+yaml` body) to `live` (nil to create)
    /// for `manager` (through `subresource`, `status` for `/status`), returning the new object
    /// with its managed fields.
    ///
    /// - Throws: a 409 `Conflict` Status listing each field another manager owns whose value
    ///   the apply would change, unless `force`, which takes those fields over instead.
    public static func apply(
        applied: JSONObject, to live: JSONObject?, manager: String, force: Bool, now: Date, apiVersion: String,
        schema: ApplySchema = .plain, subresource: String? = nil
    ) throws(Status) -> JSONObject {
        guard case .object(var config) = LocalAPIServer.withoutNulls(.object(applied)) else { return applied }
        config["metadata"]?["managedFields"] = nil
        var entries = entries(of: live)
        let previous = entries.firstIndex { $0.sameIdentity(manager: manager, operation: "Apply", subresource: subresource) }
        let appliedSet = stripped(ServerSideApply.appliedSet(.object(config), schema))
        let lastSet = previous.map { entries[$0].fields } ?? FieldSet()
        let owned = entries.indices.filter { $0 != previous }.reduce(FieldSet()) { $0.union(entries[$1].fields) }
        let merged = merge(live.map(JSONValue.object), .object(config), schema)
        let pruned = prune(merged, removing: lastSet.subtracting(appliedSet), others: owned, schema)
        guard case .object(var result) = pruned else { return applied }
        let changed = stripped(changes(from: live.map(JSONValue.object), to: pruned, schema))
        var conflicts: [(entry: ManagedFieldsEntry, path: [String])] = []
        for index in entries.indices where index != previous {
            let overlap = entries[index].fields.intersection(changed)
            guard !overlap.isEmpty else { continue }
            if force {
                entries[index].fields = entries[index].fields.subtracting(overlap)
            } else {
                conflicts += overlap.paths.map { (entries[index], $0) }
            }
        }
        guard conflicts.isEmpty else {
            throw conflictError(conflicts.sorted { ($0.entry.manager, $0.entry.operation) < ($1.entry.manager, $1.entry.operation) })
        }
        let objectChanged = live.map { withoutManagedFields($0) != withoutManagedFields(result) } ?? true
        let time: JSONValue? = objectChanged ? now.json : previous.flatMap { entries[$0].time }
        let entry = ManagedFieldsEntry(manager: manager, operation: "Apply", apiVersion: apiVersion, time: time, subresource: subresource, fields: appliedSet)
        if let previous { entries[previous] = entry } else { entries.append(entry) }
        if result["metadata"] == nil { result["metadata"] = .object([:]) }
        return setting(entries, on: result)
    }

    /// Records a non-apply write (create, update, merge/JSON/strategic patch) of `new` over
    /// `old` by `manager`: the fields whose value changed become the manager's (an `Update`
    /// entry) and leave every other manager's set.
    ///
    /// When `new` carries managed fields that differ from `old`'s, the writer reset them and
    /// they are the starting point; without any, `old`'s are kept.
    public static func recordUpdate(
        old: JSONObject?, new: JSONObject, manager: String, now: Date, apiVersion: String, subresource: String? = nil,
        schema: ApplySchema = .plain
    ) -> JSONObject {
        let oldFields = old?["metadata"]?["managedFields"]
        let newFields = new["metadata"]?["managedFields"]
        var entries = newFields != nil && newFields != oldFields ? entries(of: new) : entries(of: old)
        let changed = stripped(changes(from: old.map(JSONValue.object), to: .object(new), schema))
        // Fields the update removed are nobody's any more.
        let removed = old.map { stripped(changes(from: nil, to: .object($0), schema)).subtracting(stripped(changes(from: nil, to: .object(new), schema))) }
        if let removed, !removed.isEmpty {
            for index in entries.indices { entries[index].fields = entries[index].fields.subtracting(removed) }
            entries.removeAll { $0.fields.isEmpty }
        }
        guard !changed.isEmpty else { return setting(entries, on: new) }
        let own = entries.firstIndex { $0.sameIdentity(manager: manager, operation: "Update", subresource: subresource) }
        for index in entries.indices where index != own {
            entries[index].fields = entries[index].fields.subtracting(changed)
        }
        let fields = own.map { entries[$0].fields.union(changed) } ?? changed
        let entry = ManagedFieldsEntry(manager: manager, operation: "Update", apiVersion: apiVersion, time: now.json, subresource: subresource, fields: fields)
        if let own { entries[own] = entry } else { entries.append(entry) }
        return setting(entries, on: new)
    }

    /// The manager of an Update without `fieldManager`: the User-Agent up to its first `/`.
    public static func manager(userAgent: String?) -> String {
        let prefix = (userAgent ?? "").split(separator: "/", maxSplits: 1).first.map(String.init) ?? ""
        return String((prefix.isEmpty ? "unknown" : prefix).prefix(128))
    }

    /// The apply schema of a served resource.
    public static func schema(kind: String, openAPI: JSONValue?, isCustom: Bool) -> ApplySchema {
        isCustom ? ApplySchema.custom(openAPI) : ApplySchema.builtin(kind: kind)
    }

    static func withoutManagedFields(_ object: JSONObject) -> JSONObject {
        var object = object
        object["metadata"]?["managedFields"] = nil
        object["metadata"]?["resourceVersion"] = nil
        return object
    }
}
