import KubeAPI

/// The query parameters of the real server's OpenAPI v3 operations (descriptions shortened
/// to their first sentence, except the ones kubectl users read: dryRun, fieldManager and
/// fieldValidation). kubectl decides on server-side field validation by finding
/// `fieldValidation` among a PATCH operation's parameters.
enum OpenAPIParameters {
    /// Parameter name → parameter object.
    static let query: JSONObject = {
        guard case .object(let params)? = try? JSON.parse(text) else { preconditionFailure("invalid parameters") }
        return params
    }()

    /// The query parameters `names`, in that order.
    static func query(_ names: [String]) -> [JSONValue] { names.compactMap { query[$0] } }

    /// A path parameter (`name` or `namespace`).
    static func path(_ name: String, kind: String) -> JSONValue {
        let description = name == "name" ? "name of the \(kind)" : "object name and auth scope, such as for teams and projects"
        return [
            "name": .string(name), "in": "path", "description": .string(description), "required": true,
            "schema": ["type": "string", "uniqueItems": true],
        ]
    }

    static let list = [
        "allowWatchBookmarks", "continue", "fieldSelector", "labelSelector", "limit", "resourceVersion",
        "resourceVersionMatch", "sendInitialEvents", "shardSelector", "timeoutSeconds", "watch",
    ]
    static let write = ["dryRun", "fieldManager", "fieldValidation"]
    static let patch = ["dryRun", "fieldManager", "fieldValidation", "force"]
    static let delete = ["dryRun", "gracePeriodSeconds", "ignoreStoreReadErrorWithClusterBreakingPotential", "orphanDependents", "propagationPolicy"]

    private static let text = #"""
    {
    "allowWatchBookmarks": {"name":"allowWatchBookmarks","in":"query","description":"allowWatchBookmarks requests watch events with type \"BOOKMARK\".","schema":{"type":"boolean","uniqueItems":true}},
    "continue": {"name":"continue","in":"query","description":"The continue option should be set when retrieving more results from the server.","schema":{"type":"string","uniqueItems":true}},
    "dryRun": {"name":"dryRun","in":"query","description":"When present, indicates that modifications should not be persisted. An invalid or unrecognized dryRun directive will result in an error response and no further processing of the request. Valid values are: - All: all dry run stages will be processed","schema":{"type":"string","uniqueItems":true}},
    "fieldManager": {"name":"fieldManager","in":"query","description":"fieldManager is a name associated with the actor or entity that is making these changes. The value must be less than or 128 characters long, and only contain printable characters, as defined by https://golang.org/pkg/unicode/#IsPrint.","schema":{"type":"string","uniqueItems":true}},
    "fieldSelector": {"name":"fieldSelector","in":"query","description":"A selector to restrict the list of returned objects by their fields.","schema":{"type":"string","uniqueItems":true}},
    "fieldValidation": {"name":"fieldValidation","in":"query","description":"fieldValidation instructs the server on how to handle objects in the request (POST/PUT/PATCH) containing unknown or duplicate fields. Valid values are: - Ignore: This will ignore any unknown fields that are silently dropped from the object, and will ignore all but the last duplicate field that the decoder encounters. This is the default behavior prior to v1.23. - Warn: This will send a warning via the standard warning response header for each unknown field that is dropped from the object, and for each duplicate field that is encountered. The request will still succeed if there are no other errors, and will only persist the last of any duplicate fields. This is the default in v1.23+ - Strict: This will fail the request with a BadRequest error if any unknown fields would be dropped from the object, or if any duplicate fields are present. The error returned from the server will contain all unknown and duplicate fields encountered.","schema":{"type":"string","uniqueItems":true}},
    "force": {"name":"force","in":"query","description":"Force is going to \"force\" Apply requests.","schema":{"type":"boolean","uniqueItems":true}},
    "gracePeriodSeconds": {"name":"gracePeriodSeconds","in":"query","description":"The duration in seconds before the object should be deleted.","schema":{"type":"integer","uniqueItems":true}},
    "ignoreStoreReadErrorWithClusterBreakingPotential": {"name":"ignoreStoreReadErrorWithClusterBreakingPotential","in":"query","description":"if set to true, it will trigger an unsafe deletion of the resource in case the normal deletion flow fails with a corrupt object error.","schema":{"type":"boolean","uniqueItems":true}},
    "labelSelector": {"name":"labelSelector","in":"query","description":"A selector to restrict the list of returned objects by their labels.","schema":{"type":"string","uniqueItems":true}},
    "limit": {"name":"limit","in":"query","description":"limit is a maximum number of responses to return for a list call.","schema":{"type":"integer","uniqueItems":true}},
    "orphanDependents": {"name":"orphanDependents","in":"query","description":"Deprecated: please use the PropagationPolicy, this field will be deprecated in 1.7.","schema":{"type":"boolean","uniqueItems":true}},
    "pretty": {"name":"pretty","in":"query","description":"If 'true', then the output is pretty printed.","schema":{"type":"string","uniqueItems":true}},
    "propagationPolicy": {"name":"propagationPolicy","in":"query","description":"Whether and how garbage collection will be performed.","schema":{"type":"string","uniqueItems":true}},
    "resourceVersion": {"name":"resourceVersion","in":"query","description":"resourceVersion sets a constraint on what resource versions a request may be served from.","schema":{"type":"string","uniqueItems":true}},
    "resourceVersionMatch": {"name":"resourceVersionMatch","in":"query","description":"resourceVersionMatch determines how resourceVersion is applied to list calls.","schema":{"type":"string","uniqueItems":true}},
    "sendInitialEvents": {"name":"sendInitialEvents","in":"query","description":"`sendInitialEvents=true` may be set together with `watch=true`.","schema":{"type":"boolean","uniqueItems":true}},
    "shardSelector": {"name":"shardSelector","in":"query","description":"shardSelector restricts the list of returned objects using a CEL-based shard selector expression.","schema":{"type":"string","uniqueItems":true}},
    "timeoutSeconds": {"name":"timeoutSeconds","in":"query","description":"Timeout for the list/watch call.","schema":{"type":"integer","uniqueItems":true}},
    "watch": {"name":"watch","in":"query","description":"Watch for changes to the described resources and return them as a stream of add, update, and remove notifications.","schema":{"type":"boolean","uniqueItems":true}}
    }
    """#
}
