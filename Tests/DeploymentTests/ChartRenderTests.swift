import Foundation
import Testing

/// charts/slipway rendered by the real Helm (`helm lint`, `helm template`) with default and
/// non-default values; the objects are parsed and checked field by field.
@Suite("Helm chart renders")
struct ChartRenderTests {
    /// Default values, one watched namespace, a list with ServiceMonitor and
    /// PodDisruptionBudget on, and two replicas with leader election.
    @Test(arguments: [
        [],
        ["--set", "watchNamespaces={team-a}"],
        ["--set", "watchNamespaces={team-a,team-b}", "--set", "metrics.serviceMonitor.enabled=true", "--set", "podDisruptionBudget.enabled=true"],
        ["--set", "replicaCount=2", "--set", "leaderElection.enabled=true"],
        ["--set", "metrics.serviceMonitor.enabled=true", "--set", "metrics.dashboard.enabled=true", "--set", "metrics.prometheusRule.enabled=true",
         "--set", "spark.serviceAccount.create=true", "--set", "spark.rbac.create=true", "--set", "spark.jobNamespaces={team-a,team-b}"],
    ])
    func helmLintPasses(values: [String]) async throws {
        let helm = try Helm.locate()
        let result = try await helm.run(["lint", "--strict", Repository.chart.path] + values)
        #expect(result.status == 0, "\(result)")
        #expect(result.out.contains("1 chart(s) linted, 0 chart(s) failed"), "\(result)")
    }

    @Test func defaultValuesWatchAllNamespacesWithOneClusterRoleAndNoLeaderElection() async throws {
        let chart = try await Helm.locate().render()
        let kinds = chart.manifests.map(\.kind).sorted()
        #expect(kinds == ["ClusterRole", "ClusterRoleBinding", "Deployment", "Service", "ServiceAccount"], "\(kinds)")
        let args = try chart.operatorArgs()
        #expect(args.first == "operator")
        #expect(!args.contains { $0.hasPrefix("--namespace") }, "\(args)")
        #expect(!args.contains("--leader-elect"), "\(args)")
        #expect(!args.contains("--install-crds"), "\(args)")
        for expected in [
            "--workers=16", "--qps=0", "--burst=100", "--status-batch-seconds=1", "--capacity-label=karpenter.sh/capacity-type", "--spot-value=spot",
            "--on-demand-value=on-demand", "--default-attempts=3", "--max-attempts=10", "--log-level=info", "--log-format=json",
            "--metrics-port=8080", "--health-port=8081",
        ] {
            #expect(args.contains(expected), "missing \(expected) in \(args)")
        }
        #expect(!args.contains { $0.hasPrefix("--allow-") }, "pod policy is strict by default: \(args)")
        let deployment = try chart.one("Deployment")
        #expect(deployment["spec", "strategy", "type"] as? String == "Recreate", "no leader election → never two operators at once")
        #expect(deployment["spec", "replicas"] as? Int == 1)
        #expect(try chart.operatorContainer()["image"] as? String == "ghcr.io/slipway-dev/slipway:0.1.0-dev", "the tag defaults to appVersion")
        let clusterRole = try chart.one("ClusterRole")
        let resources = (clusterRole["rules"] as? [[String: Any]] ?? []).flatMap { $0["resources"] as? [String] ?? [] }
        #expect(resources.contains("pods") && resources.contains("batchjobs") && resources.contains("nodes"), "\(resources)")
        #expect(!resources.contains("customresourcedefinitions"), "CRDs come from crds/ unless installCRDs")
        #expect(!resources.contains("secrets"), "\(resources)")
    }

