import Foundation

/// The `ExecCredential` object exchanged with a client-go credential plugin
/// (`client.authentication.k8s.io/v1`, or `v1beta1`): the request goes to the plugin in
/// `KUBERNETES_EXEC_INFO`, the answer comes back on its stdout.
public struct ExecCredential: Codable, Sendable, Hashable {
    public static let v1 = "client.authentication.k8s.io/v1"
    public static let v1beta1 = "client.authentication.k8s.io/v1beta1"
    public static let supportedVersions = [v1, v1beta1]

    public var apiVersion: String?
    public var kind: String?
    public var spec: Spec?
    public var status: Status?

    public init(apiVersion: String? = ExecCredential.v1, kind: String? = "ExecCredential", spec: Spec? = nil, status: Status? = nil) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.spec = spec
        self.status = status
    }

    /// What the client tells the plugin.
    public struct Spec: Codable, Sendable, Hashable {
        /// Present when the kubeconfig sets `provideClusterInfo: true`.
        public var cluster: Cluster?
        /// Whether the plugin may prompt on a terminal; always false in Slipway.
        public var interactive: Bool
        public init(cluster: Cluster? = nil, interactive: Bool = false) {
            self.cluster = cluster
            self.interactive = interactive
        }
    }

    /// The cluster being authenticated to, for plugins that need it (`provideClusterInfo`).
    public struct Cluster: Codable, Sendable, Hashable {
        public var server: String
        public var tlsServerName: String?
        public var insecureSkipTLSVerify: Bool?
        /// PEM bytes; base64 in JSON, as Kubernetes encodes `[]byte`.
        public var certificateAuthorityData: Data?

        public init(server: String, tlsServerName: String? = nil, insecureSkipTLSVerify: Bool? = nil, certificateAuthorityData: Data? = nil) {
            self.server = server
            self.tlsServerName = tlsServerName
            self.insecureSkipTLSVerify = insecureSkipTLSVerify
            self.certificateAuthorityData = certificateAuthorityData
        }

        enum CodingKeys: String, CodingKey {
            case server
            case tlsServerName = "tls-server-name"
            case insecureSkipTLSVerify = "insecure-skip-tls-verify"
            case certificateAuthorityData = "certificate-authority-data"
        }
    }

    /// What the plugin answers.
    public struct Status: Codable, Sendable, Hashable {
        /// RFC 3339; absent means the credential does not expire (until a 401).
        public var expirationTimestamp: String?
        public var token: String?
        /// PEM text (not base64).
        public var clientCertificateData: String?
        public var clientKeyData: String?

        public init(expirationTimestamp: String? = nil, token: String? = nil, clientCertificateData: String? = nil, clientKeyData: String? = nil) {
            self.expirationTimestamp = expirationTimestamp
            self.token = token
            self.clientCertificateData = clientCertificateData
            self.clientKeyData = clientKeyData
        }
    }

    // MARK: - Reading a plugin's answer

    /// The credentials and expiry in a plugin's stdout, validated as client-go does: the
    /// apiVersion must match the configured one, there must be a status with a token or a
    /// certificate/key pair (both or neither), and the expiry must be RFC 3339.
    public static func parse(stdout: Data, expectedAPIVersion: String, command: String) throws -> (Credentials, expiry: Date?) {
        func invalid(_ problem: String) -> ExecPluginError { .invalidOutput(command: command, problem: problem) }
        let answer: ExecCredential
        do {
            answer = try JSONDecoder().decode(ExecCredential.self, from: stdout)
        } catch {
            let text = String(decoding: stdout.prefix(200), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            throw invalid("stdout is not an ExecCredential JSON object (\(MergedKubeConfig.reason(error))); stdout began with: \(text.isEmpty ? "<empty>" : text)")
        }
        if let kind = answer.kind, kind != "ExecCredential" { throw invalid("kind is \"\(kind)\", expected \"ExecCredential\"") }
        guard answer.apiVersion == expectedAPIVersion else {
            throw invalid("the kubeconfig configures apiVersion \(expectedAPIVersion) but the plugin returned \(answer.apiVersion ?? "none")")
        }
        guard let status = answer.status else { throw invalid("no status field") }
        let token = status.token.flatMap { $0.isEmpty ? nil : $0 }
        let cert = status.clientCertificateData.flatMap { $0.isEmpty ? nil : $0 }
        let key = status.clientKeyData.flatMap { $0.isEmpty ? nil : $0 }
        if (cert == nil) != (key == nil) { throw invalid("it returned only one of clientCertificateData and clientKeyData, not both") }
        if token == nil && cert == nil { throw invalid("it returned neither a token nor a client certificate and key") }
        var expiry: Date?
        if let stamp = status.expirationTimestamp, !stamp.isEmpty {
            guard let date = parseRFC3339(stamp) else { throw invalid("expirationTimestamp \"\(stamp)\" is not an RFC 3339 time") }
            expiry = date
        }
        let credentials = Credentials(bearerToken: token, clientCertificatePEM: cert.map { Data($0.utf8) }, clientKeyPEM: key.map { Data($0.utf8) })
        return (credentials, expiry)
    }

    /// Parses an RFC 3339 timestamp, with or without fractional seconds.
    public static func parseRFC3339(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text)
    }
}
