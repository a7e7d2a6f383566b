import Foundation

/// What the API server's authorizer sees of one request: the attributes RBAC matches on.
struct RBACRequest: Hashable, Sendable, CustomStringConvertible {
    /// nil for cluster-scoped resources and for requests across all namespaces.
    var namespace: String?
    /// "" for the core group.
    var group: String
    /// `pods`, or `pods/log` with a subresource.
    var resource: String
    /// The object's name (nil for collections and creates).
    var name: String?
    var verb: String

    var description: String {
        let where_ = namespace.map { " in \($0)" } ?? " (cluster-wide)"
        let named = name.map { " \($0)" } ?? ""
        return "\(verb) \(group.isEmpty ? "core" : group)/\(resource)\(named)\(where_)"
    }

    /// The same request without the object's name (for reports and de-duplication).
    var unnamed: RBACRequest { RBACRequest(namespace: namespace, group: group, resource: resource, name: nil, verb: verb) }
}

/// A request that is not for a resource (`/version`, discovery): RBAC's nonResourceURLs.
struct NonResourceRequest: Hashable, Sendable {
    var path: String
    var verb: String
}

/// Maps an HTTP request of the Kubernetes API to RBAC attributes, as the API server's
/// RequestInfo resolver does: GET of an object → get, of a collection → list, with
/// `watch=true|1` → watch; POST → create; PUT → update; PATCH → patch; DELETE of an
/// object → delete, of a collection → deletecollection.
enum RequestMapper {
    enum Mapped: Hashable, Sendable {
        case resource(RBACRequest)
        case nonResource(NonResourceRequest)
    }

    /// Subresources of a namespace object (`/api/v1/namespaces/NAME/status`), which would
    /// otherwise read as a resource in that namespace.
    static let namespaceSubresources: Set<String> = ["status", "finalize"]

    static func map(method: String, path: String, query: [(String, String)] = []) -> Mapped {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        let httpVerb = method.uppercased()
        var rest: ArraySlice<String>
        let group: String
        if parts.first == "api", parts.count >= 2 {
            group = ""
            rest = parts[2...]
        } else if parts.first == "apis", parts.count >= 3 {
            group = parts[1]
            rest = parts[3...]
        } else {
            return .nonResource(NonResourceRequest(path: path, verb: httpVerb.lowercased()))
        }
        guard !rest.isEmpty else { return .nonResource(NonResourceRequest(path: path, verb: httpVerb.lowercased())) }
        var isWatch = query.contains { $0.0 == "watch" && ($0.1 == "true" || $0.1 == "1") }
        // The legacy /watch/ path prefix.
        if rest.first == "watch" {
            isWatch = true
            rest = rest.dropFirst()
        }
        // As the API server does: namespaces/NAME sets the namespace, even for the namespace
        // object itself; namespaces/NAME/status stays the namespace's subresource.
        var namespace: String?
        if rest.first == "namespaces", rest.count >= 2 {
            namespace = rest[rest.startIndex + 1]
            if rest.count > 2, !namespaceSubresources.contains(rest[rest.startIndex + 2]) { rest = rest.dropFirst(2) }
        }
        let resource = rest.first ?? ""
        let name = rest.count >= 2 ? rest[rest.startIndex + 1] : nil
        let subresource = rest.count >= 3 ? rest[rest.startIndex + 2] : nil
        let verb: String
        switch httpVerb {
        case "GET", "HEAD": verb = isWatch ? "watch" : (name == nil ? "list" : "get")
        case "POST": verb = "create"
        case "PUT": verb = "update"
        case "PATCH": verb = "patch"
        case "DELETE": verb = name == nil ? "deletecollection" : "delete"
        default: verb = httpVerb.lowercased()
        }
        return .resource(RBACRequest(
            namespace: namespace, group: group, resource: subresource.map { "\(resource)/\($0)" } ?? resource, name: name, verb: verb))
    }
}
