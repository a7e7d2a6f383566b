import Foundation
import KubeAPI
import Testing

@testable import LocalCluster

#if canImport(Glibc)
import Glibc
#endif

/// A node started after a crash (`kill -9` of `slipway dev`) on the same directory behaves
/// as a kubelet after a node reboot: what the crashed node left running is stopped, a
/// container that was running under `restartPolicy: Never` is reported terminated
/// (ContainerStatusUnknown, exit 137) and never started again, a restartable one restarts
/// once with its restart count raised, and a finished pod is left alone.
@Suite("Local nodes: restart after a crash", .serialized)
struct NodeRestartTests {
    @Test func noContainerRunsTwiceAndNoOrphanSurvives() async throws {
        let store = ClusterStore(try makeStore())
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("slipway-restart-\(UUID().uuidString)")
        let marks = root.appendingPathComponent("marks")
        try FileManager.default.createDirectory(at: marks, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        let configuration = KubeletConfiguration(
            initialBackOff: .milliseconds(200), imagePullBackOff: .milliseconds(300), minimumGracePeriod: .seconds(2))
        func mark(_ name: String) -> URL { marks.appendingPathComponent(name) }
        func runs(_ name: String) -> [pid_t] {
            ((try? String(contentsOf: mark(name), encoding: .utf8)) ?? "").split(separator: "\n").compactMap { pid_t($0) }
        }

        // `$$$$` is the shell's `$$` (the process id) after Kubernetes' `$(VAR)` expansion.
        let first = await LocalNodes.start(store: store, root: root.appendingPathComponent("node"), configuration: configuration)
        try await createPod(store, shellPod("done", "echo $$$$ >> \(mark("done").path)"))
        try await waitForPod(store, "done") { $0.status.phase == .succeeded }
        try await createPod(store, shellPod("never", "echo $$$$ >> \(mark("never").path); exec sleep 60"))
        try await createPod(store, shellPod("again", "echo $$$$ >> \(mark("again").path); exec sleep 60", restartPolicy: "OnFailure"))
        for name in ["never", "again"] {
            try await waitForPod(store, name) { $0.main?.state.running != nil }
            #expect(try await eventuallyTrue { runs(name).count == 1 }, "\(name) started")
        }
        let orphans = runs("never") + runs("again")

        await first.crash()
        for pid in orphans { #expect(ProcessLauncher.startTime(of: pid) != nil, "the crash leaves \(pid) running, as kill -9 would") }

        let second = await LocalNodes.start(store: store, root: root.appendingPathComponent("node"), configuration: configuration)
        let never = try await waitForPod(store, "never") { $0.status.phase == .failed }
        let terminated = try #require(never.main?.state.terminated)
        #expect(terminated.exitCode == 137 && terminated.reason == "ContainerStatusUnknown", "\(terminated.json)")
        #expect(terminated.message?.contains("node restarted") == true, "\(terminated.json)")
        let again = try await waitForPod(store, "again") { $0.main?.state.running != nil && $0.main?.restartCount == 1 }
        #expect(again.main?.lastState.terminated?.reason == "ContainerStatusUnknown")
        #expect(try await eventuallyTrue { runs("again").count == 2 })
        for pid in orphans {
            #expect(try await eventuallyTrue { ProcessLauncher.startTime(of: pid) == nil }, "the orphan \(pid) was stopped")
        }
        // Give a wrongly restarted container time to show itself.
        try await Task.sleep(for: .milliseconds(500))
        #expect(runs("never").count == 1, "a restartPolicy Never container ran twice: \(runs("never"))")
        #expect(runs("again").count == 2, "\(runs("again"))")
        #expect(runs("done").count == 1)
        let done = Pod(object: try await store.store.get(.pods, namespace: "demo", name: "done"))
        #expect(done.status.phase == .succeeded)
        await second.stop()
    }

    /// A stop (Ctrl-C of `slipway dev`) kills the containers without writing their end; the
    /// next start reports them as after a crash and runs nothing of theirs again.
    @Test func afterAStopARunningNeverContainerIsReportedNotRunAgain() async throws {
        let store = ClusterStore(try makeStore())
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("slipway-restart-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        let runs = root.appendingPathComponent("runs")
        let node = root.appendingPathComponent("node")
        let first = await LocalNodes.start(store: store, root: node)
        try await createPod(store, shellPod("never", "echo run >> \(runs.path); exec sleep 60"))
        try await waitForPod(store, "never") { $0.main?.state.running != nil }
        #expect(try await eventuallyTrue { FileManager.default.fileExists(atPath: runs.path) })
        await first.stop()
        let second = await LocalNodes.start(store: store, root: node)
        let pod = try await waitForPod(store, "never") { $0.status.phase == .failed }
        #expect(pod.main?.state.terminated?.reason == "ContainerStatusUnknown")
        try await Task.sleep(for: .milliseconds(500))
        #expect((try String(contentsOf: runs, encoding: .utf8)) == "run\n")
        await second.stop()
    }

    /// Polls `condition` every 50 ms for at most `timeout`.
    func eventuallyTrue(timeout: Duration = .seconds(10), _ condition: () -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if condition() { return true }
            try await Task.sleep(for: .milliseconds(50))
        }
        return condition()
    }
}
