import Foundation
import KubeClient
import KubeRuntime
import LocalCluster
import SlipwayControllers
import SlipwayDevTesting
import KubeTesting
import Testing

/// The chart's RBAC against what the operator really calls: BatchJobs run end to end on
/// `slipway dev` with an operator whose client records every request; each request, mapped
/// to RBAC attributes, must be allowed by the roles the rendered chart binds to the
/// operator's ServiceAccount. A controller that starts calling something new fails here
/// until the chart grants it.
@Suite("Chart RBAC covers the operator's requests", .serialized)
struct OperatorRBACTests {
    /// The requests `policy` does not allow, described, in order of first occurrence.
    static func refused(_ requests: [RequestMapper.Mapped], by policy: RBACPolicy) -> [String] {
        var seen = Set<String>()
        return requests.filter { !policy.allows($0) }.map { mapped -> String in
            switch mapped {
            case .resource(let request): request.description
            case .nonResource(let request): "\(request.verb) \(request.path)"
            }
        }.filter { seen.insert($0).inserted }
    }

    static func isCRDRequest(_ mapped: RequestMapper.Mapped) -> Bool {
        if case .resource(let request) = mapped { return request.group == "apiextensions.k8s.io" }
        return false
    }

    /// "verb resource" of each resource request, for checking what a scenario exercised.
    static func verbs(_ requests: [RequestMapper.Mapped]) -> Set<String> {
        Set(requests.compactMap { if case .resource(let r) = $0 { "\(r.verb) \(r.resource)" } else { nil } })
    }

    /// The CRD requests (the embedded operator installs the CRDs at start, as `--install-crds`
    /// does) must be allowed with installCRDs; everything else by `policy`.
    func expectAllowed(_ recorder: RequestRecorder, by policy: RBACPolicy, crdPolicy: RBACPolicy) {
        let requests = recorder.distinct
        let crd = requests.filter(Self.isCRDRequest)
        let rest = requests.filter { !Self.isCRDRequest($0) }
        #expect(Self.refused(crd, by: crdPolicy).isEmpty, "refused with installCRDs=true: \(Self.refused(crd, by: crdPolicy))")
        #expect(Self.refused(rest, by: policy).isEmpty, "the operator made requests the chart does not allow: \(Self.refused(rest, by: policy))")
    }

    @Test func everyRequestOfBatchJobRunsIsAllowedByTheDefaultChart() async throws {
        let helm = try Helm.locate()
        let policy = try RBACPolicy(chart: try await helm.render())
        let crdPolicy = try RBACPolicy(chart: try await helm.render(["installCRDs=true"]))
        let recorder = RequestRecorder()
        try await withDevCluster { cluster, kubectl in
            let embedded = try await EmbeddedOperatorHarness.start(cluster, observer: recorder)
            do {
                try await Self.retryTTLAndSuspend(kubectl)
            } catch {
                await embedded.stop()
                throw error
            }
            await embedded.stop()
        }
        expectAllowed(recorder, by: policy, crdPolicy: crdPolicy)
        // The scenario reached what it is meant to cover (else the check proves little).
        let exercised = Self.verbs(recorder.distinct)
        for expected in [
            "list batchjobs", "watch batchjobs", "update batchjobs/status", "delete batchjobs", "watch pods", "create pods", "patch pods",
            "delete pods", "watch events", "create events", "watch nodes", "get customresourcedefinitions",
        ] {
            #expect(exercised.contains(expected), "the scenario never did \(expected): \(exercised.sorted())")
        }
    }

