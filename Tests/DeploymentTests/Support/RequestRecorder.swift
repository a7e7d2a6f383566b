import Foundation
import KubeClient
import Synchronization

/// Records every API request a `KubernetesClient` makes, mapped to RBAC attributes.
final class RequestRecorder: RequestObserver {
    struct Entry: Sendable {
        var method: String
        var path: String
        var query: [String: String]
        var code: Int
        var mapped: RequestMapper.Mapped
    }

    private let entries = Mutex<[Entry]>([])

    func observe(method: String, path: String, code: Int, seconds: Double) {
        observe(method: method, path: path, query: [], code: code, seconds: seconds)
    }

    func observe(method: String, path: String, query: [(String, String)], code: Int, seconds: Double) {
        let entry = Entry(
            method: method, path: path, query: Dictionary(query, uniquingKeysWith: { $1 }), code: code,
            mapped: RequestMapper.map(method: method, path: path, query: query))
        entries.withLock { $0.append(entry) }
    }

    var all: [Entry] { entries.withLock { $0 } }

    /// The distinct requests, names kept (resourceNames rules depend on them). A
    /// server-side apply that created its object (PATCH answered 201) is authorized by the
    /// API server as `create` as well, so it counts as both.
    var distinct: [RequestMapper.Mapped] {
        var seen = Set<RequestMapper.Mapped>()
        let mapped = all.flatMap { entry -> [RequestMapper.Mapped] in
            guard entry.method == "PATCH", entry.code == 201, case .resource(var request) = entry.mapped else { return [entry.mapped] }
            request.verb = "create"
            return [entry.mapped, .resource(request)]
        }
        return mapped.filter { seen.insert($0).inserted }
    }

    func clear() { entries.withLock { $0.removeAll() } }
}
