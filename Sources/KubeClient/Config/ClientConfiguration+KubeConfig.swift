import Foundation

extension ClientConfiguration {
    /// Where a pod's service-account credentials are mounted.
    public static let serviceAccountRoot = "/var/run/secrets/kubernetes.io/serviceaccount"

    /// The configuration kubectl would use: the kubeconfig selected by kubectl's loading
    /// rules (`kubeconfigPath`, else `$KUBECONFIG`, else `$HOME/.kube/config`), or, when
    /// none exists and `KUBERNETES_SERVICE_HOST`/`PORT` are set, the pod's service account.
    ///
    /// - Parameters:
    ///   - context: overrides `current-context` (`--context`).
    ///   - namespace: overrides the context's namespace (`--namespace`).
    ///   - environment: read for `KUBECONFIG`, `HOME`, in-cluster variables, and inherited by exec plugins.
    ///   - clock: measures token-file and exec-credential expiry.
    public static func load(
        kubeconfigPath: String? = nil, context: String? = nil, namespace: String? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment, clock: any KubeClock = SystemClock()
    ) throws -> ClientConfiguration {
        try load(
            kubeconfigPath: kubeconfigPath, context: context, namespace: namespace, environment: environment, clock: clock,
            serviceAccountRoot: serviceAccountRoot)
    }

    static func load(
        kubeconfigPath: String?, context: String?, namespace: String?, environment: [String: String], clock: any KubeClock,
        serviceAccountRoot: String
    ) throws -> ClientConfiguration {
        let merged = try MergedKubeConfig.load(explicitPath: kubeconfigPath, environment: environment)
        if merged.isEmpty {
            let host = environment["KUBERNETES_SERVICE_HOST"] ?? "", port = environment["KUBERNETES_SERVICE_PORT"] ?? ""
            guard !host.isEmpty, !port.isEmpty else { throw KubeConfigError.noConfiguration(searched: merged.searched) }
            var config = try inCluster(environment: environment, root: serviceAccountRoot, clock: clock)
            if let namespace, !namespace.isEmpty { config.namespace = namespace }
            return config
        }
        return try ClientConfiguration(kubeConfig: merged, context: context, namespace: namespace, environment: environment, clock: clock)
    }

    /// The configuration of a pod's service account: the API server from
    /// `KUBERNETES_SERVICE_HOST`/`KUBERNETES_SERVICE_PORT`, the CA from `root/ca.crt`, a
    /// rotating token from `root/token`, and the namespace from `POD_NAMESPACE` or `root/namespace`.
    public static func inCluster(
        environment: [String: String] = ProcessInfo.processInfo.environment, root: String = serviceAccountRoot,
        clock: any KubeClock = SystemClock()
    ) throws -> ClientConfiguration {
        let host = environment["KUBERNETES_SERVICE_HOST"] ?? "", port = environment["KUBERNETES_SERVICE_PORT"] ?? ""
        guard !host.isEmpty, !port.isEmpty else {
            throw KubeConfigError.inCluster("KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must both be set")
        }
        let bracketed = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        guard let server = URL(string: "https://\(bracketed):\(port)"), server.host != nil else {
            throw KubeConfigError.inCluster("KUBERNETES_SERVICE_HOST \"\(host)\" and KUBERNETES_SERVICE_PORT \"\(port)\" do not form a URL")
        }
        let tokenPath = (root as NSString).appendingPathComponent("token")
        guard FileManager.default.isReadableFile(atPath: tokenPath) else {
            throw KubeConfigError.inCluster("cannot read the service-account token \(tokenPath) (is automountServiceAccountToken disabled?)")
        }
        let caPath = (root as NSString).appendingPathComponent("ca.crt")
        var ca: Data?
        if FileManager.default.fileExists(atPath: caPath) {
            do { ca = try Data(contentsOf: URL(fileURLWithPath: caPath)) } catch {
                throw KubeConfigError.inCluster("cannot read \(caPath): \(MergedKubeConfig.reason(error))")
            }
        }
        return ClientConfiguration(
            server: server, certificateAuthorityPEM: ca, credentials: TokenFileProvider(path: tokenPath, clock: clock),
            namespace: inClusterNamespace(environment: environment, root: root))
    }

    private static func inClusterNamespace(environment: [String: String], root: String) -> String {
        if let ns = environment["POD_NAMESPACE"], !ns.isEmpty { return ns }
        let path = (root as NSString).appendingPathComponent("namespace")
        if let data = FileManager.default.contents(atPath: path) {
            let ns = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            if !ns.isEmpty { return ns }
        }
        return "default"
    }
}
