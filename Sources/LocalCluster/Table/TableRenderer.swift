import Foundation
import KubeAPI

/// What each Table row carries as `object` (the `includeObject` query parameter).
public enum TableIncludeObject: String, Sendable, Hashable {
    /// No object.
    case none = "None"
    /// A `PartialObjectMetadata` with the object's full metadata (the default).
    case metadata = "Metadata"
    /// The whole object.
    case object = "Object"

    /// The value of an `includeObject` query parameter; `.metadata` when absent or unknown.
    public init(queryValue: String?) {
        self = queryValue.flatMap(TableIncludeObject.init(rawValue:)) ?? .metadata
    }
}

/// One `columnDefinitions` entry of a Table.
public struct TableColumn: Sendable, Hashable {
    /// Header text as the server sends it (`Name`, `Nominated Node`); kubectl upper-cases it.
    public var name: String
    /// `string`, `integer`, `number`, `boolean` or `date`.
    public var type: String
    /// `name` for the object-name column, otherwise usually empty.
    public var format: String
    /// The API field documentation of the column.
    public var description: String
    /// 0: shown by default; 1: only with `-o wide` (the server always sends it).
    public var priority: Int

    public init(name: String, type: String = "string", format: String = "", description: String, priority: Int = 0) {
        self.name = name
        self.type = type
        self.format = format
        self.description = description
        self.priority = priority
    }

    /// The column as JSON (`name`, `type`, `format`, `description`, `priority`).
    public var json: JSONValue {
        ["name": .string(name), "type": .string(type), "format": .string(format), "description": .string(description), "priority": .number(JSONNumber(priority))]
    }
}

/// Renders `meta.k8s.io/v1` Tables — the answer to
/// `Accept: application/json;as=Table;v=v1;g=meta.k8s.io` that `kubectl get` sends — with
/// the real server's columns: a CRD's `additionalPrinterColumns` (or Name and Age when it
/// has none), the kube printers' columns for built-in kinds, Name and Created At otherwise.
/// Wide (priority 1) columns are always included; kubectl hides them without `-o wide`.
public enum TableRenderer {
    /// The response content type. The real server answers Tables as plain `application/json`.
    public static let contentType = "application/json"

    /// A Table of `objects`.
    ///
    /// - Parameters:
    ///   - listMeta: the list's metadata (`resourceVersion`, `continue`, `remainingItemCount`),
    ///     copied into the Table's `metadata`.
    ///   - now: the time ages are computed against.
    public static func table(
        for served: ServedResource, objects: [JSONObject], listMeta: JSONObject = JSONObject(), now: Date,
        includeObject: TableIncludeObject = .metadata
    ) -> JSONValue {
        [
            "kind": "Table",
            "apiVersion": "meta.k8s.io/v1",
            "metadata": .object(listMeta),
            "columnDefinitions": .array(columns(for: served).map(\.json)),
            "rows": .array(objects.map { row(for: served, object: $0, now: now, includeObject: includeObject) }),
        ]
    }

    /// The object of one watch event on a Table watch (`kubectl get -w`): a Table with one
    /// row whose `metadata.resourceVersion` is the object's. The real server sends the
    /// column definitions with the first event only and `"columnDefinitions": null` after.
    public static func watchEventTable(
        for served: ServedResource, object: JSONObject, now: Date, includeObject: TableIncludeObject = .metadata,
        includeColumnDefinitions: Bool
    ) -> JSONValue {
        var metadata = JSONObject()
        if let rv = object["metadata"]?["resourceVersion"] { metadata["resourceVersion"] = rv }
        return [
            "kind": "Table",
            "apiVersion": "meta.k8s.io/v1",
            "metadata": .object(metadata),
            "columnDefinitions": includeColumnDefinitions ? .array(columns(for: served).map(\.json)) : .null,
            "rows": [row(for: served, object: object, now: now, includeObject: includeObject)],
        ]
    }

    /// The columns for `served`.
    public static func columns(for served: ServedResource) -> [TableColumn] {
        if served.crdName != nil { return CustomResourceColumns.columns(served.printerColumns) }
        if let builtin = BuiltinTables.columns(group: served.group, kind: served.kind) { return builtin }
        return [TableColumns.name, TableColumn(name: "Created At", type: "date", description: TableColumns.creationTimestampDescription)]
    }

    /// One row: `cells`, `conditions` (pods that ended) and `object`.
    public static func row(for served: ServedResource, object: JSONObject, now: Date, includeObject: TableIncludeObject = .metadata) -> JSONValue {
        let value = JSONValue.object(object)
        var cells: [JSONValue]
        var conditions: JSONValue?
        if served.crdName != nil {
            cells = CustomResourceColumns.cells(served.printerColumns, object: value, now: now)
        } else if let builtin = BuiltinTables.cells(group: served.group, kind: served.kind, object: value, now: now) {
            cells = builtin.cells
            conditions = builtin.conditions
        } else {
            cells = [value["metadata"]?["name"] ?? "", value["metadata"]?["creationTimestamp"] ?? .null]
        }
        var row: JSONObject = ["cells": .array(cells)]
        if let conditions { row["conditions"] = conditions }
        switch includeObject {
        case .none: row["object"] = .null
        case .object: row["object"] = value
        case .metadata: row["object"] = partialObjectMetadata(object)
        }
        return .object(row)
    }

    /// `PartialObjectMetadata` of an object: its metadata, keys in ObjectMeta's field order.
    public static func partialObjectMetadata(_ object: JSONObject) -> JSONValue {
        let metadata = object["metadata"]?.objectValue ?? JSONObject()
        var ordered = JSONObject()
        for key in objectMetaOrder { if let v = metadata[key] { ordered[key] = v } }
        for (key, v) in metadata where ordered[key] == nil { ordered[key] = v }
        return ["kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1", "metadata": .object(ordered)]
    }

    private static let objectMetaOrder = [
        "name", "generateName", "namespace", "selfLink", "uid", "resourceVersion", "generation", "creationTimestamp",
        "deletionTimestamp", "deletionGracePeriodSeconds", "labels", "annotations", "ownerReferences", "finalizers", "managedFields",
    ]
}
