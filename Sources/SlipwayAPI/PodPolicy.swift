import KubeAPI

/// What a job's pods may ask for. The operator creates pods with its own rights, so a job
/// author must not gain rights through it: by default (``restricted``) privileged
/// containers, hostPath volumes, the host's network, PID and IPC namespaces, Linux
/// capabilities added beyond Pod Security Standards "baseline" and a `nodeName` (which
/// bypasses the scheduler, its capacity checks and Slipway's capacity pinning) are refused,
/// as are pods in another namespace and service account names that cannot exist.
/// An administrator opens single holes with `slipway operator --allow-…`.
///
/// Every kind that renders pods (BatchJob's template, SparkJob's driver and executors)
/// checks its pod specs with ``violations(_:path:namespace:ownNamespace:)``; a violation
/// makes the job `Invalid` and no pod is created.
public struct PodPolicy: Sendable, Hashable {
    /// Containers (and init containers) with `securityContext.privileged: true`.
    public var allowPrivileged: Bool
    /// `hostPath` volumes.
    public var allowHostPath: Bool
    /// `hostNetwork: true`.
    public var allowHostNetwork: Bool
    /// `hostPID: true`.
    public var allowHostPID: Bool
    /// `hostIPC: true`.
    public var allowHostIPC: Bool
    /// `securityContext.capabilities.add` beyond ``baselineCapabilities``.
    public var allowCapabilities: Bool
    /// `nodeName` in a pod template.
    public var allowNodeName: Bool
    /// The operator's own service account (`namespace`, `name`): a job in that namespace may
    /// not run its pods as it, since that would hand the job the operator's rights.
    public var operatorServiceAccount: (namespace: String, name: String)? {
        get { operatorAccount.map { ($0[0], $0[1]) } }
        set { operatorAccount = newValue.map { [$0.namespace, $0.name] } }
    }
    private var operatorAccount: [String]?

    public init(
        allowPrivileged: Bool = false, allowHostPath: Bool = false, allowHostNetwork: Bool = false, allowHostPID: Bool = false,
        allowHostIPC: Bool = false, allowCapabilities: Bool = false, allowNodeName: Bool = false
    ) {
        self.allowPrivileged = allowPrivileged
        self.allowHostPath = allowHostPath
        self.allowHostNetwork = allowHostNetwork
        self.allowHostPID = allowHostPID
        self.allowHostIPC = allowHostIPC
        self.allowCapabilities = allowCapabilities
        self.allowNodeName = allowNodeName
    }

    /// The capabilities Pod Security Standards "baseline" lets a container add (the
    /// `capabilities_baseline` check of pod-security-admission; names compared exactly, so
    /// `CAP_CHOWN` or `chown` are not in it).
    public static let baselineCapabilities: Set<String> = [
        "AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD", "NET_BIND_SERVICE", "SETFCAP", "SETGID",
        "SETPCAP", "SETUID", "SYS_CHROOT",
    ]

    /// Everything refused: the default.
    public static let restricted = PodPolicy()

