import Foundation
import KubeTesting
import SlipwayDevTesting
import Testing

/// The developer loop: `slipway dev --no-operator` serves the API with Slipway's CRDs but
/// reconciles nothing, until a `slipway operator` process started beside it (as the hint it
/// prints says) runs the jobs that waited.
@Suite("slipway dev --no-operator", .serialized)
struct DevNoOperatorTests {
    @Test func jobsWaitForAnOperatorStartedBesideIt() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("slipway-dev-no-op-\(UUID().uuidString)")
        let home = root.appendingPathComponent("home")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        let dev = try OperatorProcess(
            ["--no-operator", "--ephemeral", "--data-dir", root.appendingPathComponent("data").path, "--port", "0", "--spark-stand-in"], command: "dev")
        defer { dev.stop() }
        let started = try await eventually(timeout: .seconds(60)) { dev.stdout.contains("Press Ctrl-C") || !dev.process.isRunning }
        #expect(started && dev.process.isRunning, "stdout:\n\(dev.stdout)\nstderr:\n\(dev.stderr.suffix(3000))")
        let lines = dev.stdout.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        let kubeconfig = try #require(lines.first { $0.hasPrefix("export KUBECONFIG=") }.map { String($0.dropFirst("export KUBECONFIG=".count)) })
        let server = try #require(lines.first { $0.hasPrefix("Slipway dev control plane is running at ") }.map { String($0.dropFirst("Slipway dev control plane is running at ".count)) })
        // The hint names the command to run, with this cluster's kubeconfig and Spark master.
        let hint = try #require(lines.first { $0.hasPrefix("slipway operator ") }, "\(dev.stdout)")
        #expect(hint.contains("--kubeconfig \(kubeconfig)") && hint.contains("--spark-master k8s://\(server)"), "\(hint)")

        let kubectl = Kubectl(kubeconfig: URL(fileURLWithPath: kubeconfig), home: home)
        try await kubectl.require(["apply", "-f", "-"], input: """
            apiVersion: slipway.dev/v1alpha1
            kind: BatchJob
            metadata: {name: waiting}
            spec:
              arraySize: 2
              template:
                spec:
                  containers: [{name: main, image: busybox, command: ["sh", "-c", "echo hello"]}]
            """)
        // Nothing reconciles it: for three seconds it has no status and no pod.
        let deadline = ContinuousClock.now + .seconds(3)
        while ContinuousClock.now < deadline {
            let status = try await kubectl.require(["get", "batchjob", "waiting", "-o", "jsonpath={.status}"]).out
            #expect(status.isEmpty, "no operator runs, yet the job has a status: \(status)")
            let pods = try await kubectl.require(["get", "pods", "-o", "name"]).out
            #expect(pods.isEmpty, "\(pods)")
            try await Task.sleep(for: .milliseconds(500))
        }

        // The operator as the hint says (on free ports), beside it: the job runs.
        let op = try OperatorProcess(
            ["--kubeconfig", kubeconfig, "--spark-master", "k8s://\(server)", "--metrics-port", "0", "--health-port", "0", "--bind-address", "127.0.0.1"])
        defer { op.stop() }
        let done = try await kubectl.run(["wait", "--for=condition=Succeeded", "batchjob/waiting", "--timeout=90s"], timeout: .seconds(100))
        #expect(done.status == 0, "\(done)\noperator:\n\(op.stderr.suffix(3000))\ndev:\n\(dev.stderr.suffix(2000))")
        let succeeded = try await kubectl.require(["get", "batchjob", "waiting", "-o", "jsonpath={.status.succeeded}"]).out
        #expect(succeeded == "2")

        op.terminate()
        #expect(try await op.waitForExit(timeout: .seconds(30)) == 0, "\(op.stderr.suffix(3000))")
        dev.terminate()
        #expect(try await dev.waitForExit(timeout: .seconds(30)) == 0, "\(dev.stderr.suffix(3000))")
    }

    @Test func withoutTheFlagTheEmbeddedOperatorRunsAndNoHintIsPrinted() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("slipway-dev-op-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let dev = try OperatorProcess(["--ephemeral", "--data-dir", root.path, "--port", "0", "--spark-stand-in"], command: "dev")
        defer { dev.stop() }
        let started = try await eventually(timeout: .seconds(60)) { dev.stdout.contains("Press Ctrl-C") || !dev.process.isRunning }
        #expect(started && !dev.stdout.contains("--no-operator") && !dev.stdout.contains("slipway operator "), "\(dev.stdout)")
        dev.terminate()
        #expect(try await dev.waitForExit(timeout: .seconds(30)) == 0, "\(dev.stderr.suffix(3000))")
    }
}
