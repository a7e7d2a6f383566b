import Foundation
import LocalCluster
import SlipwayDevTesting
import Testing

/// `kubectl apply --server-side` against `slipway dev`: ownership, conflicts and forcing.
@Suite("kubectl server-side apply", .serialized)
struct KubectlServerSideApplyTests {
    static func manifest(mode: String, level: String? = nil) -> String {
        """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: ssa, namespace: default, labels: {app: demo}}
        data: {mode: \(mode)\(level.map { ", level: \"\($0)\"" } ?? "")}
        """
    }

    @Test func applyConflictForceAndManagedFields() async throws {
        try await withDevCluster { _, kubectl in
            var r = try await kubectl.run(["apply", "--server-side", "-f", "-"], input: Self.manifest(mode: "fast", level: "1"))
            #expect(r.status == 0 && r.out.contains("configmap/ssa serverside-applied"), "\(r)")
            r = try await kubectl.run(["apply", "--server-side", "-f", "-"], input: Self.manifest(mode: "slow"))
            #expect(r.status == 0 && r.out.contains("configmap/ssa serverside-applied"), "\(r)")
            r = try await kubectl.run(["get", "cm", "ssa", "-o", "jsonpath={.data}"])
            #expect(r.out == #"{"mode":"slow"}"#, "the level the manager stopped applying is removed: \(r)")

            let other = """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: ssa, namespace: default}
                data: {mode: turbo}
                """
            r = try await kubectl.run(["apply", "--server-side", "--field-manager=other", "-f", "-"], input: other)
            #expect(r.status != 0, "\(r)")
            #expect(r.err.contains(#"Apply failed with 1 conflict: conflict with "kubectl": .data.mode"#), "\(r)")
            r = try await kubectl.run(["apply", "--server-side", "--field-manager=other", "--force-conflicts", "-f", "-"], input: other)
            #expect(r.status == 0 && r.out.contains("configmap/ssa serverside-applied"), "\(r)")

            r = try await kubectl.run(["get", "cm", "ssa", "-o", "yaml", "--show-managed-fields"])
            #expect(r.status == 0, "\(r)")
            #expect(r.out.contains("mode: turbo"), "\(r)")
            #expect(r.out.contains("manager: kubectl\n") && r.out.contains("manager: other\n"), "\(r)")
            #expect(r.out.contains("operation: Apply"), "\(r)")
            #expect(r.out.contains("f:mode: {}") && r.out.contains("f:app: {}"), "\(r)")
        }
    }
}
