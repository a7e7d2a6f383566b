import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// A small HTTP/1.1 server (plain or TLS) on SwiftNIO: one handler call per request, whose
/// answer is either a whole body or a stream of chunks (watches, followed logs). It serves
/// the local API server, and the test kit's scripted servers.
public final class HTTPServer: Sendable {
    public typealias Handler = @Sendable (HTTPServerRequest, HTTPResponseWriter) async throws -> Void

    public let port: Int
    public let url: URL
    private let channel: NIOAsyncChannel<EventLoopFuture<Connection>, Never>
    private let serving: Task<Void, Never>

    /// Starts the server on `host:port` (port 0 picks a free one). With `tls`, it serves
    /// HTTPS (and can require client certificates). With `webSockets`, a connection whose
    /// first request asks for a WebSocket upgrade that `webSockets` accepts switches protocols.
    public static func start(
        host: String = "127.0.0.1", port: Int = 0, tls: TLSConfiguration? = nil, webSockets: WebSocketRoutes? = nil,
        handler: @escaping Handler
    ) async throws -> HTTPServer {
        let sslContext = try tls.map { try NIOSSLContext(configuration: $0) }
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .bind(host: host, port: port) { child in
                child.eventLoop.makeCompletedFuture {
                    if let sslContext {
                        try child.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: sslContext))
                    }
                    if let webSockets { return try webSockets.configure(child) }
                    try child.pipeline.syncOperations.configureHTTPServerPipeline()
                    let http = try NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>(wrappingChannelSynchronously: child)
                    return child.eventLoop.makeSucceededFuture(Connection.http(http))
                }
            }
        return HTTPServer(channel: channel, host: host, scheme: tls == nil ? "http" : "https", webSockets: webSockets, handler: handler)
    }

    private init(
        channel: NIOAsyncChannel<EventLoopFuture<Connection>, Never>, host: String,
        scheme: String, webSockets: WebSocketRoutes?, handler: @escaping Handler
    ) {
        self.channel = channel
        self.port = channel.channel.localAddress?.port ?? 0
        let shownHost = host.contains(":") ? "[\(host)]" : host
        self.url = URL(string: "\(scheme)://\(shownHost):\(port)")!
        self.serving = Task {
            try? await channel.executeThenClose { connections in
                await withDiscardingTaskGroup { group in
                    do {
                        for try await connection in connections {
                            group.addTask {
                                switch try? await connection.get() {
                                case .http(let http)?: await Self.serve(http, handler: handler)
                                case .webSocket(let socket, let head)?: await webSockets?.serve(socket, head: head)
                                case nil: break
                                }
                            }
                        }
                    } catch {}
                }
            }
        }
    }

    /// Stops accepting and closes the listening socket.
    public func shutdown() async {
        try? await channel.channel.close()
        serving.cancel()
        _ = await serving.value
    }

    /// Serves one connection. Each request's handler runs in its own task while the
    /// connection keeps being read, so that a client that goes away (EOF, TLS close_notify)
    /// is noticed at once: its in-flight handler — typically a watch — is cancelled instead
    /// of blocking until its next write fails.
    private static func serve(
        _ connection: NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>,
        handler: @escaping Handler
    ) async {
        try? await connection.executeThenClose { inbound, outbound in
            var head: HTTPRequestHead?
            var body: [UInt8] = []
            var current: Task<Bool, Never>?
            defer { current?.cancel() }
            for try await part in inbound {
                switch part {
                case .head(let h):
                    // A pipelined request waits for the previous response.
                    if let previous = current, await previous.value == false { return }
                    current = nil
                    head = h
                    body = []
                case .body(let buffer):
                    guard body.count + buffer.readableBytes <= maxRequestBody else {
                        try? await connection.channel.close()
                        return
                    }
                    body += Array(buffer: buffer)
                case .end:
                    guard let h = head else { continue }
                    let request = HTTPServerRequest(head: h, body: body)
                    let responder = HTTPResponseWriter(outbound: outbound, channel: connection.channel)
                    let channel = connection.channel
                    current = Task {
                        do {
                            try await handler(request, responder)
                            try await responder.finishIfNeeded()
                        } catch {
                            try? await channel.close()
                            return false
                        }
                        return !responder.isDropped
                    }
                }
            }
            // The client closed its side: stop whatever is still answering it.
            current?.cancel()
            _ = await current?.value
        }
    }
}

