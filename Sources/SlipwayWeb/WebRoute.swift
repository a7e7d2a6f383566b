import Foundation

/// What a request to the web view asks for, from its path and query (pure).
///
/// - `/`: the job list (`namespace`, `kind`, `phase`, `queue`, `limit`, `continue`);
/// - `/jobs/<kind>/<namespace>/<name>`: a job's page;
/// - `/jobs/<kind>/<namespace>/<name>/logs?pod=&container=`: a log of one of its pods;
/// - `/spark/<namespace>/<job>/…`: the running driver's Spark UI, proxied.
public enum WebRoute: Sendable, Hashable {
    case list(JobFilter, page: PageRequest)
    case job(JobKey)
    case logs(JobKey, pod: String, container: String?)
    /// `path` is what follows the prefix, starting with `/` (`/` for the prefix itself);
    /// `query` without its `?`.
    case spark(namespace: String, job: String, path: String, query: String)
    /// Static assets browsers ask for unprompted.
    case favicon
    case notFound

    /// The route of `target` (a request's path with its query).
    public init(target: String) {
        let (path, query) = Self.split(target)
        let segments = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst().map { String($0).removingPercentEncoding ?? String($0) }
        let parameters = Self.parameters(query)
        switch segments.first {
        case "", nil:
            self = .list(JobFilter(parameters), page: PageRequest(parameters))
        case "favicon.ico":
            self = .favicon
        case "jobs" where segments.count == 4 || (segments.count == 5 && segments[4].isEmpty):
            guard let key = JobKey(kind: segments[1], namespace: segments[2], name: segments[3]) else { self = .notFound; return }
            self = .job(key)
        case "jobs" where segments.count == 5 && segments[4] == "logs":
            guard let key = JobKey(kind: segments[1], namespace: segments[2], name: segments[3]), let pod = parameters["pod"], !pod.isEmpty
            else { self = .notFound; return }
            self = .logs(key, pod: pod, container: parameters["container"].flatMap { $0.isEmpty ? nil : $0 })
        case "spark" where segments.count >= 3 && !segments[1].isEmpty && !segments[2].isEmpty:
            // The rest is passed on as it came (still percent-encoded).
            let raw = path.split(separator: "/", maxSplits: 4, omittingEmptySubsequences: false)
            let rest = raw.count > 4 ? "/" + raw[4] : "/"
            self = .spark(namespace: segments[1], job: segments[2], path: rest, query: query)
        default:
            self = .notFound
        }
    }

    /// The relative path from `path` to the view's root: `./` at the root, `../../../` from
    /// `/jobs/BatchJob/ns/name`. Links made with it work under any prefix.
    public static func root(of path: String) -> String {
        let depth = split(path).path.split(separator: "/", omittingEmptySubsequences: false).count - 2
        return depth <= 0 ? "./" : String(repeating: "../", count: depth)
    }

    static func split(_ target: String) -> (path: String, query: String) {
        guard let mark = target.firstIndex(of: "?") else { return (target.isEmpty ? "/" : target, "") }
        let path = String(target[..<mark])
        return (path.isEmpty ? "/" : path, String(target[target.index(after: mark)...]))
    }

    /// The query's parameters (the first of repeated ones), decoded (`+` is a space, as forms send it).
    public static func parameters(_ query: String) -> [String: String] {
        var result: [String: String] = [:]
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let decode = { (text: Substring) in String(text).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(text) }
            let key = decode(parts[0])
            if result[key] == nil { result[key] = parts.count > 1 ? decode(parts[1]) : "" }
        }
        return result
    }
}

/// A job by kind, namespace and name.
public struct JobKey: Sendable, Hashable {
    public static let kinds = ["BatchJob", "SparkJob"]

    public var kind: String
    public var namespace: String
    public var name: String

    /// Nil for a kind Slipway does not have; `batchjob` is `BatchJob`.
    public init?(kind: String, namespace: String, name: String) {
        guard let known = Self.kinds.first(where: { $0.lowercased() == kind.lowercased() }), !namespace.isEmpty, !name.isEmpty else { return nil }
        self.kind = known
        self.namespace = namespace
        self.name = name
    }

    /// `jobs/BatchJob/ns/name`, relative to the view's root.
    public var path: String { "jobs/\(HTML.component(kind))/\(HTML.component(namespace))/\(HTML.component(name))" }
}

/// Which page of a list: `limit` rows after the `continue` token.
public struct PageRequest: Sendable, Hashable {
    public static let defaultLimit = 100
    public static let maxLimit = 1000

    public var limit: Int
    public var continueToken: String?

    public init(limit: Int = PageRequest.defaultLimit, continueToken: String? = nil) {
        self.limit = min(max(limit, 1), Self.maxLimit)
        self.continueToken = continueToken
    }

    init(_ parameters: [String: String]) {
        self.init(
            limit: parameters["limit"].flatMap { Int($0) } ?? Self.defaultLimit,
            continueToken: parameters["continue"].flatMap { $0.isEmpty ? nil : $0 })
    }
}
