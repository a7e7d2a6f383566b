import KubeAPI
import SlipwayAPI
import Testing

/// What a job's pods may ask for: each hole refused by default and allowed when enabled.
@Suite("Pod policy")
struct PodPolicyTests {
    static func spec(_ configure: (inout PodSpec) -> Void) -> PodSpec {
        var spec = PodSpec(object: [:])
        spec.containers = [Container(name: "main", image: "busybox")]
        configure(&spec)
        return spec
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var field: String
        var message: String
        var allowing: PodPolicy
        var spec: PodSpec
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "privileged", field: "spec.template.spec.containers[0].securityContext.privileged",
             message: "privileged containers are refused for jobs; remove it (an administrator can allow it with slipway operator --allow-privileged)",
             allowing: PodPolicy(allowPrivileged: true),
             spec: spec { $0.containers[0].securityContext = SecurityContext(object: ["privileged": true]) }),
        Case(name: "privileged init container", field: "spec.template.spec.initContainers[0].securityContext.privileged",
             message: "--allow-privileged", allowing: PodPolicy(allowPrivileged: true),
             spec: spec {
                 var c = Container(name: "init", image: "busybox")
                 c.securityContext = SecurityContext(object: ["privileged": true])
                 $0.initContainers = [c]
             }),
        Case(name: "hostPath", field: "spec.template.spec.volumes[0].hostPath", message: "hostPath volumes are refused for jobs; use an emptyDir",
             allowing: PodPolicy(allowHostPath: true),
             spec: spec { $0.volumes = [Volume(object: ["name": "root", "hostPath": ["path": "/"]])] }),
        Case(name: "hostNetwork", field: "spec.template.spec.hostNetwork", message: "remove hostNetwork (an administrator can allow it with slipway operator --allow-host-network)",
             allowing: PodPolicy(allowHostNetwork: true), spec: spec { $0.hostNetwork = true }),
        Case(name: "hostPID", field: "spec.template.spec.hostPID", message: "--allow-host-pid",
             allowing: PodPolicy(allowHostPID: true), spec: spec { $0.hostPID = true }),
        Case(name: "hostIPC", field: "spec.template.spec.hostIPC", message: "--allow-host-ipc",
             allowing: PodPolicy(allowHostIPC: true), spec: spec { $0.hostIPC = true }),
        Case(name: "capability beyond baseline", field: "spec.template.spec.containers[0].securityContext.capabilities.add[1]",
             message: #"adding capability "SYS_ADMIN" is refused for jobs"#, allowing: PodPolicy(allowCapabilities: true),
             spec: spec { $0.containers[0].securityContext = SecurityContext(object: ["capabilities": ["add": ["CHOWN", "SYS_ADMIN"]]]) }),
        Case(name: "capability of an init container", field: "spec.template.spec.initContainers[0].securityContext.capabilities.add[0]",
             message: "--allow-capabilities", allowing: PodPolicy(allowCapabilities: true),
             spec: spec {
                 var c = Container(name: "init", image: "busybox")
                 c.securityContext = SecurityContext(object: ["capabilities": ["add": ["CAP_NET_ADMIN"]]])
                 $0.initContainers = [c]
             }),
        Case(name: "nodeName", field: "spec.template.spec.nodeName", message: "would bypass the scheduler",
             allowing: PodPolicy(allowNodeName: true), spec: spec { $0.nodeName = "node-7" }),
    ]

    @Test(arguments: cases)
    func refusedByDefaultAllowedWhenEnabled(_ row: Case) {
        let refused = PodPolicy.restricted.violations(row.spec, path: "spec.template.spec", namespace: "data", ownNamespace: nil)
        #expect(refused.map(\.field) == [row.field])
        #expect(refused.first?.message.contains(row.message) == true, "\(refused)")
        #expect(row.allowing.violations(row.spec, path: "spec.template.spec", namespace: "data", ownNamespace: nil).isEmpty)
        // Allowing one hole opens no other.
        for other in Self.cases where other.name != row.name && other.field != row.field && other.allowing != row.allowing {
            #expect(!row.allowing.violations(other.spec, path: "spec.template.spec", namespace: "data", ownNamespace: nil).isEmpty,
                    "\(row.name) must not allow \(other.name)")
        }
    }

    @Test func falseFlagsAreFine() {
        let spec = Self.spec {
            $0.hostNetwork = false
            $0.hostPID = false
            $0.containers[0].securityContext = SecurityContext(object: ["privileged": false])
        }
        #expect(PodPolicy.restricted.violations(spec, path: "spec.template.spec", namespace: "data", ownNamespace: "data").isEmpty)
    }

    /// Pod Security Standards baseline's capabilities may be added, and dropping is always fine.
    @Test func baselineCapabilitiesAreFine() {
        let spec = Self.spec {
            $0.containers[0].securityContext = SecurityContext(object: [
                "capabilities": ["add": .array(PodPolicy.baselineCapabilities.sorted().map { .string($0) }), "drop": ["ALL"]],
            ])
            $0.nodeName = ""
        }
        #expect(PodPolicy.restricted.violations(spec, path: "spec.template.spec", namespace: "data", ownNamespace: nil).isEmpty)
    }

    @Test func anotherNamespaceIsRefused() {
        let spec = Self.spec { _ in }
        let v = PodPolicy(
            allowPrivileged: true, allowHostPath: true, allowHostNetwork: true, allowHostPID: true, allowHostIPC: true, allowCapabilities: true,
            allowNodeName: true)
            .violations(spec, path: "spec.template.spec", namespace: "data", ownNamespace: "kube-system")
        #expect(v.map(\.field) == ["spec.template.metadata.namespace"])
        #expect(v.first?.message.contains(#""kube-system" is not the job's namespace "data""#) == true, "\(v)")
        #expect(PodPolicy.restricted.violations(spec, path: "spec.template.spec", namespace: "data", ownNamespace: "").isEmpty)
        #expect(PodPolicy.restricted.violations(spec, path: "spec.driver", namespace: "data", ownNamespace: "x").map(\.field) == ["spec.driver.metadata.namespace"])
    }

    @Test(arguments: [
        ("spark", true), ("spark-driver.v2", true), ("a", true), ("0", true),
        ("Spark", false), ("spark_driver", false), ("-spark", false), ("spark-", false), ("a..b", false), ("a.-b", false), ("", false),
        (String(repeating: "a", count: 254), false),
    ])
    func serviceAccountNames(_ name: String, _ valid: Bool) {
        let spec = Self.spec { $0.serviceAccountName = name }
        let v = PodPolicy.restricted.violations(spec, path: "spec.driver.spec", namespace: "data", ownNamespace: nil)
        #expect(v.isEmpty == valid, "\(v)")
        if !valid {
            #expect(v.first?.field == "spec.driver.spec.serviceAccountName")
            #expect(v.first?.message.contains("is not a valid service account name") == true)
        }
    }

    @Test func batchJobValidationUsesThePolicy() {
        var job = BatchJob(name: "etl", namespace: "data")
        job.spec.template.spec.containers = [Container(name: "main", image: "busybox")]
        job.spec.template.spec.hostNetwork = true
        #expect(BatchJobValidation.validate(job).map(\.field) == ["spec.template.spec.hostNetwork"])
        #expect(BatchJobValidation.validate(job, policy: PodPolicy(allowHostNetwork: true)).isEmpty)
        job.spec.template.metadata.namespace = "other"
        #expect(BatchJobValidation.validate(job, policy: PodPolicy(allowHostNetwork: true)).map(\.field) == ["spec.template.metadata.namespace"])
    }

    @Test func attemptsAboveTheOperatorsCeilingAreInvalid() {
        var job = BatchJob(name: "etl", namespace: "data")
        job.spec.template.spec.containers = [Container(name: "main", image: "busybox")]
        #expect(BatchJobValidation.validate(job, maxAttempts: 1).isEmpty, "unset attempts take the operator's default")
        job.spec.retryStrategy.attempts = 10
        #expect(BatchJobValidation.validate(job, maxAttempts: 10).isEmpty)
        let v = BatchJobValidation.validate(job, maxAttempts: 5)
        #expect(v.map(\.field) == ["spec.retryStrategy.attempts"])
        #expect(v.first?.message == "10 is more than this operator allows (at most 5, its --max-attempts); ask for 5 or fewer")
    }

    @Test func defaultAttemptsFillOnlyAnUnsetField() {
        var spec = BatchJobSpec(object: [:])
        #expect(BatchJobDefaults.withAttempts(spec, defaultAttempts: 7).retryStrategy.attempts == 7)
        spec.retryStrategy.attempts = 2
        #expect(BatchJobDefaults.withAttempts(spec, defaultAttempts: 7).retryStrategy.attempts == 2)
        #expect(BatchJobDefaults.apply(to: BatchJobSpec(object: [:])).retryStrategy.requestedAttempts == 3)
    }
}

