import Foundation
import KubeAPI
import KubeClient
import KubeRuntime
import LocalCluster
import SlipwayDevTesting
import Testing

/// The local API server driven by our own client over HTTPS.
@Suite("Local API server over HTTPS")
struct ServerAPITests {
    @Test func crudOnBuiltinKindsWithKubernetesSemantics() async throws {
        try await withLocalAPIServer { _, client in
            _ = try await client.create(Namespace(name: "demo"))
            var cm = ConfigMap(name: "settings", namespace: "demo")
            cm.metadata.labels = ["app": "etl"]
            cm.data = ["mode": "fast"]
            let created = try await client.create(cm)
            #expect(created.metadata.uid?.isEmpty == false)
            #expect(created.metadata.creationTimestamp != nil)
            let rv1 = try #require(Int(created.metadata.resourceVersion ?? ""))

            await #expect { _ = try await client.create(cm) } throws: { ($0 as? KubeError)?.isAlreadyExists == true }
            await #expect { _ = try await client.get(ConfigMap.self, name: "nope", namespace: "demo") } throws: { error in
                (error as? KubeError)?.status?.message == #"configmaps "nope" not found"#
            }

            var changed = created
            changed.data = ["mode": "slow"]
            let updated = try await client.update(changed)
            #expect(Int(updated.metadata.resourceVersion ?? "")! > rv1)
            await #expect { _ = try await client.update(changed) } throws: { ($0 as? KubeError)?.isConflict == true }

            let patched = try await client.patch(ConfigMap.self, name: "settings", namespace: "demo", patch: ["data": ["extra": "1"]], patchType: .merge)
            #expect(patched.data == ["mode": "slow", "extra": "1"])
            let strategic = try await client.patch(
                ConfigMap.self, name: "settings", namespace: "demo", patch: ["metadata": ["labels": ["tier": "gold"]]], patchType: .strategicMerge)
            #expect(strategic.metadata.labels == ["app": "etl", "tier": "gold"])

            let selected = try await client.list(ConfigMap.self, namespace: "demo", options: ListOptions(labelSelector: "tier=gold"))
            #expect(selected.items.map { $0.metadata.name } == ["settings"])
            let none = try await client.list(ConfigMap.self, namespace: "demo", options: ListOptions(labelSelector: "tier=silver"))
            #expect(none.items.isEmpty)

            try await client.delete(ConfigMap.self, name: "settings", namespace: "demo")
            await #expect { _ = try await client.get(ConfigMap.self, name: "settings", namespace: "demo") } throws: { ($0 as? KubeError)?.isNotFound == true }
        }
    }

    @Test func objectsNeedAnExistingNamespace() async throws {
        try await withLocalAPIServer { _, client in
            await #expect {
                _ = try await client.create(ConfigMap(name: "x", namespace: "missing"))
            } throws: { ($0 as? KubeError)?.isNotFound == true }
        }
    }

    @Test func watchesDeliverChangesAndInformersSurviveForcedGone() async throws {
        try await withLocalAPIServer { server, client in
            _ = try await client.create(Namespace(name: "informed"))
            let informer = Informer(
                listerWatcher: ClientListerWatcher<ConfigMap>(client: client, namespace: "informed", fieldSelector: "metadata.name!=kube-root-ca.crt"),
                configuration: InformerConfiguration(initialBackoff: .milliseconds(10), minimumWatchDuration: .zero))
            let (changes, continuation) = AsyncStream<String>.makeStream()
            await informer.addEventHandler(InformerEventHandler(
                onAdd: { continuation.yield("add \($0.metadata.name!)") },
                onUpdate: { _, new in continuation.yield("update \(new.metadata.name!)") },
                onDelete: { continuation.yield("delete \($0.metadata.name!)") }))
            let running = Task { await informer.run() }
            #expect(await informer.waitForSync())
            var iterator = changes.makeAsyncIterator()

            _ = try await client.create(ConfigMap(name: "a", namespace: "informed"))
            #expect(await iterator.next() == "add a")

            // The server refuses the next resumed watch with 410 and drops the open one.
            await server.setFaults(goneWatches: 1, dropWatches: true)
            _ = try await client.create(ConfigMap(name: "b", namespace: "informed"))
            // After the relist the informer may also report "update a" (a resync of what it had).
            var seen: [String] = []
            while let change = await iterator.next() {
                seen.append(change)
                if change == "add b" { break }
            }
            #expect(seen.last == "add b")
            #expect(!seen.contains("delete a"))
            #expect(informer.store.list().map { $0.metadata.name! }.sorted() == ["a", "b"])
            running.cancel()
            await running.value
        }
    }

    @Test func injectedServerErrorsReachTheClient() async throws {
        try await withLocalAPIServer { server, client in
            await server.setFaults(errorRate: 1)
            await #expect { _ = try await client.list(ConfigMap.self) } throws: { ($0 as? KubeError)?.code == 500 }
            await server.setFaults(errorRate: 0, throttleRate: 1)
            await #expect { _ = try await client.list(ConfigMap.self) } throws: { ($0 as? KubeError)?.code == 429 }
            await server.setFaults(throttleRate: 0)
            _ = try await client.list(ConfigMap.self)
        }
    }

    @Test func requestsWithoutTheTokenAreRefused() async throws {
        try await withLocalAPIServer { server, _ in
            let anonymous = KubernetesClient(configuration: ClientConfiguration(
                server: server.url!, certificateAuthorityPEM: Data(server.certificateAuthority.certificatePEM.utf8), qps: nil, maxRetries: 0))
            await #expect { _ = try await anonymous.list(ConfigMap.self) } throws: { ($0 as? KubeError)?.code == 401 }
            try await anonymous.shutdown()
        }
    }
}
