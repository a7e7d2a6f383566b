import Foundation
import KubeAPI
import KubeClient
import LocalCluster
import KubeTesting
import SlipwayDevTesting
import Testing

/// The namespace lifecycle, the watch-list protocol and expired watches, over HTTPS.
@Suite("Built-in lifecycle and watch protocols of the local API server")
struct BuiltinServerTests {
    /// Polls `condition` every 50 ms for at most `seconds`; whether it became true.
    func within(_ seconds: Double, _ condition: () async -> Bool) async -> Bool {
        let deadline = ContinuousClock.now.advanced(by: .milliseconds(Int(seconds * 1000)))
        while ContinuousClock.now < deadline {
            if await condition() { return true }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return await condition()
    }

    @Test func namespacesGetTheirAccountTerminateAndGoWhenEmpty() async throws {
        try await withLocalAPIServer { _, client in
            _ = try await client.create(Namespace(name: "life"))
            _ = try await client.get(ServiceAccount.self, name: "default", namespace: "life")
            let ca = try await client.get(ConfigMap.self, name: "kube-root-ca.crt", namespace: "life")
            #expect(ca.data["ca.crt"]?.hasPrefix("-----BEGIN CERTIFICATE-----") == true)
            var held = ConfigMap(name: "held", namespace: "life")
            held.metadata.finalizers = ["example.com/hold"]
            _ = try await client.create(held)

            _ = try await client.delete(Namespace.self, name: "life")
            let terminating = try await client.get(Namespace.self, name: "life")
            #expect(terminating.object["status"]?["phase"] == "Terminating")
            await #expect { _ = try await client.create(ConfigMap(name: "late", namespace: "life")) } throws: { error in
                (error as? KubeError)?.status?.details?.causes.first?.reason == "NamespaceTerminating"
            }
            // The controller empties it except for the held ConfigMap; releasing it lets the namespace go.
            #expect(await within(10) { (try? await client.get(ServiceAccount.self, name: "default", namespace: "life")) == nil })
            _ = try await client.patch(ConfigMap.self, name: "held", namespace: "life", patch: ["metadata": ["finalizers": nil]], patchType: .merge)
            #expect(await within(10) { (try? await client.get(Namespace.self, name: "life")) == nil })
            await #expect { _ = try await client.delete(Namespace.self, name: "kube-public") } throws: { ($0 as? KubeError)?.status?.code == 403 }
        }
    }

    @Test func watchListSendsTheObjectsThenTheInitialEventsEndBookmark() async throws {
        try await withLocalAPIServer { _, client in
            for name in ["a", "b"] { _ = try await client.create(ConfigMap(name: name, namespace: "default")) }
            let stream = try await client.watch(
                ConfigMap.self, namespace: "default",
                options: ListOptions(resourceVersionMatch: "NotOlderThan", allowWatchBookmarks: true, sendInitialEvents: true))
            var seen: [String] = []
            for try await event in stream {
                if event.type == .bookmark {
                    #expect(event.object.metadata.annotations["k8s.io/initial-events-end"] == "true")
                    break
                }
                seen.append("\(event.type.rawValue) \(event.object.metadata.name ?? "")")
            }
            #expect(seen == ["ADDED a", "ADDED b", "ADDED kube-root-ca.crt"])
            await #expect { _ = try await client.watch(ConfigMap.self, namespace: "default", options: ListOptions(sendInitialEvents: true)) } throws: {
                ($0 as? KubeError)?.status?.code == 422
            }
        }
    }

    @Test func aWatchFromBeforeTheServerStartedGetsAnExpiredErrorEvent() async throws {
        try await withLocalAPIServer { _, client in
            let stream = try await client.watch(ConfigMap.self, namespace: "default", options: ListOptions(resourceVersion: "1"))
            var iterator = stream.makeAsyncIterator()
            let first = try await iterator.next()
            #expect(first?.type == .error)
            #expect(first?.object.object["code"] == 410)
        }
    }
}
