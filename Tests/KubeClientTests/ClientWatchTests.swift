import Foundation
import KubeAPI
import KubeClient
import KubeTesting
import Testing

@Suite("KubernetesClient watch streams")
struct ClientWatchTests {
    static func event(_ type: String, _ object: String) -> String { #"{"type":"\#(type)","object":\#(object)}"# + "\n" }

    @Test func eventsSplitAcrossChunksMidObjectAreReassembled() async throws {
        let added = Self.event("ADDED", widgetJSON("a", rv: "11"))
        let modified = Self.event("MODIFIED", widgetJSON("a", rv: "12", size: 9))
        let stream = added + modified
        // Chunk boundaries inside a string, inside a number and between the two events' bytes.
        let cuts = [7, 40, added.utf8.count - 1, added.utf8.count + 3, stream.utf8.count - 2]
        try await withClient(handler: { _, r in
            try await r.start()
            let bytes = Array(stream.utf8)
            var start = 0
            for cut in cuts + [bytes.count] {
                try await r.write(String(decoding: bytes[start..<cut], as: UTF8.self))
                start = cut
            }
            try await r.end()
        }) { client, server in
            var events: [WatchEvent<Widget>] = []
            for try await event in try await client.watch(
                Widget.self, namespace: "demo", options: ListOptions(resourceVersion: "10", allowWatchBookmarks: true, timeoutSeconds: 300))
            {
                events.append(event)
            }
            #expect(events.map(\.type) == [.added, .modified])
            #expect(events.map { $0.object.metadata.resourceVersion } == ["11", "12"])
            #expect(events[1].object.size == 9)
            let request = try #require(server.requests.first)
            #expect(request.query["watch"] == "true")
            #expect(request.query["resourceVersion"] == "10")
            #expect(request.query["allowWatchBookmarks"] == "true")
            #expect(request.query["timeoutSeconds"] == "300")
        }
    }

    @Test func bookmarksAndErrorEventsAreDelivered() async throws {
        let bookmark = #"{"kind":"Widget","apiVersion":"test.slipway.dev/v1","metadata":{"resourceVersion":"20","annotations":{"k8s.io/initial-events-end":"true"}}}"#
        let expired = statusJSON(code: 410, reason: "Expired", message: "too old resource version: 5 (20)")
        try await withClient(handler: { _, r in
            try await r.start()
            try await r.write(Self.event("BOOKMARK", bookmark))
            try await r.write(Self.event("ERROR", expired))
            try await r.end()
        }) { client, _ in
            var events: [WatchEvent<Widget>] = []
            for try await event in try await client.watch(Widget.self, options: ListOptions(resourceVersion: "5")) {
                events.append(event)
            }
            #expect(events.map(\.type) == [.bookmark, .error])
            #expect(events[0].object.metadata.resourceVersion == "20")
            let status = try #require(events[1].status)
            #expect(status.code == 410)
            #expect(KubeError.from(watchStatus: status).isGone)
        }
    }

    @Test func goneOnConnectIsThrown() async throws {
        try await withClient(handler: { _, r in
            try await r.respond(status: 410, body: statusJSON(code: 410, reason: "Expired", message: "too old resource version: 1 (30)"))
        }) { client, server in
            await #expect {
                _ = try await client.watch(Widget.self, options: ListOptions(resourceVersion: "1"))
            } throws: { ($0 as? KubeError)?.isGone == true }
            #expect(server.requests.count == 1, "a watch is not retried")
        }
    }

