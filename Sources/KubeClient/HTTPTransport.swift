import AsyncHTTPClient
import Foundation
import KubeAPI
import Logging
import NIOCore
import NIOHTTP1
import NIOSSL

/// One HTTP request to the API server, before authentication.
struct APIRequest: Sendable {
    var method: HTTPMethod
    var path: String
    var query: [(String, String)] = []
    var body: [UInt8]? = nil
    var contentType: String? = nil
    var accept: String = "application/json"
    /// Streaming requests (watch, log follow) have no overall deadline beyond this.
    var streaming = false
    var timeout: Duration? = nil

    /// GET requests may be retried after 5xx and connection errors; everything may be
    /// retried after a 429 that carries Retry-After (the server did not process it).
    var isSafe: Bool { method == .GET || method == .HEAD }
}

/// An answer with its body read in full.
struct APIResponse: Sendable {
    var code: Int
    var headers: HTTPHeaders
    var body: [UInt8]
}

/// Holds the AsyncHTTPClient and rebuilds it when an exec plugin hands out a new client
/// certificate. Every HTTPClient it made is shut down by `shutdown()`.
actor HTTPClientHolder {
    private let configuration: ClientConfiguration
    private var current: (client: HTTPClient, cert: Data?, key: Data?)?
    private var retired: [HTTPClient] = []
    private var isShutDown = false

    init(configuration: ClientConfiguration) {
        self.configuration = configuration
    }

    func client(for credentials: Credentials) throws -> HTTPClient {
        guard !isShutDown else { throw KubeError.transport("the client was shut down") }
        let cert = credentials.clientCertificatePEM ?? configuration.clientCertificatePEM
        let key = credentials.clientKeyPEM ?? configuration.clientKeyPEM
        if let current, current.cert == cert, current.key == key { return current.client }
        let tls = try Self.makeTLS(configuration, cert: cert, key: key)
        var config = HTTPClient.Configuration(
            tlsConfiguration: tls, redirectConfiguration: .disallow,
            timeout: .init(connect: .seconds(10), read: nil),
            // Every watch and followed log holds one HTTP/1.1 connection for its lifetime:
            // leave plenty beside them for ordinary requests.
            connectionPool: .init(idleTimeout: .seconds(90), concurrentHTTP1ConnectionsPerHostSoftLimit: 128), proxy: nil, ignoreUncleanSSLShutdown: false,
            decompression: .enabled(limit: .none))
        config.httpVersion = .http1Only
        let client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: config)
        if let old = current?.client { retired.append(old) }
        current = (client, cert, key)
        return client
    }

    func shutdown() async throws {
        guard !isShutDown else { return }
        isShutDown = true
        let all = retired + (current.map { [$0.client] } ?? [])
        current = nil
        retired = []
        for client in all { try await client.shutdown() }
    }

    static func makeTLS(_ c: ClientConfiguration, cert: Data?, key: Data?) throws -> TLSConfiguration {
        var tls = TLSConfiguration.makeClientConfiguration()
        // Closing a connection waits for the server's close_notify; a server still busy with
        // a watch may not answer, and the default (5 s) would stall every shutdown.
        tls.shutdownTimeout = .milliseconds(500)
        if let name = c.tlsServerName, !name.isEmpty, !c.insecureSkipTLSVerify {
            // AsyncHTTPClient verifies the certificate against the URL's host only.
            throw KubeError.configuration(
                "tls-server-name \"\(name)\" is not supported: point the cluster's server URL at a host name the certificate names")
        }
        do {
            if let ca = c.certificateAuthorityPEM {
                tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMBytes(Array(ca)))
            }
            if c.insecureSkipTLSVerify { tls.certificateVerification = .none }
            if let cert, let key {
                tls.certificateChain = try NIOSSLCertificate.fromPEMBytes(Array(cert)).map { .certificate($0) }
                tls.privateKey = .privateKey(try NIOSSLPrivateKey(bytes: Array(key), format: .pem))
            } else if (cert == nil) != (key == nil) {
                throw KubeError.configuration("a client certificate needs both the certificate and its key")
            }
        } catch let error as KubeError {
            throw error
        } catch {
            throw KubeError.configuration("cannot load TLS material: \(error)")
        }
        return tls
    }
}

extension Duration {
    var timeAmount: TimeAmount { .nanoseconds(Int64(seconds * 1e9)) }
}

/// Builds `/path?k=v&…` with Kubernetes-safe percent encoding of values.
func encodeQuery(_ items: [(String, String)]) -> String {
    guard !items.isEmpty else { return "" }
    var allowed = CharacterSet.alphanumerics
    allowed.insert(charactersIn: "-._~")
    return "?" + items.map { k, v in
        "\(k)=\(v.addingPercentEncoding(withAllowedCharacters: allowed) ?? v)"
    }.joined(separator: "&")
}
