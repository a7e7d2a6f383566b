import KubeAPI

/// Events, served as `core/v1` and as `events.k8s.io/v1` from one storage, as the real
/// server does: objects are stored in their core form and converted on the way in and out
/// of the `events.k8s.io` group (`note` is `message`, `regarding` is `involvedObject`,
/// `reportingController` is `reportingComponent`, the `deprecated*` fields are the old
/// timestamps, count and source). Validation depends on the group a request came through:
/// core events keep the lenient legacy rules, `events.k8s.io` ones get the strict ones.
enum EventRules {
    static let coreOrder = [
        "kind", "apiVersion", "metadata", "involvedObject", "reason", "message", "source", "firstTimestamp", "lastTimestamp", "count",
        "type", "eventTime", "series", "action", "related", "reportingComponent", "reportingInstance",
    ]
    static let eventsOrder = [
        "kind", "apiVersion", "metadata", "eventTime", "series", "reportingController", "reportingInstance", "action", "reason",
        "regarding", "related", "note", "type", "deprecatedSource", "deprecatedFirstTimestamp", "deprecatedLastTimestamp", "deprecatedCount",
    ]
    static let referenceOrder = ["kind", "namespace", "name", "uid", "apiVersion", "resourceVersion", "fieldPath"]

    /// `(events.k8s.io name, core name)` of the renamed fields.
    static let renamed = [
        ("regarding", "involvedObject"), ("note", "message"), ("deprecatedSource", "source"),
        ("deprecatedFirstTimestamp", "firstTimestamp"), ("deprecatedLastTimestamp", "lastTimestamp"),
        ("deprecatedCount", "count"), ("reportingController", "reportingComponent"),
    ]

    /// The core form of an `events.k8s.io/v1` event.
    static func toCore(_ event: JSONObject) -> JSONObject {
        var core = event
        for (new, old) in renamed {
            core.removeValue(forKey: new)
            if let value = event[new] { core[old] = value }
        }
        core["apiVersion"] = "v1"
        return canonicalCore(core)
    }

    /// The `events.k8s.io/v1` form of a stored (core) event.
    static func toEvents(_ core: JSONObject) -> JSONObject {
        var event = core
        for (new, old) in renamed {
            event.removeValue(forKey: old)
            if let value = core[old] { event[new] = value }
        }
        event["apiVersion"] = "events.k8s.io/v1"
        for key in ["reportingController", "reportingInstance", "action"] where event.string(key).isEmpty { event.removeValue(forKey: key) }
        if (event["deprecatedCount"]?.numberValue?.int64 ?? 0) == 0 { event.removeValue(forKey: "deprecatedCount") }
        event.setDefault("deprecatedSource", .object([:]))
        for key in ["eventTime", "deprecatedFirstTimestamp", "deprecatedLastTimestamp"] where event[key] == nil { event[key] = .null }
        if let regarding = event["regarding"]?.objectValue { event["regarding"] = .object(regarding.ordered(referenceOrder)) }
        return event.ordered(eventsOrder)
    }

    /// A core event as Go serialises it: the fields without `omitempty` always present.
    static func canonicalCore(_ event: JSONObject) -> JSONObject {
        var e = event
        e.setDefault("involvedObject", .object([:]))
        if let reference = e["involvedObject"]?.objectValue { e["involvedObject"] = .object(reference.ordered(referenceOrder)) }
        e.setDefault("source", .object([:]))
        for key in ["firstTimestamp", "lastTimestamp", "eventTime"] where e[key] == nil { e[key] = .null }
        for key in ["reportingComponent", "reportingInstance"] where e[key] == nil || e[key]?.isNull == true { e[key] = "" }
        if (e["count"]?.numberValue?.int64 ?? 0) == 0 { e.removeValue(forKey: "count") }
        for key in ["reason", "message", "type", "action"] where e[key]?.isNull == true || e[key]?.stringValue == "" {
            e.removeValue(forKey: key)
        }
        return e.ordered(coreOrder)
    }

