import Foundation

extension ClientConfiguration {
    /// The configuration of one context of a merged kubeconfig: `context` (or the current
    /// context), its cluster and user, and `namespace` (or the context's, or "default").
    /// Referenced files (CA, client certificate and key) are read now; tokens from a
    /// `tokenFile` or an exec plugin are fetched on demand by the credential provider.
    public init(
        kubeConfig: MergedKubeConfig, context: String? = nil, namespace: String? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment, clock: any KubeClock = SystemClock()
    ) throws {
        let selected = try Self.selectContext(kubeConfig, override: context)
        let (clusterName, cluster) = try Self.lookUpCluster(kubeConfig, context: selected)
        let tls = try ClusterSettings(name: clusterName, entry: cluster)
        self.init(
            server: tls.server, certificateAuthorityPEM: tls.caPEM, insecureSkipTLSVerify: tls.insecure,
            tlsServerName: tls.serverName)
        if let (userName, user) = try Self.lookUpUser(kubeConfig, context: selected) {
            let auth = try UserSettings(name: userName, entry: user, cluster: tls, environment: environment, clock: clock)
            clientCertificatePEM = auth.certificatePEM
            clientKeyPEM = auth.keyPEM
            credentials = auth.provider
        }
        if let namespace, !namespace.isEmpty {
            self.namespace = namespace
        } else if let ns = selected.entry.value.namespace, !ns.isEmpty {
            self.namespace = ns
        }
    }

    // MARK: - Selecting entries

    private typealias Selected = (name: String, entry: MergedKubeConfig.Entry<KubeConfig.Context>)

    private static func selectContext(_ kc: MergedKubeConfig, override: String?) throws -> Selected {
        let name = (override?.isEmpty == false ? override : nil) ?? kc.currentContext
        guard let name, !name.isEmpty else { throw KubeConfigError.noCurrentContext(files: kc.files) }
        guard let entry = kc.contexts[name] else {
            throw KubeConfigError.contextNotFound(name: name, available: kc.contexts.keys.sorted(), files: kc.files)
        }
        return (name, entry)
    }

    private static func lookUpCluster(_ kc: MergedKubeConfig, context: Selected) throws -> (String, MergedKubeConfig.Entry<KubeConfig.Cluster>) {
        guard let name = context.entry.value.cluster, !name.isEmpty else {
            throw KubeConfigError.invalidEntry(file: context.entry.file, entry: "context \"\(context.name)\"", problem: "names no cluster")
        }
        guard let cluster = kc.clusters[name] else {
            throw KubeConfigError.clusterNotFound(name: name, context: context.name, contextFile: context.entry.file, files: kc.files)
        }
        return (name, cluster)
    }

    /// Nil when the context names no user (no credentials are sent).
    private static func lookUpUser(_ kc: MergedKubeConfig, context: Selected) throws -> (String, MergedKubeConfig.Entry<KubeConfig.User>)? {
        guard let name = context.entry.value.user, !name.isEmpty else { return nil }
        guard let user = kc.users[name] else {
            throw KubeConfigError.userNotFound(name: name, context: context.name, contextFile: context.entry.file, files: kc.files)
        }
        return (name, user)
    }
}

// MARK: - Reading file references and inline data

/// Reads a `*-data` field (base64) or its file counterpart, never both, for one entry.
struct EntryReader {
    var file: String
    var entry: String

    func invalid(_ problem: String) -> KubeConfigError {
        .invalidEntry(file: file, entry: entry, problem: problem)
    }

    func pem(data: String?, dataField: String, path: String?, pathField: String) throws -> Data? {
        let data = data.flatMap { $0.isEmpty ? nil : $0 }, path = path.flatMap { $0.isEmpty ? nil : $0 }
        if data != nil && path != nil { throw invalid("both \(dataField) and \(pathField) are set; keep one") }
        if let data {
            let compact = data.filter { !$0.isWhitespace }
            guard let bytes = Data(base64Encoded: compact), !bytes.isEmpty else { throw invalid("\(dataField) is not valid base64") }
            return bytes
        }
        if let path {
            do { return try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
                throw invalid("cannot read \(pathField) \(path): \(MergedKubeConfig.reason(error))")
            }
        }
        return nil
    }
}

/// The server and TLS settings of one cluster entry.
struct ClusterSettings {
    var name: String
    var serverString: String
    var server: URL
    var caPEM: Data?
    var insecure: Bool
    var serverName: String?

