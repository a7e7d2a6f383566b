import Foundation
import KubeAPI
import LocalCluster
import SlipwayAPI
import Testing

/// The generated schema run through the local API server's prune → default → validate
/// pipeline, as `kubectl apply` would meet it.
@Suite("BatchJob schema admission")
struct SchemaAdmissionTests {
    static let pipeline: SchemaPipeline = {
        let schema = CRDGenerator.batchJob[path: ["spec", "versions"]]?.arrayValue?.first?[path: ["schema", "openAPIV3Schema"]]
        return SchemaPipeline(schema: schema!)!
    }()

    @Test func theDocumentedExampleIsAcceptedUnchanged() {
        let outcome = Self.pipeline.process(BatchJobFixtures.valid)
        #expect(outcome.errors.isEmpty, "\(outcome.errors)")
        #expect(outcome.unknownFields.isEmpty, "\(outcome.unknownFields)")
        #expect(outcome.object == BatchJobFixtures.valid)
    }

    @Test func schemaDefaultsFillAMinimalJob() throws {
        let minimal = try JSON.parse(#"{"apiVersion":"slipway.dev/v1alpha1","kind":"BatchJob","metadata":{"name":"m"},"spec":{"template":{"spec":{"containers":[{"name":"c","image":"busybox"}]}}}}"#)
        let outcome = Self.pipeline.process(minimal)
        #expect(outcome.errors.isEmpty, "\(outcome.errors)")
        let spec = outcome.object["spec"]
        #expect(spec?["arraySize"] == 1)
        #expect(spec?["suspend"] == false)
        #expect(spec?[path: ["retryStrategy", "attempts"]] == nil, "unset: the operator's --default-attempts applies")
        #expect(spec?[path: ["retryStrategy", "backoff", "maxSeconds"]] == 600)
        #expect(spec?["template"] == minimal[path: ["spec", "template"]], "the template is kept as written")
    }

    static let invalid: [(String, [String], JSONValue?, String)] = [
        ("negative arraySize", ["spec", "arraySize"], -1, "spec.arraySize"),
        ("arraySize too large", ["spec", "arraySize"], 100_001, "spec.arraySize"),
        ("zero parallelism", ["spec", "parallelism"], 0, "spec.parallelism"),
        ("malformed memory cap", ["spec", "adapt", "memory", "max"], "4 GB", "spec.adapt.memory.max"),
        ("missing memory cap", ["spec", "adapt", "memory", "max"], nil, "spec.adapt.memory.max"),
        ("shrinking factor", ["spec", "adapt", "memory", "factor"], 0.5, "spec.adapt.memory.factor"),
        ("unknown rule action", ["spec", "retryStrategy", "rules", "0", "action"], "Retry!", "spec.retryStrategy.rules[0].action"),
        ("missing rule action", ["spec", "retryStrategy", "rules", "0", "action"], nil, "spec.retryStrategy.rules[0].action"),
        ("bad exit code", ["spec", "retryStrategy", "rules", "0", "exitCodes"], ["1-"], "spec.retryStrategy.rules[0].exitCodes[0]"),
        ("unknown class", ["spec", "retryStrategy", "rules", "0", "classes"], ["Crashed"], "spec.retryStrategy.rules[0].classes[0]"),
        ("too many attempts", ["spec", "retryStrategy", "attempts"], 101, "spec.retryStrategy.attempts"),
        ("negative backoff", ["spec", "retryStrategy", "backoff", "initialSeconds"], -5, "spec.retryStrategy.backoff.initialSeconds"),
        ("unknown dependency type", ["spec", "dependsOn", "0", "type"], "Parallel", "spec.dependsOn[0].type"),
        ("unknown dependency kind", ["spec", "dependsOn", "0", "kind"], "Job", "spec.dependsOn[0].kind"),
        ("zero timeout", ["spec", "timeouts", "attemptSeconds"], 0, "spec.timeouts.attemptSeconds"),
        ("missing template", ["spec", "template"], nil, "spec.template"),
        ("string arraySize", ["spec", "arraySize"], "ten", "spec.arraySize"),
    ]

    @Test(arguments: invalid)
    func invalidJobsAreRefusedWithTheFieldNamed(_ name: String, _ path: [String], _ value: JSONValue?, _ field: String) {
        let outcome = Self.pipeline.process(BatchJobFixtures.changing(path, to: value))
        #expect(outcome.errors.contains { $0.field == field }, "\(name): \(outcome.errors)")
    }

    @Test func everyStatusTheControllerWritesValidates() {
        var status = BatchJobStatus()
        status.phase = .retrying
        status.observedGeneration = 2
        status.conditions = [Condition(type: "Started", status: .true, reason: "PodsCreated", message: "m", lastTransitionTime: Date(timeIntervalSince1970: 1_700_000_000), observedGeneration: 2)]
        status.message = "index 3 retrying after OutOfMemory (memory 512Mi → 1Gi)"
        status.startTime = Date(timeIntervalSince1970: 1_700_000_000)
        status.total = 10
        status.pending = 2
        status.running = 4
        status.succeeded = 3
        status.failed = 1
        status.attempts = 12
        status.progress = "3/10"
        status.succeededIndexes = "0-2"
        status.failedIndexes = "7"
        status.nextRetryTime = Date(timeIntervalSince1970: 1_700_000_100)
        var record = AttemptRecord()
        record.index = 3
        record.attempt = 0
        record.pod = "etl-3-0"
        record.node = "n1"
        record.capacityType = "spot"
        record.memory = "512Mi"
        record.cpu = "500m"
        record.exitCode = 137
        record.reason = "OOMKilled"
        record.failureClass = .outOfMemory
        record.message = "Killed"
        record.counted = true
        record.startTime = Date(timeIntervalSince1970: 1_700_000_000)
        record.finishTime = Date(timeIntervalSince1970: 1_700_000_050)
        var event = AttemptEvent()
        event.reason = "BackOff"
        event.message = "Back-off restarting"
        event.count = 2
        record.events = [event]
        status.history = [record]
        var state = IndexState()
        state.indexes = "3,7-9"
        state.attempt = 1
        state.countedFailures = 1
        state.failures = 1
        state.memory = "1Gi"
        state.capacity = "on-demand"
        state.retryAfter = Date(timeIntervalSince1970: 1_700_000_100)
        state.lastFailure = "OutOfMemory"
        state.object["launchedAt"] = .string("2023-11-14T22:13:20Z")
        status.indexStates = [state]
        var job = BatchJobFixtures.validJob
        job.status = status
        let outcome = Self.pipeline.process(job.json)
        #expect(outcome.errors.isEmpty, "\(outcome.errors)")
        #expect(outcome.unknownFields.isEmpty, "every status field is in the schema: \(outcome.unknownFields)")
    }
}