    @Test func aListOfNamespacesGetsRolesThereAndAClusterRoleOnlyForClusterScopedResources() async throws {
        let chart = try await Helm.locate().render(["watchNamespaces={team-a,team-b}"])
        let roles = chart.all("Role").filter { $0.name == "slipway" }
        #expect(roles.compactMap(\.namespace).sorted() == ["team-a", "team-b"])
        let bindings = chart.all("RoleBinding").filter { $0.name == "slipway" }
        #expect(bindings.compactMap(\.namespace).sorted() == ["team-a", "team-b"])
        for role in roles {
            let resources = (role["rules"] as? [[String: Any]] ?? []).flatMap { $0["resources"] as? [String] ?? [] }
            #expect(resources.contains("pods") && resources.contains("batchjobs") && resources.contains("events"), "\(resources)")
            #expect(!resources.contains("nodes"), "nodes are cluster-scoped: \(resources)")
        }
        let clusterRules = try chart.one("ClusterRole")["rules"] as? [[String: Any]] ?? []
        // Only cluster-scoped resources: nodes and namespaces (read-only), JobQueues (read, and their status written).
        #expect(clusterRules.map { $0["resources"] as? [String] ?? [] } == [["nodes"], ["namespaces"], ["jobqueues"], ["jobqueues/status"]], "\(clusterRules)")
        #expect(clusterRules.prefix(3).allSatisfy { $0["verbs"] as? [String] == ["list", "watch"] }, "nodes, namespaces and queues are read-only")
        #expect(clusterRules.last?["verbs"] as? [String] == ["update"])
        let args = try chart.operatorArgs()
        #expect(args.filter { $0.hasPrefix("--namespace=") } == ["--namespace=team-a", "--namespace=team-b"], "\(args)")

        let policy = try RBACPolicy(chart: chart)
        #expect(policy.allows(RBACRequest(namespace: "team-a", group: "", resource: "pods", verb: "create")))
        #expect(!policy.allows(RBACRequest(namespace: "other", group: "", resource: "pods", verb: "create")), "only the listed namespaces")
        #expect(!policy.allows(RBACRequest(namespace: nil, group: "", resource: "pods", verb: "list")), "no cluster-wide pod list")
        #expect(policy.allows(RBACRequest(namespace: nil, group: "", resource: "nodes", verb: "watch")))
    }

    /// The web view (docs/web.md): off by default; on, the operator listens on the pod's
    /// loopback, declares the port and may read its jobs' pods' logs — and only then.
    @Test func theWebViewIsOffByDefaultAndOnListensOnLoopbackAndMayReadLogs() async throws {
        let helm = try Helm.locate()
        let logs = RBACRequest(namespace: "team-a", group: "", resource: "pods/log", name: "job-0-0", verb: "get")
        let off = try await helm.render()
        #expect(!(try off.operatorArgs()).contains { $0.hasPrefix("--web-address") })
        #expect(!(try RBACPolicy(chart: off)).allows(logs), "no log reading without the web view")
        let on = try await helm.render(["web.enabled=true"])
        let args = try on.operatorArgs()
        #expect(args.contains("--web-address=127.0.0.1:8090"), "\(args)")
        #expect((try RBACPolicy(chart: on)).allows(logs))
        let ports = try on.operatorContainer()["ports"] as? [[String: Any]] ?? []
        #expect(ports.contains { $0["name"] as? String == "web" && $0["containerPort"] as? Int == 8090 }, "\(ports)")
    }

    @Test func installCRDsGrantsCRDWritesAndPassesTheFlag() async throws {
        let helm = try Helm.locate()
        for sets in [["installCRDs=true"], ["installCRDs=true", "watchNamespaces={team-a}"]] {
            let chart = try await helm.render(sets)
            #expect(try chart.operatorArgs().contains("--install-crds"))
            let policy = try RBACPolicy(chart: chart)
            for verb in ["get", "create", "update"] {
                #expect(policy.allows(RBACRequest(group: "apiextensions.k8s.io", resource: "customresourcedefinitions", name: "batchjobs.slipway.dev", verb: verb)), "\(sets) \(verb)")
            }
            #expect(!policy.allows(RBACRequest(group: "apiextensions.k8s.io", resource: "customresourcedefinitions", verb: "delete")))
        }
        let defaults = try RBACPolicy(chart: try await helm.render())
        #expect(!defaults.allows(RBACRequest(group: "apiextensions.k8s.io", resource: "customresourcedefinitions", name: "batchjobs.slipway.dev", verb: "get")))
    }

