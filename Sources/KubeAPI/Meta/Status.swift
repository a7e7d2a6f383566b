/// `metav1.Status`: the body of API errors, and of some successful deletes.
public struct Status: JSONBacked, Error {
    public var object: JSONObject
    public init(object: JSONObject) { self.object = object }

    public init(code: Int, reason: String, message: String, details: StatusDetails? = nil) {
        self.init()
        object["kind"] = "Status"
        object["apiVersion"] = "v1"
        object["metadata"] = .object([:])
        self.status = code < 400 ? "Success" : "Failure"
        self.message = message
        self.reason = reason
        self.details = details
        self.code = code
    }

    /// "Success" or "Failure".
    public var status: String? { get { self["status"] } set { self["status"] = newValue } }
    public var message: String? { get { self["message"] } set { self["message"] = newValue } }
    /// A machine-readable reason: NotFound, AlreadyExists, Conflict, Invalid, Expired, Gone, …
    public var reason: String? { get { self["reason"] } set { self["reason"] = newValue } }
    public var details: StatusDetails? { get { self["details"] } set { self["details"] = newValue } }
    public var code: Int? { get { self["code"] } set { self["code"] = newValue } }
}

/// `metav1.StatusDetails`.
public struct StatusDetails: JSONBacked {
    public var object: JSONObject
    public init(object: JSONObject) { self.object = object }

    public var name: String? { get { self["name"] } set { self["name"] = newValue } }
    public var group: String? { get { self["group"] } set { self["group"] = newValue } }
    public var kind: String? { get { self["kind"] } set { self["kind"] = newValue } }
    public var uid: String? { get { self["uid"] } set { self["uid"] = newValue } }
    public var causes: [StatusCause] { get { self[list: "causes"] } set { self[list: "causes"] = newValue } }
    public var retryAfterSeconds: Int? { get { self["retryAfterSeconds"] } set { self["retryAfterSeconds"] = newValue } }
}

/// `metav1.StatusCause`: one field-level problem of an Invalid error.
public struct StatusCause: JSONBacked {
    public var object: JSONObject
    public init(object: JSONObject) { self.object = object }

    public init(reason: String, message: String, field: String?) {
        self.init()
        self.reason = reason
        self.message = message
        self.field = field
    }

    public var reason: String? { get { self["reason"] } set { self["reason"] = newValue } }
    public var message: String? { get { self["message"] } set { self["message"] = newValue } }
    public var field: String? { get { self["field"] } set { self["field"] = newValue } }
}
