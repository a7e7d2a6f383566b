import Foundation
import KubeAPI
import Logging
import NIOSSL
import Synchronization

/// Settings of the local API server.
public struct LocalAPIServerConfiguration: Sendable {
    /// Loopback only: 127.0.0.1 (or ::1).
    public var host: String
    /// 0 picks a free port.
    public var port: Int
    /// The bearer token every request must carry.
    public var token: String
    /// How often open watches that asked for bookmarks get one.
    public var bookmarkInterval: Duration
    /// Watch history kept for resuming watches (older versions get 410 Gone).
    public var historyLimit: Int

    public init(host: String = "127.0.0.1", port: Int = 0, token: String, bookmarkInterval: Duration = .seconds(60), historyLimit: Int = 10_000) {
        self.host = host
        self.port = port
        self.token = token
        self.bookmarkInterval = bookmarkInterval
        self.historyLimit = historyLimit
    }
}

/// A Kubernetes-compatible API server for development and tests: HTTPS on loopback with a
/// certificate from a CA made at start, bearer-token authentication, the built-in kinds
/// Slipway needs and whatever CustomResourceDefinitions are applied to it. It knows nothing
/// of Slipway's own kinds.
public final class LocalAPIServer: Sendable {
    public let configuration: LocalAPIServerConfiguration
    public let store: ClusterStore
    public let certificateAuthority: CertificateAuthority
    let registry: Mutex<ResourceRegistry>
    let faults = Mutex(FaultSettings())
    /// Requests served, by `User-Agent` (up to the first "/") and method: for benchmarks.
    let requestCounts = Mutex<[String: Int]>([:])
    let resourceRequestCounts = Mutex<[String: Int]>([:])
    let hooks: Mutex<ServerHooks>
    let logger: Logger
    let now: @Sendable () -> Date
    private let http: Mutex<HTTPServer?> = Mutex(nil)
    private let background: Mutex<[Task<Void, Never>]> = Mutex([])

    public init(
        configuration: LocalAPIServerConfiguration, store: ClusterStore? = nil, certificateAuthority: CertificateAuthority? = nil,
        hooks: ServerHooks = ServerHooks(), logger: Logger = Logger(label: "slipway.dev.apiserver"), now: @escaping @Sendable () -> Date = { Date() }
    ) throws {
        self.configuration = configuration
        self.store = store ?? ClusterStore(ObjectStore(configuration: .init(historyLimit: configuration.historyLimit)))
        self.certificateAuthority = try certificateAuthority ?? CertificateAuthority()
        self.registry = Mutex(ResourceRegistry())
        self.hooks = Mutex(hooks)
        self.logger = logger
        self.now = now
    }

    /// Plugs in the parts the nodes provide (logs, faults).
    public func setHooks(_ newHooks: ServerHooks) { hooks.withLock { $0 = newHooks } }

    /// The HTTPS URL, once started.
    public var url: URL? { http.withLock { $0?.url } }

    /// Starts serving; creates the `default` namespace when it does not exist, and loads
    /// the resources of CRDs already in the store.
    public func start() async throws {
        try await bootstrap()
        let tls = try certificateAuthority.serverTLS(requireClientCertificate: false)
        let webSockets = WebSocketRoutes { [self] request, session in await self.serveWebSocketWatch(request, session) }
        let server = try await HTTPServer.start(host: configuration.host, port: configuration.port, tls: tls, webSockets: webSockets) {
            [self] request, writer in
            await self.handle(request, writer)
        }
        http.withLock { $0 = server }
        let bookmarks = Task { [self] in await self.sendBookmarksPeriodically() }
        let namespaces = Task { [self] in await self.runNamespaceController() }
        background.withLock { $0 += [bookmarks, namespaces] }
    }

    /// Stops serving and ends every watch.
    public func shutdown() async {
        for task in background.withLock({ $0 }) { task.cancel() }
        await store.closeAllWatches()
        let server = http.withLock { s in defer { s = nil }; return s }
        await server?.shutdown()
    }

    /// The namespaces every cluster starts with.
    static let systemNamespaces = ["default", "kube-system", "kube-public", "kube-node-lease"]

    private func bootstrap() async throws {
        let now = self.now()
        try await store.perform { s throws(Status) in
            for name in Self.systemNamespaces where (try? s.get(.namespaces, namespace: nil, name: name)) == nil {
                let ns: JSONObject = [
                    "apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(name), "labels": ["kubernetes.io/metadata.name": .string(name)]],
                    "spec": ["finalizers": ["kubernetes"]], "status": ["phase": "Active"],
                ]
                _ = try s.create(.namespaces, ns, now: now)
            }
            for (name, value) in PodAdmission.systemPriorityClasses.sorted(by: { $0.key < $1.key })
            where (try? s.get(.priorityClasses, namespace: nil, name: name)) == nil {
                let priorityClass: JSONObject = [
                    "apiVersion": "scheduling.k8s.io/v1", "kind": "PriorityClass", "metadata": ["name": .string(name)],
                    "value": .number(JSONNumber(value)), "preemptionPolicy": "PreemptLowerPriority",
                    "description": "Used for system critical pods that must run in the cluster, but can be moved to another node if necessary.",
                ]
                _ = try s.create(.priorityClasses, priorityClass, now: now)
            }
        }
        for namespace in try await store.store.list(.namespaces).items {
            if let name = namespace.meta("name")?.stringValue { try await ensureNamespaceDefaults(name) }
        }
        // The watch cache starts with the server: nothing older can be watched from.
        try await store.perform { (s: inout ObjectStore) throws(Status) in s.forgetHistory() }
        let crds = try await store.store.list(.customResourceDefinitions).items
        for crd in crds { try? registerCRD(crd) }
    }