    @Test func droppedConnectionMidWatchDeliversWhatArrivedThenThrows() async throws {
        try await withClient(handler: { _, r in
            try await r.start()
            try await r.write(Self.event("ADDED", widgetJSON("a", rv: "11")))
            try await r.write(#"{"type":"MODIFIED","object":{"kind":"Wid"#)
            await r.drop()
        }) { client, _ in
            var events: [WatchEvent<Widget>] = []
            do {
                for try await event in try await client.watch(Widget.self) { events.append(event) }
                Issue.record("the stream should end with an error")
            } catch let error as KubeError {
                guard case .transport = error else {
                    Issue.record("expected a transport error, got \(error)")
                    return
                }
            }
            #expect(events.map { $0.object.metadata.resourceVersion } == ["11"])
        }
    }
}

extension ClientWatchTests {
    @Test func manyOpenWatchesLeaveRoomForOrdinaryRequests() async throws {
        let releaser = Releaser()
        try await withClient(handler: { req, r in
            if req.query["watch"] == "true" {
                try await r.start()
                await releaser.wait()
                try await r.end()
            } else {
                try await r.respond(status: 200, body: widgetJSON("w1"))
            }
        }) { client, server in
            var streams: [WatchStream<Widget>] = []
            for _ in 0..<12 { streams.append(try await client.watch(Widget.self)) }
            let widget = try await client.get(Widget.self, name: "w1")
            #expect(widget.metadata.name == "w1")
            #expect(server.requests.count == 13)
            await releaser.releaseAll()
            for stream in streams { for try await _ in stream {} }
        }
    }
}

/// Holds handlers until the test lets them all go.
actor Releaser {
    private var released = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    func wait() async {
        if released { return }
        await withCheckedContinuation { waiting.append($0) }
    }

    func releaseAll() {
        released = true
        for continuation in waiting { continuation.resume() }
        waiting = []
    }
}

@Suite("KubernetesClient TLS")
struct ClientTLSTests {
    @Test func clientCertificateIssuedByTheClusterCAIsAccepted() async throws {
        let ca = try TestCertificateAuthority()
        let user = try ca.issueClient(user: "jane", groups: ["system:masters"])
        try await withClient(
            tls: try ca.serverTLS(requireClientCertificate: true),
            configure: {
                $0.certificateAuthorityPEM = Data(ca.certificatePEM.utf8)
                $0.clientCertificatePEM = Data(user.certificatePEM.utf8)
                $0.clientKeyPEM = Data(user.keyPEM.utf8)
                $0.credentials = nil
            },
            handler: { _, r in try await r.respond(status: 200, body: widgetJSON("w1")) }
        ) { client, server in
            #expect(server.url.scheme == "https")
            let widget = try await client.get(Widget.self, name: "w1")
            #expect(widget.metadata.name == "w1")
            #expect(server.requests.first?.header("Authorization") == nil)
        }
    }

    @Test func withoutAClientCertificateTheHandshakeFails() async throws {
        let ca = try TestCertificateAuthority()
        try await withClient(
            maxRetries: 0, tls: try ca.serverTLS(requireClientCertificate: true),
            configure: { $0.certificateAuthorityPEM = Data(ca.certificatePEM.utf8) },
            handler: { _, r in try await r.respond(status: 200, body: widgetJSON("w1")) }
        ) { client, server in
            await #expect {
                _ = try await client.get(Widget.self, name: "w1")
            } throws: { error in
                guard case .transport = error as? KubeError else { return false }
                return true
            }
            #expect(server.requests.isEmpty)
        }
    }

    @Test func anUntrustedServerIsRefusedUnlessInsecureIsSet() async throws {
        let ca = try TestCertificateAuthority()
        let other = try TestCertificateAuthority(commonName: "someone else")
        let tls = try ca.serverTLS(requireClientCertificate: false)
        try await withClient(
            maxRetries: 0, tls: tls,
            configure: {
                $0.certificateAuthorityPEM = Data(other.certificatePEM.utf8)
                $0.requestTimeout = .seconds(2)
            },
            handler: { _, r in try await r.respond(status: 200, body: widgetJSON("w1")) }
        ) { client, _ in
            await #expect(throws: KubeError.self) { _ = try await client.get(Widget.self, name: "w1") }
        }
        try await withClient(
            tls: tls, configure: { $0.insecureSkipTLSVerify = true },
            handler: { _, r in try await r.respond(status: 200, body: widgetJSON("w1")) }
        ) { client, _ in
            _ = try await client.get(Widget.self, name: "w1")
        }
    }
}