    /// What `spec` asks for that this policy refuses, in field order; empty means allowed.
    ///
    /// - Parameters:
    ///   - spec: a pod spec the operator would create a pod from.
    ///   - path: the field path of `spec` in the job, e.g. `spec.template.spec` or
    ///     `spec.driver.spec`; violations are reported below it. The template's namespace is
    ///     reported at the sibling `metadata.namespace` (`spec.template.metadata.namespace`).
    ///   - namespace: the job's own namespace, where the operator creates its pods.
    ///   - ownNamespace: the namespace the template itself names (its `metadata.namespace`),
    ///     nil or empty when it names none.
    public func violations(_ spec: PodSpec, path: String, namespace: String, ownNamespace: String?) -> [FieldViolation] {
        var out: [FieldViolation] = []
        if let own = ownNamespace, !own.isEmpty, own != namespace {
            out.append(FieldViolation(
                field: Self.metadataPath(of: path) + ".namespace",
                message: "\"\(own)\" is not the job's namespace \"\(namespace)\"; pods are created only in the job's namespace, so remove it or create the job in \"\(own)\""))
        }
        let hostFlags: [(String, Bool?, Bool, String)] = [
            ("hostNetwork", spec.hostNetwork, allowHostNetwork, "--allow-host-network"),
            ("hostPID", spec.hostPID, allowHostPID, "--allow-host-pid"),
            ("hostIPC", spec.hostIPC, allowHostIPC, "--allow-host-ipc"),
        ]
        for (name, value, allowed, flag) in hostFlags where value == true && !allowed {
            out.append(FieldViolation(
                field: "\(path).\(name)",
                message: "host namespaces are refused for jobs; remove \(name) (an administrator can allow it with slipway operator \(flag))"))
        }
        if let own = operatorServiceAccount, own.namespace == namespace, (spec.serviceAccountName ?? "default") == own.name {
            out.append(FieldViolation(
                field: "\(path).serviceAccountName",
                message: "\"\(own.name)\" is the operator's own service account; jobs may not run with the operator's rights, so use a service account of their own"))
        }
        if let account = spec.serviceAccountName, !Self.isDNS1123Subdomain(account) {
            out.append(FieldViolation(
                field: "\(path).serviceAccountName",
                message: "\"\(account)\" is not a valid service account name; use lowercase letters, digits, '-' and '.', starting and ending with a letter or digit (at most 253 characters)"))
        }
        if !allowPrivileged {
            for (list, containers) in [("initContainers", spec.initContainers), ("containers", spec.containers)] {
                for (i, c) in containers.enumerated() where c.securityContext?.privileged == true {
                    out.append(FieldViolation(
                        field: "\(path).\(list)[\(i)].securityContext.privileged",
                        message: "privileged containers are refused for jobs; remove it (an administrator can allow it with slipway operator --allow-privileged)"))
                }
            }
        }
        if !allowCapabilities {
            for (list, containers) in [("initContainers", spec.initContainers), ("containers", spec.containers)] {
                for (i, c) in containers.enumerated() {
                    let added = c.securityContext?.object["capabilities"]?["add"]?.arrayValue ?? []
                    for (j, capability) in added.enumerated() {
                        let name = capability.stringValue ?? JSON.string(capability)
                        guard !Self.baselineCapabilities.contains(name) else { continue }
                        out.append(FieldViolation(
                            field: "\(path).\(list)[\(i)].securityContext.capabilities.add[\(j)]",
                            message: "adding capability \"\(name)\" is refused for jobs: only Pod Security Standards baseline's \(Self.baselineCapabilities.sorted().joined(separator: ", ")) may be added (an administrator can allow more with slipway operator --allow-capabilities)"))
                    }
                }
            }
        }
        if !allowNodeName, let node = spec.nodeName, !node.isEmpty {
            out.append(FieldViolation(
                field: "\(path).nodeName",
                message: "\"\(node)\" would bypass the scheduler, its capacity checks and the job's capacity choice; use a nodeSelector or node affinity (an administrator can allow nodeName with slipway operator --allow-node-name)"))
        }
        if !allowHostPath {
            for (i, v) in spec.volumes.enumerated() where v.object["hostPath"] != nil {
                out.append(FieldViolation(
                    field: "\(path).volumes[\(i)].hostPath",
                    message: "hostPath volumes are refused for jobs; use an emptyDir, a configMap or a persistent volume claim (an administrator can allow them with slipway operator --allow-host-path)"))
            }
        }
        return out
    }

    /// `spec.template.spec` → `spec.template.metadata`; a path not ending in `.spec` gets
    /// `.metadata` appended.
    static func metadataPath(of path: String) -> String {
        path.hasSuffix(".spec") ? String(path.dropLast(5)) + ".metadata" : path + ".metadata"
    }

    /// A DNS-1123 subdomain, as Kubernetes requires of most object names (service accounts
    /// included): at most 253 characters, dot-separated labels of `[a-z0-9-]` that start and
    /// end with a letter or digit.
    public static func isDNS1123Subdomain(_ name: String) -> Bool {
        guard !name.isEmpty, name.utf8.count <= 253 else { return false }
        func alphanumeric(_ b: UInt8) -> Bool {
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(b) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(b)
        }
        return name.utf8.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false).allSatisfy { label in
            guard let first = label.first, let last = label.last, alphanumeric(first), alphanumeric(last) else { return false }
            return label.allSatisfy { alphanumeric($0) || $0 == UInt8(ascii: "-") }
        }
    }
}
