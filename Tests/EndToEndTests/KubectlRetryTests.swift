import Foundation
import KubeTesting
import SlipwayDevTesting
import Testing

/// Retrying what failed with the real kubectl (docs/batchjob.md, "Retrying a failed job"):
/// bumping `spec.retryGeneration` reruns only the failed indexes, with a fresh attempt
/// budget and the memory they learned; a pipeline resumes where it failed.
@Suite("kubectl retry of failed jobs on slipway dev", .serialized)
struct KubectlRetryTests {
    /// Touches 150 MiB (above its 100Mi limit) when `$SLIPWAY_ARRAY_INDEX` is in `hungry`.
    static func job(_ name: String, arraySize: Int, hungry: [Int], dependsOn parent: String? = nil) -> String {
        let indexes = hungry.map(String.init).joined(separator: ",")
        let script = "import os, time; i = int(os.environ['SLIPWAY_ARRAY_INDEX']); "
            + "x = bytearray((150 if i in [\(indexes)] else 1) * 1024 * 1024); time.sleep(2); print('index', i, 'done')"
        return """
            apiVersion: slipway.dev/v1alpha1
            kind: BatchJob
            metadata: {name: \(name)}
            spec:
              arraySize: \(arraySize)
            \(parent.map { "  dependsOn: [{name: \($0), type: Sequential}]\n" } ?? "")  retryStrategy: {attempts: 1}
              adapt: {memory: {factor: 2, max: 400Mi}}
              template:
                spec:
                  containers:
                  - name: main
                    image: python:3.12
                    command: ["python3", "-c", "\(script)"]
                    resources: {requests: {memory: 100Mi}, limits: {memory: 100Mi}}
            """
    }

    static func retry(_ kubectl: Kubectl, _ object: String, generation: Int) async throws {
        try await kubectl.require(["patch", object, "--type=merge", "-p", #"{"spec":{"retryGeneration":\#(generation)}}"#])
    }

    @Test func retryingASixIndexJobRunsExactlyOneNewPodWithTheMemoryItLearned() async throws {
        try await withSlipwayDev { _, _, kubectl in
            try await kubectl.require(["apply", "-f", "-"], input: Self.job("six", arraySize: 6, hungry: [3]))
            var r = try await kubectl.run(["wait", "--for=condition=Failed", "batchjob/six", "--timeout=120s"])
            #expect(r.status == 0, "\(r)")
            r = try await kubectl.require(["get", "batchjob", "six", "-o", "jsonpath={.status.succeededIndexes}/{.status.failedIndexes}"])
            #expect(r.out == "0-2,4-5/3", "\(r)")
            r = try await kubectl.require(["get", "batchjob", "six", "-o", "jsonpath={.status.history[?(@.index==3)].adaptations[0]}"])
            #expect(r.out == "memory 100Mi → 200Mi after OOMKilled", "what a retry will run with: \(r)")
            // Why, in one line: the -o wide MESSAGE column.
            r = try await kubectl.require(["get", "bj", "six", "-o", "wide"])
            #expect(r.out.range(of: #"six\s+Failed\s+5/6\s+6\s+\d+s\s+\d+s\s+1 of 6 indexes failed \(3\); index 3: OutOfMemory"#, options: .regularExpression) != nil, "\(r)")
            try await Self.retry(kubectl, "batchjob/six", generation: 1)
            r = try await kubectl.run(["wait", "--for=condition=Succeeded", "batchjob/six", "--timeout=120s"])
            #expect(r.status == 0, "\(r)")
            r = try await kubectl.require(["get", "pods", "-l", "slipway.dev/job-name=six", "-o", "jsonpath={.items[*].metadata.name}"])
            #expect(r.out.split(separator: " ").sorted() == ["six-0-0", "six-1-0", "six-2-0", "six-3-0", "six-3-1", "six-4-0", "six-5-0"], "\(r)")
            r = try await kubectl.require(["get", "pod", "six-3-1", "-o", "jsonpath={.spec.containers[0].resources.limits.memory}"])
            #expect(r.out == "200Mi", "\(r)")
            r = try await kubectl.require(["get", "batchjob", "six", "-o", "jsonpath={.status.retryGeneration} {.status.attempts} {.status.succeededIndexes}"])
            #expect(r.out == "1 7 0-5", "\(r)")
            r = try await kubectl.require(["get", "events", "--field-selector", "involvedObject.name=six,reason=Retried", "-o", "jsonpath={.items[*].message}"])
            #expect(r.out.contains("retrying 1 failed index (3)"), "\(r)")
        }
    }

    @Test func aThreeStepPipelineWhoseMiddleFailsResumesWithoutRerunningTheFirst() async throws {
        try await withSlipwayDev { _, _, kubectl in
            let pipeline = [
                Self.job("extract", arraySize: 1, hungry: []), Self.job("transform", arraySize: 2, hungry: [1], dependsOn: "extract"),
                Self.job("load", arraySize: 1, hungry: [], dependsOn: "transform"),
            ].joined(separator: "\n---\n")
            try await kubectl.require(["apply", "-f", "-"], input: pipeline)
            var r = try await kubectl.run(["wait", "--for=condition=Failed", "batchjob/load", "--timeout=120s"])
            #expect(r.status == 0, "\(r)")
            r = try await kubectl.require(["get", "batchjob", "load", "-o", #"jsonpath={.status.conditions[?(@.type=="Failed")].reason} {.status.attempts}"#])
            #expect(r.out.trimmingCharacters(in: .whitespaces) == "DependencyFailed", "load failed because transform did, and never ran (no attempts): \(r)")
            try await Self.retry(kubectl, "batchjob/transform", generation: 1)
            r = try await kubectl.run(["wait", "--for=condition=Succeeded", "batchjob/load", "--timeout=120s"])
            #expect(r.status == 0, "\(r)")
            r = try await kubectl.require(["get", "pods", "-l", "slipway.dev/job-name=extract", "-o", "name"])
            #expect(r.out.split(separator: "\n") == ["pod/extract-0-0"], "the first step did not run again: \(r)")
            r = try await kubectl.require(["get", "pods", "-l", "slipway.dev/job-name=transform", "-o", "jsonpath={.items[*].metadata.name}"])
            #expect(r.out.split(separator: " ").sorted() == ["transform-0-0", "transform-1-0", "transform-1-1"], "\(r)")
            r = try await kubectl.require(["get", "batchjob", "extract", "-o", "jsonpath={.status.attempts}"])
            #expect(r.out == "1", "\(r)")
        }
    }
}
