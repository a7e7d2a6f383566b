import Foundation
import Yams

/// One kubeconfig file as written on disk (`~/.kube/config`, `$KUBECONFIG` entries,
/// `--kubeconfig`): named clusters, users and contexts, and the current context.
///
/// Only the fields Slipway acts on are modelled; `preferences`, `extensions` and
/// `proxy-url` are read past. Unsupported authentication (`username`/`password`,
/// `auth-provider`) is modelled so that selecting such a user fails with a clear error
/// instead of silently sending no credentials.
public struct KubeConfig: Codable, Sendable, Hashable {
    public var apiVersion: String?
    public var kind: String?
    public var clusters: [NamedCluster]
    public var users: [NamedUser]
    public var contexts: [NamedContext]
    /// `current-context`; nil or empty when unset.
    public var currentContext: String?

    public init(
        clusters: [NamedCluster] = [], users: [NamedUser] = [], contexts: [NamedContext] = [],
        currentContext: String? = nil, apiVersion: String? = "v1", kind: String? = "Config"
    ) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.clusters = clusters
        self.users = users
        self.contexts = contexts
        self.currentContext = currentContext
    }

    enum CodingKeys: String, CodingKey {
        case apiVersion, kind, clusters, users, contexts
        case currentContext = "current-context"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        apiVersion = try c.decodeIfPresent(String.self, forKey: .apiVersion)
        kind = try c.decodeIfPresent(String.self, forKey: .kind)
        clusters = try c.decodeIfPresent([NamedCluster].self, forKey: .clusters) ?? []
        users = try c.decodeIfPresent([NamedUser].self, forKey: .users) ?? []
        contexts = try c.decodeIfPresent([NamedContext].self, forKey: .contexts) ?? []
        currentContext = try c.decodeIfPresent(String.self, forKey: .currentContext)
    }

    /// Parses kubeconfig YAML (or JSON). An empty or whitespace-only document is an empty config,
    /// as kubectl treats it.
    public init(yaml: String) throws {
        if yaml.allSatisfy(\.isWhitespace) {
            self.init()
            return
        }
        self = try YAMLDecoder().decode(KubeConfig.self, from: yaml)
    }

    // MARK: - Entries

    public struct NamedCluster: Codable, Sendable, Hashable {
        public var name: String
        public var cluster: Cluster
        public init(name: String, cluster: Cluster) {
            self.name = name
            self.cluster = cluster
        }
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            name = try c.decode(String.self, forKey: .name)
            cluster = try c.decodeIfPresent(Cluster.self, forKey: .cluster) ?? Cluster()
        }
    }

    public struct NamedUser: Codable, Sendable, Hashable {
        public var name: String
        public var user: User
        public init(name: String, user: User) {
            self.name = name
            self.user = user
        }
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            name = try c.decode(String.self, forKey: .name)
            user = try c.decodeIfPresent(User.self, forKey: .user) ?? User()
        }
    }

    public struct NamedContext: Codable, Sendable, Hashable {
        public var name: String
        public var context: Context
        public init(name: String, context: Context) {
            self.name = name
            self.context = context
        }
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            name = try c.decode(String.self, forKey: .name)
            context = try c.decodeIfPresent(Context.self, forKey: .context) ?? Context()
        }
    }

    /// How to reach one API server.
    public struct Cluster: Codable, Sendable, Hashable {
        public var server: String?
        /// Path of a PEM CA bundle; relative paths are relative to the defining file's directory.
        public var certificateAuthority: String?
        /// Base64 of a PEM CA bundle.
        public var certificateAuthorityData: String?
        public var insecureSkipTLSVerify: Bool?
        public var tlsServerName: String?

        public init(
            server: String? = nil, certificateAuthority: String? = nil, certificateAuthorityData: String? = nil,
            insecureSkipTLSVerify: Bool? = nil, tlsServerName: String? = nil
        ) {
            self.server = server
            self.certificateAuthority = certificateAuthority
            self.certificateAuthorityData = certificateAuthorityData
            self.insecureSkipTLSVerify = insecureSkipTLSVerify
            self.tlsServerName = tlsServerName
        }

        enum CodingKeys: String, CodingKey {
            case server
            case certificateAuthority = "certificate-authority"
            case certificateAuthorityData = "certificate-authority-data"
            case insecureSkipTLSVerify = "insecure-skip-tls-verify"
            case tlsServerName = "tls-server-name"
        }
    }

    /// Who to be: client certificate, bearer token, token file or exec plugin.
    public struct User: Codable, Sendable, Hashable {
        public var clientCertificate: String?
        public var clientCertificateData: String?
        public var clientKey: String?
        public var clientKeyData: String?
        public var token: String?
        public var tokenFile: String?
        public var exec: ExecConfig?
        /// Basic authentication: not supported (kept to report it clearly).
        public var username: String?
        public var password: String?
        /// Legacy auth-provider plugins: not supported (kept to report it clearly).
        public var authProvider: AuthProvider?

        public init(
            clientCertificate: String? = nil, clientCertificateData: String? = nil, clientKey: String? = nil,
            clientKeyData: String? = nil, token: String? = nil, tokenFile: String? = nil, exec: ExecConfig? = nil,
            username: String? = nil, password: String? = nil, authProvider: AuthProvider? = nil
        ) {
            self.clientCertificate = clientCertificate
            self.clientCertificateData = clientCertificateData
            self.clientKey = clientKey
            self.clientKeyData = clientKeyData
            self.token = token
            self.tokenFile = tokenFile
            self.exec = exec
            self.username = username
            self.password = password
            self.authProvider = authProvider
        }

        enum CodingKeys: String, CodingKey {
            case clientCertificate = "client-certificate"
            case clientCertificateData = "client-certificate-data"
            case clientKey = "client-key"
            case clientKeyData = "client-key-data"
            case token, tokenFile, exec, username, password
            case authProvider = "auth-provider"
        }
    }

    /// A legacy `auth-provider` entry (gcp, azure, oidc): only its name is kept.
    public struct AuthProvider: Codable, Sendable, Hashable {
        public var name: String
        public init(name: String) { self.name = name }
    }

    /// A client-go credential plugin (`users[].user.exec`).
    public struct ExecConfig: Codable, Sendable, Hashable {
        /// `client.authentication.k8s.io/v1` or `client.authentication.k8s.io/v1beta1`.
        public var apiVersion: String
        /// The executable: a name looked up in PATH, or a path (relative paths containing a
        /// `/` are relative to the defining file's directory, as in kubectl).
        public var command: String
        public var args: [String]?
        /// Added to the environment the plugin inherits.
        public var env: [EnvVar]?
        /// Shown when the command is not found.
        public var installHint: String?
        /// Send the cluster's server, CA and TLS settings in `KUBERNETES_EXEC_INFO`.
        public var provideClusterInfo: Bool?
        /// `Never`, `IfAvailable` or `Always`. Slipway never attaches a terminal, so `Always` is refused.
        public var interactiveMode: String?

        public init(
            apiVersion: String = "client.authentication.k8s.io/v1", command: String, args: [String]? = nil,
            env: [EnvVar]? = nil, installHint: String? = nil, provideClusterInfo: Bool? = nil,
            interactiveMode: String? = nil
        ) {
            self.apiVersion = apiVersion
            self.command = command
            self.args = args
            self.env = env
            self.installHint = installHint
            self.provideClusterInfo = provideClusterInfo
            self.interactiveMode = interactiveMode
        }

        enum CodingKeys: String, CodingKey {
            case apiVersion, command, args, env, installHint, provideClusterInfo, interactiveMode
        }

        /// Missing `apiVersion`/`command` decode as empty, as in kubectl: they are reported
        /// only when the user is selected, not when any file merely mentions them.
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            apiVersion = try c.decodeIfPresent(String.self, forKey: .apiVersion) ?? ""
            command = try c.decodeIfPresent(String.self, forKey: .command) ?? ""
            args = try c.decodeIfPresent([String].self, forKey: .args)
            env = try c.decodeIfPresent([EnvVar].self, forKey: .env)
            installHint = try c.decodeIfPresent(String.self, forKey: .installHint)
            provideClusterInfo = try c.decodeIfPresent(Bool.self, forKey: .provideClusterInfo)
            interactiveMode = try c.decodeIfPresent(String.self, forKey: .interactiveMode)
        }

        public struct EnvVar: Codable, Sendable, Hashable {
            public var name: String
            public var value: String
            public init(name: String, value: String) {
                self.name = name
                self.value = value
            }
        }
    }

    /// Names a cluster and a user, and optionally a namespace.
    public struct Context: Codable, Sendable, Hashable {
        public var cluster: String?
        public var user: String?
        public var namespace: String?
        public init(cluster: String? = nil, user: String? = nil, namespace: String? = nil) {
            self.cluster = cluster
            self.user = user
            self.namespace = namespace
        }
    }
}
