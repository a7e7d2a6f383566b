import Foundation
import LocalCluster
import KubeTesting
import SlipwayDevTesting
import Testing

/// Pods on the local node, driven by the real kubectl.
@Suite("kubectl pods on slipway dev", .serialized)
struct KubectlPodTests {
    @Test func aPodRunsAsAProcessAndItsLogsAreServed() async throws {
        try await withDevCluster { _, kubectl in
            var r = try await kubectl.run(["get", "nodes"])
            #expect(r.out.range(of: #"slipway-node\s+Ready"#, options: .regularExpression) != nil, "\(r)")
            r = try await kubectl.run(["run", "hello", "--image=busybox", "--restart=Never", "--", "sh", "-c", "echo hello from $HOSTNAME; echo second line"])
            #expect(r.status == 0, "\(r)")
            r = try await kubectl.run(["wait", "--for=jsonpath={.status.phase}=Succeeded", "pod/hello", "--timeout=30s"])
            #expect(r.status == 0, "\(r)")
            r = try await kubectl.run(["logs", "hello"])
            #expect(r.out.contains("second line"), "\(r)")
            r = try await kubectl.run(["logs", "hello", "--tail=1"])
            #expect(r.out == "second line\n", "\(r)")
            r = try await kubectl.run(["get", "pod", "hello"])
            #expect(r.out.contains("Completed"), "\(r)")
            r = try await kubectl.run(["describe", "pod", "hello"])
            #expect(r.out.contains("Started") && r.out.contains("Scheduled"), "\(r)")
        }
    }

    @Test func followedLogsStreamUntilTheContainerEnds() async throws {
        try await withDevCluster { _, kubectl in
            try await kubectl.require(["run", "ticker", "--image=busybox", "--restart=Never", "--", "sh", "-c", "for i in 1 2 3; do echo tick $i; sleep 0.3; done"])
            // Started: running, or already done on a slow machine (then -f prints it all and ends).
            var phase = ""
            let started = try await eventually(timeout: .seconds(30)) {
                phase = try await kubectl.require(["get", "pod", "ticker", "-o", "jsonpath={.status.phase}"]).out
                return phase == "Running" || phase == "Succeeded"
            }
            #expect(started, "phase \(phase)")
            let r = try await kubectl.require(["logs", "-f", "ticker"], timeout: .seconds(30))
            #expect(r.out.contains("tick 1") && r.out.contains("tick 3"), "\(r)")
        }
    }

    @Test func aPodOverItsMemoryLimitIsOOMKilled() async throws {
        try await withDevCluster { _, kubectl in
            let pod = """
                apiVersion: v1
                kind: Pod
                metadata: {name: hog}
                spec:
                  restartPolicy: Never
                  containers:
                  - name: main
                    image: python
                    command: ["python3", "-c", "x = bytearray(300 * 1024 * 1024); import time; time.sleep(30)"]
                    resources: {limits: {memory: 100Mi}}
                """
            var r = try await kubectl.run(["apply", "-f", "-"], input: pod)
            #expect(r.status == 0, "\(r)")
            r = try await kubectl.run(["wait", "--for=jsonpath={.status.phase}=Failed", "pod/hog", "--timeout=60s"])
            #expect(r.status == 0, "\(r)")
            r = try await kubectl.run(["get", "pod", "hog", "-o", "jsonpath={.status.containerStatuses[0].state.terminated.reason}/{.status.containerStatuses[0].state.terminated.exitCode}"])
            #expect(r.out == "OOMKilled/137", "\(r)")
            r = try await kubectl.run(["get", "pod", "hog"])
            #expect(r.out.contains("OOMKilled"), "\(r)")
        }
    }

    @Test func aPodOnAnInterruptedSpotNodeEndsWithDisruptionTarget() async throws {
        let spot = try NodeConfiguration.parse(flags: "name=spot,cpu=4,memory=8Gi,capacity=spot")
        try await withDevCluster(nodes: spot) { cluster, kubectl in
            var r = try await kubectl.run(["run", "worker", "--image=busybox", "--restart=Never", "--", "sleep", "60"])
            #expect(r.status == 0, "\(r)")
            r = try await kubectl.run(["wait", "--for=jsonpath={.status.phase}=Running", "pod/worker", "--timeout=30s"])
            #expect(r.status == 0, "\(r)")
            let node = try await kubectl.require(["get", "pod", "worker", "-o", "jsonpath={.spec.nodeName}"]).out
            r = try await kubectl.run(["get", "node", node, "-o", "jsonpath={.metadata.labels.karpenter\\.sh/capacity-type}"])
            #expect(r.out == "spot", "\(r)")

            // The admin endpoint, as `slipway dev` users reach it with kubectl.
            r = try await kubectl.run(["create", "--raw", "/slipway/nodes/\(node)/interrupt", "-f", "-"], input: "{}")
            #expect(r.status == 0, "\(r)")
            r = try await kubectl.run(["wait", "--for=condition=DisruptionTarget", "pod/worker", "--timeout=30s"])
            #expect(r.status == 0, "\(r)")
            r = try await kubectl.run(["wait", "--for=jsonpath={.status.phase}=Failed", "pod/worker", "--timeout=30s"])
            #expect(r.status == 0, "\(r)")
            r = try await kubectl.run(["get", "pod", "worker", "-o", "jsonpath={.status.conditions[?(@.type==\"DisruptionTarget\")].reason}/{.status.containerStatuses[0].state.terminated.exitCode}"])
            #expect(r.out == "TerminationByKubelet/143", "\(r)")
            _ = cluster
        }
    }

    @Test func deletingARunningPodStopsItsProcess() async throws {
        try await withDevCluster { _, kubectl in
            try await kubectl.require(["run", "sleeper", "--image=busybox", "--restart=Never", "--", "sleep", "300"])
            var r = try await kubectl.run(["wait", "--for=jsonpath={.status.phase}=Running", "pod/sleeper", "--timeout=30s"])
            #expect(r.status == 0, "\(r)")
            r = try await kubectl.run(["delete", "pod", "sleeper", "--grace-period=2"], timeout: .seconds(60))
            #expect(r.status == 0 && r.out.contains(#"pod "sleeper" deleted"#), "\(r)")
            r = try await kubectl.run(["get", "pod", "sleeper"])
            #expect(r.err.contains("not found"), "\(r)")
        }
    }
}
