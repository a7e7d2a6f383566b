import Foundation
import KubeAPI
import KubeClient
import LocalCluster
import SlipwayDevTesting
import Testing

/// A patch that sets no resourceVersion of its own is applied again to the newer object when
/// another write came between its read and its write, as the API server's update loop does
/// (as Kubernetes' own integration test, 100 concurrent patches of one object all land):
/// concurrent patches never meet a 409 (a Deployment's or a kubelet's status writes beside a
/// controller's finalizer patch, on a real cluster). One that sets a stale resourceVersion does.
@Suite("Local API server: patches and concurrent writes")
struct PatchConflictTests {
    @Test func concurrentPatchesWithoutAResourceVersionAllLand() async throws {
        try await withLocalAPIServer { _, client in
            _ = try await client.create(Namespace(name: "demo"))
            _ = try await client.create(ConfigMap(name: "shared", namespace: "demo"))
            let writers = 100
            try await withThrowingTaskGroup(of: Void.self) { group in
                for i in 0..<writers {
                    group.addTask {
                        var data = JSONObject()
                        data["k\(i)"] = "v"
                        let merge: JSONValue = ["data": .object(data)]
                        let json: JSONValue = [["op": "add", "path": .string("/data/k\(i)"), "value": "v"]]
                        let patch = i % 2 == 0 ? merge : json
                        // The JSON patches add /data/k<i>: /data exists once a merge patch made it.
                        if i % 2 == 1 { try await Task.sleep(for: .milliseconds(100)) }
                        _ = try await client.patch(ConfigMap.self, name: "shared", namespace: "demo", patch: patch, patchType: i % 2 == 0 ? .merge : .json)
                    }
                }
                try await group.waitForAll()
            }
            let final = try await client.get(ConfigMap.self, name: "shared", namespace: "demo")
            #expect(final.data.count == writers, "\(final.data.keys.sorted())")
        }
    }

    @Test func aPatchThatSetsAStaleResourceVersionConflicts() async throws {
        try await withLocalAPIServer { _, client in
            _ = try await client.create(Namespace(name: "demo"))
            let created = try await client.create(ConfigMap(name: "cm", namespace: "demo"))
            _ = try await client.patch(ConfigMap.self, name: "cm", namespace: "demo", patch: ["data": ["a": "1"]], patchType: .merge)
            let stale: JSONValue = ["metadata": ["resourceVersion": .string(created.metadata.resourceVersion ?? "")], "data": ["b": "2"]]
            await #expect(throws: KubeError.self) {
                _ = try await client.patch(ConfigMap.self, name: "cm", namespace: "demo", patch: stale, patchType: .merge)
            }
            let final = try await client.get(ConfigMap.self, name: "cm", namespace: "demo")
            #expect(final.data == ["a": "1"])
        }
    }
}
