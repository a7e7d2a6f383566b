import Foundation
import KubeTesting
import SlipwayDevTesting
import Testing

/// The chart and manifests/install.yaml against `slipway dev` with the real Helm and
/// kubectl, and — for the kinds slipway dev does not serve (RBAC, Deployment,
/// PodDisruptionBudget) — offline against the Kubernetes 1.32 schemas.
///
/// slipway dev serves namespaces, pods, configmaps, secrets, services, serviceaccounts,
/// events, nodes, leases and CRDs; not rbac.authorization.k8s.io, apps or policy. So a plain
/// `helm install` fails on exactly those kinds (tested: when slipway dev learns them, that
/// test says so), and the install is exercised with a post-renderer that leaves them out.
@Suite("Installing on slipway dev", .serialized)
struct InstallOnSlipwayDevTests {
    /// API groups slipway dev does not serve (and the Prometheus Operator's).
    static let unserved = ["rbac.authorization.k8s.io/", "apps/", "policy/", "monitoring.coreos.com/"]

    /// A Helm post-renderer that drops the objects of groups slipway dev does not serve.
    static func servedOnlyPostRenderer(_ helm: Helm) throws -> URL {
        let script = helm.home.appendingPathComponent("served-only")
        let groups = unserved.map { "\"\($0)\"" }.joined(separator: ", ")
        try """
            #!/usr/bin/env python3
            import re, sys
            unserved = (\(groups))
            pattern = re.compile(r"(?m)^apiVersion:[ \\t]*(%s)" % "|".join(map(re.escape, unserved)))
            for doc in re.split(r"(?m)^---[ \\t]*$", sys.stdin.read()):
                if doc.strip() and not pattern.search(doc):
                    sys.stdout.write("---\\n" + doc.strip("\\n") + "\\n")

            """.write(to: script, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script.path)
        return script
    }

    @Test func aPlainHelmInstallFailsOnlyOnTheKindsSlipwayDevDoesNotServe() async throws {
        let helm = try Helm.locate()
        try await withDevCluster { cluster, _ in
            let result = try await helm.run(
                ["install", "slipway", Repository.chart.path, "-n", "slipway-system", "--create-namespace", "--disable-openapi-validation"],
                kubeconfig: cluster.kubeconfigPath)
            #expect(result.status != 0, "slipway dev serves RBAC and Deployments now: install the whole chart here. \(result)")
            let missing = Set(result.err.matches(of: /no matches for kind "(\w+)"/).map { String($0.output.1) })
            #expect(missing == ["ClusterRole", "ClusterRoleBinding", "Deployment"], "\(result)")
        }
    }

