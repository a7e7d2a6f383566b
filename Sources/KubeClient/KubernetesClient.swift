import AsyncHTTPClient
import Foundation
import KubeAPI
import Logging
import NIOCore
import NIOHTTP1

/// A client for one Kubernetes API server.
///
/// Share one per process: it pools keep-alive connections, applies the client-side rate
/// limit, and must be shut down (`shutdown()`) before the process exits.
public final class KubernetesClient: Sendable {
    public let configuration: ClientConfiguration
    let holder: HTTPClientHolder
    let limiter: RequestRateLimiter?
    let clock: any KubeClock
    let logger: Logger
    /// Observes every request (verb, resource, code, latency); the metrics layer sets it.
    let observer: (any RequestObserver)?
    /// Sees every request before it is sent and after it is answered, and every watch line;
    /// the fault-injection tests set it (production clients have none).
    let interceptor: (any RequestInterceptor)?

    public init(
        configuration: ClientConfiguration, clock: any KubeClock = SystemClock(),
        logger: Logger = Logger(label: "slipway.client"), observer: (any RequestObserver)? = nil,
        interceptor: (any RequestInterceptor)? = nil
    ) {
        self.configuration = configuration
        self.holder = HTTPClientHolder(configuration: configuration)
        self.limiter = configuration.qps.map { RequestRateLimiter(qps: $0, burst: max(1, configuration.burst), clock: clock) }
        self.clock = clock
        self.logger = logger
        self.observer = observer
        self.interceptor = interceptor
    }

    /// The namespace of the kubeconfig context (or the service account's namespace).
    public var defaultNamespace: String { configuration.namespace }

    /// Closes all connections. Call once, on every exit path.
    public func shutdown() async throws { try await holder.shutdown() }

    // MARK: - Request execution

    /// Sends a request and reads the whole answer, with rate limiting, credentials, 401
    /// refresh and retries. Non-2xx answers throw `KubeError`.
    func perform(_ request: APIRequest) async throws -> APIResponse {
        var attempt = 0
        var refreshedCredentials = false
        while true {
            let started = clock.now()
            do {
                try await interceptor?.willSend(method: request.method.rawValue, path: request.path)
                let (response, body) = try await sendOnce(request, collect: true)
                let code = Int(response.status.code)
                observer?.observe(method: request.method.rawValue, path: request.path, query: request.query, code: code, seconds: clock.now().timeIntervalSince(started))
                try await interceptor?.didAnswer(method: request.method.rawValue, path: request.path, code: code)
                if (200..<300).contains(code) {
                    return APIResponse(code: code, headers: response.headers, body: body)
                }
                let error = Self.error(code: code, headers: response.headers, body: body)
                if code == 401, !refreshedCredentials, let provider = configuration.credentials {
                    refreshedCredentials = true
                    await provider.invalidate()
                    continue
                }
                guard let wait = retryDelay(for: error, request: request, attempt: attempt) else { throw error }
                attempt += 1
                logger.debug("retrying after \(error)", metadata: ["path": "\(request.path)", "attempt": "\(attempt)"])
                try await clock.sleep(for: wait)
            } catch let error as KubeError {
                if case .transport = error, let wait = retryDelay(for: error, request: request, attempt: attempt) {
                    observer?.observe(method: request.method.rawValue, path: request.path, query: request.query, code: 0, seconds: clock.now().timeIntervalSince(started))
                    attempt += 1
                    try await clock.sleep(for: wait)
                    continue
                }
                throw error
            }
        }
    }

    /// Opens a streaming request (watch, log follow) and returns the response whose body is
    /// still arriving. Non-2xx answers are read and thrown as `KubeError`.
    func openStream(_ request: APIRequest) async throws -> HTTPClientResponse {
        try await interceptor?.willSend(method: request.method.rawValue, path: request.path)
        let started = clock.now()
        let (response, _) = try await sendOnce(request, collect: false)
        let code = Int(response.status.code)
        observer?.observe(method: request.method.rawValue, path: request.path, query: request.query, code: code, seconds: clock.now().timeIntervalSince(started))
        if (200..<300).contains(code) { return response }
        let body = (try? await response.body.collect(upTo: 1 << 20)).map { Array(buffer: $0) } ?? []
        throw Self.error(code: code, headers: response.headers, body: body)
    }

