import Foundation
import LocalCluster
import SlipwayAPI
import SlipwayDevTesting
import Testing

/// The generated BatchJob CRD (crds/) applied with the real kubectl to `slipway dev`: valid
/// BatchJobs are accepted and listed with their printer columns, invalid ones are refused
/// with the field named.
@Suite("kubectl with the BatchJob CRD", .serialized)
struct KubectlBatchJobCRDTests {
    static let crdFile = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../crds/slipway.dev_batchjobs.yaml").standardized

    static let valid = """
        apiVersion: slipway.dev/v1alpha1
        kind: BatchJob
        metadata: {name: etl}
        spec:
          template:
            spec:
              containers:
              - name: main
                image: busybox
                command: ["sh", "-c", "echo $(params.greeting)"]
                resources: {requests: {memory: 64Mi}, limits: {memory: 64Mi}}
          arraySize: 3
          parameters: {greeting: hello}
          retryStrategy:
            rules:
            - {action: Retry, exitCodes: ["1", "3-5"], classes: [AppError]}
          adapt:
            memory: {factor: 2, max: 1Gi}
        """

    @Test func theGeneratedCRDServesAndValidatesBatchJobs() async throws {
        try await withDevCluster { _, kubectl in
            #expect(FileManager.default.fileExists(atPath: Self.crdFile.path), "run `swift run slipway crds`")
            var r = try await kubectl.run(["apply", "-f", Self.crdFile.path])
            #expect(r.status == 0, "\(r)")
            r = try await kubectl.run(["wait", "--for=condition=Established", "crd/batchjobs.slipway.dev", "--timeout=20s"])
            #expect(r.status == 0, "\(r)")

            r = try await kubectl.run(["apply", "-f", "-"], input: Self.valid)
            #expect(r.status == 0 && r.out.contains("batchjob.slipway.dev/etl created"), "\(r)")
            r = try await kubectl.run(["get", "bj"])
            #expect(r.out.range(of: #"NAME\s+PHASE\s+SUCCEEDED\s+ATTEMPTS\s+DURATION\s+AGE\n"#, options: .regularExpression) != nil, "\(r)")
            r = try await kubectl.run(["get", "bj", "-o", "wide"])
            #expect(r.out.range(of: #"NAME\s+PHASE\s+SUCCEEDED\s+ATTEMPTS\s+DURATION\s+AGE\s+MESSAGE\n"#, options: .regularExpression) != nil, "the message is a -o wide column: \(r)")
            #expect(r.out.contains("etl"), "\(r)")
            r = try await kubectl.run(["get", "batchjob", "etl", "-o", "jsonpath={.spec.retryStrategy.backoff.maxSeconds} {.spec.suspend}"])
            #expect(r.out == "600 false", "schema defaults are applied: \(r)")
            r = try await kubectl.run(["get", "batchjob", "etl", "-o", "jsonpath={.spec.retryStrategy}"])
            #expect(!r.out.contains("attempts"), "attempts stay unset: the operator's --default-attempts applies: \(r)")
            r = try await kubectl.run(["get", "slipway"])
            #expect(r.status == 0 && r.out.contains("etl"), "the slipway category lists BatchJobs: \(r)")
        }
    }

    static let invalid: [(name: String, from: String, to: String, expected: String)] = [
        ("negative arraySize", "arraySize: 3", "arraySize: -1",
         "spec.arraySize: Invalid value: -1: spec.arraySize in body should be greater than or equal to 1"),
        ("malformed quantity", "max: 1Gi", "max: 1 GB", "spec.adapt.memory.max: Invalid value: \"1 GB\""),
        ("unknown rule action", "action: Retry", "action: Retry!", "spec.retryStrategy.rules[0].action: Unsupported value: \"Retry!\""),
        ("missing cap", "memory: {factor: 2, max: 1Gi}", "memory: {factor: 2}", "spec.adapt.memory.max: Required value"),
    ]

    @Test func invalidBatchJobsAreRefusedWithTheFieldNamed() async throws {
        try await withDevCluster { _, kubectl in
            var r = try await kubectl.run(["apply", "-f", Self.crdFile.path])
            #expect(r.status == 0, "\(r)")
            r = try await kubectl.run(["wait", "--for=condition=Established", "crd/batchjobs.slipway.dev", "--timeout=20s"])
            #expect(r.status == 0, "\(r)")
            for c in Self.invalid {
                let manifest = Self.valid.replacingOccurrences(of: "name: etl", with: "name: bad")
                    .replacingOccurrences(of: c.from, with: c.to)
                #expect(manifest != Self.valid.replacingOccurrences(of: "name: etl", with: "name: bad"), "\(c.name): the case changes the manifest")
                r = try await kubectl.run(["apply", "-f", "-"], input: manifest)
                #expect(r.status != 0, "\(c.name): \(r)")
                #expect(r.err.contains(#"The BatchJob "bad" is invalid"#), "\(c.name): \(r)")
                #expect(r.err.contains(c.expected), "\(c.name): \(r)")
            }
            r = try await kubectl.run(["get", "bj", "bad"])
            #expect(r.status != 0, "nothing invalid was stored: \(r)")
        }
    }
}
