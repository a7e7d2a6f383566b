import KubeAPI
import SlipwayAPI
import Testing

@Suite("BatchJob semantic validation and defaults")
struct BatchJobValidationTests {
    @Test func theDocumentedExampleIsValid() {
        #expect(BatchJobValidation.validate(BatchJobFixtures.validJob).isEmpty)
        #expect(BatchJobValidation.validate(BatchJobFixtures.job()).isEmpty)
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var field: String
        var message: String
        var change: @Sendable (inout BatchJob) -> Void
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "missing parameter", field: "spec.template.spec.containers[0].args[1]",
             message: #"references undefined parameter "foo"; define it in spec.parameters"#) {
            $0.spec.parameters = ["bar": "1"]
            $0.spec.template.spec.containers[0].args = ["--x", "$(params.foo)"]
        },
        Case(name: "missing parameter in env", field: "spec.template.spec.containers[0].env[0].value", message: #"parameter "day""#) {
            $0.spec.template.spec.containers[0].env = [EnvVar(name: "DAY", value: "$(params.day)")]
        },
        Case(name: "unknown container", field: "spec.container", message: #"no container named "driver""#) { $0.spec.container = "driver" },
        Case(name: "no container", field: "spec.template.spec.containers", message: "has no container") { $0.spec.template.spec.containers = [] },
        Case(name: "no image", field: "spec.template.spec.containers[0].image", message: "has no image") {
            $0.spec.template.spec.containers[0].image = nil
        },
        Case(name: "privileged", field: "spec.template.spec.containers[0].securityContext.privileged", message: "privileged containers are refused") {
            $0.spec.template.spec.containers[0].securityContext = SecurityContext(object: ["privileged": true])
        },
        Case(name: "privileged init container", field: "spec.template.spec.initContainers[0].securityContext.privileged", message: "refused") {
            var c = Container(name: "init", image: "busybox")
            c.securityContext = SecurityContext(object: ["privileged": true])
            $0.spec.template.spec.initContainers = [c]
        },
        Case(name: "hostPath", field: "spec.template.spec.volumes[0].hostPath", message: "hostPath volumes are refused") {
            $0.spec.template.spec.volumes = [Volume(object: ["name": "root", "hostPath": ["path": "/"]])]
        },
        Case(name: "hostNetwork", field: "spec.template.spec.hostNetwork", message: "refused") { $0.spec.template.spec.hostNetwork = true },
        Case(name: "hostPID", field: "spec.template.spec.hostPID", message: "refused") { $0.spec.template.spec.hostPID = true },
        Case(name: "bad regex", field: "spec.retryStrategy.rules[0].messagePattern", message: "not a valid regular expression") {
            var rule = RetryRule(action: .retry)
            rule.messagePattern = "Connection (reset"
            $0.spec.retryStrategy.rules = [rule]
        },
        Case(name: "reversed exit code range", field: "spec.retryStrategy.rules[0].exitCodes[1]", message: #"write "3-5""#) {
            $0.spec.retryStrategy.rules = [RetryRule(action: .fail, exitCodes: ["1", "5-3"])]
        },
        Case(name: "exit code out of range", field: "spec.retryStrategy.rules[0].exitCodes[0]", message: "0-255") {
            $0.spec.retryStrategy.rules = [RetryRule(action: .fail, exitCodes: ["300"])]
        },
        Case(name: "depends on itself", field: "spec.dependsOn[0].name", message: "depends on itself") {
            $0.spec.dependsOn = [Dependency(object: ["name": "etl"])]
        },
        Case(name: "missing memory cap", field: "spec.adapt.memory.max", message: "caps are mandatory") {
            $0.spec.adapt = Adaptation(object: ["memory": ["factor": 2]])
        },
        Case(name: "malformed memory cap", field: "spec.adapt.memory.max", message: "is not a quantity") {
            $0.spec.adapt = Adaptation(object: ["memory": ["max": "4 GB"]])
        },
        Case(name: "cap below request", field: "spec.adapt.memory.max", message: "below the main container's memory request 2Gi") {
            $0.spec.template.spec.containers[0].resources = ResourceRequirements(requests: ["memory": "2Gi"])
            $0.spec.adapt = Adaptation(object: ["memory": ["max": "1Gi"]])
        },
        Case(name: "malformed container resource", field: "spec.template.spec.containers[0].resources.limits.memory", message: "not a quantity") {
            $0.spec.template.spec.containers[0].object["resources"] = ["limits": ["memory": "lots"]]
        },
    ]

    @Test(arguments: cases)
    func violationsNameTheFieldAndTheFix(_ c: Case) {
        let job = BatchJobFixtures.job(c.change)
        let violations = BatchJobValidation.validate(job)
        #expect(violations.count == 1, "\(violations)")
        #expect(violations.first?.field == c.field, "\(violations)")
        #expect(violations.first?.message.contains(c.message) == true, "\(violations)")
    }

    @Test(arguments: [
        ("$(params.a)", ["a"]), ("x $(params.a)-$(params.b_2) y", ["a", "b_2"]), ("$$(params.a)", []),
        ("$(HOME) $(params.a", []), ("$(params.)", [""]), ("cost $5 $(params.n)", ["n"]),
    ] as [(String, [String])])
    func parameterReferencesAreFound(_ text: String, _ expected: [String]) {
        #expect(BatchJobValidation.parameterReferences(in: text) == expected)
    }

    @Test func defaultsAreCrossFieldAndIdempotent() {
        var job = BatchJobFixtures.job { $0.spec.arraySize = 7 }
        job.spec.retryStrategy.rules = [RetryRule(action: .fail, classes: [.outOfMemory])]
        let once = BatchJobDefaults.apply(to: job.spec)
        #expect(once.container == "main")
        #expect(once.parallelism == 7)
        #expect(once.retryStrategy.rules == [RetryRule(action: .fail, classes: [.outOfMemory])] + RetryStrategy.defaultRules)
        #expect(BatchJobDefaults.apply(to: once) == once)
        let explicit = BatchJobDefaults.apply(to: BatchJobFixtures.validJob.spec)
        #expect(explicit.container == "main" && explicit.parallelism == 4)
    }
}
