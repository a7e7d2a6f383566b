import KubeAPI

/// Query options of list and watch requests.
public struct ListOptions: Sendable, Hashable {
    public var labelSelector: String?
    public var fieldSelector: String?
    /// Page size; the server answers with a `continue` token when more remain.
    public var limit: Int?
    public var `continue`: String?
    public var resourceVersion: String?
    /// `Exact` or `NotOlderThan`, with `resourceVersion`.
    public var resourceVersionMatch: String?
    public var allowWatchBookmarks: Bool?
    public var timeoutSeconds: Int?
    /// Watch-list: the current objects as ADDED events first, ended by a BOOKMARK annotated
    /// `k8s.io/initial-events-end` (with `resourceVersionMatch=NotOlderThan` and bookmarks).
    public var sendInitialEvents: Bool?

    public init(
        labelSelector: String? = nil, fieldSelector: String? = nil, limit: Int? = nil, continue: String? = nil,
        resourceVersion: String? = nil, resourceVersionMatch: String? = nil, allowWatchBookmarks: Bool? = nil,
        timeoutSeconds: Int? = nil, sendInitialEvents: Bool? = nil
    ) {
        self.labelSelector = labelSelector
        self.fieldSelector = fieldSelector
        self.limit = limit
        self.continue = `continue`
        self.resourceVersion = resourceVersion
        self.resourceVersionMatch = resourceVersionMatch
        self.allowWatchBookmarks = allowWatchBookmarks
        self.timeoutSeconds = timeoutSeconds
        self.sendInitialEvents = sendInitialEvents
    }

    var queryItems: [(String, String)] {
        var q: [(String, String)] = []
        if let labelSelector { q.append(("labelSelector", labelSelector)) }
        if let fieldSelector { q.append(("fieldSelector", fieldSelector)) }
        if let limit { q.append(("limit", String(limit))) }
        if let c = `continue` { q.append(("continue", c)) }
        if let resourceVersion { q.append(("resourceVersion", resourceVersion)) }
        if let resourceVersionMatch { q.append(("resourceVersionMatch", resourceVersionMatch)) }
        if let allowWatchBookmarks { q.append(("allowWatchBookmarks", String(allowWatchBookmarks))) }
        if let timeoutSeconds { q.append(("timeoutSeconds", String(timeoutSeconds))) }
        if let sendInitialEvents { q.append(("sendInitialEvents", String(sendInitialEvents))) }
        return q
    }
}

/// How a patch body is to be read.
public enum PatchType: Sendable, Hashable {
    /// RFC 7386 JSON merge patch.
    case merge
    /// RFC 6902 JSON patch (a list of operations).
    case json
    /// Kubernetes strategic merge patch (built-in kinds only).
    case strategicMerge
    /// Server-side apply: the body is the full intent of `fieldManager`.
    case apply(force: Bool)

    public var contentType: String {
        switch self {
        case .merge: "application/merge-patch+json"
        case .json: "application/json-patch+json"
        case .strategicMerge: "application/strategic-merge-patch+json"
        case .apply: "application/apply-patch+yaml"
        }
    }
}

/// Deletion propagation policy.
public enum PropagationPolicy: String, Sendable, Hashable {
    case orphan = "Orphan"
    case background = "Background"
    case foreground = "Foreground"
}

/// Options of a delete request (sent as a `DeleteOptions` body).
public struct DeleteOptions: Sendable, Hashable {
    public var propagationPolicy: PropagationPolicy?
    public var gracePeriodSeconds: Int?
    /// Delete only if the object still has this UID.
    public var preconditionUID: String?
    /// Delete only if the object still has this resourceVersion.
    public var preconditionResourceVersion: String?

    public init(
        propagationPolicy: PropagationPolicy? = nil, gracePeriodSeconds: Int? = nil, preconditionUID: String? = nil,
        preconditionResourceVersion: String? = nil
    ) {
        self.propagationPolicy = propagationPolicy
        self.gracePeriodSeconds = gracePeriodSeconds
        self.preconditionUID = preconditionUID
        self.preconditionResourceVersion = preconditionResourceVersion
    }

    var body: JSONValue {
        var o: JSONObject = ["kind": "DeleteOptions", "apiVersion": "v1"]
        if let propagationPolicy { o["propagationPolicy"] = .string(propagationPolicy.rawValue) }
        if let gracePeriodSeconds { o["gracePeriodSeconds"] = gracePeriodSeconds.json }
        if preconditionUID != nil || preconditionResourceVersion != nil {
            var p = JSONObject()
            if let preconditionUID { p["uid"] = .string(preconditionUID) }
            if let preconditionResourceVersion { p["resourceVersion"] = .string(preconditionResourceVersion) }
            o["preconditions"] = .object(p)
        }
        return .object(o)
    }
}

/// Options of a pods/log request.
public struct LogOptions: Sendable, Hashable {
    public var container: String?
    public var tailLines: Int?
    public var follow: Bool
    public var previous: Bool
    public var sinceSeconds: Int?
    public var timestamps: Bool

    public init(container: String? = nil, tailLines: Int? = nil, follow: Bool = false, previous: Bool = false, sinceSeconds: Int? = nil, timestamps: Bool = false) {
        self.container = container
        self.tailLines = tailLines
        self.follow = follow
        self.previous = previous
        self.sinceSeconds = sinceSeconds
        self.timestamps = timestamps
    }

    var queryItems: [(String, String)] {
        var q: [(String, String)] = []
        if let container { q.append(("container", container)) }
        if let tailLines { q.append(("tailLines", String(tailLines))) }
        if follow { q.append(("follow", "true")) }
        if previous { q.append(("previous", "true")) }
        if let sinceSeconds { q.append(("sinceSeconds", String(sinceSeconds))) }
        if timestamps { q.append(("timestamps", "true")) }
        return q
    }
}
