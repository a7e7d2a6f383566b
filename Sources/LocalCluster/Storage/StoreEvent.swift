import KubeAPI

/// One change recorded by the store: the resourceVersion it produced, its type and the
/// object after the change (for DELETED, the object as it was deleted).
public struct StoreEvent: Sendable, Hashable {
    /// The resourceVersion of this change.
    public var resourceVersion: Int64
    public var type: WatchEventType
    public var resource: ResourceType
    public var key: StoreKey
    /// The object after the change.
    public var object: JSONObject
    /// The object before the change; nil for ADDED. Used to turn a change that moves an
    /// object in or out of a watcher's selector into ADDED or DELETED, as the real watch
    /// cache does.
    public var previous: JSONObject?

    public init(resourceVersion: Int64, type: WatchEventType, resource: ResourceType, key: StoreKey, object: JSONObject, previous: JSONObject? = nil) {
        self.resourceVersion = resourceVersion
        self.type = type
        self.resource = resource
        self.key = key
        self.object = object
        self.previous = previous
    }

    /// The `{"type": …, "object": …}` event a watch stream sends.
    public var watchEvent: WatchEvent<DynamicObject> {
        WatchEvent(type: type, object: DynamicObject(object: object))
    }
}

/// Which objects a list or watch wants: a namespace (nil = all) and label and field selectors.
public struct ObjectFilter: Sendable, Hashable {
    public var namespace: String?
    public var labelSelector: LabelSelector?
    public var fieldSelector: FieldSelector?

    public init(namespace: String? = nil, labelSelector: LabelSelector? = nil, fieldSelector: FieldSelector? = nil) {
        self.namespace = namespace
        self.labelSelector = labelSelector
        self.fieldSelector = fieldSelector
    }

    /// Parses the `labelSelector` and `fieldSelector` query parameters; a bad one is a
    /// `400 BadRequest` naming the problem.
    public init(namespace: String?, labelSelector: String?, fieldSelector: String?) throws(Status) {
        self.namespace = namespace
        do {
            self.labelSelector = try labelSelector.map { text throws(LabelSelectorParseError) in try LabelSelector(parsing: text) }
        } catch {
            throw StoreErrors.badRequest("unable to parse requirement: \(error.description)")
        }
        do {
            self.fieldSelector = try fieldSelector.map { text throws(FieldSelectorParseError) in try FieldSelector(parsing: text) }
        } catch {
            throw StoreErrors.badRequest(error.description)
        }
    }

    /// Whether there is a label or field selector (the list then has no remainingItemCount).
    public var hasSelector: Bool {
        !(labelSelector?.isEmpty ?? true) || !(fieldSelector?.terms.isEmpty ?? true)
    }

    /// Whether `object` is in the namespace and matches both selectors.
    public func matches(_ object: JSONObject) -> Bool {
        if let namespace, object.meta("namespace")?.stringValue != namespace { return false }
        if let labelSelector, !labelSelector.matches(object.metadata.labels) { return false }
        if let fieldSelector, !fieldSelector.matches(.object(object)) { return false }
        return true
    }
}