/// Request bodies larger than this close the connection (Kubernetes allows 3 MiB objects).
let maxRequestBody = 64 << 20

/// One request as the server received it.
public struct HTTPServerRequest: Sendable {
    public var method: String
    public var uri: String
    public var path: String
    /// Query parameters (the first value of each name), decoded as Go's `url.ParseQuery`
    /// does (``QueryString``): `+` is a space.
    public var query: [String: String]
    public var headers: [(String, String)]
    public var body: [UInt8]

    init(head: HTTPRequestHead, body: [UInt8]) {
        method = head.method.rawValue
        uri = head.uri
        let uri = head.uri[...]
        let mark = uri.firstIndex(of: "?")
        path = String(uri[..<(mark ?? uri.endIndex)])
        query = mark.map { QueryString.firstValues(uri[uri.index(after: $0)...]) } ?? [:]
        headers = head.headers.map { ($0.name, $0.value) }
        self.body = body
    }

    public func header(_ name: String) -> String? {
        headers.first { $0.0.lowercased() == name.lowercased() }?.1
    }

    public var bodyText: String { String(decoding: body, as: UTF8.self) }
}

/// Writes one response: either `respond(...)` at once, or `start` + `write` chunks + `end`.
public final class HTTPResponseWriter: Sendable {
    private let outbound: NIOAsyncChannelOutboundWriter<HTTPServerResponsePart>
    private let channel: any Channel
    private let state = NIOLockedValueBox<(started: Bool, ended: Bool, dropped: Bool)>((false, false, false))
    private let statusCode = NIOLockedValueBox<Int?>(nil)

    init(outbound: NIOAsyncChannelOutboundWriter<HTTPServerResponsePart>, channel: any Channel) {
        self.outbound = outbound
        self.channel = channel
    }

    var isDropped: Bool { state.withLockedValue { $0.dropped } }

    /// Whether the response has begun (a head was written).
    public var hasStarted: Bool { state.withLockedValue { $0.started } }

    /// The status of the response head written (nil before one was).
    public var status: Int? { statusCode.withLockedValue { $0 } }

    /// A complete response with a Content-Length.
    public func respond(status: Int, headers: [(String, String)] = [], body: String) async throws {
        try await respond(status: status, headers: headers, bytes: Array(body.utf8))
    }

    /// A complete response with a Content-Length.
    public func respond(status: Int, headers: [(String, String)] = [], bytes: [UInt8]) async throws {
        var h = HTTPHeaders(headers)
        // A 304 must not carry a Content-Type: caches merge its headers into the stored answer.
        if !h.contains(name: "Content-Type"), status != 304, status != 204 { h.add(name: "Content-Type", value: "application/json") }
        h.replaceOrAdd(name: "Content-Length", value: String(bytes.count))
        statusCode.withLockedValue { $0 = status }
        try await outbound.write(.head(HTTPResponseHead(version: .http1_1, status: .init(statusCode: status), headers: h)))
        if !bytes.isEmpty { try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: bytes)))) }
        try await outbound.write(.end(nil))
        state.withLockedValue { $0 = (true, true, $0.dropped) }
    }

    /// Starts a chunked response.
    public func start(status: Int = 200, headers: [(String, String)] = [("Content-Type", "application/json")]) async throws {
        let head = HTTPResponseHead(version: .http1_1, status: .init(statusCode: status), headers: HTTPHeaders(headers))
        statusCode.withLockedValue { $0 = status }
        try await outbound.write(.head(head))
        state.withLockedValue { $0.started = true }
    }

    /// Sends one chunk, flushed at once.
    public func write(_ text: String) async throws {
        try await outbound.write(.body(.byteBuffer(ByteBuffer(string: text))))
    }

    /// Ends a chunked response cleanly.
    public func end() async throws {
        try await outbound.write(.end(nil))
        state.withLockedValue { $0.ended = true }
    }

    /// Closes the TCP connection without ending the response: a dropped connection.
    public func drop() async {
        state.withLockedValue { $0.dropped = true }
        try? await channel.close()
    }

    func finishIfNeeded() async throws {
        let s = state.withLockedValue { $0 }
        if s.dropped || s.ended { return }
        if !s.started { try await respond(status: 204, body: ""); return }
        try await end()
    }
}
