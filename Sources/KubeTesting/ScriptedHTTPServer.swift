import Foundation
import LocalCluster
import NIOConcurrencyHelpers
import NIOSSL

public typealias ScriptedRequest = HTTPServerRequest
public typealias ScriptedResponder = HTTPResponseWriter

/// An HTTP(S) server on 127.0.0.1 whose answers a test scripts request by request: plain
/// bodies, chunked streams split wherever the test likes, delays, and dropped connections.
/// It records every request so tests can assert what the client sent.
public final class ScriptedHTTPServer: Sendable {
    public typealias Handler = HTTPServer.Handler

    private let server: HTTPServer
    private let recorded: NIOLockedValueBox<[ScriptedRequest]>

    public var port: Int { server.port }
    public var url: URL { server.url }

    /// Starts the server. With `tls`, it serves HTTPS (and can require client certificates).
    public static func start(tls: TLSConfiguration? = nil, handler: @escaping Handler) async throws -> ScriptedHTTPServer {
        let recorded = NIOLockedValueBox<[ScriptedRequest]>([])
        let server = try await HTTPServer.start(tls: tls) { request, responder in
            recorded.withLockedValue { $0.append(request) }
            try await handler(request, responder)
        }
        return ScriptedHTTPServer(server: server, recorded: recorded)
    }

    private init(server: HTTPServer, recorded: NIOLockedValueBox<[ScriptedRequest]>) {
        self.server = server
        self.recorded = recorded
    }

    /// Every request received so far, in order.
    public var requests: [ScriptedRequest] { recorded.withLockedValue { $0 } }

    /// Stops accepting and closes the listening socket.
    public func shutdown() async { await server.shutdown() }
}

/// The test kit's name for the local CA.
public typealias TestCertificateAuthority = CertificateAuthority