    private func sendBookmarksPeriodically() async {
        while !Task.isCancelled {
            try? await Task.sleep(for: configuration.bookmarkInterval)
            let types = registry.withLock { $0.resources.map(\.type) }
            for type in types { await store.sendBookmarks(type) }
        }
    }

    // MARK: - Requests

    /// Requests served so far, keyed `"<user agent> <METHOD>"`.
    public var requestsServed: [String: Int] { requestCounts.withLock { $0 } }

    /// Requests served so far, keyed `"<user agent> <METHOD> <resource>"` (``RequestResource``).
    public var requestsServedByResource: [String: Int] { resourceRequestCounts.withLock { $0 } }

    func handle(_ request: HTTPServerRequest, _ writer: HTTPResponseWriter) async {
        defer { audit(request, writer) }
        let agent = (request.header("User-Agent") ?? "unknown").split(separator: "/").first.map(String.init) ?? "unknown"
        requestCounts.withLock { $0["\(agent) \(request.method)", default: 0] += 1 }
        resourceRequestCounts.withLock { $0["\(agent) \(request.method) \(RequestResource.of(path: request.path))", default: 0] += 1 }
        do {
            guard let route = APIPath(path: request.path) else {
                throw Status(code: 404, reason: "NotFound", message: "the server could not find the requested resource")
            }
            if case .health = route {
                try await writer.respond(status: 200, headers: [("Content-Type", "text/plain")], body: "ok")
                return
            }
            try authenticate(request)
            if case .admin(let segments) = route {
                try await handleAdmin(segments, request, writer)
                return
            }
            try injectFault(agent: agent)
            try await dispatch(route, request, writer)
        } catch let status as Status {
            await respondError(status, writer)
        } catch {
            await respondError(Status(code: 500, reason: "InternalError", message: "Internal error occurred: \(error)"), writer)
        }
    }

    func authenticate(_ request: HTTPServerRequest) throws(Status) {
        guard request.header("Authorization") == "Bearer \(configuration.token)" else {
            throw Status(code: 401, reason: "Unauthorized", message: "Unauthorized")
        }
    }

    func respondError(_ status: Status, _ writer: HTTPResponseWriter) async {
        guard !writer.hasStarted else {
            await writer.drop()
            return
        }
        let (body, headers) = status.response
        try? await writer.respond(status: status.code ?? 500, headers: headers, bytes: body)
    }

    func respondJSON(
        _ value: JSONValue, status: Int = 200, _ writer: HTTPResponseWriter, contentType: String = "application/json", headers: [(String, String)] = []
    ) async throws {
        try await writer.respond(status: status, headers: [("Content-Type", contentType)] + headers, bytes: JSON.serialize(value))
    }

    func dispatch(_ route: APIPath, _ request: HTTPServerRequest, _ writer: HTTPResponseWriter) async throws {
        switch route {
        case .resource(let path):
            try await handleResource(path, request, writer)
        case .version, .coreVersions, .groups, .group, .groupVersion, .openAPIv3Index, .openAPIv3, .openAPIv2:
            try await handleDiscovery(route, request, writer)
        case .health, .admin:
            break
        }
    }
}

/// Parts of the server that other components plug in: the node's logs, for now.
public struct ServerHooks: Sendable {
    /// Reads a container's log for `pods/log`: (namespace, pod, container, tailLines, previous) → text.
    public var readLog: (@Sendable (String, String, String?, Int?, Bool) async throws -> String)?
    /// Follows a container's log for `pods/log?follow=true`.
    public var followLog: (@Sendable (String, String, String?, Int?) async throws -> AsyncStream<String>)?

    /// Interrupts a (spot) node: its pods are disrupted and the node goes away.
    public var interruptNode: (@Sendable (String) async throws -> Void)?
    /// Brings an interrupted node back.
    public var restoreNode: (@Sendable (String) async throws -> Void)?
    /// Evicts a pod (namespace, name), as the Eviction API does.
    public var evictPod: (@Sendable (String, String) async throws -> Void)?

    /// Told of every request once it was answered (a watch: once it ended), as an audit
    /// backend is (see ``AuditRecord``).
    public var audit: (@Sendable (AuditRecord) -> Void)?

    public init() {}
}
