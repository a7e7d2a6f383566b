import Foundation
import LocalCluster
import KubeTesting
import SlipwayDevTesting
import Testing

/// The real kubectl against `slipway dev`, the way a user types it.
@Suite("kubectl against slipway dev", .serialized)
struct KubectlEndToEndTests {
    static let reference = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../../shared/reference/kube-api").standardized

    @Test func namespacesConfigMapsAndSecretsAsUsersCreateThem() async throws {
        try await withDevCluster { _, kubectl in
            // kubectl create … sends protobuf bodies.
            var r = try await kubectl.run(["create", "namespace", "demo"])
            #expect(r.status == 0, "\(r)")
            #expect(r.out.contains("namespace/demo created"))
            r = try await kubectl.run(["create", "configmap", "settings", "-n", "demo", "--from-literal=mode=fast", "--from-literal=level=3"])
            #expect(r.status == 0, "\(r)")
            r = try await kubectl.run(["create", "secret", "generic", "creds", "-n", "demo", "--from-literal=password=s3cret"])
            #expect(r.status == 0, "\(r)")

            r = try await kubectl.run(["get", "configmaps", "-n", "demo"])
            #expect(r.out.contains("NAME"), "\(r)")
            #expect(r.out.range(of: #"settings\s+2\s+"#, options: .regularExpression) != nil, "\(r)")
            r = try await kubectl.run(["get", "secret", "creds", "-n", "demo", "-o", "jsonpath={.data.password}"])
            #expect(r.out == Data("s3cret".utf8).base64EncodedString(), "\(r)")
            r = try await kubectl.run(["get", "ns"])
            #expect(r.out.contains("demo") && r.out.contains("Active"), "\(r)")

            let manifest = """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: applied, namespace: demo, labels: {app: etl}}
                data: {mode: fast}
                """
            r = try await kubectl.run(["apply", "-f", "-"], input: manifest)
            #expect(r.out.contains("configmap/applied created"), "\(r)")
            r = try await kubectl.run(["apply", "-f", "-"], input: manifest.replacingOccurrences(of: "fast", with: "slow"))
            #expect(r.out.contains("configmap/applied configured"), "\(r)")
            r = try await kubectl.run(["get", "cm", "-n", "demo", "-l", "app=etl", "-o", "jsonpath={.items[*].data.mode}"])
            #expect(r.out == "slow", "\(r)")
            r = try await kubectl.run(["describe", "cm", "applied", "-n", "demo"])
            #expect(r.status == 0 && r.out.contains("Name:") && r.out.contains("applied"), "\(r)")

            r = try await kubectl.run(["delete", "cm", "applied", "-n", "demo"])
            #expect(r.out.contains(#"configmap "applied" deleted"#), "\(r)")
            r = try await kubectl.run(["get", "cm", "applied", "-n", "demo"])
            #expect(r.status != 0 && r.err.contains(#"configmaps "applied" not found"#), "\(r)")
        }
    }