extension PodPolicyTests {
    static var guarding: PodPolicy {
        var policy = PodPolicy.restricted
        policy.operatorServiceAccount = ("slipway-system", "slipway")
        return policy
    }

    @Test(arguments: [
        ("slipway-system", "slipway", true),
        ("slipway-system", "default", false),
        ("team-a", "slipway", false),
    ])
    func theOperatorsOwnServiceAccountIsRefusedInItsNamespace(namespace: String, account: String, refused: Bool) {
        let spec = Self.spec { $0.serviceAccountName = account }
        let violations = Self.guarding.violations(spec, path: "spec.template.spec", namespace: namespace, ownNamespace: nil)
        #expect(violations.contains { $0.field == "spec.template.spec.serviceAccountName" && $0.message.contains("the operator's own service account") } == refused, "\(violations)")
    }

    static func pythonSparkJob(namespace: String) -> SparkJob {
        var job = SparkJob(name: "pi", namespace: namespace)
        job.spec.type = .python
        job.spec.sparkVersion = "4.0.5"
        job.spec.image = "apache/spark:4.0.5"
        job.spec.mainApplicationFile = "local:///app.py"
        return job
    }

    @Test func aSparkJobDriverAsTheOperatorIsInvalid() throws {
        var job = Self.pythonSparkJob(namespace: "slipway-system")
        job.spec.driver.serviceAccount = "slipway"
        let violations = SparkJobValidation.validate(job, policy: Self.guarding)
        #expect(violations.map(\.field) == ["spec.driver.template.spec.serviceAccountName"], "\(violations)")
    }

    /// Spark's own keys in sparkConf reach the driver pod as directly as the typed fields:
    /// the same policy holds for them, and an administrator's --allow-host-path opens both.
    @Test func sparkConfCannotGetAroundThePodPolicy() throws {
        var job = Self.pythonSparkJob(namespace: "slipway-system")
        job.spec.parameters = ["sa": "slipway"]
        job.spec.sparkConf = [
            "spark.kubernetes.authenticate.driver.serviceAccountName": "$(params.sa)",
            "spark.kubernetes.driver.volumes.hostPath.root.mount.path": "/host",
        ]
        let violations = SparkJobValidation.validate(job, policy: Self.guarding)
        #expect(violations.map(\.field) == [
            "spec.sparkConf[spark.kubernetes.authenticate.driver.serviceAccountName]",
            "spec.sparkConf[spark.kubernetes.driver.volumes.hostPath.root.mount.path]",
        ].sorted(), "\(violations)")
        #expect(violations.first?.message.contains("the operator's own service account") == true, "\(violations)")
        var open = Self.guarding
        open.allowHostPath = true
        job.spec.parameters = ["sa": "spark"]
        #expect(SparkJobValidation.validate(job, policy: open).isEmpty)
    }
}