    private func sendOnce(_ request: APIRequest, collect: Bool) async throws -> (HTTPClientResponse, [UInt8]) {
        if let limiter { await limiter.acquire(priority: RequestPriority.of(method: request.method.rawValue, path: request.path)) }
        let credentials = try await configuration.credentials?.credentials() ?? Credentials()
        let http = try await holder.client(for: credentials)
        var base = configuration.server.absoluteString
        while base.hasSuffix("/") { base.removeLast() }
        var req = HTTPClientRequest(url: base + request.path + encodeQuery(request.query))
        req.method = request.method
        req.headers.add(name: "Accept", value: request.accept)
        req.headers.add(name: "User-Agent", value: configuration.userAgent)
        if let token = credentials.bearerToken { req.headers.add(name: "Authorization", value: "Bearer \(token)") }
        if let body = request.body {
            req.headers.add(name: "Content-Type", value: request.contentType ?? "application/json")
            req.body = .bytes(ByteBuffer(bytes: body))
        }
        let deadline: NIODeadline =
            request.streaming
            ? (request.timeout.map { .now() + $0.timeAmount + .seconds(30) } ?? .distantFuture)
            : .now() + (request.timeout ?? configuration.requestTimeout).timeAmount
        do {
            let response = try await http.execute(req, deadline: deadline, logger: nil)
            guard collect else { return (response, []) }
            let buffer = try await response.body.collect(upTo: 512 << 20)
            return (response, Array(buffer: buffer))
        } catch let error as KubeError {
            throw error
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw KubeError.transport("\(request.method.rawValue) \(request.path): \(error)")
        }
    }

    /// How long to wait before retrying, or nil when the request must not be retried.
    func retryDelay(for error: KubeError, request: APIRequest, attempt: Int) -> Duration? {
        guard attempt < configuration.maxRetries else { return nil }
        let backoff = Duration.milliseconds(min(200 * (1 << min(attempt, 10)), 10_000))
        switch error {
        case .tooManyRequests(_, let retryAfter):
            if let retryAfter { return .seconds(max(1, retryAfter)) }
            return request.isSafe ? backoff : nil
        case .internalError, .timeout, .transport:
            return request.isSafe ? backoff : nil
        case .unexpectedStatus(let code, _) where code >= 500:
            return request.isSafe ? backoff : nil
        default:
            return nil
        }
    }

    /// Reads the server's Status from an error body, or makes one from the code and text.
    static func error(code: Int, headers: HTTPHeaders, body: [UInt8]) -> KubeError {
        let retryAfter = headers.first(name: "Retry-After").flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        if let json = try? JSON.parse(body), json["kind"]?.stringValue == "Status", let status = Status(json: json) {
            return KubeError.from(code: code, status: status, retryAfter: retryAfter)
        }
        let text = String(decoding: body.prefix(2048), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        let reason = HTTPResponseStatus(statusCode: code).reasonPhrase.replacingOccurrences(of: " ", with: "")
        let message = text.isEmpty ? "the server answered HTTP \(code)" : text
        return KubeError.from(code: code, status: Status(code: code, reason: reason, message: message), retryAfter: retryAfter)
    }

    /// Decodes a JSON answer into a typed view.
    static func decode<T: JSONRepresentable>(_ type: T.Type, _ body: [UInt8]) throws -> T {
        let value: JSONValue
        do { value = try JSON.parse(body) } catch { throw KubeError.decoding("\(error)") }
        guard let typed = T(json: value) else { throw KubeError.decoding("unexpected shape for \(T.self)") }
        return typed
    }
}

/// A seam between the client and the server through which tests inject faults — an
/// operator that dies right after its k-th write, a lost watch event, a cache that lags
/// behind the server (`CrashPointTests`). It sees every request before it is sent and
/// after it is answered, and every line of every watch. Production clients have none.
public protocol RequestInterceptor: Sendable {
    /// Before a request is sent; throwing fails it as a broken connection would.
    func willSend(method: String, path: String) async throws
    /// After the server answered `code`; throwing loses the answer: the request took
    /// effect, the caller never learns it.
    func didAnswer(method: String, path: String, code: Int) async throws
    /// A filter for the lines of one watch of `path`, or nil to hand them on as they come.
    func watchFilter(path: String) -> (any WatchLineFilter)?
}

extension RequestInterceptor {
    public func willSend(method: String, path: String) async throws {}
    public func didAnswer(method: String, path: String, code: Int) async throws {}
    public func watchFilter(path: String) -> (any WatchLineFilter)? { nil }
}

/// Decides, line by line, what one watch hands on (see `RequestInterceptor`).
public protocol WatchLineFilter: AnyObject {
    /// One line of the watch arrived; returns the lines to hand on now, in order — none
    /// drops or holds it, several release lines held before.
    func receive(_ line: [UInt8]) -> [[UInt8]]
}

/// Receives one call per API request; used for metrics.
public protocol RequestObserver: Sendable {
    /// `code` is 0 when no answer arrived.
    func observe(method: String, path: String, code: Int, seconds: Double)
    /// The same call with the request's query parameters (`watch=true` tells a watch from a
    /// list). The client calls this one; by default it forwards to the one above.
    func observe(method: String, path: String, query: [(String, String)], code: Int, seconds: Double)
}

extension RequestObserver {
    public func observe(method: String, path: String, query: [(String, String)], code: Int, seconds: Double) {
        observe(method: method, path: path, code: code, seconds: seconds)
    }
}
