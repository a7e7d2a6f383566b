import KubeAPI

/// The `Status` bodies the real API server answers with, byte for byte in message, reason,
/// code and details (see `reference/kube-api/` for the recorded originals).
public enum StoreErrors {
    /// `404 NotFound`: `configmaps "x" not found`, `gadgets.example.com "x" not found`.
    public static func notFound(_ type: ResourceType, name: String) -> Status {
        Status(code: 404, reason: "NotFound", message: "\(type.qualifiedName) \"\(name)\" not found", details: details(type, name: name))
    }

    /// `404 NotFound` for a missing namespace: `namespaces "demo" not found`.
    public static func namespaceNotFound(_ namespace: String) -> Status {
        notFound(.namespaces, name: namespace)
    }

    /// `409 AlreadyExists`: `pods "x" already exists`.
    public static func alreadyExists(_ type: ResourceType, name: String) -> Status {
        Status(code: 409, reason: "AlreadyExists", message: "\(type.qualifiedName) \"\(name)\" already exists", details: details(type, name: name))
    }

    /// `409 Conflict` for a stale `metadata.resourceVersion`.
    public static func conflict(_ type: ResourceType, name: String) -> Status {
        conflict(type, name: name, reason: modified)
    }

    /// Why a write with a stale resourceVersion conflicts.
    public static let modified = "the object has been modified; please apply your changes to the latest version and try again"

    /// `409 Conflict` with a custom explanation (`Operation cannot be fulfilled on …: <reason>`).
    public static func conflict(_ type: ResourceType, name: String, reason: String) -> Status {
        Status(code: 409, reason: "Conflict", message: "Operation cannot be fulfilled on \(type.qualifiedName) \"\(name)\": \(reason)", details: details(type, name: name))
    }

    /// `409 Conflict` for a failed UID precondition on delete or update.
    public static func uidPreconditionFailed(_ type: ResourceType, name: String, expected: String, actual: String) -> Status {
        conflict(type, name: name, reason: "Precondition failed: UID in precondition: \(expected), UID in object meta: \(actual)")
    }

    /// `409 Conflict` for a failed resourceVersion precondition on delete.
    public static func resourceVersionPreconditionFailed(_ type: ResourceType, name: String, expected: String, actual: String) -> Status {
        conflict(type, name: name, reason: "Precondition failed: ResourceVersion in precondition: \(expected), ResourceVersion in object meta: \(actual)")
    }

    /// `410 Expired` of a watch whose resourceVersion left the history:
    /// `too old resource version: 1 (15578)`.
    public static func tooOldResourceVersion(_ requested: Int64, oldest: Int64) -> Status {
        Status(code: 410, reason: "Expired", message: "too old resource version: \(requested) (\(oldest))")
    }

    /// `410 Expired` of a list at an exact resourceVersion the store no longer has.
    public static let listTooOld = Status(code: 410, reason: "Expired", message: "The resourceVersion for the provided list is too old.")

    /// `410 Expired` of a continue token whose snapshot is gone.
    public static func continueExpired() -> Status {
        Status(
            code: 410, reason: "Expired",
            message: "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.")
    }

    /// `504 Timeout` for a watch or list from a resourceVersion the store has not reached.
    public static func tooLargeResourceVersion(_ requested: Int64, current: Int64) -> Status {
        var details = StatusDetails()
        details.causes = [StatusCause(reason: "ResourceVersionTooLarge", message: "Too large resource version", field: nil)]
        details.retryAfterSeconds = 1
        return Status(code: 504, reason: "Timeout", message: "Too large resource version: \(requested), current: \(current)", details: details)
    }

    /// `400 BadRequest` with a message.
    public static func badRequest(_ message: String) -> Status {
        Status(code: 400, reason: "BadRequest", message: message)
    }

    /// `403 Forbidden` for a create in a namespace that is being deleted.
    public static func namespaceTerminating(_ type: ResourceType, name: String, namespace: String) -> Status {
        var d = details(type, name: name)
        d.causes = [StatusCause(reason: "NamespaceTerminating", message: "namespace \(namespace) is being terminated", field: "metadata.namespace")]
        return Status(
            code: 403, reason: "Forbidden",
            message: "\(type.qualifiedName) \"\(name)\" is forbidden: unable to create new content in namespace \(namespace) because it is being terminated",
            details: d)
    }

    /// `422 Invalid` for metadata problems found by the store itself (name, generateName).
    public static func invalid(_ type: ResourceType, name: String, causes: [StatusCause]) -> Status {
        let summary = causes.map { "\($0.field ?? ""): \($0.message ?? "")" }
        let list = summary.count == 1 ? summary[0] : "[" + summary.joined(separator: ", ") + "]"
        var details = details(type, name: name)
        details.kind = type.resource.kind
        details.causes = causes
        return Status(code: 422, reason: "Invalid", message: "\(type.resource.kind)\(type.resource.group.isEmpty ? "" : "." + type.resource.group) \"\(name)\" is invalid: \(list)", details: details)
    }

    /// The `200 Success` body the real server returns for an immediate delete.
    public static func deleted(_ type: ResourceType, object: JSONObject) -> Status {
        let meta = ObjectMeta(json: object["metadata"] ?? .null) ?? ObjectMeta()
        var d = details(type, name: meta.name ?? "")
        d.uid = meta.uid
        var status = Status(code: 200, reason: "", message: "", details: d)
        status.object.removeValue(forKey: "message")
        status.object.removeValue(forKey: "reason")
        status.object.removeValue(forKey: "code")
        return status
    }

    static func details(_ type: ResourceType, name: String) -> StatusDetails {
        var d = StatusDetails()
        d.name = name
        if !type.resource.group.isEmpty { d.group = type.resource.group }
        d.kind = type.resource.plural
        return d
    }
}

extension StoreErrors {
    /// `422` for a PUT of a kind that allows no unconditional update (custom resources)
    /// sent without `metadata.resourceVersion`; the registry names the resource, not the kind:
    /// `gizmos.example.com "g" is invalid: metadata.resourceVersion: Invalid value: 0: …`.
    public static func resourceVersionRequired(_ type: ResourceType, name: String) -> Status {
        let error = FieldError(.invalid, field: "metadata.resourceVersion", value: .number(JSONNumber(0)), detail: "must be specified for an update")
        var details = details(type, name: name)
        details.causes = [error.cause]
        let resource = type.resource.plural + (type.resource.group.isEmpty ? "" : "." + type.resource.group)
        return Status(code: 422, reason: "Invalid", message: "\(resource) \"\(name)\" is invalid: \(error.description)", details: details)
    }

    /// `422` for write options the server does not know (`dryRun`, `fieldValidation`), named
    /// after the verb's options kind (`CreateOptions`, `UpdateOptions`, `PatchOptions`).
    public static func invalidOptions(kind: String, _ errors: [FieldError]) -> Status {
        var details = StatusDetails()
        details.group = "meta.k8s.io"
        details.kind = kind
        details.causes = errors.causes
        let summary = errors.map(\.description)
        let list = summary.count == 1 ? summary[0] : "[" + summary.joined(separator: ", ") + "]"
        return Status(code: 422, reason: "Invalid", message: "\(kind).meta.k8s.io \"\" is invalid: \(list)", details: details)
    }
}
