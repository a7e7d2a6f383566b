/// The operator's HTTP endpoints, as a pure function from a request line to a response, so
/// that any HTTP server can serve them (`slipway operator` serves them with Hummingbird).
///
/// - `/healthz`: the process is alive — always `200 ok`.
/// - `/readyz`: ``OperatorHealth/readiness`` — `200 ok` or `503` with the reason.
/// - `/metrics`: ``SlipwayMetrics/render()`` in the Prometheus text format.
public struct OperatorEndpoints: Sendable {
    /// One endpoint.
    public enum Endpoint: String, Sendable, Hashable, CaseIterable {
        case healthz = "/healthz"
        case readyz = "/readyz"
        case metrics = "/metrics"
    }

    /// A response to write.
    public struct Response: Sendable, Hashable {
        public var status: Int
        public var contentType: String
        public var body: String

        public init(status: Int, contentType: String, body: String) {
            self.status = status
            self.contentType = contentType
            self.body = body
        }
    }

    /// The endpoints this server answers; others are 404.
    public var serving: Set<Endpoint>
    public var health: OperatorHealth
    public var metrics: SlipwayMetrics

    public init(serving: Set<Endpoint>, health: OperatorHealth, metrics: SlipwayMetrics) {
        self.serving = serving
        self.health = health
        self.metrics = metrics
    }

    /// The response to `method path` (query strings are ignored).
    public func respond(method: String, path: String) -> Response {
        let plain = "text/plain; charset=utf-8"
        let route = String(path.prefix { $0 != "?" })
        guard let endpoint = Endpoint(rawValue: route), serving.contains(endpoint) else {
            let known = serving.map(\.rawValue).sorted().joined(separator: ", ")
            return Response(status: 404, contentType: plain, body: "not found; this port serves \(known)\n")
        }
        guard method == "GET" || method == "HEAD" else {
            return Response(status: 405, contentType: plain, body: "use GET\n")
        }
        switch endpoint {
        case .healthz:
            return Response(status: 200, contentType: plain, body: "ok\n")
        case .readyz:
            let (ready, reason) = health.readiness
            return Response(status: ready ? 200 : 503, contentType: plain, body: ready ? "ok: \(reason)\n" : "not ready: \(reason)\n")
        case .metrics:
            return Response(status: 200, contentType: "text/plain; version=0.0.4; charset=utf-8", body: metrics.render())
        }
    }
}