    @Test func helmInstallsUpgradesAndUninstallsTheServedPartOfTheChart() async throws {
        let helm = try Helm.locate()
        let postRenderer = try Self.servedOnlyPostRenderer(helm)
        try await withDevCluster { cluster, kubectl in
            let kubeconfig = cluster.kubeconfigPath
            // No CRDs yet: Helm installs them from the chart's crds/.
            var h = try await helm.run(
                ["install", "slipway", Repository.chart.path, "-n", "slipway-system", "--create-namespace", "--post-renderer", postRenderer.path],
                kubeconfig: kubeconfig)
            #expect(h.status == 0, "\(h)")
            #expect(h.out.contains("STATUS: deployed"), "\(h)")
            #expect(h.out.contains("kubectl get crd batchjobs.slipway.dev") && h.out.contains("kubectl get bj -A"), "the notes say what to run next: \(h)")

            var r = try await kubectl.run(["get", "crd", "batchjobs.slipway.dev", "-o", #"jsonpath={.status.conditions[?(@.type=="Established")].status}"#])
            #expect(r.out == "True", "\(r)")
            r = try await kubectl.run(["-n", "slipway-system", "get", "serviceaccount", "slipway", "-o", "jsonpath={.metadata.labels.app\\.kubernetes\\.io/managed-by}"])
            #expect(r.out == "Helm", "\(r)")
            r = try await kubectl.run(["-n", "slipway-system", "get", "service", "slipway-metrics", "-o", "jsonpath={.spec.ports[0].name}={.spec.ports[0].port}"])
            #expect(r.out == "metrics=8080", "\(r)")
            r = try await kubectl.run(["-n", "slipway-system", "get", "secrets", "-l", "owner=helm,name=slipway", "-o", "name"])
            #expect(r.out == "secret/sh.helm.release.v1.slipway.v1\n", "Helm keeps the release in a Secret: \(r)")
            h = try await helm.run(["list", "-n", "slipway-system", "-o", "json"], kubeconfig: kubeconfig)
            #expect(h.status == 0 && h.out.contains(#""status":"deployed""#), "\(h)")

            // The CRD that Helm installed admits the examples.
            r = try await kubectl.run(["apply", "-f", Repository.url("manifests/examples/hello-array.yaml").path])
            #expect(r.status == 0 && r.out.contains("batchjob.slipway.dev/hello-array created"), "\(r)")

            // The documented CRD upgrade step (docs/install.md), on the CRD Helm created.
            r = try await kubectl.run(["apply", "--server-side", "--force-conflicts", "-f", Repository.url("charts/slipway/crds").path])
            #expect(r.status == 0 && r.out.contains("customresourcedefinition.apiextensions.k8s.io/batchjobs.slipway.dev serverside-applied"), "\(r)")

            h = try await helm.run(
                ["upgrade", "slipway", Repository.chart.path, "-n", "slipway-system", "--post-renderer", postRenderer.path,
                 "--set", "metrics.service.annotations.team=data"],
                kubeconfig: kubeconfig)
            #expect(h.status == 0 && h.out.contains("REVISION: 2"), "\(h)")
            r = try await kubectl.run(["-n", "slipway-system", "get", "service", "slipway-metrics", "-o", "jsonpath={.metadata.annotations.team}"])
            #expect(r.out == "data", "\(r)")

            h = try await helm.run(["uninstall", "slipway", "-n", "slipway-system"], kubeconfig: kubeconfig)
            #expect(h.status == 0, "\(h)")
            r = try await kubectl.run(["-n", "slipway-system", "get", "services,serviceaccounts,secrets", "-o", "name"])
            // The namespace's own `default` ServiceAccount stays, as on a real cluster.
            #expect(r.status == 0 && r.out == "serviceaccount/default\n", "uninstall removes the release's objects and records: \(r)")
            r = try await kubectl.run(["get", "crd,batchjobs", "-o", "name"])
            #expect(r.out == "customresourcedefinition.apiextensions.k8s.io/batchjobs.slipway.dev\ncustomresourcedefinition.apiextensions.k8s.io/jobqueues.slipway.dev\ncustomresourcedefinition.apiextensions.k8s.io/jobschedules.slipway.dev\ncustomresourcedefinition.apiextensions.k8s.io/sparkjobs.slipway.dev\nbatchjob.slipway.dev/hello-array\n",
                    "Helm never deletes crds/, so jobs survive an uninstall: \(r)")
        }
    }

    static func sparkJob(_ name: String, serviceAccount: String) -> String {
        """
        apiVersion: slipway.dev/v1alpha1
        kind: SparkJob
        metadata: {name: \(name)}
        spec:
          type: Python
          sparkVersion: "4.0.5"
          image: apache/spark:4.0.5
          mainApplicationFile: local:///opt/spark/examples/src/main/python/pi.py
          driver: {serviceAccount: \(serviceAccount)}
          executor: {instances: 1}
        """
    }

    /// spark.serviceAccount.create: the chart makes the drivers' ServiceAccount in each job
    /// namespace, and a SparkJob naming it runs there; without it the API server refuses the
    /// driver pod (ServiceAccount admission), as a real one does.
    @Test func sparkDriversRunAsTheChartsServiceAccount() async throws {
        let helm = try Helm.locate()
        let postRenderer = try Self.servedOnlyPostRenderer(helm)
        try await withSlipwayDev { cluster, _, kubectl in
            try await kubectl.require(["apply", "-f", "-"], input: Self.sparkJob("before", serviceAccount: "spark"))
            var r = try await kubectl.run(["wait", "--for=jsonpath={.status.phase}=Failed", "sparkjob/before", "--timeout=60s"], timeout: .seconds(70))
            #expect(r.status == 0, "\(r)")
            r = try await kubectl.run(["get", "sparkjob", "before", "-o", "jsonpath={.status.message}"])
            #expect(r.out.contains(#"serviceaccount "spark" not found"#), "the driver pod is refused without the account: \(r)")

            let h = try await helm.run(
                ["install", "slipway", Repository.chart.path, "-n", "slipway-system", "--create-namespace", "--post-renderer", postRenderer.path,
                 "--set", "spark.serviceAccount.create=true", "--set", "spark.rbac.create=true", "--set", "spark.jobNamespaces={default}"],
                kubeconfig: cluster.kubeconfigPath)
            #expect(h.status == 0, "\(h)")
            r = try await kubectl.run(["get", "serviceaccount", "spark", "-n", "default", "-o", "jsonpath={.metadata.labels.app\\.kubernetes\\.io/component}"])
            #expect(r.status == 0 && r.out == "spark-driver", "\(r)")

            try await kubectl.require(["apply", "-f", "-"], input: Self.sparkJob("after", serviceAccount: "spark"))
            r = try await kubectl.run(["wait", "--for=condition=Succeeded", "sparkjob/after", "--timeout=90s"], timeout: .seconds(100))
            #expect(r.status == 0, "\(r)")
            r = try await kubectl.run(["get", "pods", "-l", "spark-role=driver,slipway.dev/sparkjob-name=after", "-o", "jsonpath={.items[*].spec.serviceAccountName}"])
            #expect(r.out == "spark", "\(r)")
        }
    }

    /// The documents of a YAML stream whose `kind:` is one of `kinds`.
    static func documents(_ yaml: String, kinds: Set<String>) -> String {
        yaml.split(separator: /(?m)^---[ \t]*$/).map(String.init).filter { doc in
            doc.split(separator: "\n").contains { line in
                line.hasPrefix("kind: ") && kinds.contains(String(line.dropFirst(6)).trimmingCharacters(in: .whitespaces))
            }
        }.map { "---" + $0 }.joined()
    }

    @Test func whatSlipwayDevServesOfInstallYamlPassesAServerDryRun() async throws {
        let install = try Repository.read("manifests/install.yaml")
        try await withDevCluster { _, kubectl in
            // A server-side dry run creates nothing, so the objects in the Namespace need it for real.
            var r = try await kubectl.run(["apply", "-f", "-"], input: Self.documents(install, kinds: ["Namespace"]))
            #expect(r.status == 0, "\(r)")
            let served = Self.documents(install, kinds: ["CustomResourceDefinition", "ServiceAccount", "Service"])
            r = try await kubectl.run(["apply", "--dry-run=server", "-f", "-"], input: served)
            #expect(r.status == 0, "\(r)")
            #expect(r.out == """
                customresourcedefinition.apiextensions.k8s.io/batchjobs.slipway.dev created (server dry run)
                customresourcedefinition.apiextensions.k8s.io/jobqueues.slipway.dev created (server dry run)
                customresourcedefinition.apiextensions.k8s.io/jobschedules.slipway.dev created (server dry run)
                customresourcedefinition.apiextensions.k8s.io/sparkjobs.slipway.dev created (server dry run)
                serviceaccount/slipway created (server dry run)
                service/slipway-metrics created (server dry run)

                """, "\(r)")
            r = try await kubectl.run(["get", "crd", "-o", "name"])
            #expect(r.out.isEmpty, "a dry run writes nothing: \(r)")
        }
    }

    /// kubernetes-validate (installed by scripts/setup.sh) checks every object against the
    /// Kubernetes 1.32 OpenAPI schemas, unknown fields refused: what slipway dev cannot.
    @Test func installYamlAndAFullRenderMatchTheKubernetesSchemas() async throws {
        let validator = Repository.url(".tools/bin/kubernetes-validate")
        #expect(FileManager.default.isExecutableFile(atPath: validator.path), "kubernetes-validate not found: run scripts/setup.sh")
        let helm = try Helm.locate()
        let full = try await helm.template([
            "watchNamespaces={team-a,team-b}", "replicaCount=2", "podDisruptionBudget.enabled=true", "installCRDs=true",
            "metrics.serviceMonitor.enabled=true", "tolerations[0].key=dedicated", "tolerations[0].operator=Exists",
            "spark.serviceAccount.create=true", "spark.rbac.create=true", "spark.jobNamespaces={team-a}", "metrics.dashboard.enabled=true",
        ])
        let rendered = helm.home.appendingPathComponent("full.yaml")
        try full.write(to: rendered, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = validator
        process.arguments = ["--strict", "--kubernetes-version", "1.32.0", Repository.url("manifests/install.yaml").path, rendered.path]
        let result = try await runToEnd(process)
        #expect(result.status == 0, "\(result)")
        let output = result.out + result.err
        for object in [
            "deployment/slipway", "clusterrole/slipway", "clusterrolebinding/slipway", "role/slipway", "rolebinding/slipway",
            "role/slipway-leader-election", "poddisruptionbudget/slipway", "service/slipway-metrics", "serviceaccount/slipway",
            "customresourcedefinition/batchjobs.slipway.dev", "namespace/slipway-system",
            "serviceaccount/spark", "role/slipway-spark-driver", "rolebinding/slipway-spark-driver", "configmap/slipway-dashboard",
        ] {
            #expect(output.contains("passed for resource \(object) "), "\(object) not validated: \(output)")
        }
        #expect(!output.contains("ERROR"), "\(output)")
    }
}