    // MARK: - Validation

    static let lengthLimits = [("reportingInstance", 128), ("action", 128), ("reason", 128), ("message", 1024)]

    /// `ValidateEventCreate` / `ValidateEventUpdate` on the core form; `strict` for
    /// requests through `events.k8s.io`.
    static func validate(_ event: JSONObject, old: JSONObject?, strict: Bool) -> [FieldError] {
        var errors = legacy(event, strict: strict)
        guard strict else { return errors }
        if let old {
            for field in ["involvedObject", "reason", "message", "source", "firstTimestamp", "lastTimestamp", "count", "type", "eventTime",
                "action", "related", "reportingComponent", "reportingInstance"] where event[field] != old[field] {
                let shown = field == "reportingComponent" ? "reportingController" : field
                errors.append(FieldError(.invalid, field: shown, value: event[field] ?? .null, detail: "field is immutable"))
            }
            return errors
        }
        if let series = event["series"]?.objectValue {
            if (series["count"]?.numberValue?.int64 ?? 0) < 2 { errors.append(FieldError(.invalid, field: "series.count", value: "", detail: "should be at least 2")) }
            if series["lastObservedTime"] == nil || series["lastObservedTime"]?.isNull == true { errors.append(FieldError(.required, field: "series.lastObservedTime")) }
        }
        if isUnset(event["eventTime"]) { errors.append(FieldError(.required, field: "eventTime")) }
        let type = event.string("type")
        if type != "Normal", type != "Warning" { errors.append(FieldError(.invalid, field: "type", value: "", detail: "has invalid value: \(type)")) }
        for field in ["firstTimestamp", "lastTimestamp"] where !isUnset(event[field]) {
            errors.append(FieldError(.invalid, field: field, value: "", detail: "needs to be unset"))
        }
        if (event["count"]?.numberValue?.int64 ?? 0) != 0 { errors.append(FieldError(.invalid, field: "count", value: "", detail: "needs to be unset")) }
        if !(event["source"]?.objectValue ?? JSONObject()).isEmpty { errors.append(FieldError(.invalid, field: "source", value: "", detail: "needs to be unset")) }
        return errors
    }

    static func isUnset(_ value: JSONValue?) -> Bool { value == nil || value?.isNull == true || value?.stringValue == "" }

    /// `legacyValidateEvent`: namespaces agree; events with an `eventTime` name their reporter.
    static func legacy(_ event: JSONObject, strict: Bool) -> [FieldError] {
        var errors: [FieldError] = []
        let namespace = event.meta("namespace")?.stringValue ?? ""
        let involvedNamespace = event["involvedObject"]?["namespace"]?.stringValue ?? ""
        let mismatch = FieldError(.invalid, field: "involvedObject.namespace", value: .string(involvedNamespace), detail: "does not match event.namespace")
        guard !isUnset(event["eventTime"]) else {
            if involvedNamespace.isEmpty ? !(namespace.isEmpty || namespace == "default") : namespace != involvedNamespace { errors.append(mismatch) }
            return errors
        }
        if involvedNamespace.isEmpty, namespace != "default", namespace != "kube-system" { errors.append(mismatch) }
        let controllerField = strict ? "reportingController" : "reportingComponent"
        let controller = event.string("reportingComponent")
        if controller.isEmpty { errors.append(FieldError(.required, field: controllerField)) }
        errors += ValidationRules.qualifiedName(controller).map { FieldError(.invalid, field: controllerField, value: .string(controller), detail: $0) }
        for field in ["reportingInstance", "action", "reason"] where event.string(field).isEmpty { errors.append(FieldError(.required, field: field)) }
        for (field, limit) in lengthLimits where event.string(field).count > limit {
            errors.append(FieldError(.invalid, field: field, value: "", detail: "can have at most \(limit) characters"))
        }
        return errors
    }
}
