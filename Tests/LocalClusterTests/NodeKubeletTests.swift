import Foundation
import KubeAPI
import Testing

@testable import LocalCluster

@Suite(.timeLimit(.minutes(1))) struct NodeKubeletTests {
    @Test func exitZeroSucceedsWithCompleted() async throws {
        try await withLocalNodes { store, nodes in
            try await createPod(store, shellPod("ok", "echo hi"))
            let pod = try await waitForPod(store, "ok") { $0.status.phase == .succeeded }
            let terminated = try #require(pod.main?.state.terminated)
            #expect(terminated.exitCode == 0)
            #expect(terminated.reason == "Completed")
            #expect(pod.spec.nodeName == "slipway-node")
            // Its own loopback address (PodNetworkTests); the node's is 127.0.0.1.
            #expect(pod.status.podIP?.hasPrefix("127.") == true && pod.status.podIP != "127.0.0.1")
            #expect(pod.status.hostIP == "127.0.0.1")
            #expect(pod.status.startTime != nil)
            #expect(pod.status.condition("PodScheduled")?.status == .true)
            #expect(pod.status.condition("Initialized")?.status == .true)
            #expect(pod.status.condition("Ready")?.reason == "PodCompleted")
            #expect(pod.status.condition("PodReadyToStartContainers")?.status == .false)
            let reasons = await events(store, about: "ok").compactMap(\.reason)
            #expect(reasons.starts(with: ["Scheduled", "Pulled", "Created", "Started"]))
            #expect(try await nodes.logs(namespace: "demo", name: "ok") == "hi\n")
        }
    }

    @Test func nonZeroExitFailsWithLogTailAsMessage() async throws {
        try await withLocalNodes { store, _ in
            let policy = #","terminationMessagePolicy":"FallbackToLogsOnError""#
            try await createPod(store, shellPod("bad", "echo boom >&2; exit 3", container: policy))
            let pod = try await waitForPod(store, "bad") { $0.status.phase == .failed }
            let terminated = try #require(pod.main?.state.terminated)
            #expect(terminated.exitCode == 3)
            #expect(terminated.reason == "Error")
            #expect(terminated.message?.contains("boom") == true)
            #expect(pod.status.condition("Ready")?.reason == "PodFailed")
        }
    }

    @Test func terminationMessageFileWins() async throws {
        try await withLocalNodes { store, _ in
            try await createPod(store, shellPod("msg", #"printf 'custom reason' > "$SLIPWAY_TERMINATION_MESSAGE_PATH"; exit 1"#))
            let pod = try await waitForPod(store, "msg") { $0.status.phase == .failed }
            #expect(pod.main?.state.terminated?.message == "custom reason")
        }
    }

    @Test func environmentFieldRefsAndVolumesReachTheProcess() async throws {
        try await withLocalNodes { store, nodes in
            try await create(store, .configMaps, obj(#"{"metadata":{"name":"cfg","namespace":"demo"},"data":{"greeting":"hello","mode":"fast"}}"#))
            let container = #"""
            ,"env":[{"name":"POD","valueFrom":{"fieldRef":{"fieldPath":"metadata.name"}}},
                    {"name":"APP","valueFrom":{"fieldRef":{"fieldPath":"metadata.labels['app']"}}},
                    {"name":"MEM","valueFrom":{"resourceFieldRef":{"resource":"limits.memory","divisor":"1Mi"}}},
                    {"name":"MODE","valueFrom":{"configMapKeyRef":{"name":"cfg","key":"mode"}}},
                    {"name":"BOTH","value":"$(POD)-$(MODE)"}],
             "envFrom":[{"configMapRef":{"name":"cfg"},"prefix":"CFG_"}],
             "resources":{"limits":{"memory":"64Mi"}},
             "volumeMounts":[{"name":"config","mountPath":"/etc/config"},{"name":"info","mountPath":"/etc/podinfo"}]
            """#
            let spec = #","volumes":[{"name":"config","configMap":{"name":"cfg"}},{"name":"info","downwardAPI":{"items":[{"path":"labels","fieldRef":{"fieldPath":"metadata.labels"}}]}}]"#
            let script = #"echo "$POD $APP $MEM $MODE $BOTH $CFG_greeting"; cat "$SLIPWAY_POD_ROOT/etc/config/greeting"; echo; cat "$SLIPWAY_MOUNT_ETC_PODINFO/labels""#
            try await createPod(store, shellPod("env", script, container: container, spec: spec))
            try await waitForPod(store, "env") { $0.status.phase == .succeeded }
            let log = try await nodes.logs(namespace: "demo", name: "env")
            #expect(log == "env demo 64 fast env-fast hello\nhello\napp=\"demo\"")
        }
    }

    @Test func memoryHogIsOOMKilled() async throws {
        try await withLocalNodes { store, _ in
            let pod = obj(#"""
            {"metadata":{"name":"hog","namespace":"demo"},"spec":{"restartPolicy":"Never","containers":[{"name":"main","image":"python:3",
             "command":["python3","-c","x = bytearray(300*1024*1024); import time; time.sleep(30)"],
             "resources":{"limits":{"memory":"100Mi"}}}]}}
            """#)
            try await createPod(store, pod)
            let done = try await waitForPod(store, "hog") { $0.status.phase == .failed }
            #expect(done.main?.state.terminated?.exitCode == 137)
            #expect(done.main?.state.terminated?.reason == "OOMKilled")
            let oom = try await waitForEvent(store, pod: "hog", reason: "OOMKilling")
            #expect(oom.type == .warning)
        }
    }

    @Test func failingImageNeverRuns() async throws {
        try await withLocalNodes { store, _ in
            var pod = shellPod("img", "echo never")
            pod["spec"] = .object(Pod(object: pod).spec.object.merging(image: "registry.example/does-not-exist:1"))
            try await createPod(store, pod)
            let pulling = try await waitForPod(store, "img") { $0.main?.state.waiting?.reason == "ErrImagePull" }
            #expect(pulling.status.phase == .pending)
            let backOff = try await waitForPod(store, "img") { $0.main?.state.waiting?.reason == "ImagePullBackOff" }
            #expect(backOff.main?.state.waiting?.message?.contains("Back-off pulling image") == true)
            #expect(backOff.main?.restartCount == 0)
        }
    }

    @Test func unschedulablePodStaysPendingWithFailedScheduling() async throws {
        try await withLocalNodes { store, _ in
            try await createPod(store, shellPod("huge", "true", container: #","resources":{"requests":{"memory":"100Gi"}}"#))
            let pod = try await waitForPod(store, "huge") { $0.status.condition("PodScheduled")?.reason == "Unschedulable" }
            #expect(pod.status.phase == .pending)
            #expect(pod.status.condition("PodScheduled")?.message?.hasPrefix("0/1 nodes are available: 1 Insufficient memory.") == true)
            let event = try await waitForEvent(store, pod: "huge", reason: "FailedScheduling")
            #expect(event.source.component == "default-scheduler")
        }
    }
}

extension JSONObject {
    /// The spec with every container's image replaced.
    fileprivate func merging(image: String) -> JSONObject {
        var spec = PodSpec(object: self)
        spec.containers = spec.containers.map { var c = $0; c.image = image; return c }
        return spec.object
    }
}

extension NodeKubeletTests {
    /// A container gets stdin, stdout and stderr and nothing else of the node's process: a
    /// pipe the process holds open for another child (kubectl's output, in tests) must not
    /// stay open for as long as the container runs.
    @Test func containersInheritNoOtherDescriptor() async throws {
        let pipe = Pipe()
        defer { try? pipe.fileHandleForReading.close() }
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("fds-\(UUID().uuidString).log")
        defer { try? FileManager.default.removeItem(at: log) }
        let spawned = ProcessLauncher.spawn(
            arguments: ["sh", "-c", "ls /proc/$$/fd"], environment: ["PATH": "/usr/bin:/bin"], directory: "/", logPath: log.path)
        let pid = try spawned.get()
        try pipe.fileHandleForWriting.close()
        #expect(await ProcessLauncher.wait(pid).exitCode == 0)
        let fds = try String(contentsOf: log, encoding: .utf8).split(separator: "\n").map(String.init).sorted()
        #expect(fds == ["0", "1", "2"], "descriptors of the container: \(fds)")
    }
}