    init(name: String, entry: MergedKubeConfig.Entry<KubeConfig.Cluster>) throws {
        let reader = EntryReader(file: entry.file, entry: "cluster \"\(name)\"")
        let c = entry.value
        let raw = (c.server ?? "").trimmingCharacters(in: .whitespaces)
        guard !raw.isEmpty else { throw reader.invalid("no server is set") }
        let withScheme = raw.contains("://") ? raw : "https://\(raw)"
        guard let url = URL(string: withScheme), let scheme = url.scheme?.lowercased(), ["https", "http"].contains(scheme),
            url.host?.isEmpty == false
        else { throw reader.invalid("server \"\(raw)\" is not an http(s) URL") }
        self.name = name
        serverString = raw
        server = url
        caPEM = try reader.pem(
            data: c.certificateAuthorityData, dataField: "certificate-authority-data", path: c.certificateAuthority,
            pathField: "certificate-authority")
        insecure = c.insecureSkipTLSVerify ?? false
        if insecure && caPEM != nil {
            throw reader.invalid("insecure-skip-tls-verify is set together with a certificate authority; kubectl refuses this too, keep one")
        }
        serverName = c.tlsServerName.flatMap { $0.isEmpty ? nil : $0 }
    }

    var execInfo: ExecCredential.Cluster {
        ExecCredential.Cluster(server: serverString, tlsServerName: serverName, insecureSkipTLSVerify: insecure ? true : nil, certificateAuthorityData: caPEM)
    }
}

/// The client certificate and credential provider of one user entry.
struct UserSettings {
    var certificatePEM: Data?
    var keyPEM: Data?
    var provider: (any CredentialProvider)?

    init(
        name: String, entry: MergedKubeConfig.Entry<KubeConfig.User>, cluster: ClusterSettings, environment: [String: String],
        clock: any KubeClock
    ) throws {
        let reader = EntryReader(file: entry.file, entry: "user \"\(name)\"")
        let u = entry.value
        if u.username?.isEmpty == false || u.password?.isEmpty == false {
            throw reader.invalid("username/password (basic authentication) is not supported; use a token, tokenFile, client certificate or exec plugin")
        }
        if let provider = u.authProvider {
            throw reader.invalid("auth-provider \"\(provider.name)\" is not supported (kubectl removed these too); use an exec credential plugin")
        }
        certificatePEM = try reader.pem(
            data: u.clientCertificateData, dataField: "client-certificate-data", path: u.clientCertificate, pathField: "client-certificate")
        keyPEM = try reader.pem(data: u.clientKeyData, dataField: "client-key-data", path: u.clientKey, pathField: "client-key")
        if certificatePEM != nil && keyPEM == nil { throw reader.invalid("a client certificate is set without client-key or client-key-data") }
        if keyPEM != nil && certificatePEM == nil { throw reader.invalid("a client key is set without client-certificate or client-certificate-data") }

        if let tokenFile = u.tokenFile, !tokenFile.isEmpty {
            guard FileManager.default.isReadableFile(atPath: tokenFile) else { throw reader.invalid("cannot read tokenFile \(tokenFile)") }
            provider = TokenFileProvider(path: tokenFile, clock: clock)
        } else if let token = u.token, !token.isEmpty {
            provider = StaticTokenProvider(token: token)
        } else if let exec = u.exec {
            try Self.validate(exec, reader: reader)
            provider = ExecCredentialProvider(config: exec, clusterInfo: cluster.execInfo, clock: clock, environment: environment)
        }
    }

    private static func validate(_ exec: KubeConfig.ExecConfig, reader: EntryReader) throws {
        guard !exec.command.isEmpty else { throw reader.invalid("exec command is not set") }
        guard ExecCredential.supportedVersions.contains(exec.apiVersion) else {
            let given = exec.apiVersion.isEmpty ? "exec apiVersion is not set" : "exec apiVersion \"\(exec.apiVersion)\" is not supported"
            throw reader.invalid("\(given); use \(ExecCredential.supportedVersions.joined(separator: " or "))")
        }
        switch exec.interactiveMode ?? "" {
        case "", "Never", "IfAvailable": break
        case "Always":
            throw reader.invalid("exec plugin \"\(exec.command)\" requires interactiveMode Always, but credential plugins never get a terminal here")
        case let other:
            throw reader.invalid("exec interactiveMode \"\(other)\" is not one of Never, IfAvailable, Always")
        }
    }
}
