import Foundation

/// Everything the client needs to reach one API server as one user: the result of reading
/// a kubeconfig (or the in-cluster service account), independent of where it came from.
public struct ClientConfiguration: Sendable {
    /// Base URL of the API server, e.g. `https://127.0.0.1:6443`.
    public var server: URL
    /// PEM bundle of CAs trusted for the server's certificate; nil means the system roots.
    public var certificateAuthorityPEM: Data?
    /// Skip verifying the server's certificate (kubeconfig `insecure-skip-tls-verify`).
    public var insecureSkipTLSVerify: Bool
    /// Name to verify the server's certificate against, when it differs from the URL's host.
    public var tlsServerName: String?
    /// Client certificate and key (PEM) for mutual TLS.
    public var clientCertificatePEM: Data?
    public var clientKeyPEM: Data?
    /// Supplies bearer tokens (static, token file, exec plugin); nil sends none.
    public var credentials: (any CredentialProvider)?
    /// The namespace of the selected context ("default" when it names none).
    public var namespace: String
    /// Client-side rate limit: sustained queries per second (nil disables the limit) and burst.
    public var qps: Double?
    public var burst: Int
    /// Timeout of ordinary (non-watch, non-follow) requests.
    public var requestTimeout: Duration
    /// How often safe requests are retried on 429/5xx/connection errors.
    public var maxRetries: Int
    /// `User-Agent` header.
    public var userAgent: String

    public init(
        server: URL, certificateAuthorityPEM: Data? = nil, insecureSkipTLSVerify: Bool = false, tlsServerName: String? = nil,
        clientCertificatePEM: Data? = nil, clientKeyPEM: Data? = nil, credentials: (any CredentialProvider)? = nil,
        namespace: String = "default", qps: Double? = 50, burst: Int = 100, requestTimeout: Duration = .seconds(30),
        maxRetries: Int = 5, userAgent: String = "slipway"
    ) {
        self.server = server
        self.certificateAuthorityPEM = certificateAuthorityPEM
        self.insecureSkipTLSVerify = insecureSkipTLSVerify
        self.tlsServerName = tlsServerName
        self.clientCertificatePEM = clientCertificatePEM
        self.clientKeyPEM = clientKeyPEM
        self.credentials = credentials
        self.namespace = namespace
        self.qps = qps
        self.burst = burst
        self.requestTimeout = requestTimeout
        self.maxRetries = maxRetries
        self.userAgent = userAgent
    }
}

extension ClientConfiguration {
    /// A client of a local API server (`slipway dev`, tests, benchmarks): its CA, a bearer
    /// token, namespace `default`, and no client-side rate limit.
    public static func local(server: URL, caPEM: String, token: String, maxRetries: Int = 5, userAgent: String = "slipway") -> ClientConfiguration {
        ClientConfiguration(
            server: server, certificateAuthorityPEM: Data(caPEM.utf8), credentials: StaticTokenProvider(token: token),
            namespace: "default", qps: nil, maxRetries: maxRetries, userAgent: userAgent)
    }
}

/// What a credential source hands the transport for one request.
public struct Credentials: Sendable, Hashable {
    public var bearerToken: String?
    /// Client certificate and key (PEM) from an exec plugin's ExecCredential, if it gave them.
    public var clientCertificatePEM: Data?
    public var clientKeyPEM: Data?

    public init(bearerToken: String? = nil, clientCertificatePEM: Data? = nil, clientKeyPEM: Data? = nil) {
        self.bearerToken = bearerToken
        self.clientCertificatePEM = clientCertificatePEM
        self.clientKeyPEM = clientKeyPEM
    }
}

/// A source of credentials that may change over time (token files rotate, exec plugin
/// tokens expire). The transport asks before every request; providers cache.
public protocol CredentialProvider: Sendable {
    /// Current credentials, refreshed when expired.
    func credentials() async throws -> Credentials
    /// Called after the server answered 401: drop any cached credential so the next call refreshes.
    func invalidate() async
}

/// A fixed bearer token.
public struct StaticTokenProvider: CredentialProvider {
    public var token: String
    public init(token: String) { self.token = token }
    public func credentials() async throws -> Credentials { Credentials(bearerToken: token) }
    public func invalidate() async {}
}
