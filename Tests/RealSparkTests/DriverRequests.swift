import Foundation
import KubeAPI
import LocalCluster

/// The kinds of request a Spark driver makes, with names, namespaces and selector values
/// taken out: `GET /api/v1/namespaces/{ns}/pods?allowWatchBookmarks&labelSelector&watch`.
struct RequestKind: Hashable, Comparable, CustomStringConvertible {
    var method: String
    var template: String
    var queryKeys: [String]

    init(method: String, path: String, queryKeys: [String]) {
        self.method = method
        var segments = path.split(separator: "/").map(String.init)
        // /api/v1/namespaces/{ns}/{resource}[/{name}[/{subresource}]]
        if segments.count > 3, segments[2] == "namespaces" { segments[3] = "{ns}" }
        if segments.count > 5 { segments[5] = "{name}" }
        template = "/" + segments.joined(separator: "/")
        self.queryKeys = queryKeys.sorted()
    }

    init(_ record: AuditRecord) {
        let keys = record.query.split(separator: "&").compactMap { $0.split(separator: "=", maxSplits: 1).first.map(String.init) }
        self.init(method: record.method, path: record.path, queryKeys: keys)
    }

    var description: String { "\(method) \(template)" + (queryKeys.isEmpty ? "" : "?" + queryKeys.joined(separator: "&")) }
    static func < (a: Self, b: Self) -> Bool { a.description < b.description }
}

/// Requests a driver in a driver pod (cluster mode, as Slipway runs it) makes that the
/// reference's client-mode driver did not, and answers slipway dev knowingly gives
/// otherwise than a real API server: each with its reason.
enum KnownDifferences {
    /// Kinds the reference does not have, and why.
    static let extraKinds: [String: String] = [
        "GET /api/v1/namespaces/{ns}/pods?fieldSelector": "cluster mode: the driver reads its own pod by name (the reference ran no driver pod)",
        "GET /api/v1/namespaces/{ns}/persistentvolumeclaims?labelSelector":
            "cluster mode: the driver lists PVCs it could reuse (spark.kubernetes.driver.reusePersistentVolumeClaim)",
    ]
    /// Kinds slipway dev answers with another status than a real server, and why.
    static let statuses: [String: (Set<Int>, String)] = [
        "GET /api/v1/namespaces/{ns}/persistentvolumeclaims?labelSelector":
            ([404], "slipway dev serves no persistentvolumeclaims; the driver logs \"Cannot list PVC resources\" and goes on"),
        "DELETE /api/v1/namespaces/{ns}/persistentvolumeclaims?labelSelector":
            ([404], "slipway dev serves no persistentvolumeclaims; the driver logs the failed cleanup and goes on"),
    ]
}

/// What `../shared/reference/spark-driver-api` recorded of a real driver against a real
/// kube-apiserver: the kinds of request, the statuses each got, and the executor pods the
/// driver POSTed.
struct DriverReference {
    var statuses: [RequestKind: Set<Int>] = [:]
    var executorPods: [JSONObject] = []

    struct Missing: Error, CustomStringConvertible {
        var description: String
    }

    /// The recordings of one Spark line (`3.5` or `4.0`), all folders together.
    static func load(line: String) throws -> DriverReference {
        let base = Repository.root.deletingLastPathComponent().appendingPathComponent("shared/reference/spark-driver-api")
        let fm = FileManager.default
        let folders = ((try? fm.contentsOfDirectory(atPath: base.path)) ?? []).filter { $0.hasPrefix(line + "-") }
        guard !folders.isEmpty else { throw Missing(description: "no recordings of Spark \(line) in \(base.path)") }
        var reference = DriverReference()
        for folder in folders {
            let dir = base.appendingPathComponent(folder).appendingPathComponent("requests")
            for file in (try? fm.contentsOfDirectory(atPath: dir.path)) ?? [] where file.hasSuffix(".json") {
                let record = try JSON.parse(Data(contentsOf: dir.appendingPathComponent(file)))
                guard let method = record["method"]?.stringValue, let recorded = record["path"]?.stringValue else { continue }
                let path = String(recorded.split(separator: "?", maxSplits: 1).first ?? "")  // some paths carry their query
                let kind = RequestKind(method: method, path: path, queryKeys: Array((record["query"]?.objectValue ?? JSONObject()).keys))
                if let status = record["response"]?["status"]?.numberValue?.int { reference.statuses[kind, default: []].insert(status) }
                if method == "POST", path.hasSuffix("/pods"), let body = record["request"]?["body"]?.objectValue { reference.executorPods.append(body) }
            }
        }
        return reference
    }
}

extension JSONObject {
    /// The keys of the object at a dotted path (`metadata.labels`).
    func keys(at path: String) -> Set<String> {
        var value: JSONValue? = .object(self)
        for part in path.split(separator: ".") { value = value?[String(part)] }
        return Set((value?.objectValue ?? JSONObject()).keys)
    }

    /// The executor container's env names and its port names.
    var executorContainerShape: (env: Set<String>, ports: Set<String>) {
        let container = self["spec"]?["containers"]?.arrayValue?.first
        let env = (container?["env"]?.arrayValue ?? []).compactMap { $0["name"]?.stringValue }
        let ports = (container?["ports"]?.arrayValue ?? []).compactMap { $0["name"]?.stringValue }
        return (Set(env), Set(ports))
    }
}
