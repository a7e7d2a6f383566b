import Foundation
import KubeTesting
import SlipwayDevTesting
import Testing

/// Files of `kind: List` — what `kubectl get … -o yaml` writes for more than one object —
/// apply as on a real server. kubectl validates a List on the client with `/openapi/v2`
/// (a List is no server kind); slipway dev answered that 404, so every List was refused with
/// `error validating data: the server could not find the requested resource`.
@Suite("kubectl: files of kind List", .serialized)
struct KubectlListTests {
    static let list = """
        apiVersion: v1
        kind: List
        items:
        - apiVersion: v1
          kind: ConfigMap
          metadata: {name: report-settings, labels: {app: report}}
          data: {day: "2026-12-08"}
        - apiVersion: slipway.dev/v1alpha1
          kind: BatchJob
          metadata: {name: report, labels: {app: report}}
          spec:
            template:
              spec:
                containers: [{name: main, image: busybox, command: ["sh", "-c", "echo report"]}]
        """

    /// Apply a List, save what `kubectl get -o yaml` prints (a List), delete, apply it again.
    @Test func aListAppliesAndWhatGetPrintsAppliesAgain() async throws {
        try await withSlipwayDev { _, _, kubectl in
            let first = try await kubectl.require(["apply", "-f", "-"], input: Self.list)
            #expect(first.out.contains("configmap/report-settings created") && first.out.contains("batchjob.slipway.dev/report created"), "\(first)")
            try await kubectl.require(["wait", "--for=condition=Succeeded", "batchjob/report", "--timeout=60s"])
            let again = try await kubectl.require(["apply", "-f", "-"], input: Self.list)
            #expect(again.out.contains("configmap/report-settings unchanged") && again.out.contains("batchjob.slipway.dev/report unchanged"), "\(again)")

            let saved = try await kubectl.require(["get", "configmap,batchjob", "-l", "app=report", "-o", "yaml"]).out
            #expect(saved.contains("kind: List"), "\(saved)")
            try await kubectl.require(["delete", "configmap,batchjob", "-l", "app=report", "--wait=true"])
            let restored = try await kubectl.require(["apply", "-f", "-"], input: saved)
            #expect(restored.out.contains("configmap/report-settings created") && restored.out.contains("batchjob.slipway.dev/report created"), "\(restored)")
            try await kubectl.require(["wait", "--for=condition=Succeeded", "batchjob/report", "--timeout=60s"])
            let logs = try await kubectl.require(["logs", "report-0-0"]).out
            #expect(logs == "report\n")
        }
    }

    /// An invalid item is refused by the server with the field and the rule; the valid one
    /// is created (a real kubectl also sends every item it cannot fault on the client:
    /// `minimum` is checked by the server).
    @Test func anInvalidItemIsRefusedNamingTheField() async throws {
        try await withSlipwayDev { _, _, kubectl in
            let list = Self.list.replacingOccurrences(of: "metadata: {name: report, labels: {app: report}}\n  spec:",
                                                      with: "metadata: {name: report, labels: {app: report}}\n  spec:\n    arraySize: 0")
            #expect(list.contains("arraySize: 0"))
            let r = try await kubectl.run(["apply", "-f", "-"], input: list)
            #expect(r.status != 0, "\(r)")
            #expect(r.err.contains(#"The BatchJob "report" is invalid: spec.arraySize: Invalid value: 0: spec.arraySize in body should be greater than or equal to 1"#), "\(r)")
            #expect(r.out.contains("configmap/report-settings created"), "\(r)")
            let jobs = try await kubectl.require(["get", "batchjobs", "-o", "name"]).out
            #expect(jobs.isEmpty)
        }
    }
}