    @Test(arguments: [["replicaCount=2"], ["leaderElection.enabled=true"]])
    func leaderElectionIsOnWithTwoReplicasOrWhenAskedFor(_ sets: [String]) async throws {
        let chart = try await Helm.locate().render(sets + ["leaderElection.leaseName=my-lease"])
        let args = try chart.operatorArgs()
        #expect(args.contains("--leader-elect"), "\(args)")
        #expect(args.contains("--lease-namespace=slipway-system") && args.contains("--lease-name=my-lease"), "\(args)")
        #expect(try chart.one("Deployment")["spec", "strategy"] == nil, "rolling updates are safe with a leader")
        let policy = try RBACPolicy(chart: chart)
        let lease = RBACRequest(namespace: "slipway-system", group: "coordination.k8s.io", resource: "leases", name: "my-lease", verb: "update")
        #expect(policy.allows(lease))
        #expect(policy.allows(RBACRequest(namespace: "slipway-system", group: "coordination.k8s.io", resource: "leases", verb: "create")))
        var other = lease
        other.name = "someone-elses"
        #expect(!policy.allows(other), "get/update are narrowed to the lease's name")
        other = lease
        other.namespace = "default"
        #expect(!policy.allows(other), "leases only in the release namespace")
    }

    @Test func serviceMonitorIsRenderedWhenEnabled() async throws {
        let helm = try Helm.locate()
        #expect(try await helm.render().all("ServiceMonitor").isEmpty)
        let chart = try await helm.render(["metrics.serviceMonitor.enabled=true", "metrics.serviceMonitor.interval=15s", "metrics.serviceMonitor.labels.release=prom"])
        let monitor = try chart.one("ServiceMonitor")
        #expect(monitor.apiVersion == "monitoring.coreos.com/v1")
        #expect(monitor["metadata", "labels", "release"] as? String == "prom")
        let endpoint = (monitor["spec", "endpoints"] as? [[String: Any]])?.first
        #expect(endpoint?["port"] as? String == "metrics" && endpoint?["interval"] as? String == "15s" && endpoint?["path"] as? String == "/metrics")
        let service = try chart.one("Service")
        let selector = monitor["spec", "selector", "matchLabels"] as? [String: String] ?? [:]
        let serviceLabels = service["metadata", "labels"] as? [String: String] ?? [:]
        #expect(!selector.isEmpty && selector.allSatisfy { serviceLabels[$0.key] == $0.value }, "the ServiceMonitor selects the metrics Service")
        let port = (service["spec", "ports"] as? [[String: Any]])?.first
        #expect(port?["name"] as? String == "metrics" && port?["port"] as? Int == 8080)
    }

    @Test func podDisruptionBudgetUsesMinAvailableOrMaxUnavailable() async throws {
        let helm = try Helm.locate()
        #expect(try await helm.render().all("PodDisruptionBudget").isEmpty)
        var pdb = try await helm.render(["podDisruptionBudget.enabled=true"]).one("PodDisruptionBudget")
        #expect(pdb.apiVersion == "policy/v1")
        #expect(pdb["spec", "maxUnavailable"] as? Int == 1 && pdb["spec", "minAvailable"] == nil)
        pdb = try await helm.render(["podDisruptionBudget.enabled=true", "podDisruptionBudget.minAvailable=1", "replicaCount=2"]).one("PodDisruptionBudget")
        #expect(pdb["spec", "minAvailable"] as? Int == 1 && pdb["spec", "maxUnavailable"] == nil)
        #expect(pdb["spec", "selector", "matchLabels", "app.kubernetes.io/name"] as? String == "slipway")
    }