    @Test func customResourcesWithASchemaAreServedAndValidated() async throws {
        try await withDevCluster { _, kubectl in
            let crd = Self.reference.appendingPathComponent("02-crd-apply-wait/crd.yaml").path
            #expect(FileManager.default.fileExists(atPath: crd), "the reference recordings must sit beside the clone: \(crd)")
            var r = try await kubectl.run(["apply", "-f", crd])
            #expect(r.status == 0, "\(r)")
            r = try await kubectl.run(["wait", "--for=condition=Established", "crd/gadgets.reference.example.com", "--timeout=20s"])
            #expect(r.status == 0, "\(r)")

            let gadget = """
                apiVersion: reference.example.com/v1
                kind: Gadget
                metadata: {name: g1}
                spec: {size: 3, serial: AB-1234}
                """
            r = try await kubectl.run(["apply", "-f", "-"], input: gadget)
            #expect(r.out.contains("gadget.reference.example.com/g1 created"), "\(r)")
            r = try await kubectl.run(["get", "gadgets"])
            #expect(r.out.range(of: #"g1\s+3"#, options: .regularExpression) != nil, "\(r)")
            r = try await kubectl.run(["get", "gadget", "g1", "-o", "jsonpath={.spec.mode}"])
            #expect(r.out == "Safe", "the schema default is applied: \(r)")

            r = try await kubectl.run(["apply", "-f", "-"], input: gadget.replacingOccurrences(of: "g1", with: "g-bad").replacingOccurrences(of: "size: 3", with: "size: 11"))
            #expect(r.status != 0)
            #expect(r.err.contains(#"The Gadget "g-bad" is invalid: spec.size: Invalid value: 11: spec.size in body should be less than or equal to 10"#), "\(r)")
            r = try await kubectl.run(["apply", "-f", "-"], input: gadget.replacingOccurrences(of: "g1", with: "g-bad").replacingOccurrences(of: "size: 3", with: "size: 3, colour: red"))
            #expect(r.status != 0)
            #expect(r.err.contains(#"unknown field "spec.colour""#), "\(r)")

            r = try await kubectl.run(["patch", "gadget", "g1", "--subresource=status", "--type=merge", "-p",
                #"{"status":{"conditions":[{"type":"Ready","status":"True","reason":"Done","message":"ok","lastTransitionTime":"2026-01-01T00:00:00Z"}]}}"#])
            #expect(r.status == 0, "\(r)")
            r = try await kubectl.run(["wait", "--for=condition=Ready", "gadget/g1", "--timeout=20s"])
            #expect(r.status == 0 && r.out.contains("condition met"), "\(r)")

            let deletion = Task { try await kubectl.run(["wait", "--for=delete", "gadget/g1", "--timeout=30s"]) }
            r = try await kubectl.run(["delete", "gadget", "g1"])
            #expect(r.status == 0, "\(r)")
            let waited = try await deletion.value
            #expect(waited.status == 0, "\(waited)")
        }
    }

    @Test func getWatchShowsChangesAsTheyHappen() async throws {
        try await withDevCluster { _, kubectl in
            try await kubectl.require(["create", "configmap", "first", "--from-literal=a=1"])
            let (process, output) = try kubectl.start(["get", "configmaps", "-w"])
            defer { if process.isRunning { process.terminate() } }
            let lines = LineCollector(output.fileHandleForReading)
            #expect(await lines.waitFor("first", timeout: .seconds(20)))
            try await kubectl.require(["create", "configmap", "second", "--from-literal=a=1"])
            #expect(await lines.waitFor("second", timeout: .seconds(20)), "\(lines.text)")
        }
    }

    @Test func deletingAnOwnerGarbageCollectsItsChildren() async throws {
        try await withDevCluster { _, kubectl in
            try await kubectl.require(["create", "configmap", "owner", "--from-literal=a=1"])
            let uid = try await kubectl.require(["get", "cm", "owner", "-o", "jsonpath={.metadata.uid}"]).out
            let child = """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: child
                  ownerReferences: [{apiVersion: v1, kind: ConfigMap, name: owner, uid: \(uid)}]
                data: {b: "2"}
                """
            var r = try await kubectl.run(["apply", "-f", "-"], input: child)
            #expect(r.status == 0, "\(r)")
            r = try await kubectl.run(["delete", "cm", "owner"])
            #expect(r.status == 0, "\(r)")
            r = try await kubectl.run(["wait", "--for=delete", "cm/child", "--timeout=20s"])
            #expect(r.status == 0, "\(r)")
            r = try await kubectl.run(["get", "cm", "child"])
            #expect(r.err.contains("not found"), "\(r)")
        }
    }

    @Test func objectsSurviveARestart() async throws {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("slipway-restart-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: data) }
        var uid = ""
        try await withDevCluster(ephemeral: false, dataDirectory: data) { _, kubectl in
            try await kubectl.require(["create", "configmap", "keep", "--from-literal=a=1"])
            uid = try await kubectl.require(["get", "cm", "keep", "-o", "jsonpath={.metadata.uid}"]).out
        }
        try await withDevCluster(ephemeral: false, dataDirectory: data) { _, kubectl in
            let r = try await kubectl.require(["get", "cm", "keep", "-o", "jsonpath={.metadata.uid}"])
            #expect(r.status == 0 && r.out == uid, "\(r)")
        }
    }

    @Test func injectedAPIFaultsAreVisibleToKubectl() async throws {
        try await withDevCluster { cluster, kubectl in
            await cluster.server.setFaults(errorRate: 1)
            var r = try await kubectl.run(["get", "configmaps", "--request-timeout=10s"])
            #expect(r.status != 0 && r.err.contains("Error from server (InternalError)"), "\(r)")
            await cluster.server.setFaults(errorRate: 0)
            r = try await kubectl.run(["get", "configmaps"])
            #expect(r.status == 0, "\(r)")
        }
    }
}

/// Collects a process's output lines so a test can wait for one to appear.
final class LineCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var buffer = ""

    init(_ handle: FileHandle) {
        handle.readabilityHandler = { [weak self] h in
            let data = h.availableData
            guard let self, !data.isEmpty else { h.readabilityHandler = nil; return }
            self.lock.lock()
            self.buffer += String(decoding: data, as: UTF8.self)
            self.lock.unlock()
        }
    }

    var text: String {
        lock.lock()
        defer { lock.unlock() }
        return buffer
    }

    /// Polls the collected output until it contains `needle` or the timeout passes.
    func waitFor(_ needle: String, timeout: Duration) async -> Bool {
        (try? await eventually(timeout: timeout, interval: .milliseconds(50)) { self.text.contains(needle) }) ?? false
    }
}

@Suite("slipway dev data directory")
struct DevDataDirectoryTests {
    @Test func twoDevClustersCannotShareADataDirectory() async throws {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("slipway-lock-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: data) }
        try await withDevCluster(ephemeral: false, dataDirectory: data) { _, _ in
            #expect {
                _ = try DevCluster(configuration: DevClusterConfiguration(dataDirectory: data, port: 0))
            } throws: { error in
                "\(error)".contains("another slipway dev is using")
            }
        }
        // Released at shutdown: the directory can be used again.
        try await withDevCluster(ephemeral: false, dataDirectory: data) { _, _ in }
    }
}