    /// A JobSchedule's run now (trigger annotation) and its run: the schedule controller
    /// creates a BatchJob it owns and writes the schedule's status.
    @Test func everyRequestOfAScheduledRunIsAllowedByTheDefaultChart() async throws {
        let helm = try Helm.locate()
        let policy = try RBACPolicy(chart: try await helm.render())
        let crdPolicy = try RBACPolicy(chart: try await helm.render(["installCRDs=true"]))
        let recorder = RequestRecorder()
        try await withDevCluster { cluster, kubectl in
            let embedded = try await EmbeddedOperatorHarness.start(cluster, observer: recorder)
            do {
                let schedule = """
                    apiVersion: slipway.dev/v1alpha1
                    kind: JobSchedule
                    metadata: {name: rbac, annotations: {slipway.dev/trigger: "1"}}
                    spec:
                      schedule: "@yearly"
                      successfulJobsHistoryLimit: 0
                      jobTemplate:
                        spec:
                          template:
                            spec:
                              containers: [{name: main, image: busybox, command: ["sh", "-c", "echo done"]}]
                    """
                try await kubectl.require(["apply", "-f", "-"], input: schedule)
                // The run succeeds, and the history limit of 0 then deletes it.
                #expect(try await eventually(timeout: .seconds(60)) {
                    try await kubectl.run(["get", "jobschedule", "rbac", "-o", "jsonpath={.status.lastSuccessfulRun}"]).out.hasPrefix("rbac-m")
                })
                #expect(try await eventually(timeout: .seconds(30)) {
                    try await kubectl.run(["get", "batchjobs", "-o", "name"]).out.isEmpty
                })
            } catch {
                await embedded.stop()
                throw error
            }
            await embedded.stop()
        }
        expectAllowed(recorder, by: policy, crdPolicy: crdPolicy)
        let exercised = Self.verbs(recorder.distinct)
        for expected in ["list jobschedules", "watch jobschedules", "update jobschedules/status", "create batchjobs", "delete batchjobs"] {
            #expect(exercised.contains(expected), "the scenario never did \(expected): \(exercised.sorted())")
        }
    }

    @Test func everyRequestOfSparkJobRunsIsAllowedByTheDefaultChart() async throws {
        let helm = try Helm.locate()
        let policy = try RBACPolicy(chart: try await helm.render())
        let crdPolicy = try RBACPolicy(chart: try await helm.render(["installCRDs=true"]))
        let recorder = RequestRecorder()
        let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../manifests/examples").standardized
        let nodes = try NodeConfiguration.parse(flags: "name=spot,capacity=spot") + NodeConfiguration.parse(flags: "name=ondemand,capacity=on-demand")
        try await withDevCluster(nodes: nodes) { cluster, kubectl in
            let embedded = try await EmbeddedOperatorHarness.start(cluster, observer: recorder)
            do {
                // An executor OOM, a retry with adapted executors, then a TTL delete.
                var r = try await kubectl.run(["apply", "-f", examples.appendingPathComponent("spark-oom-adapt.yaml").path])
                #expect(r.status == 0, "\(r)")
                r = try await kubectl.run(["wait", "--for=condition=Succeeded", "sparkjob/spark-oom-adapt", "--timeout=120s"])
                #expect(r.status == 0, "\(r)")
                r = try await kubectl.run(["patch", "sparkjob", "spark-oom-adapt", "--type=merge", "-p", #"{"spec":{"ttlSecondsAfterFinished":0}}"#])
                #expect(r.status == 0, "\(r)")
                r = try await kubectl.run(["wait", "--for=delete", "sparkjob/spark-oom-adapt", "--timeout=30s"])
                #expect(r.status == 0, "\(r)")
            } catch {
                await embedded.stop()
                throw error
            }
            await embedded.stop()
        }
        expectAllowed(recorder, by: policy, crdPolicy: crdPolicy)
        let exercised = Self.verbs(recorder.distinct)
        for expected in [
            "list sparkjobs", "watch sparkjobs", "update sparkjobs/status", "delete sparkjobs", "create pods", "patch pods",
            "patch services", "patch configmaps", "create services", "create configmaps", "list batchjobs",
        ] {
            #expect(exercised.contains(expected), "the scenario never did \(expected): \(exercised.sorted())")
        }
    }

    @Test func anOperatorForOneNamespaceStaysInsideItsRoleAndTheNodesClusterRole() async throws {
        let helm = try Helm.locate()
        let policy = try RBACPolicy(chart: try await helm.render(["watchNamespaces={team-a}"]))
        let crdPolicy = try RBACPolicy(chart: try await helm.render(["watchNamespaces={team-a}", "installCRDs=true"]))
        let recorder = RequestRecorder()
        try await withDevCluster { cluster, kubectl in
            var r = try await kubectl.run(["create", "namespace", "team-a"])
            #expect(r.status == 0, "\(r)")
            let embedded = try await EmbeddedOperator.start(
                clientConfiguration: cluster.clientConfiguration(userAgent: "slipway-operator"),
                configuration: OperatorConfiguration(namespaces: ["team-a"]), observer: recorder)
            do {
                r = try await kubectl.run(["apply", "-n", "team-a", "-f", "-"], input: Self.job("quick", command: "echo done"))
                #expect(r.status == 0, "\(r)")
                r = try await kubectl.run(["wait", "-n", "team-a", "--for=condition=Succeeded", "batchjob/quick", "--timeout=60s"])
                #expect(r.status == 0, "\(r)")
            } catch {
                await embedded.stop()
                throw error
            }
            await embedded.stop()
        }
        expectAllowed(recorder, by: policy, crdPolicy: crdPolicy)
        let namespaces = Set(recorder.distinct.compactMap { if case .resource(let r) = $0, r.group != "apiextensions.k8s.io" { r.namespace ?? "(cluster)" } else { nil } })
        #expect(namespaces == ["team-a", "(cluster)"], "\(namespaces)")
    }

    @Test func leaderElectionUsesOnlyTheLeaseTheChartGrants() async throws {
        let policy = try RBACPolicy(chart: try await Helm.locate().render(["replicaCount=2"]))
        let recorder = RequestRecorder()
        try await withDevCluster { cluster, kubectl in
            let r = try await kubectl.run(["create", "namespace", "slipway-system"])
            #expect(r.status == 0, "\(r)")
            let installer = KubernetesClient(configuration: cluster.clientConfiguration())
            try await CRDInstaller.install(client: installer)
            try await installer.shutdown()
            let client = KubernetesClient(configuration: cluster.clientConfiguration(userAgent: "slipway-operator"), observer: recorder)
            let timing = LeaderElectionConfiguration(leaseDuration: .seconds(3), renewDeadline: .seconds(2), retryPeriod: .milliseconds(300))
            let replica = Task {
                await OperatorRunner.run(
                    client: client, configuration: OperatorConfiguration(instance: "slipway-0"),
                    leaderElection: LeaderElectionSettings(namespace: "slipway-system", name: "slipway-operator", identity: "slipway-0", timing: timing))
            }
            // Until the replica leads and has renewed its Lease at least once.
            let leading = try await eventually(timeout: .seconds(30)) {
                let verbs = Self.verbs(recorder.distinct)
                return verbs.contains("update leases") && verbs.contains("watch batchjobs")
            }
            #expect(leading, "the replica led and renewed its Lease: \(Self.verbs(recorder.distinct).sorted())")
            replica.cancel()
            await replica.value
            try await client.shutdown()
        }
        let exercised = Self.verbs(recorder.distinct)
        #expect(exercised.isSuperset(of: ["get leases", "create leases", "update leases"]), "\(exercised.sorted())")
        #expect(Self.refused(recorder.distinct, by: policy).isEmpty, "refused: \(Self.refused(recorder.distinct, by: policy))")
        let defaults = try RBACPolicy(chart: try await Helm.locate().render())
        #expect(Self.refused(recorder.distinct, by: defaults).contains { $0.contains("leases") }, "without leader election the chart grants no Lease")
    }

    // MARK: - Scenario

    static func job(_ name: String, command: String, extra: String = "") -> String {
        """
        apiVersion: slipway.dev/v1alpha1
        kind: BatchJob
        metadata: {name: \(name)}
        spec:
        \(extra.isEmpty ? "" : "  \(extra)\n")  template:
            spec:
              containers: [{name: main, image: busybox, command: ["sh", "-c", \(String(reflecting: command))]}]
        """
    }

    /// An OOM kill retried with more memory (pods, finalizer releases, status, warning
    /// events), a job deleted by its TTL, and a suspended job whose pod is deleted.
    static func retryTTLAndSuspend(_ kubectl: Kubectl) async throws {
        let oom = Repository.url("manifests/examples/oom-adapt.yaml").path
        var r = try await kubectl.run(["apply", "-f", oom])
        #expect(r.status == 0, "\(r)")
        r = try await kubectl.run(["apply", "-f", "-"], input: job("ttl", command: "echo done", extra: "ttlSecondsAfterFinished: 0"))
        #expect(r.status == 0, "\(r)")
        r = try await kubectl.run(["apply", "-f", "-"], input: job("sleeper", command: "sleep 60"))
        #expect(r.status == 0, "\(r)")

        r = try await kubectl.run(["wait", "--for=jsonpath={.status.running}=1", "batchjob/sleeper", "--timeout=60s"])
        #expect(r.status == 0, "\(r)")
        r = try await kubectl.run(["patch", "batchjob", "sleeper", "--type=merge", "-p", #"{"spec":{"suspend":true}}"#])
        #expect(r.status == 0, "\(r)")
        r = try await kubectl.run(["wait", "--for=delete", "pod/sleeper-0-0", "--timeout=60s"])
        #expect(r.status == 0, "suspending deletes the pod: \(r)")
        r = try await kubectl.run(["wait", "--for=delete", "batchjob/ttl", "--timeout=60s"])
        #expect(r.status == 0, "the TTL deletes the job: \(r)")
        r = try await kubectl.run(["wait", "--for=condition=Succeeded", "batchjob/oom-adapt", "--timeout=120s"])
        #expect(r.status == 0, "\(r)")
    }
}
