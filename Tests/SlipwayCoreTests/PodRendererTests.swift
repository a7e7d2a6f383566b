import Foundation
import KubeAPI
import SlipwayAPI
import Testing
@testable import SlipwayCore

@Suite("BatchJobPodRenderer")
struct PodRendererTests {
    static let labels = CapacityLabels.karpenter

    static func render(_ job: BatchJob, index: Int = 3, attempt: Int = 1, resources: AttemptResources? = nil) throws -> Pod {
        try BatchJobPodRenderer.render(job: job, index: index, attempt: attempt, resources: resources, labels: labels)
    }

    @Test func setsIdentityOwnershipAndFinalizer() throws {
        var job = BatchJobFixtures.job(arraySize: 10) { $0.timeouts.attemptSeconds = 600 }
        job.spec.template.metadata.labels = ["team": "data"]
        job.spec.template.metadata.annotations = ["note": "kept"]
        let pod = try Self.render(job)
        #expect(pod.metadata.name == "etl-3-1")
        #expect(pod.metadata.namespace == "data")
        #expect(pod.metadata.labels == [
            "team": "data", SlipwayLabels.jobName: "etl", SlipwayLabels.jobUID: "uid-etl",
            SlipwayLabels.index: "3", SlipwayLabels.attempt: "1",
        ])
        #expect(pod.metadata.annotations == ["note": "kept", SlipwayLabels.arrayIndexAnnotation: "3"])
        let owner = try #require(pod.metadata.controllerReference)
        #expect(owner.kind == "BatchJob" && owner.name == "etl" && owner.uid == "uid-etl" && owner.apiVersion == "slipway.dev/v1alpha1")
        #expect(pod.metadata.finalizers == [SlipwayLabels.recordFinalizer])
        #expect(pod.spec.restartPolicy == .never)
        #expect(pod.spec.activeDeadlineSeconds == 600)
        #expect(pod.apiVersion == "v1" && pod.kind == "Pod")
    }

    @Test func mainContainerGetsIndexAttemptAndFallbackToLogs() throws {
        var job = BatchJobFixtures.job()
        job.spec.template.spec.containers[0].env = [EnvVar(name: "JOB_COMPLETION_INDEX", value: "stale"), EnvVar(name: "USER", value: "x")]
        let main = try #require(try Self.render(job).spec.containers.first)
        #expect(main.env.map(\.name) == ["SLIPWAY_ARRAY_INDEX", "JOB_COMPLETION_INDEX", "AWS_BATCH_JOB_ARRAY_INDEX", "SLIPWAY_ATTEMPT", "USER"])
        #expect(main.env.prefix(4).map(\.value) == ["3", "3", "3", "1"])
        #expect(main.terminationMessagePolicy == .fallbackToLogsOnError)
    }

    @Test func namedContainerIsMainAndAnExplicitPolicyIsKept() throws {
        var job = BatchJobFixtures.job { $0.container = "worker" }
        var sidecar = job.spec.template.spec.containers[0]
        sidecar.name = "sidecar"
        var worker = Container(name: "worker", image: "busybox")
        worker.terminationMessagePolicy = .file
        job.spec.template.spec.containers = [sidecar, worker]
        let pod = try Self.render(job)
        #expect(pod.spec.containers[0].env.isEmpty)
        #expect(pod.spec.containers[0].terminationMessagePolicy == nil)
        #expect(pod.spec.containers[1].env.first?.name == "SLIPWAY_ARRAY_INDEX")
        #expect(pod.spec.containers[1].terminationMessagePolicy == .file)
    }

    @Test(arguments: [
        (Capacity.onDemand, "on-demand" as String?),
        (Capacity.spot, "spot"),
        (Capacity.unpinned, nil),
    ])
    func attemptResourcesAndCapacity(capacity: Capacity, selector: String?) throws {
        let job = BatchJobFixtures.job()
        let resources = AttemptResources(memoryRequest: "1Gi", memoryLimit: "1Gi", cpuRequest: "750m", capacity: capacity)
        let pod = try Self.render(job, resources: resources)
        let requirements = pod.spec.containers[0].resources
        #expect(requirements.requests["memory"] == "1Gi" && requirements.limits["memory"] == "1Gi")
        #expect(requirements.requests["cpu"] == "750m")
        #expect(pod.spec.nodeSelector[Self.labels.key] == selector)
    }

    @Test func withoutResourcesTheTemplateIsKept() throws {
        var job = BatchJobFixtures.job()
        job.spec.template.spec.nodeSelector = ["zone": "a"]
        job.spec.template.spec.tolerations = [Toleration(object: ["key": "batch", "operator": "Exists"])]
        job.spec.template.spec.object["dnsPolicy"] = "None"
        let pod = try Self.render(job)
        #expect(pod.spec.containers[0].resources == job.spec.template.spec.containers[0].resources)
        #expect(pod.spec.nodeSelector == ["zone": "a"])
        #expect(pod.spec.tolerations == job.spec.template.spec.tolerations)
        #expect(pod.spec.object["dnsPolicy"] == "None")
    }

    @Test(arguments: [
        ("$(params.greeting) world", "hello world"),
        ("a$(params.greeting)$(params.n)b", "ahello42b"),
        ("$$(params.greeting)", "$$(params.greeting)"),
        ("no params $(HOME)", "no params $(HOME)"),
    ])
    func parametersAreSubstituted(text: String, expected: String) throws {
        var job = BatchJobFixtures.job { $0.parameters = ["greeting": "hello", "n": "42"] }
        job.spec.template.spec.containers[0].command = ["sh", text]
        job.spec.template.spec.containers[0].args = [text]
        job.spec.template.spec.containers[0].env = [EnvVar(name: "G", value: text)]
        var initContainer = Container(name: "init", image: "busybox")
        initContainer.args = [text]
        job.spec.template.spec.initContainers = [initContainer]
        let pod = try Self.render(job)
        #expect(pod.spec.containers[0].command == ["sh", expected])
        #expect(pod.spec.containers[0].args == [expected])
        #expect(pod.spec.containers[0].env.last?.value == expected)
        #expect(pod.spec.initContainers[0].args == [expected])
    }

    @Test func missingParameterIsATypedError() {
        var job = BatchJobFixtures.job()
        job.spec.template.spec.containers[0].args = ["$(params.table)"]
        #expect(throws: PodRenderError.missingParameter(name: "table", container: "main", field: "args")) { try Self.render(job) }
        #expect(BatchJobPodRenderer.missingParameters(in: job) == [
            "container main args refers to $(params.table), which spec.parameters does not define",
        ])
    }

    @Test func missingMainContainerIsATypedError() {
        let job = BatchJobFixtures.job { $0.container = "nope" }
        #expect(throws: PodRenderError.missingContainer(name: "nope")) { try Self.render(job) }
    }
}
