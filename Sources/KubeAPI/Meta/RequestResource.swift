/// The resource (and subresource) an API request path names, for counting requests by
/// what they touch: `/api/v1/namespaces/demo/pods/p1/status` → `pods/status`,
/// `/apis/slipway.dev/v1alpha1/namespaces/demo/batchjobs` → `batchjobs`,
/// `/api/v1/nodes/n1` → `nodes`, `/api/v1/namespaces/demo` → `namespaces`. Anything else
/// (discovery, `/healthz`, `/version`) is `other`. Pure; a bounded set of values for a label.
public enum RequestResource {
    public static func of(path: String) -> String {
        let parts = path.split(separator: "?", maxSplits: 1).first.map { $0.split(separator: "/").map(String.init) } ?? []
        // After the group and version: /api/v1/… or /apis/<group>/<version>/…
        let rest: ArraySlice<String>
        if parts.first == "api", parts.count >= 2 {
            rest = parts.dropFirst(2)
        } else if parts.first == "apis", parts.count >= 3 {
            rest = parts.dropFirst(3)
        } else {
            return "other"
        }
        var tail = Array(rest)
        // namespaces/<ns>/<resource>/… names a namespaced resource; namespaces or
        // namespaces/<ns> alone is the namespace itself.
        if tail.first == "namespaces", tail.count >= 3 { tail.removeFirst(2) }
        guard let resource = tail.first else { return "other" }
        if tail.count >= 3 { return resource + "/" + tail[2] }
        return resource
    }
}