    @Test func nonDefaultValuesReachTheDeployment() async throws {
        let chart = try await Helm.locate().render([
            "image.repository=registry.example/slipway", "image.tag=1.2.3", "image.pullPolicy=Always", "image.pullSecrets[0].name=regcred",
            "workers=8", "client.qps=12.5", "client.burst=40", "capacity.labelKey=node.example/lifecycle", "capacity.spotValue=preemptible",
            "capacity.onDemandValue=standard", "retry.defaultAttempts=2", "retry.maxAttempts=5", "podPolicy.allowPrivileged=true",
            "podPolicy.allowHostPath=true", "podPolicy.allowHostNetwork=true", "podPolicy.allowHostPID=true", "podPolicy.allowHostIPC=true",
            "logLevel=debug", "logFormat=text", "metrics.port=9090", "health.port=9091", "nodeSelector.pool=system",
            "tolerations[0].key=dedicated", "tolerations[0].operator=Exists", "podAnnotations.a=b", "podLabels.team=data",
            "serviceAccount.name=ops", "serviceAccount.annotations.role=x",
        ])
        let args = try chart.operatorArgs()
        for expected in [
            "--workers=8", "--qps=12.5", "--burst=40", "--capacity-label=node.example/lifecycle", "--spot-value=preemptible",
            "--on-demand-value=standard", "--default-attempts=2", "--max-attempts=5", "--allow-privileged", "--allow-host-path",
            "--allow-host-network", "--allow-host-pid", "--allow-host-ipc", "--log-level=debug", "--log-format=text",
            "--metrics-port=9090", "--health-port=9091",
        ] {
            #expect(args.contains(expected), "missing \(expected) in \(args)")
        }
        let container = try chart.operatorContainer()
        #expect(container["image"] as? String == "registry.example/slipway:1.2.3")
        #expect(container["imagePullPolicy"] as? String == "Always")
        let deployment = try chart.one("Deployment")
        #expect((deployment["spec", "template", "spec", "imagePullSecrets"] as? [[String: Any]])?.first?["name"] as? String == "regcred")
        #expect(deployment["spec", "template", "spec", "nodeSelector", "pool"] as? String == "system")
        #expect((deployment["spec", "template", "spec", "tolerations"] as? [[String: Any]])?.first?["key"] as? String == "dedicated")
        #expect(deployment["spec", "template", "metadata", "annotations", "a"] as? String == "b")
        #expect(deployment["spec", "template", "metadata", "labels", "team"] as? String == "data")
        #expect(deployment["spec", "template", "metadata", "labels", "app.kubernetes.io/name"] as? String == "slipway", "podLabels never replace the selector labels")
        #expect(deployment["spec", "template", "spec", "serviceAccountName"] as? String == "ops")
        let account = try chart.one("ServiceAccount")
        #expect(account.name == "ops" && account["metadata", "annotations", "role"] as? String == "x")
        let ports = (container["ports"] as? [[String: Any]] ?? []).map { "\($0["name"] ?? "")=\($0["containerPort"] ?? "")" }
        #expect(ports.sorted() == ["health=9091", "metrics=9090"])
        #expect((try chart.one("Service")["spec", "ports"] as? [[String: Any]])?.first?["port"] as? Int == 9090)
    }

    @Test func badValuesAreRefusedWithAMessage() async throws {
        let helm = try Helm.locate()
        var result = try await helm.run(["template", "slipway", Repository.chart.path, "--set", "logFormat=xml"])
        #expect(result.status != 0 && result.err.contains(#"logFormat must be one of the following: "text", "json""#), "\(result)")
        result = try await helm.run(["template", "slipway", Repository.chart.path, "--set", "serviceAccount.create=false"])
        #expect(result.status != 0 && result.err.contains("serviceAccount.name is required"), "\(result)")
        result = try await helm.run(["template", "slipway", Repository.chart.path, "--set", "metrics.serviceMonitor.enabled=true", "--set", "metrics.service.enabled=false"])
        #expect(result.status != 0 && result.err.contains("needs metrics.service.enabled"), "\(result)")
    }

