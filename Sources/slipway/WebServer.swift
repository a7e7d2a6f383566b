import AsyncHTTPClient
import Foundation
import Hummingbird
import HTTPTypes
import KubeAPI
import KubeClient
import Logging
import NIOCore
import ServiceLifecycle
import SlipwayAPI
import SlipwayControllers
import SlipwayWeb

/// The web view (docs/web.md) as a service: Hummingbird serving ``WebResponder`` on
/// `--web-address`. It prints its URL once it listens (`web: http://127.0.0.1:8090/`).
struct WebServer: ServiceLifecycle.Service {
    let host: String
    let port: Int
    let source: JobViewSource
    let logger: Logger
    /// Told the URL once it listens (instead of printing it), or the error when it cannot.
    var started: (@Sendable (Result<String, any Error>) -> Void)? = nil

    func run() async throws {
        let listening = ListeningFlag()
        let host = self.host
        let shownHost = host.contains(":") ? "[\(host)]" : host
        let proxy = HTTPClient(
            eventLoopGroupProvider: .singleton,
            configuration: HTTPClient.Configuration(redirectConfiguration: .disallow, timeout: .init(connect: .seconds(5), read: .seconds(60))))
        let app = Application(
            responder: WebResponder(source: source, proxy: proxy, logger: logger),
            configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: nil),
            onServerRunning: { [started] channel in
                listening.set()
                let url = "http://\(shownHost):\(channel.localAddress?.port ?? 0)/"
                if let started { started(.success(url)) } else { say("web: \(url)") }
            },
            logger: logger)
        do {
            try await app.run()
        } catch where !listening.isSet {
            try? await proxy.shutdown()
            let failure = EndpointServer.StartFailure(description: "cannot listen on \(host):\(port) for the web view: \(error)")
            started?(.failure(failure))
            throw failure
        }
        try? await proxy.shutdown()
    }
}

/// Routes a request (``WebRoute``) to the caches (``JobViewSource``) and a page renderer;
/// logs stream from the API server, the Spark UI from the driver.
struct WebResponder: HTTPResponder {
    typealias Context = BasicRequestContext
    let source: JobViewSource
    let proxy: HTTPClient
    let logger: Logger

    static let htmlType = "text/html; charset=utf-8"

    func respond(to request: Request, context: Context) async throws -> Response {
        let target = request.uri.description
        let root = WebRoute.root(of: request.uri.path)
        let route = WebRoute(target: target)
        if case .spark(let namespace, let job, let path, let query) = route {
            return await spark(request, namespace: namespace, job: job, path: path, query: query, root: root)
        }
        guard request.method == .get || request.method == .head else { return Self.page(405, "Use GET", "This view only reads.", root: root) }
        guard source.isReady else {
            return Self.page(503, "Not ready", "The operator's caches have not listed yet (or this replica is not the leader).", root: root)
        }
        switch route {
        case .list(let filter, let page):
            let rows = source.jobs(BatchJob.self).compactMap(JobRow.init) + source.jobs(SparkJob.self).compactMap(JobRow.init)
            return Self.html(200, JobListPage(all: rows, filter: filter, page: page).render(now: Date(), root: root))
        case .job(let key):
            guard let html = jobPage(key, root: root) else { return Self.notFound(key, root: root) }
            return Self.html(200, html)
        case .logs(let key, let pod, let container):
            return await logs(key, pod: pod, container: container, root: root)
        case .favicon:
            return Response(status: .noContent)
        case .spark, .notFound:
            return Self.page(404, "Not found", "This view serves /, /jobs/<kind>/<namespace>/<name> and /spark/<namespace>/<job>/.", root: root)
        }
    }

    func jobPage(_ key: JobKey, root: String) -> String? {
        let now = Date()
        if key.kind == "BatchJob", let (job, pods) = source.job(BatchJob.self, namespace: key.namespace, name: key.name) {
            let events = source.events(kind: key.kind, namespace: key.namespace, name: key.name, uid: job.metadata.uid, pods: pods)
            return JobPage(pods: pods, events: events, now: now, root: root).render(job)
        }
        if key.kind == "SparkJob", let (job, pods) = source.job(SparkJob.self, namespace: key.namespace, name: key.name) {
            let events = source.events(kind: key.kind, namespace: key.namespace, name: key.name, uid: job.metadata.uid, pods: pods)
            return JobPage(pods: pods, events: events, now: now, root: root).render(job)
        }
        return nil
    }

    // MARK: - Logs

    /// The pod must be one of the job's (cached, or named in its attempt history): the view
    /// reads no other pod's log.
    func podOf(_ key: JobKey, named pod: String) -> (known: Bool, cached: Pod?) {
        switch key.kind {
        case "BatchJob":
            guard let (job, pods) = source.job(BatchJob.self, namespace: key.namespace, name: key.name) else { return (false, nil) }
            let cached = pods.first { $0.metadata.name == pod }
            return (cached != nil || job.status.history.contains { $0.pod == pod }, cached)
        default:
            guard let (job, pods) = source.job(SparkJob.self, namespace: key.namespace, name: key.name) else { return (false, nil) }
            let cached = pods.first { $0.metadata.name == pod }
            return (cached != nil || job.status.history.contains { $0.driverPod == pod }, cached)
        }
    }

