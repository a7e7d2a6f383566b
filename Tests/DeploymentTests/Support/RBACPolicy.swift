import Foundation

/// One RBAC PolicyRule (resource rules and nonResourceURLs).
struct PolicyRule: Hashable, Sendable {
    var apiGroups: [String] = []
    var resources: [String] = []
    var resourceNames: [String] = []
    var verbs: [String] = []
    var nonResourceURLs: [String] = []

    init(apiGroups: [String] = [], resources: [String] = [], resourceNames: [String] = [], verbs: [String] = [], nonResourceURLs: [String] = []) {
        self.apiGroups = apiGroups
        self.resources = resources
        self.resourceNames = resourceNames
        self.verbs = verbs
        self.nonResourceURLs = nonResourceURLs
    }

    init(_ object: [String: Any]) {
        apiGroups = object["apiGroups"] as? [String] ?? []
        resources = object["resources"] as? [String] ?? []
        resourceNames = object["resourceNames"] as? [String] ?? []
        verbs = object["verbs"] as? [String] ?? []
        nonResourceURLs = object["nonResourceURLs"] as? [String] ?? []
    }

    /// Kubernetes' RBAC matching: `*` wildcards, `*/sub` and `res/*` resource forms, and
    /// resourceNames (which a request without a name, such as create, never matches).
    func allows(_ request: RBACRequest) -> Bool {
        guard verbs.contains(request.verb) || verbs.contains("*") else { return false }
        guard apiGroups.contains(request.group) || apiGroups.contains("*") else { return false }
        let matchesResource = resources.contains { pattern in
            if pattern == "*" || pattern == request.resource { return true }
            let (resource, sub) = Self.split(request.resource)
            if pattern == "\(resource)/*", sub != nil { return true }
            if let sub, pattern == "*/\(sub)" { return true }
            return false
        }
        guard matchesResource else { return false }
        if resourceNames.isEmpty { return true }
        guard let name = request.name else { return false }
        return resourceNames.contains(name)
    }

    func allows(_ request: NonResourceRequest) -> Bool {
        guard verbs.contains(request.verb) || verbs.contains("*") else { return false }
        return nonResourceURLs.contains { url in
            url == "*" || url == request.path || (url.hasSuffix("*") && request.path.hasPrefix(String(url.dropLast())))
        }
    }

    static func split(_ resource: String) -> (String, String?) {
        let parts = resource.split(separator: "/", maxSplits: 1).map(String.init)
        return (parts[0], parts.count > 1 ? parts[1] : nil)
    }
}

/// The rights one ServiceAccount gets from a rendered chart: the rules of the ClusterRoles
/// bound to it by ClusterRoleBindings (everywhere) and of the Roles and ClusterRoles bound
/// to it by RoleBindings (in the binding's namespace only).
struct RBACPolicy: Sendable {
    var clusterRules: [PolicyRule] = []
    var namespacedRules: [String: [PolicyRule]] = [:]

    /// What every authenticated client may do on a real cluster (system:discovery and
    /// system:public-info-viewer): read the discovery and version endpoints.
    static let discovery = PolicyRule(
        verbs: ["get"], nonResourceURLs: ["/api", "/api/*", "/apis", "/apis/*", "/version", "/version/", "/openapi", "/openapi/*", "/healthz", "/livez", "/readyz"])

    /// The policy of the chart's operator ServiceAccount (the Deployment's serviceAccountName
    /// in the Deployment's namespace).
    init(chart: RenderedChart) throws {
        let deployment = try chart.one("Deployment")
        guard let account = deployment["spec", "template", "spec", "serviceAccountName"] as? String, let accountNamespace = deployment.namespace else {
            throw ChartError("the Deployment names no serviceAccountName or namespace")
        }
        try self.init(chart: chart, account: account, in: accountNamespace)
    }

    /// The policy of the ServiceAccount `account` in `accountNamespace`.
    init(chart: RenderedChart, account: String, in accountNamespace: String) throws {
        func bindsAccount(_ binding: Manifest) -> Bool {
            let subjects = binding["subjects"] as? [[String: Any]] ?? []
            return subjects.contains {
                $0["kind"] as? String == "ServiceAccount" && $0["name"] as? String == account && $0["namespace"] as? String == accountNamespace
            }
        }
        func rules(of kind: String, _ name: String, in namespace: String?) throws -> [PolicyRule] {
            let matches = chart.all(kind).filter { $0.name == name && (kind == "ClusterRole" || $0.namespace == namespace) }
            guard let role = matches.first else { throw ChartError("a binding refers to \(kind) \(name) that the chart does not render") }
            return (role["rules"] as? [[String: Any]] ?? []).map(PolicyRule.init)
        }
        for binding in chart.all("ClusterRoleBinding") where bindsAccount(binding) {
            clusterRules += try rules(of: "ClusterRole", binding["roleRef", "name"] as? String ?? "", in: nil)
        }
        for binding in chart.all("RoleBinding") where bindsAccount(binding) {
            guard let namespace = binding.namespace else { throw ChartError("RoleBinding \(binding.name) has no namespace") }
            let kind = binding["roleRef", "kind"] as? String ?? "Role"
            namespacedRules[namespace, default: []] += try rules(of: kind, binding["roleRef", "name"] as? String ?? "", in: namespace)
        }
    }

    func allows(_ request: RBACRequest) -> Bool {
        if clusterRules.contains(where: { $0.allows(request) }) { return true }
        guard let namespace = request.namespace else { return false }
        return namespacedRules[namespace, default: []].contains { $0.allows(request) }
    }

    func allows(_ request: NonResourceRequest) -> Bool {
        Self.discovery.allows(request) || clusterRules.contains { $0.allows(request) }
    }

    func allows(_ mapped: RequestMapper.Mapped) -> Bool {
        switch mapped {
        case .resource(let request): allows(request)
        case .nonResource(let request): allows(request)
        }
    }
}