    @Test func theOperatorRunsWithARestrictedSecurityContextAndProbes() async throws {
        let chart = try await Helm.locate().render()
        let pod = try chart.one("Deployment")["spec", "template", "spec"] as? [String: Any] ?? [:]
        let podSecurity = pod["securityContext"] as? [String: Any] ?? [:]
        #expect(podSecurity["runAsNonRoot"] as? Bool == true)
        #expect(podSecurity["runAsUser"] as? Int == 65532)
        #expect(Manifest.lookup(podSecurity, ["seccompProfile", "type"]) as? String == "RuntimeDefault")
        let container = try chart.operatorContainer()
        let security = container["securityContext"] as? [String: Any] ?? [:]
        #expect(security["runAsNonRoot"] as? Bool == true)
        #expect(security["runAsUser"] as? Int == 65532)
        #expect(security["readOnlyRootFilesystem"] as? Bool == true)
        #expect(security["allowPrivilegeEscalation"] as? Bool == false)
        #expect(Manifest.lookup(security, ["capabilities", "drop"]) as? [String] == ["ALL"])
        #expect(Manifest.lookup(security, ["capabilities", "add"]) == nil)
        #expect(Manifest.lookup(security, ["seccompProfile", "type"]) as? String == "RuntimeDefault")
        #expect(security["privileged"] == nil)
        #expect(Manifest.lookup(container, ["livenessProbe", "httpGet", "path"]) as? String == "/healthz")
        #expect(Manifest.lookup(container, ["livenessProbe", "httpGet", "port"]) as? String == "health")
        #expect(Manifest.lookup(container, ["readinessProbe", "httpGet", "path"]) as? String == "/readyz")
        #expect(Manifest.lookup(container, ["readinessProbe", "httpGet", "port"]) as? String == "health")
        let env = (container["env"] as? [[String: Any]] ?? []).map { ($0["name"] as? String ?? "", Manifest.lookup($0, ["valueFrom", "fieldRef", "fieldPath"]) as? String) }
        #expect(env.contains { $0 == ("POD_NAME", "metadata.name") }, "\(env)")
        #expect(env.contains { $0 == ("POD_NAMESPACE", "metadata.namespace") }, "\(env)")
        #expect(pod["hostNetwork"] == nil && pod["hostPID"] == nil && pod["hostIPC"] == nil)
        // Service links would put SLIPWAY_METRICS_PORT=tcp://… (from a Service named
        // slipway-metrics) beside the operator's own SLIPWAY_* settings.
        #expect(pod["enableServiceLinks"] as? Bool == false)
    }

    /// values.schema.json: a wrong type or an unknown value fails `helm install`, `template`
    /// and `lint` at once, naming the value, before anything is rendered.
    @Test(arguments: [
        ("workers=abc", "workers: Invalid type. Expected: integer, given: string"),
        ("workers=0", "workers: Must be greater than or equal to 1"),
        ("client.qps=fast", "client.qps: Does not match pattern"),
        ("metrics.port=70000", "metrics.port: Must be less than or equal to 65535"),
        ("replicaCount=two", "replicaCount: Invalid type"),
        ("image.pullPolicy=Sometimes", "image.pullPolicy: image.pullPolicy must be one of the following"),
        ("podPolicy.allowPrivileged=maybe", "podPolicy.allowPrivileged: Invalid type. Expected: boolean"),
        ("watchNamespaces={Team_A}", "watchNamespaces.0: Does not match pattern"),
        ("metrics.prometheusRule.reconcileErrorRatio=2", "metrics.prometheusRule.reconcileErrorRatio: Must be less than or equal to 1"),
        ("spark.rbac.create=yes", "spark.rbac.create: Invalid type. Expected: boolean"),
        ("wokers=4", "Additional property wokers is not allowed"),
    ])
    func theValuesSchemaRefusesABadValueAtOnce(set: String, message: String) async throws {
        let helm = try Helm.locate()
        for command in [["template", "slipway"], ["lint", "--strict"]] {
            let result = try await helm.run(command + [Repository.chart.path, "--set", set])
            #expect(result.status != 0, "\(command) --set \(set): \(result)")
            #expect((result.err + result.out).contains(message), "\(command) --set \(set): \(result)")
        }
    }

