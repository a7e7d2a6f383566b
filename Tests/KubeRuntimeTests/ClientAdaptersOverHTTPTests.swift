import Foundation
import KubeAPI
import KubeClient
import KubeRuntime
import KubeTesting
import Synchronization
import Testing

/// A one-object Lease endpoint: 404 until created, then optimistic concurrency on PUT.
final class LeaseEndpoint: Sendable {
    private let stored = Mutex<(lease: JSONValue?, rv: Int)>((nil, 0))

    func handle(_ request: ScriptedRequest, _ r: ScriptedResponder) async throws {
        let answer: (Int, String) = try stored.withLock { s in
            switch request.method {
            case "GET":
                guard let lease = s.lease else {
                    return (404, JSON.string(Status(code: 404, reason: "NotFound", message: #"leases.coordination.k8s.io "slipway" not found"#).json))
                }
                return (200, JSON.string(lease))
            case "POST", "PUT":
                var body = try JSON.parse(request.body)
                let sent = body[path: ["metadata", "resourceVersion"]]?.stringValue
                if request.method == "PUT", sent != String(s.rv) {
                    let message = #"Operation cannot be fulfilled on leases.coordination.k8s.io "slipway": the object has been modified; please apply your changes to the latest version and try again"#
                    return (409, JSON.string(Status(code: 409, reason: "Conflict", message: message).json))
                }
                s.rv += 1
                body["metadata"]?["resourceVersion"] = .string(String(s.rv))
                s.lease = body
                return (request.method == "POST" ? 201 : 200, JSON.string(body))
            default:
                return (405, "{}")
            }
        }
        try await r.respond(status: answer.0, body: answer.1)
    }

    /// Another candidate writes the lease behind our back.
    func bumpVersion() { stored.withLock { $0.rv += 1 } }
}

@Suite("Client-backed runtime adapters over HTTP")
struct ClientAdaptersOverHTTPTests {
    @Test func leaseLockCreatesUpdatesAndReportsConflicts() async throws {
        let endpoint = LeaseEndpoint()
        let server = try await ScriptedHTTPServer.start { try await endpoint.handle($0, $1) }
        let client = KubernetesClient(configuration: ClientConfiguration(server: server.url, qps: nil, maxRetries: 0))
        let lock = KubernetesLeaseLock(client: client, namespace: "slipway-system", name: "slipway")
        let t0 = Date(timeIntervalSince1970: 1_800_000_000)

        #expect(try await lock.get() == nil)
        let created = try await lock.create(LeaseRecord(holderIdentity: "pod-a", leaseDurationSeconds: 15, acquireTime: t0, renewTime: t0, leaseTransitions: 0))
        #expect(created.record.holderIdentity == "pod-a")
        let renewed = try await lock.update(
            LeaseRecord(holderIdentity: "pod-a", leaseDurationSeconds: 15, acquireTime: t0, renewTime: t0 + 2, leaseTransitions: 0),
            resourceVersion: created.resourceVersion)
        #expect(renewed.resourceVersion != created.resourceVersion)
        let read = try #require(try await lock.get())
        #expect(read.record.renewTime == t0 + 2)
        #expect(read.record.leaseDurationSeconds == 15)

        endpoint.bumpVersion()
        await #expect {
            _ = try await lock.update(
                LeaseRecord(holderIdentity: "pod-a", leaseDurationSeconds: 15, acquireTime: t0, renewTime: t0 + 4, leaseTransitions: 0),
                resourceVersion: read.resourceVersion)
        } throws: { ($0 as? KubeError)?.isConflict == true }

        let requests = server.requests
        #expect(requests.first?.path == "/apis/coordination.k8s.io/v1/namespaces/slipway-system/leases/slipway")
        #expect(requests[1].method == "POST")
        #expect(requests[1].path == "/apis/coordination.k8s.io/v1/namespaces/slipway-system/leases")
        let body = try JSON.parse(requests[1].body)
        #expect(body[path: ["spec", "holderIdentity"]] == "pod-a")
        #expect(body[path: ["spec", "renewTime"]]?.stringValue?.hasSuffix(".000000Z") == true, "MicroTime has microseconds")
        try await client.shutdown()
        await server.shutdown()
    }

    @Test func eventSinkCreatesThenPatchesRepeats() async throws {
        let server = try await ScriptedHTTPServer.start { req, r in try await r.respond(status: req.method == "POST" ? 201 : 200, body: "{}") }
        let client = KubernetesClient(configuration: ClientConfiguration(server: server.url, qps: nil, maxRetries: 0))
        let sink = ClientEventSink(client: client)
        let t0 = Date(timeIntervalSince1970: 1_800_000_000)
        var event = RecordedEvent(
            name: "job1.18a0", namespace: "demo",
            involvedObject: .init(apiVersion: "slipway.dev/v1alpha1", kind: "BatchJob", namespace: "demo", name: "job1", uid: "u1", resourceVersion: "5"),
            type: .warning, reason: "AttemptFailed", message: "exit 137 (OOMKilled)", count: 1, firstTimestamp: t0, lastTimestamp: t0,
            component: "slipway-operator", instance: "")
        try await sink.create(event)
        event.count = 2
        event.lastTimestamp = t0 + 30
        try await sink.patch(event)

        let requests = server.requests
        #expect(requests.map(\.method) == ["POST", "PATCH"])
        #expect(requests[0].path == "/api/v1/namespaces/demo/events")
        let created = try JSON.parse(requests[0].body)
        #expect(created[path: ["involvedObject", "kind"]] == "BatchJob")
        #expect(created["reason"] == "AttemptFailed")
        #expect(created["type"] == "Warning")
        #expect(requests[1].path == "/api/v1/namespaces/demo/events/job1.18a0")
        #expect(requests[1].header("Content-Type") == "application/merge-patch+json")
        let patch = try JSON.parse(requests[1].body)
        #expect(patch["count"] == 2)
        try await client.shutdown()
        await server.shutdown()
    }
}
