import Foundation
import KubeAPI
import KubeClient
import KubeRuntime
import KubeTesting
import Logging
import SlipwayCore
import SlipwayDevTesting
import Testing
@testable import SlipwayControllers

/// Releasing Slipway's record finalizer (ActionExecutor.releasePod): one conditional JSON
/// patch for a pod as the operator created it; a pod with another finalizer keeps it; a
/// newer pod of the same name (another uid) keeps Slipway's; a release the cache does not
/// show yet is not sent again within RecentReleases.memory.
@Suite("Releasing a pod's record finalizer")
struct PodReleaseTests {
    static func pod(_ name: String, finalizers: [String]) -> Pod {
        var pod = Pod(name: name, namespace: "default")
        pod.metadata.finalizers = finalizers
        pod.spec.schedulerName = "none"
        pod.spec.containers = [Container(name: "main", image: "busybox")]
        return pod
    }

    static func executor(_ client: KubernetesClient, clock: any KubeClock) -> ActionExecutor {
        let recorder = EventRecorder(sink: ClientEventSink(client: client), component: "test", clock: clock)
        return ActionExecutor(client: client, recorder: recorder, logger: Logger(label: "test"), clock: clock)
    }

    @Test func onlySlipwaysFinalizerOfThePodMeantIsRemoved() async throws {
        try await withLocalAPIServer { _, client in
            let executor = Self.executor(client, clock: SystemClock())
            let own = try await client.create(Self.pod("own", finalizers: [SlipwayLabels.recordFinalizer]))
            try await executor.releasePod("own", uid: own.metadata.uid!, namespace: "default")
            #expect(try await client.get(Pod.self, name: "own", namespace: "default").metadata.finalizers == [])

            // Another controller's finalizer: the patch's test fails (422); the update keeps it.
            let shared = try await client.create(Self.pod("shared", finalizers: ["example.com/keep", SlipwayLabels.recordFinalizer]))
            try await executor.releasePod("shared", uid: shared.metadata.uid!, namespace: "default")
            #expect(try await client.get(Pod.self, name: "shared", namespace: "default").metadata.finalizers == ["example.com/keep"])

            // A newer pod of that name: not the one whose outcome was recorded.
            _ = try await client.create(Self.pod("newer", finalizers: [SlipwayLabels.recordFinalizer]))
            try await executor.releasePod("newer", uid: "an-older-pods-uid", namespace: "default")
            #expect(try await client.get(Pod.self, name: "newer", namespace: "default").metadata.finalizers == [SlipwayLabels.recordFinalizer])

            // Gone already: nothing to do.
            try await executor.releasePod("never-was", uid: "u", namespace: "default")
        }
    }

    @Test func aReleaseIsNotSentAgainWhileTheCacheMayNotShowIt() async throws {
        let clock = ManualClock()
        try await withLocalAPIServer { _, client in
            let executor = Self.executor(client, clock: clock)
            let pod = try await client.create(Self.pod("p", finalizers: [SlipwayLabels.recordFinalizer]))
            try await executor.releasePod("p", uid: pod.metadata.uid!, namespace: "default")
            // Put back by hand: a second release within the memory is not sent.
            var current = try await client.get(Pod.self, name: "p", namespace: "default")
            current.metadata.finalizers = [SlipwayLabels.recordFinalizer]
            _ = try await client.update(current)
            try await executor.releasePod("p", uid: pod.metadata.uid!, namespace: "default")
            #expect(try await client.get(Pod.self, name: "p", namespace: "default").metadata.finalizers == [SlipwayLabels.recordFinalizer])
            // After it, a release the pod still needs is sent.
            clock.advance(by: .seconds(RecentReleases.memory + 1))
            try await executor.releasePod("p", uid: pod.metadata.uid!, namespace: "default")
            #expect(try await client.get(Pod.self, name: "p", namespace: "default").metadata.finalizers == [])
        }
    }
}