    func logs(_ key: JobKey, pod: String, container: String?, root: String) async -> Response {
        let (known, cached) = podOf(key, named: pod)
        guard known, let client = source.client else {
            return Self.page(404, "Not found", "\(pod) is not a pod of \(key.kind) \(key.namespace)/\(key.name).", root: root)
        }
        if let cached, let container, !cached.spec.containers.contains(where: { $0.name == container }) {
            return Self.page(404, "Not found", "Pod \(pod) has no container \(container).", root: root)
        }
        var options = LogOptions()
        options.container = container
        // A page, not an archive: the end of a long log is what explains it.
        options.tailLines = LogPage.maxLines
        let running = cached.map { pod in
            pod.status.containerStatuses.contains { ($0.name == container || container == nil) && $0.state.running != nil }
        } ?? false
        guard running else {
            do {
                let text = try await client.logs(pod: pod, namespace: key.namespace, options: options)
                return Self.html(200, LogPage.render(text, key: key, pod: pod, container: container, root: root))
            } catch {
                return Self.page(502, "No log", "The API server gave no log for \(pod): \(error)", root: root)
            }
        }
        let lines: LogLines
        do {
            lines = try await client.followLogs(pod: pod, namespace: key.namespace, options: options)
        } catch {
            return Self.page(502, "No log", "The API server gave no log for \(pod): \(error)", root: root)
        }
        let head = LogPage.head(key, pod: pod, container: container, following: true, exception: nil, root: root)
        let body = ResponseBody { writer in
            try await writer.write(ByteBuffer(string: head))
            var window: [String] = []
            do {
                for try await line in lines {
                    window.append(line)
                    if window.count > 400 { window.removeFirst(200) }
                    try await writer.write(ByteBuffer(string: LogPage.line(line)))
                }
            } catch {
                try await writer.write(ByteBuffer(string: LogPage.line("(the log stream ended: \(error))")))
            }
            try await writer.write(ByteBuffer(string: LogPage.tail(exception: LogPage.exception(in: window))))
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: [.contentType: Self.htmlType, .cacheControl: "no-store"], body: body)
    }

    // MARK: - The Spark UI

    /// Proxies to the running driver's UI (its pod address, port `spark-ui` or 4040);
    /// without one, says the application is not running and links to the job.
    func spark(_ request: Request, namespace: String, job name: String, path: String, query: String, root: String) async -> Response {
        guard let key = JobKey(kind: "SparkJob", namespace: namespace, name: name) else { return Self.page(404, "Not found", "", root: root) }
        let found = source.job(SparkJob.self, namespace: namespace, name: name)
        guard let (job, pods) = found, JobPage.sparkUIIsLive(job), let driverName = job.status.driver.pod,
              let driver = pods.first(where: { $0.metadata.name == driverName }), driver.status.phase == .running,
              let address = driver.status.podIP
        else {
            let page = SparkUIProxy.notRunning(key, phase: found?.job.status.phase?.rawValue, exists: found != nil, root: root)
            return Self.html(found == nil ? 404 : 200, page)
        }
        let port = driver.spec.containers.lazy.flatMap(\.ports).first { $0.name == "spark-ui" }?.containerPort ?? 4040
        let host = address.contains(":") ? "[\(address)]" : address
        let upstream = "http://\(host):\(port)"
        let prefix = SparkUIProxy.prefix(namespace: namespace, job: name)
        var outgoing = HTTPClientRequest(url: upstream + path + (query.isEmpty ? "" : "?" + query))
        outgoing.method = .init(rawValue: request.method.rawValue)
        for field in request.headers where !SparkUIProxy.droppedHeaders.contains(field.name.canonicalName) {
            outgoing.headers.add(name: field.name.rawName, value: field.value)
        }
        outgoing.headers.replaceOrAdd(name: "X-Forwarded-Prefix", value: prefix)
        do {
            let body = try await request.body.collect(upTo: 1 << 20)
            if body.readableBytes > 0 { outgoing.body = .bytes(body) }
            let response = try await proxy.execute(outgoing, timeout: .seconds(60))
            let bytes = try await response.body.collect(upTo: 64 << 20)
            var headers = HTTPFields()
            for (name, value) in response.headers where !SparkUIProxy.droppedHeaders.contains(name.lowercased()) {
                guard let field = HTTPField.Name(name) else { continue }
                headers.append(HTTPField(name: field, value: name.lowercased() == "location"
                    ? SparkUIProxy.rewriteLocation(value, upstream: upstream, prefix: prefix) : value))
            }
            return Response(status: .init(code: Int(response.status.code)), headers: headers, body: ResponseBody(byteBuffer: bytes))
        } catch {
            return Self.page(502, "Spark UI unreachable", "The driver's UI at \(upstream) did not answer: \(error)", root: root)
        }
    }

    // MARK: - Responses

    static func html(_ status: Int, _ text: String) -> Response {
        Response(
            status: .init(code: status), headers: [.contentType: htmlType, .cacheControl: "no-store"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    static func page(_ status: Int, _ title: String, _ text: String, root: String) -> Response {
        html(status, HTML.page(title: title, root: root, body: "<h1>\(HTML.escape(title))</h1>\n<p>\(HTML.escape(text))</p>\n"))
    }

    static func notFound(_ key: JobKey, root: String) -> Response {
        page(404, "Not found", "No \(key.kind) \(key.namespace)/\(key.name) in the operator's caches (it may have been deleted, or its namespace is not watched).", root: root)
    }
}