    @Test func theValuesSchemaAcceptsWhatTheValuesFileDocuments() async throws {
        // Fractions and thresholds come from --set as strings; integers and percentages where allowed.
        let chart = try await Helm.locate().render([
            "client.qps=12.5", "podDisruptionBudget.enabled=true", "podDisruptionBudget.minAvailable=50%", "image.tag=2",
            "metrics.prometheusRule.enabled=true", "metrics.prometheusRule.reconcileErrorRatio=0.25", "metrics.dashboard.enabled=true",
            "metrics.dashboard.sidecarLabelValue=1", "resources.limits.cpu=2",
        ])
        #expect(try chart.operatorArgs().contains("--qps=12.5"))
        #expect(try chart.one("PodDisruptionBudget")["spec", "minAvailable"] as? String == "50%")
    }

    @Test func sparkDriversGetAServiceAccountAndTheirRoleInEachJobNamespace() async throws {
        let helm = try Helm.locate()
        let none = try await helm.render()
        #expect(none.all("Role").isEmpty && none.all("ServiceAccount").map(\.name) == ["slipway"], "off by default")
        let chart = try await helm.render([
            "spark.serviceAccount.create=true", "spark.rbac.create=true", "spark.jobNamespaces={team-a,team-b}",
            "spark.serviceAccount.annotations.iam=role-x",
        ])
        let accounts = chart.all("ServiceAccount").filter { $0.name == "spark" }
        #expect(accounts.compactMap(\.namespace).sorted() == ["team-a", "team-b"])
        #expect(accounts.allSatisfy { $0["metadata", "annotations", "iam"] as? String == "role-x" })
        #expect(accounts.allSatisfy { $0["metadata", "labels", "app.kubernetes.io/component"] as? String == "spark-driver" })
        for namespace in ["team-a", "team-b"] {
            let policy = try RBACPolicy(chart: chart, account: "spark", in: namespace)
            for resource in ["pods", "services", "configmaps", "persistentvolumeclaims"] {
                for verb in ["create", "get", "list", "watch", "delete", "deletecollection", "patch"] {
                    #expect(policy.allows(RBACRequest(namespace: namespace, group: "", resource: resource, verb: verb)), "spark in \(namespace) may \(verb) \(resource)")
                }
            }
            #expect(!policy.allows(RBACRequest(namespace: namespace, group: "", resource: "secrets", verb: "get")))
            #expect(!policy.allows(RBACRequest(namespace: namespace, group: "slipway.dev", resource: "batchjobs", verb: "create")))
            let other = namespace == "team-a" ? "team-b" : "team-a"
            #expect(!policy.allows(RBACRequest(namespace: other, group: "", resource: "pods", verb: "create")), "each account only in its own namespace")
            #expect(!policy.allows(RBACRequest(namespace: nil, group: "", resource: "pods", verb: "list")), "nothing cluster-wide")
        }
        // The operator's own rights do not change.
        #expect(try RBACPolicy(chart: chart).clusterRules == RBACPolicy(chart: none).clusterRules)
        // The account alone (rights granted elsewhere), or the rights for an account that exists.
        let accountOnly = try await helm.render(["spark.serviceAccount.create=true", "spark.serviceAccount.name=driver"])
        #expect(accountOnly.all("ServiceAccount").filter { $0.name == "driver" }.compactMap(\.namespace) == ["default"], "spark-operator's default job namespace")
        #expect(accountOnly.all("Role").isEmpty)
        let rbacOnly = try await helm.render(["spark.rbac.create=true"])
        #expect(rbacOnly.all("ServiceAccount").map(\.name) == ["slipway"])
        #expect(try rbacOnly.one("RoleBinding")["subjects"] as? [[String: String]] == [["kind": "ServiceAccount", "name": "spark", "namespace": "default"]])
        let empty = try await helm.run(["template", "slipway", Repository.chart.path, "--set", "spark.rbac.create=true", "--set", "spark.jobNamespaces=null"])
        #expect(empty.status != 0 && empty.err.contains("spark.jobNamespaces must list the namespaces"), "\(empty)")
    }
}
