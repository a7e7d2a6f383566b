import KubeAPI

/// The options of a list or watch request, read and checked as the real server does
/// (`ListOptions` validation): selectors (a field selector the resource does not support
/// is `400`), `resourceVersion` and `resourceVersionMatch`, `limit` and `continue`, and the
/// watch-list options (`sendInitialEvents`, `allowWatchBookmarks`).
struct ListRequest {
    enum Match: String { case exact = "Exact", notOlderThan = "NotOlderThan" }

    var filter: ObjectFilter
    /// `resourceVersion`; nil when absent or empty.
    var resourceVersion: String?
    var match: Match?
    var limit: Int?
    var continueToken: String?
    var sendInitialEvents: Bool
    var allowWatchBookmarks: Bool

    init(_ request: HTTPServerRequest, resource: ServedResource, namespace: String?, watch: Bool) throws(Status) {
        let query = request.query
        filter = try ObjectFilter(namespace: namespace, labelSelector: query["labelSelector"], fieldSelector: query["fieldSelector"])
        try FieldSelectorSupport.check(filter.fieldSelector, resource: resource)
        resourceVersion = query["resourceVersion"].flatMap { $0.isEmpty ? nil : $0 }
        limit = query["limit"].flatMap(Int.init).flatMap { $0 > 0 ? $0 : nil }
        continueToken = query["continue"].flatMap { $0.isEmpty ? nil : $0 }
        sendInitialEvents = query["sendInitialEvents"] == "true"
        allowWatchBookmarks = query["allowWatchBookmarks"] == "true"
        let matchText = query["resourceVersionMatch"] ?? ""
        if let resourceVersion, resourceVersion != "0", UInt64(resourceVersion) == nil {
            throw StoreErrors.badRequest(
                "invalid resource version: resourceVersion: Invalid value: \"\(resourceVersion)\": strconv.ParseUint: parsing \"\(resourceVersion)\": invalid syntax")
        }
        guard matchText.isEmpty || Match(rawValue: matchText) != nil else {
            throw Self.invalid(FieldError(.notSupported, field: "resourceVersionMatch", value: .string(matchText), detail: "supported values: \"Exact\", \"NotOlderThan\", \"\""))
        }
        match = Match(rawValue: matchText)
        try checkCombinations(watch: watch)
    }

    /// `ValidateListOptions`.
    func checkCombinations(watch: Bool) throws(Status) {
        func forbidden(_ detail: String) -> Status { Self.invalid(FieldError(.forbidden, field: "resourceVersionMatch", detail: detail)) }
        if watch {
            if sendInitialEvents {
                if match != .notOlderThan { throw forbidden("sendInitialEvents requires setting resourceVersionMatch to NotOlderThan") }
                if !allowWatchBookmarks {
                    throw Self.invalid(FieldError(.forbidden, field: "allowWatchBookmarks", detail: "sendInitialEvents requires setting allowWatchBookmarks to true"))
                }
            } else if match != nil {
                throw forbidden("resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided")
            }
            return
        }
        if match != nil, resourceVersion == nil { throw forbidden("resourceVersionMatch is forbidden unless resourceVersion is provided") }
        if match == .exact, resourceVersion == "0" { throw forbidden("resourceVersionMatch \"exact\" is forbidden for resourceVersion \"0\"") }
        if continueToken != nil, resourceVersion != nil, resourceVersion != "0" {
            throw StoreErrors.badRequest("specifying resource version is not allowed when using continue")
        }
        if sendInitialEvents { throw Self.invalid(FieldError(.forbidden, field: "sendInitialEvents", detail: "sendInitialEvents is forbidden for list")) }
    }

    static func invalid(_ error: FieldError) -> Status {
        var details = StatusDetails()
        details.group = "meta.k8s.io"
        details.kind = "ListOptions"
        details.name = ""
        details.causes = [error.cause]
        return Status(code: 422, reason: "Invalid", message: "ListOptions.meta.k8s.io \"\" is invalid: \(error.description)", details: details)
    }
}

/// The field selectors each built-in resource supports (its field label conversion); the
/// others take `metadata.name` and `metadata.namespace` only.
enum FieldSelectorSupport {
    static let byResource: [String: Set<String>] = [
        "pods": [
            "metadata.name", "metadata.namespace", "spec.nodeName", "spec.restartPolicy", "spec.schedulerName", "spec.serviceAccountName",
            "spec.hostNetwork", "status.phase", "status.podIP", "status.podIPs", "status.nominatedNodeName",
        ],
        "events": [
            "metadata.name", "metadata.namespace", "involvedObject.kind", "involvedObject.namespace", "involvedObject.name",
            "involvedObject.uid", "involvedObject.apiVersion", "involvedObject.resourceVersion", "involvedObject.fieldPath", "reason",
            "reportingComponent", "source", "type",
        ],
        "secrets": ["metadata.name", "metadata.namespace", "type"],
        "namespaces": ["metadata.name", "status.phase"],
        "nodes": ["metadata.name", "spec.unschedulable"],
        "services": ["metadata.name", "metadata.namespace", "spec.clusterIP", "spec.type"],
        "serviceaccounts": ["metadata.name", "metadata.namespace"],
    ]

    static func check(_ selector: FieldSelector?, resource: ServedResource) throws(Status) {
        guard let selector else { return }
        if resource.type.isCustom {
            // Custom resources: metadata.name, metadata.namespace and the CRD's selectable fields.
            let supported = Set(["metadata.name", "metadata.namespace"] + resource.selectableFields)
            for term in selector.terms where !supported.contains(term.path) {
                throw StoreErrors.badRequest("field label not supported: \(term.path)")
            }
            return
        }
        let builtin = resource.group.isEmpty || resource.group == "events.k8s.io"
        for term in selector.terms {
            if builtin, let supported = byResource[resource.plural] {
                if !supported.contains(term.path) { throw StoreErrors.badRequest("field label not supported: \(term.path)") }
            } else if !["metadata.name", "metadata.namespace"].contains(term.path) {
                throw StoreErrors.badRequest("\"\(term.path)\" is not a known field selector: only \"metadata.name\", \"metadata.namespace\"")
            }
        }
    }
}
