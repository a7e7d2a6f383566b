import Foundation
import KubeAPI
import Testing

@testable import LocalCluster

/// A script that reports SIGTERM and then exits the way a default handler would (143).
private let sleeper = #"trap 'echo got TERM; exit 143' TERM; echo started; while true; do sleep 0.1; done"#

@Suite(.timeLimit(.minutes(1))) struct NodeLifecycleTests {
    @Test func interruptedSpotNodeTerminatesItsPods() async throws {
        let spot = try NodeConfiguration.parse(flags: "name=spot-1,capacity=spot,zone=a")
        try await withLocalNodes(spot) { store, nodes in
            try await createPod(store, shellPod("victim", sleeper))
            try await waitForPod(store, "victim") { $0.main?.state.running != nil }
            try await nodes.interruptNode("spot-1")
            let pod = try await waitForPod(store, "victim") { $0.status.phase == .failed }
            let disruption = try #require(pod.status.condition("DisruptionTarget"))
            #expect(disruption.status == .true)
            #expect(disruption.reason == "TerminationByKubelet")
            #expect(pod.status.reason == "Terminated")
            #expect(pod.main?.state.terminated?.exitCode == 143)
            #expect((try? await store.store.get(.nodes, namespace: nil, name: "spot-1")) == nil)
            try await nodes.restoreNode("spot-1")
            let node = Node(object: try await store.store.get(.nodes, namespace: nil, name: "spot-1"))
            #expect(node.status.isReady)
        }
    }

    @Test func evictionSetsDisruptionTargetThenDeletes() async throws {
        try await withLocalNodes { store, nodes in
            try await createPod(store, shellPod("evictee", sleeper))
            try await waitForPod(store, "evictee") { $0.main?.state.running != nil }
            let watch = Task { try await waitForPod(store, "evictee") { $0.status.condition("DisruptionTarget") != nil } }
            try await nodes.evictPod(namespace: "demo", name: "evictee")
            let disrupted = try await watch.value
            #expect(disrupted.status.condition("DisruptionTarget")?.reason == "EvictionByEvictionAPI")
            try await waitForPod(store, "evictee", deleted: true)
        }
    }

    @Test func deletionSendsSIGTERMThenRemovesThePod() async throws {
        try await withLocalNodes { store, nodes in
            var pod = shellPod("doomed", sleeper)
            pod.metadata.finalizers = ["example.com/keep"]
            try await createPod(store, pod)
            try await waitForPod(store, "doomed") { $0.main?.state.running != nil }
            _ = try await store.perform { (s: inout ObjectStore) throws(Status) in try s.delete(.pods, namespace: "demo", name: "doomed", now: Date()) }
            let stopped = try await waitForPod(store, "doomed") { $0.main?.state.terminated != nil }
            #expect(stopped.main?.state.terminated?.exitCode == 143)
            #expect(try await nodes.logs(namespace: "demo", name: "doomed").contains("got TERM"))
            try await waitForEvent(store, pod: "doomed", reason: "Killing")
            _ = try await store.perform { (s: inout ObjectStore) throws(Status) in
                var current = try s.get(.pods, namespace: "demo", name: "doomed")
                current.metadata.finalizers = []
                return try s.update(.pods, current, now: Date())
            }
            try await waitForPod(store, "doomed", deleted: true)
        }
    }

    @Test func restartsKeepPreviousLogs() async throws {
        try await withLocalNodes { store, nodes in
            let script = #"if [ -f "$SLIPWAY_MOUNT_DATA/ran" ]; then echo second; else touch "$SLIPWAY_MOUNT_DATA/ran"; echo first; exit 1; fi"#
            let mount = #","volumeMounts":[{"name":"scratch","mountPath":"/data"}]"#
            try await createPod(store, shellPod("flaky", script, restartPolicy: "OnFailure", container: mount,
                                                spec: #","volumes":[{"name":"scratch","emptyDir":{}}]"#))
            let pod = try await waitForPod(store, "flaky") { $0.status.phase == .succeeded }
            #expect(pod.main?.restartCount == 1)
            #expect(pod.main?.lastState.terminated?.exitCode == 1)
            #expect(try await nodes.logs(namespace: "demo", name: "flaky") == "second\n")
            #expect(try await nodes.logs(namespace: "demo", name: "flaky", previous: true) == "first\n")
        }
    }

    @Test func alwaysRestartsWithCrashLoopBackOff() async throws {
        try await withLocalNodes { store, _ in
            try await createPod(store, shellPod("looping", "echo once; exit 2", restartPolicy: "Always"))
            let pod = try await waitForPod(store, "looping") { ($0.main?.restartCount ?? 0) >= 2 }
            #expect(pod.status.phase == .running)
            #expect(pod.main?.lastState.terminated?.exitCode == 2)
            try await waitForEvent(store, pod: "looping", reason: "BackOff")
        }
    }

    @Test func eachContainerLeadsItsOwnProcessGroup() async throws {
        try await withLocalNodes { store, nodes in
            // `$$` in command/args is the kubelet's escape for `$`, so the shell's `$$` is written `$$$$`.
            try await createPod(store, shellPod("pgid", #"set -- $(sed 's/.*) //' /proc/$$$$/stat); [ "$3" = "$$$$" ] && echo leader"#))
            try await waitForPod(store, "pgid") { $0.status.phase?.isFinished == true }
            #expect(try await nodes.logs(namespace: "demo", name: "pgid") == "leader\n")
        }
    }

    @Test func logsTailAndFollow() async throws {
        try await withLocalNodes { store, nodes in
            try await createPod(store, shellPod("chatty", "for i in 1 2 3 4 5; do echo line$i; sleep 0.1; done"))
            try await waitForPod(store, "chatty") { $0.main?.state.running != nil }
            var followed: [String] = []
            for await line in try await nodes.followLogs(namespace: "demo", name: "chatty") { followed.append(line) }
            #expect(followed == ["line1", "line2", "line3", "line4", "line5"])
            try await waitForPod(store, "chatty") { $0.status.phase == .succeeded }
            #expect(try await nodes.logs(namespace: "demo", name: "chatty", tailLines: 2) == "line4\nline5\n")
            await #expect(throws: Status.self) { try await nodes.logs(namespace: "demo", name: "chatty", previous: true) }
        }
    }

    /// A running container is stopped with SIGTERM when the deadline passes. The deadline
    /// counts from the pod's start on the node, so on a starved machine it may pass before
    /// the container ever ran: then it never runs and ends as a kubelet reports a container
    /// it never started (137, ContainerStatusUnknown; the next test makes that certain).
    /// Either way nothing is SIGKILLed after the grace period.
    @Test func activeDeadlineFailsThePod() async throws {
        try await withLocalNodes { store, nodes in
            try await createPod(store, shellPod("slow", sleeper, spec: #","activeDeadlineSeconds":2"#))
            let pod = try await waitForPod(store, "slow") { $0.status.phase == .failed }
            #expect(pod.status.reason == "DeadlineExceeded")
            let terminated = try #require(pod.main?.state.terminated)
            let log = (try? await nodes.logs(namespace: "demo", name: "slow")) ?? ""
            if log.contains("started") {
                #expect(terminated.exitCode == 143, "stopped by SIGTERM: \(terminated.json) log: \(log)")
                #expect(log.contains("got TERM"), "\(log)")
            } else {
                #expect(terminated.exitCode == 137 && terminated.reason == "ContainerStatusUnknown", "never ran: \(terminated.json)")
            }
        }
    }

    /// A deadline that passes before the container could start (a ConfigMap it mounts does
    /// not exist): the pod fails, and the container that never ran is reported as a real
    /// kubelet reports it.
    @Test func activeDeadlineBeforeTheContainerStarted() async throws {
        try await withLocalNodes { store, _ in
            try await createPod(store, shellPod("stuck", "echo never", container: #","volumeMounts":[{"name":"c","mountPath":"/c"}]"#,
                                                spec: #","activeDeadlineSeconds":1,"volumes":[{"name":"c","configMap":{"name":"absent"}}]"#))
            let pod = try await waitForPod(store, "stuck") { $0.status.phase == .failed }
            #expect(pod.status.reason == "DeadlineExceeded")
            let terminated = try #require(pod.main?.state.terminated)
            #expect(terminated.exitCode == 137)
            #expect(terminated.reason == "ContainerStatusUnknown")
        }
    }

    @Test func initContainersRunFirst() async throws {
        try await withLocalNodes { store, nodes in
            var pod = shellPod("init", #"cat "$SLIPWAY_MOUNT_WORK/marker""#, container: #","volumeMounts":[{"name":"w","mountPath":"/work"}]"#,
                               spec: #","volumes":[{"name":"w","emptyDir":{}}]"#)
            var spec = Pod(object: pod).spec
            var setup = Container(name: "setup", image: "busybox")
            setup.command = ["/bin/sh", "-c", #"echo prepared > "$SLIPWAY_MOUNT_WORK/marker""#]
            setup.volumeMounts = [VolumeMount(name: "w", mountPath: "/work")]
            spec.initContainers = [setup]
            pod["spec"] = .object(spec.object)
            try await createPod(store, pod)
            let done = try await waitForPod(store, "init") { $0.status.phase == .succeeded }
            #expect(done.status.initContainerStatuses.first?.state.terminated?.reason == "Completed")
            #expect(try await nodes.logs(namespace: "demo", name: "init") == "prepared\n")
        }
    }
}
