import Foundation
import KubeAPI

/// One `metadata.managedFields` entry.
public struct ManagedFieldsEntry: Sendable, Hashable {
    public var manager: String
    /// `Apply` or `Update`.
    public var operation: String
    public var apiVersion: String
    /// The RFC 3339 time of the manager's last change; absent for an apply that changed nothing.
    public var time: JSONValue?
    /// `status` for writes to the status subresource.
    public var subresource: String?
    public var fields: FieldSet

    /// Decodes an entry; nil for entries that are not `FieldsV1`.
    public init?(json: JSONValue) {
        guard let manager = json["manager"]?.stringValue, json["fieldsType"]?.stringValue ?? "FieldsV1" == "FieldsV1" else { return nil }
        self.manager = manager
        self.operation = json["operation"]?.stringValue ?? "Update"
        self.apiVersion = json["apiVersion"]?.stringValue ?? ""
        self.time = json["time"]
        self.subresource = json["subresource"]?.stringValue
        self.fields = FieldSet(fieldsV1: json["fieldsV1"] ?? .object([:]))
    }

    public init(manager: String, operation: String, apiVersion: String, time: JSONValue?, subresource: String?, fields: FieldSet) {
        self.manager = manager
        self.operation = operation
        self.apiVersion = apiVersion
        self.time = time
        self.subresource = subresource
        self.fields = fields
    }

    /// The entry as the server writes it (keys in alphabetical order, as Go encodes them).
    public var json: JSONValue {
        var object: JSONObject = ["apiVersion": .string(apiVersion), "fieldsType": "FieldsV1", "fieldsV1": fields.fieldsV1]
        object["manager"] = .string(manager)
        object["operation"] = .string(operation)
        if let subresource, !subresource.isEmpty { object["subresource"] = .string(subresource) }
        if let time { object["time"] = time }
        return .object(object)
    }

    /// Whether `other` is the same manager identity (manager, operation, subresource).
    func sameIdentity(manager: String, operation: String, subresource: String?) -> Bool {
        self.manager == manager && self.operation == operation && (self.subresource ?? "") == (subresource ?? "")
    }

    /// How a conflict names this manager: `"kubectl"`, `"kubectl-edit" using apps/v1`.
    var conflictName: String {
        var name = "\"\(manager)\""
        if let subresource, !subresource.isEmpty { name += " with subresource \"\(subresource)\"" }
        if operation == "Update" { name += " using \(apiVersion)" }
        return name
    }

    /// The server's order: Apply before Update, then by time (none first), manager, apiVersion, subresource.
    static func serverOrder(_ a: ManagedFieldsEntry, _ b: ManagedFieldsEntry) -> Bool {
        if a.operation != b.operation { return a.operation < b.operation }
        let at = a.time?.stringValue.flatMap(RFC3339.parse) ?? .distantPast
        let bt = b.time?.stringValue.flatMap(RFC3339.parse) ?? .distantPast
        if Int(at.timeIntervalSince1970) != Int(bt.timeIntervalSince1970) { return at < bt }
        if a.manager != b.manager { return a.manager < b.manager }
        if a.apiVersion != b.apiVersion { return a.apiVersion < b.apiVersion }
        return (a.subresource ?? "") < (b.subresource ?? "")
    }
}

extension ServerSideApply {
    /// The managed fields entries of an object.
    static func entries(of object: JSONObject?) -> [ManagedFieldsEntry] {
        object?["metadata"]?["managedFields"]?.arrayValue?.compactMap(ManagedFieldsEntry.init(json:)) ?? []
    }

    /// `object` with `entries` (empty ones dropped, in the server's order) as its managed fields.
    static func setting(_ entries: [ManagedFieldsEntry], on object: JSONObject) -> JSONObject {
        var object = object
        let kept = entries.filter { !$0.fields.isEmpty }.sorted(by: ManagedFieldsEntry.serverOrder)
        var metadata = object["metadata"]?.objectValue ?? JSONObject()
        if kept.isEmpty {
            metadata.removeValue(forKey: "managedFields")
        } else {
            metadata["managedFields"] = .array(kept.map(\.json))
        }
        object["metadata"] = .object(metadata)
        return object
    }

    /// The 409 of an apply whose changes touch fields other managers own.
    static func conflictError(_ conflicts: [(entry: ManagedFieldsEntry, path: [String])]) -> Status {
        let causes = conflicts.map {
            StatusCause(reason: "FieldManagerConflict", message: "conflict with \($0.entry.conflictName)", field: FieldSet.describe($0.path))
        }
        let message: String
        if conflicts.count == 1 {
            message = "Apply failed with 1 conflict: conflict with \(conflicts[0].entry.conflictName): \(FieldSet.describe(conflicts[0].path))"
        } else {
            var lines: [String] = []
            var previous: String?
            for conflict in conflicts {
                if conflict.entry.conflictName != previous { lines.append("conflict with \(conflict.entry.conflictName):") }
                previous = conflict.entry.conflictName
                lines.append("- \(FieldSet.describe(conflict.path))")
            }
            message = "Apply failed with \(conflicts.count) conflicts: " + lines.joined(separator: "\n")
        }
        var details = StatusDetails()
        details.causes = causes
        return Status(code: 409, reason: "Conflict", message: message, details: details)
    }
}
