import Foundation
import Testing
@testable import KubeClient

/// Kubeconfig loading: kubectl's file precedence, merging, context selection, file references.
@Suite struct ConfigLoadingTests {
    static func kubeconfig(
        clusters: [(String, String)] = [], users: [(String, String)] = [], contexts: [(String, String)] = [], current: String? = nil
    ) -> String {
        var yaml = "apiVersion: v1\nkind: Config\n"
        if let current { yaml += "current-context: \(current)\n" }
        yaml += "clusters:\n" + clusters.map { "- name: \($0.0)\n  cluster:\n\($0.1.indented(4))" }.joined()
        yaml += "users:\n" + users.map { "- name: \($0.0)\n  user:\n\($0.1.indented(4))" }.joined()
        yaml += "contexts:\n" + contexts.map { "- name: \($0.0)\n  context:\n\($0.1.indented(4))" }.joined()
        return yaml
    }

    // MARK: - One file

    @Test func singleFile() async throws {
        let dir = try ConfigTempDir()
        defer { dir.remove() }
        let path = try dir.write("config", Self.kubeconfig(
            clusters: [("dev", "server: https://dev.example:6443\ncertificate-authority-data: \(configBase64("CA-PEM"))\ntls-server-name: api.dev")],
            users: [("alice", "token: secret-token")],
            contexts: [("dev", "cluster: dev\nuser: alice\nnamespace: team-a")],
            current: "dev"))
        let config = try ClientConfiguration.load(kubeconfigPath: path, environment: [:])
        #expect(config.server.absoluteString == "https://dev.example:6443")
        #expect(config.certificateAuthorityPEM == Data("CA-PEM".utf8))
        #expect(config.tlsServerName == "api.dev")
        #expect(config.insecureSkipTLSVerify == false)
        #expect(config.namespace == "team-a")
        #expect(config.credentials is StaticTokenProvider)
        #expect(try await config.credentials?.credentials().bearerToken == "secret-token")
    }

    @Test func namespaceOverrideAndDefault() throws {
        let dir = try ConfigTempDir()
        defer { dir.remove() }
        let path = try dir.write("config", Self.kubeconfig(
            clusters: [("c", "server: https://c")], contexts: [("plain", "cluster: c"), ("ns", "cluster: c\nnamespace: from-context")],
            current: "plain"))
        #expect(try ClientConfiguration.load(kubeconfigPath: path, environment: [:]).namespace == "default")
        #expect(try ClientConfiguration.load(kubeconfigPath: path, context: "ns", environment: [:]).namespace == "from-context")
        #expect(try ClientConfiguration.load(kubeconfigPath: path, context: "ns", namespace: "flag", environment: [:]).namespace == "flag")
        // A context without a user sends no credentials.
        #expect(try ClientConfiguration.load(kubeconfigPath: path, environment: [:]).credentials == nil)
    }

    @Test(arguments: [
        ("https://10.0.0.1:6443", "https://10.0.0.1:6443"),
        ("10.0.0.1:6443", "https://10.0.0.1:6443"),
        ("http://localhost:8080", "http://localhost:8080"),
        ("https://[fd00::1]:6443", "https://[fd00::1]:6443"),
        ("https://example.com/prefix", "https://example.com/prefix"),
    ])
    func serverURLs(server: String, expected: String) throws {
        let dir = try ConfigTempDir()
        defer { dir.remove() }
        let path = try dir.write("config", Self.kubeconfig(clusters: [("c", "server: \"\(server)\"")], contexts: [("x", "cluster: c")], current: "x"))
        #expect(try ClientConfiguration.load(kubeconfigPath: path, environment: [:]).server.absoluteString == expected)
    }

    @Test func defaultsToHomeKubeConfig() throws {
        let home = try ConfigTempDir()
        defer { home.remove() }
        try home.write(".kube/config", Self.kubeconfig(clusters: [("h", "server: https://home")], contexts: [("h", "cluster: h")], current: "h"))
        #expect(try ClientConfiguration.load(environment: ["HOME": home.path]).server.absoluteString == "https://home")
    }

    // MARK: - KUBECONFIG merging

