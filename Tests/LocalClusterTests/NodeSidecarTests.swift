import Foundation
import KubeAPI
import Testing

@testable import LocalCluster

/// Sidecar containers (init containers with `restartPolicy: Always`, KEP-753) as a 1.29+
/// kubelet runs them: started before the next init container and the containers, which
/// start once it has started; restarted when it exits while the pod runs; stopped with
/// SIGTERM, in reverse order, after the containers ended; the phase from the containers
/// only; the sidecar's last state, termination message included, in initContainerStatuses.
@Suite(.timeLimit(.minutes(1))) struct NodeSidecarTests {
    /// A pod whose init containers are `sidecars` (name → script, restartPolicy Always) and
    /// whose main container runs `main`.
    static func pod(_ name: String, sidecars: [(String, String)], main: String, initFirst: String? = nil) -> JSONObject {
        var inits = sidecars.map { name, script in
            #"{"name":"\#(name)","image":"busybox","restartPolicy":"Always","command":["/bin/sh","-c"],"args":[\#(jsonString(script))]}"#
        }
        if let initFirst { inits.append(#"{"name":"after","image":"busybox","command":["/bin/sh","-c"],"args":[\#(jsonString(initFirst))]}"#) }
        return obj(#"""
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"\#(name)","namespace":"demo"},
         "spec":{"restartPolicy":"Never","terminationGracePeriodSeconds":5,"initContainers":[\#(inits.joined(separator: ","))],
           "containers":[{"name":"main","image":"busybox","command":["/bin/sh","-c"],"args":[\#(jsonString(main))]}]}}
        """#)
    }

    /// Logs go to a shared file under the pod's root so the order of events is visible.
    static let log = #""$SLIPWAY_POD_DIR/order""#

    static func order(_ nodes: LocalNodes, _ pod: Pod) async throws -> String {
        let directory = PodDirectory(root: await nodes.root, namespace: "demo", name: pod.metadata.name ?? "", uid: pod.metadata.uid ?? "")
        return try String(contentsOf: directory.url.appendingPathComponent("order"), encoding: .utf8)
    }

    @Test func aSidecarStartsFirstRunsBesideTheMainContainerAndStopsAfterItWithItsMessage() async throws {
        try await withLocalNodes { store, nodes in
            // The sidecar traps SIGTERM, notes it, writes its termination message and exits 0.
            let sidecar = #"trap 'echo sidecar-term >> \#(Self.log); printf report > "$SLIPWAY_TERMINATION_MESSAGE_PATH"; exit 0' TERM; echo sidecar-up >> \#(Self.log); while true; do sleep 0.1; done"#
            let main = #"echo main-up >> \#(Self.log); sleep 0.5; echo main-done >> \#(Self.log)"#
            try await createPod(store, Self.pod("side", sidecars: [("analysis", sidecar)], main: main, initFirst: #"echo init-after >> \#(Self.log)"#))
            // While the main container runs, the sidecar runs too and counts as initialised.
            let running = try await waitForPod(store, "side") { $0.status.containerStatuses.first?.state.running != nil }
            let side = try #require(running.status.initContainerStatuses.first { $0.name == "analysis" })
            #expect(side.state.running != nil && side.started == true && side.ready == true)
            #expect(running.status.condition("Initialized")?.status == .true)
            #expect(running.status.phase == .running)
            let pod = try await waitForPod(store, "side") { $0.status.phase?.isFinished == true }
            #expect(pod.status.phase == .succeeded)
            let stopped = try #require(pod.status.initContainerStatuses.first { $0.name == "analysis" }?.state.terminated)
            #expect(stopped.exitCode == 0 && stopped.message == "report")
            #expect(pod.status.initContainerStatuses.first { $0.name == "after" }?.state.terminated?.exitCode == 0)
            let order = try await Self.order(nodes, pod)
            #expect(order == "sidecar-up\ninit-after\nmain-up\nmain-done\nsidecar-term\n", "\(order)")
            let killing = await events(store, about: "side").filter { $0.reason == "Killing" }
            #expect(killing.map(\.message) == ["Stopping container analysis"])
        }
    }

    @Test func sidecarsStopInReverseOrderAndTheirExitNeverDecidesThePhase() async throws {
        try await withLocalNodes { store, nodes in
            // Neither traps SIGTERM: each is killed by it (exit 143), as many sidecars are.
            let first = #"echo first-up >> \#(Self.log); trap 'echo first-term >> \#(Self.log); exit 143' TERM; while true; do sleep 0.1; done"#
            let second = #"echo second-up >> \#(Self.log); trap 'echo second-term >> \#(Self.log); exit 143' TERM; while true; do sleep 0.1; done"#
            try await createPod(store, Self.pod("two", sidecars: [("first", first), ("second", second)], main: "sleep 0.3"))
            let pod = try await waitForPod(store, "two") { $0.status.phase?.isFinished == true }
            #expect(pod.status.phase == .succeeded, "sidecars stopped after the containers never fail the pod")
            #expect(pod.status.initContainerStatuses.map { $0.state.terminated?.exitCode } == [143, 143])
            let order = try await Self.order(nodes, pod)
            #expect(order == "first-up\nsecond-up\nsecond-term\nfirst-term\n", "\(order)")
        }
    }

    @Test func aSidecarThatExitsWhileThePodRunsIsRestarted() async throws {
        try await withLocalNodes { store, _ in
            try await createPod(store, Self.pod("flaky", sidecars: [("flaky", "sleep 0.1; exit 1")], main: "sleep 2"))
            let restarted = try await waitForPod(store, "flaky") { ($0.status.initContainerStatuses.first?.restartCount ?? 0) >= 1 }
            #expect(restarted.status.initContainerStatuses.first?.lastState.terminated?.exitCode == 1)
            // While the sidecar waits to restart, the pod is not ready (as a 1.29+ kubelet says).
            let backingOff = try await waitForPod(store, "flaky") { $0.status.initContainerStatuses.first?.state.waiting?.reason == "CrashLoopBackOff" }
            #expect(backingOff.status.condition("ContainersReady")?.message?.contains("flaky") == true)
            let pod = try await waitForPod(store, "flaky") { $0.status.phase?.isFinished == true }
            #expect(pod.status.phase == .succeeded)
            #expect(pod.main?.state.terminated?.exitCode == 0)
        }
    }

    @Test func theMainContainerWaitsForTheSidecarToStart() async throws {
        try await withLocalNodes { store, _ in
            // A sidecar whose image cannot be pulled never starts: the pod stays initialising.
            let pod = obj(#"""
            {"apiVersion":"v1","kind":"Pod","metadata":{"name":"stuck","namespace":"demo"},
             "spec":{"restartPolicy":"Never","initContainers":[{"name":"side","image":"invalid/side:1","restartPolicy":"Always","command":["sleep","9"]}],
               "containers":[{"name":"main","image":"busybox","command":["true"]}]}}
            """#)
            try await createPod(store, pod)
            let stuck = try await waitForPod(store, "stuck") { $0.status.initContainerStatuses.first?.state.waiting?.reason == "ImagePullBackOff" }
            #expect(stuck.status.phase == .pending)
            #expect(stuck.status.condition("Initialized")?.status == .false)
            #expect(stuck.main?.state.waiting?.reason == "PodInitializing")
        }
    }
}
