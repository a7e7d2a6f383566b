import Foundation
import LocalCluster
import SlipwayDevTesting
import Testing

/// `dependsOn` across kinds on `slipway dev`, driven by the real kubectl: the dependency
/// graph is keyed by kind, namespace and name.
@Suite("kubectl: dependencies across kinds on slipway dev", .serialized)
struct KubectlDependencyTests {
    static func sparkJob(_ name: String, dependsOn: String) -> String {
        """
        apiVersion: slipway.dev/v1alpha1
        kind: SparkJob
        metadata: {name: \(name)}
        spec:
          type: Python
          sparkVersion: "4.0.5"
          image: apache/spark:4.0.5
          mainApplicationFile: local:///opt/app.py
          executor: {instances: 1}
          dependsOn: [\(dependsOn)]
        """
    }

    static func batchJob(_ name: String, dependsOn: String) -> String {
        """
        apiVersion: slipway.dev/v1alpha1
        kind: BatchJob
        metadata: {name: \(name)}
        spec:
          dependsOn: [\(dependsOn)]
          template:
            spec:
              containers: [{name: main, image: busybox, command: ["sh", "-c", "echo done"]}]
        """
    }

    static func invalidMessage(_ kubectl: Kubectl, _ object: String) async throws -> String {
        try await kubectl.require(["get", object, "-o", #"jsonpath={.status.conditions[?(@.type=="Invalid")].message}"#]).out
    }

    /// A BatchJob waiting for a SparkJob that waits for it: both are Invalid, each message
    /// naming the whole cycle, and nothing is created for either.
    @Test func aCycleAcrossKindsMakesEveryJobOnItInvalid() async throws {
        try await withSlipwayDev { _, _, kubectl in
            let manifests = Self.batchJob("cyc-a", dependsOn: "{name: cyc-b, kind: SparkJob}") + "\n---\n"
                + Self.sparkJob("cyc-b", dependsOn: "{name: cyc-a, kind: BatchJob}")
            try await kubectl.require(["apply", "-f", "-"], input: manifests)
            try await kubectl.require(["wait", "--for=condition=Invalid", "batchjob/cyc-a", "sparkjob/cyc-b", "--timeout=20s"])
            let a = try await Self.invalidMessage(kubectl, "batchjob/cyc-a")
            #expect(a == "spec is invalid: spec.dependsOn forms a cycle: BatchJob cyc-a → SparkJob cyc-b → BatchJob cyc-a", "\(a)")
            let b = try await Self.invalidMessage(kubectl, "sparkjob/cyc-b")
            #expect(b == "spec is invalid: spec.dependsOn forms a cycle: SparkJob cyc-b → BatchJob cyc-a → SparkJob cyc-b", "\(b)")
            let phases = try await kubectl.require(["get", "batchjob/cyc-a", "sparkjob/cyc-b", "-o", "jsonpath={.items[*].status.phase}"]).out
            #expect(phases == "Failed Failed", "\(phases)")
            let created = try await kubectl.require(["get", "pods,services,configmaps", "-o", "name"]).out
            #expect(!created.contains("cyc-"), "nothing is created for a job on a cycle: \(created)")
            // Breaking the cycle makes both valid: the SparkJob runs, then the BatchJob that
            // waits for it (an Invalid parent is waited for, never a failed dependency).
            try await kubectl.require(["patch", "sparkjob", "cyc-b", "--type=json", "-p", #"[{"op":"remove","path":"/spec/dependsOn"}]"#])
            try await kubectl.require(["wait", "--for=condition=Succeeded", "sparkjob/cyc-b", "batchjob/cyc-a", "--timeout=90s"], timeout: .seconds(100))
            let sparkDone = try await kubectl.require(["get", "sparkjob/cyc-b", "-o", "jsonpath={.status.completionTime}"]).out
            let batchStart = try await kubectl.require(["get", "batchjob/cyc-a", "-o", "jsonpath={.status.startTime}"]).out
            #expect(!sparkDone.isEmpty && sparkDone <= batchStart, "\(sparkDone) \(batchStart)")
        }
    }

    /// A BatchJob and a SparkJob with the same name are two jobs: one waiting for the other
    /// is no cycle, and both run.
    @Test func theSameNameInTwoKindsIsNoCycle() async throws {
        try await withSlipwayDev { _, _, kubectl in
            let manifests = Self.batchJob("twin", dependsOn: "{name: twin, kind: SparkJob}") + "\n---\n"
                + Self.sparkJob("twin", dependsOn: "")
            try await kubectl.require(["apply", "-f", "-"], input: manifests)
            try await kubectl.require(["wait", "--for=condition=Succeeded", "batchjob/twin", "sparkjob/twin", "--timeout=90s"], timeout: .seconds(100))
            let invalid = try await Self.invalidMessage(kubectl, "batchjob/twin")
            #expect(invalid.isEmpty, "\(invalid)")
        }
    }
}