    @Test func kubeconfigListMergesFirstWins() async throws {
        let dir = try ConfigTempDir()
        defer { dir.remove() }
        let a = try dir.write("a.yaml", Self.kubeconfig(
            clusters: [("shared", "server: https://from-a")],
            contexts: [("ctx-a", "cluster: shared\nuser: u")]))
        let b = try dir.write("b.yaml", Self.kubeconfig(
            clusters: [("shared", "server: https://from-b"), ("only-b", "server: https://only-b")],
            users: [("u", "token: token-b")],
            contexts: [("ctx-b", "cluster: only-b\nuser: u"), ("ctx-a", "cluster: only-b")],
            current: "ctx-a"))
        let c = try dir.write("c.yaml", Self.kubeconfig(
            users: [("u", "token: token-c")], contexts: [("ctx-c", "cluster: shared")], current: "ctx-c"))
        try dir.write("home/.kube/config", Self.kubeconfig(clusters: [("h", "server: https://home")], contexts: [("h", "cluster: h")], current: "h"))
        let env = ["KUBECONFIG": "\(a)::\(dir.file("missing.yaml")):\(b):\(c):", "HOME": dir.file("home")]

        let merged = try MergedKubeConfig.load(environment: env)
        #expect(merged.files == [a, b, c])
        #expect(merged.searched == [a, dir.file("missing.yaml"), b, c])
        #expect(merged.clusters["shared"]?.file == a)
        #expect(merged.clusters["shared"]?.value.server == "https://from-a")
        #expect(merged.contexts["ctx-a"]?.file == a)
        #expect(merged.users["u"]?.value.token == "token-b")
        #expect(merged.currentContext == "ctx-a")  // a sets none; b is the first that does
        #expect(Set(merged.contexts.keys) == ["ctx-a", "ctx-b", "ctx-c"])
        #expect(merged.clusters["h"] == nil)  // ~/.kube/config is not read when KUBECONFIG is set

        let config = try ClientConfiguration.load(environment: env)
        #expect(config.server.absoluteString == "https://from-a")
        #expect(try await config.credentials?.credentials().bearerToken == "token-b")
        #expect(try ClientConfiguration.load(context: "ctx-c", environment: env).server.absoluteString == "https://from-a")
    }

    @Test func explicitPathOverridesKubeconfigList() throws {
        let dir = try ConfigTempDir()
        defer { dir.remove() }
        let listed = try dir.write("listed.yaml", Self.kubeconfig(clusters: [("c", "server: https://listed")], contexts: [("x", "cluster: c")], current: "x"))
        let explicit = try dir.write("explicit.yaml", Self.kubeconfig(clusters: [("c", "server: https://explicit")], contexts: [("y", "cluster: c")], current: "y"))
        let env = ["KUBECONFIG": listed, "HOME": dir.path]
        let merged = try MergedKubeConfig.load(explicitPath: explicit, environment: env)
        #expect(merged.files == [explicit])
        #expect(merged.contexts["x"] == nil)
        #expect(try ClientConfiguration.load(kubeconfigPath: explicit, environment: env).server.absoluteString == "https://explicit")
    }

    @Test func contextOverride() throws {
        let dir = try ConfigTempDir()
        defer { dir.remove() }
        let path = try dir.write("config", Self.kubeconfig(
            clusters: [("one", "server: https://one"), ("two", "server: https://two")],
            contexts: [("first", "cluster: one"), ("second", "cluster: two\nnamespace: ns2")], current: "first"))
        let config = try ClientConfiguration.load(kubeconfigPath: path, context: "second", environment: [:])
        #expect(config.server.absoluteString == "https://two")
        #expect(config.namespace == "ns2")
    }

    // MARK: - Errors

    @Test func missingContextListsAvailableOnes() throws {
        let dir = try ConfigTempDir()
        defer { dir.remove() }
        let path = try dir.write("config", Self.kubeconfig(
            clusters: [("c", "server: https://c")], contexts: [("beta", "cluster: c"), ("alpha", "cluster: c")], current: "gone"))
        let error = #expect(throws: KubeConfigError.self) { try ClientConfiguration.load(kubeconfigPath: path, environment: [:]) }
        #expect(error == .contextNotFound(name: "gone", available: ["alpha", "beta"], files: [path]))
        #expect(error?.description == "context \"gone\" not found in kubeconfig (\(path)); available contexts: alpha, beta")
        let overridden = #expect(throws: KubeConfigError.self) { try ClientConfiguration.load(kubeconfigPath: path, context: "nope", environment: [:]) }
        #expect(overridden?.description.contains("context \"nope\" not found") == true)
    }

    @Test func noCurrentContext() throws {
        let dir = try ConfigTempDir()
        defer { dir.remove() }
        let path = try dir.write("config", Self.kubeconfig(clusters: [("c", "server: https://c")], contexts: [("x", "cluster: c")]))
        let error = #expect(throws: KubeConfigError.self) { try ClientConfiguration.load(kubeconfigPath: path, environment: [:]) }
        #expect(error == .noCurrentContext(files: [path]))
        #expect(error?.description.contains("no current context is set") == true)
    }

    @Test func missingClusterAndUserNameTheContext() throws {
        let dir = try ConfigTempDir()
        defer { dir.remove() }
        let path = try dir.write("config", Self.kubeconfig(
            clusters: [("c", "server: https://c")], contexts: [("no-cluster", "cluster: ghost\nuser: u"), ("no-user", "cluster: c\nuser: nobody")]))
        let cluster = #expect(throws: KubeConfigError.self) { try ClientConfiguration.load(kubeconfigPath: path, context: "no-cluster", environment: [:]) }
        #expect(cluster == .clusterNotFound(name: "ghost", context: "no-cluster", contextFile: path, files: [path]))
        #expect(cluster?.description.contains("refers to cluster \"ghost\"") == true)
        let user = #expect(throws: KubeConfigError.self) { try ClientConfiguration.load(kubeconfigPath: path, context: "no-user", environment: [:]) }
        #expect(user == .userNotFound(name: "nobody", context: "no-user", contextFile: path, files: [path]))
    }

    @Test func fileErrors() throws {
        let dir = try ConfigTempDir()
        defer { dir.remove() }
        let missing = dir.file("absent.yaml")
        #expect(throws: KubeConfigError.fileNotFound(path: missing)) { try ClientConfiguration.load(kubeconfigPath: missing, environment: [:]) }
        let bad = try dir.write("bad.yaml", "clusters: [unclosed")
        let malformed = #expect(throws: KubeConfigError.self) { try ClientConfiguration.load(environment: ["KUBECONFIG": bad]) }
        #expect(malformed?.description.hasPrefix("kubeconfig file \(bad) is not a valid kubeconfig") == true)
        let noServer = try dir.write("noserver.yaml", Self.kubeconfig(clusters: [("c", "insecure-skip-tls-verify: true")], contexts: [("x", "cluster: c")], current: "x"))
        #expect(throws: KubeConfigError.invalidEntry(file: noServer, entry: "cluster \"c\"", problem: "no server is set")) {
            try ClientConfiguration.load(kubeconfigPath: noServer, environment: [:])
        }
    }

    @Test func nothingToLoad() throws {
        let home = try ConfigTempDir()
        defer { home.remove() }
        let error = #expect(throws: KubeConfigError.self) { try ClientConfiguration.load(environment: ["HOME": home.path]) }
        #expect(error == .noConfiguration(searched: [home.file(".kube/config")]))
    }

    @Test func basicAuthIsRefused() throws {
        let dir = try ConfigTempDir()
        defer { dir.remove() }
        let path = try dir.write("config", Self.kubeconfig(
            clusters: [("c", "server: https://c")], users: [("bob", "username: bob\npassword: hunter2")], contexts: [("x", "cluster: c\nuser: bob")], current: "x"))
        let error = #expect(throws: KubeConfigError.self) { try ClientConfiguration.load(kubeconfigPath: path, environment: [:]) }
        #expect(error?.description.contains("kubeconfig file \(path), user \"bob\": username/password (basic authentication) is not supported") == true)
    }

    // MARK: - File references and inline data

    @Test func relativePathsResolveAgainstTheDefiningFile() throws {
        let dir = try ConfigTempDir()
        defer { dir.remove() }
        try dir.write("clusters/certs/ca.pem", "CA FROM CLUSTERS DIR")
        try dir.write("users/client.crt", "CERT FROM USERS DIR")
        try dir.write("users/keys/client.key", "KEY FROM USERS DIR")
        // Decoys in the other directory: must not be picked.
        try dir.write("users/certs/ca.pem", "WRONG CA")
        let clusters = try dir.write("clusters/config", Self.kubeconfig(
            clusters: [("c", "server: https://c\ncertificate-authority: certs/ca.pem")], contexts: [("x", "cluster: c\nuser: u")], current: "x"))
        let users = try dir.write("users/nested/config", Self.kubeconfig(
            users: [("u", "client-certificate: ../client.crt\nclient-key: ../keys/client.key")]))
        let config = try ClientConfiguration.load(environment: ["KUBECONFIG": "\(clusters):\(users)"])
        #expect(config.certificateAuthorityPEM == Data("CA FROM CLUSTERS DIR".utf8))
        #expect(config.clientCertificatePEM == Data("CERT FROM USERS DIR".utf8))
        #expect(config.clientKeyPEM == Data("KEY FROM USERS DIR".utf8))
        let merged = try MergedKubeConfig.load(environment: ["KUBECONFIG": "\(clusters):\(users)"])
        #expect(merged.users["u"]?.value.clientCertificate == dir.file("users/client.crt"))
    }

    @Test func inlineDataIsBase64() throws {
        let dir = try ConfigTempDir()
        defer { dir.remove() }
        // Line-wrapped base64 is accepted.
        let fullCA = configBase64(String(repeating: "C", count: 90))
        let wrappedCA = String(fullCA.prefix(60)) + "\n  " + String(fullCA.dropFirst(60))
        let path = try dir.write("config", Self.kubeconfig(
            clusters: [("c", "server: https://c\ncertificate-authority-data: >-\n  \(wrappedCA)"), ("bad", "server: https://bad\ncertificate-authority-data: not*base64!")],
            users: [("u", "client-certificate-data: \(configBase64("CERT"))\nclient-key-data: \(configBase64("KEY"))"),
                    ("half", "client-certificate-data: \(configBase64("CERT"))")],
            contexts: [("x", "cluster: c\nuser: u"), ("bad", "cluster: bad\nuser: u"), ("half", "cluster: c\nuser: half")], current: "x"))
        let config = try ClientConfiguration.load(kubeconfigPath: path, environment: [:])
        #expect(config.certificateAuthorityPEM == Data(String(repeating: "C", count: 90).utf8))
        #expect(config.clientCertificatePEM == Data("CERT".utf8))
        #expect(config.clientKeyPEM == Data("KEY".utf8))
        #expect(config.credentials == nil)

        #expect(throws: KubeConfigError.invalidEntry(file: path, entry: "cluster \"bad\"", problem: "certificate-authority-data is not valid base64")) {
            try ClientConfiguration.load(kubeconfigPath: path, context: "bad", environment: [:])
        }
        let half = #expect(throws: KubeConfigError.self) { try ClientConfiguration.load(kubeconfigPath: path, context: "half", environment: [:]) }
        #expect(half?.description.contains("user \"half\": a client certificate is set without client-key") == true)
    }

    @Test func insecureSkipTLSVerify() throws {
        let dir = try ConfigTempDir()
        defer { dir.remove() }
        let path = try dir.write("config", Self.kubeconfig(
            clusters: [("c", "server: https://c\ninsecure-skip-tls-verify: true"),
                       ("both", "server: https://c\ninsecure-skip-tls-verify: true\ncertificate-authority-data: \(configBase64("CA"))")],
            contexts: [("x", "cluster: c"), ("both", "cluster: both")], current: "x"))
        let config = try ClientConfiguration.load(kubeconfigPath: path, environment: [:])
        #expect(config.insecureSkipTLSVerify)
        #expect(config.certificateAuthorityPEM == nil)
        let both = #expect(throws: KubeConfigError.self) { try ClientConfiguration.load(kubeconfigPath: path, context: "both", environment: [:]) }
        #expect(both?.description.contains("insecure-skip-tls-verify is set together with a certificate authority") == true)
    }

    @Test func missingReferencedFileNamesIt() throws {
        let dir = try ConfigTempDir()
        defer { dir.remove() }
        let path = try dir.write("config", Self.kubeconfig(
            clusters: [("c", "server: https://c\ncertificate-authority: nowhere/ca.pem")], contexts: [("x", "cluster: c")], current: "x"))
        let error = #expect(throws: KubeConfigError.self) { try ClientConfiguration.load(kubeconfigPath: path, environment: [:]) }
        #expect(error?.description.contains("cluster \"c\": cannot read certificate-authority \(dir.file("nowhere/ca.pem"))") == true)
    }

    @Test func tokenFileUserGetsATokenFileProvider() async throws {
        let dir = try ConfigTempDir()
        defer { dir.remove() }
        try dir.write("tokens/t", "file-token\n")
        let path = try dir.write("config", Self.kubeconfig(
            clusters: [("c", "server: https://c")], users: [("u", "tokenFile: tokens/t")], contexts: [("x", "cluster: c\nuser: u")], current: "x"))
        let config = try ClientConfiguration.load(kubeconfigPath: path, environment: [:])
        let provider = try #require(config.credentials as? TokenFileProvider)
        #expect(provider.path == dir.file("tokens/t"))
        #expect(try await provider.credentials().bearerToken == "file-token")
    }
}

extension String {
    fileprivate func indented(_ n: Int) -> String {
        split(separator: "\n", omittingEmptySubsequences: false).map { String(repeating: " ", count: n) + $0 }.joined(separator: "\n") + "\n"
    }
}
