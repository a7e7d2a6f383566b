import Foundation
import KubeAPI
import KubeClient
import KubeTesting
import Testing

@Suite("KubernetesClient verbs against a scripted server")
struct ClientVerbTests {
    @Test func getSendsPathTokenAndDecodesTheObject() async throws {
        try await withClient(handler: { _, r in try await r.respond(status: 200, body: widgetJSON("w1", size: 3)) }) { client, server in
            let widget = try await client.get(Widget.self, name: "w1")
            #expect(widget.metadata.name == "w1")
            #expect(widget.size == 3)
            let request = try #require(server.requests.first)
            #expect(request.method == "GET")
            #expect(request.path == "/apis/test.slipway.dev/v1/namespaces/demo/widgets/w1")
            #expect(request.header("Authorization") == "Bearer secret-token")
            #expect(request.header("Accept") == "application/json")
        }
    }

    @Test func listFollowsContinueTokensAndEncodesSelectors() async throws {
        try await withClient(handler: { req, r in
            if req.query["continue"] == nil {
                try await r.respond(status: 200, body: #"{"kind":"WidgetList","metadata":{"resourceVersion":"10","continue":"tok/1"},"items":[\#(widgetJSON("a"))]}"#)
            } else {
                try await r.respond(status: 200, body: #"{"kind":"WidgetList","metadata":{"resourceVersion":"10"},"items":[\#(widgetJSON("b"))]}"#)
            }
        }) { client, server in
            let list = try await client.listAll(
                Widget.self, namespace: "demo", options: ListOptions(labelSelector: "app in (x,y),!legacy", limit: 1))
            #expect(list.items.map { $0.metadata.name } == ["a", "b"])
            #expect(list.metadata.resourceVersion == "10")
            #expect(list.metadata.continue == nil)
            let requests = server.requests
            #expect(requests.count == 2)
            #expect(requests[0].query["labelSelector"] == "app in (x,y),!legacy")
            #expect(requests[0].uri.contains("labelSelector=app%20in%20%28x%2Cy%29%2C%21legacy"))
            #expect(requests[0].query["limit"] == "1")
            #expect(requests[1].query["continue"] == "tok/1")
            #expect(requests[1].query["labelSelector"] == "app in (x,y),!legacy")
        }
    }

    @Test func listWithoutNamespaceListsAllNamespaces() async throws {
        try await withClient(handler: { _, r in try await r.respond(status: 200, body: #"{"metadata":{},"items":[]}"#) }) { client, server in
            _ = try await client.list(Widget.self)
            #expect(server.requests.first?.path == "/apis/test.slipway.dev/v1/widgets")
        }
    }

    @Test func createUpdateStatusAndDeleteSendTheRightRequests() async throws {
        try await withClient(handler: { req, r in
            if req.method == "DELETE" {
                try await r.respond(status: 200, body: #"{"kind":"Status","apiVersion":"v1","status":"Success","code":200}"#)
            } else {
                try await r.respond(status: req.method == "POST" ? 201 : 200, body: req.bodyText)
            }
        }) { client, server in
            var widget = Widget(name: "w1", namespace: "demo")
            widget.object["spec"] = ["size": 2, "future": ["keep": true]]
            let created = try await client.create(widget, fieldManager: "slipway")
            #expect(created == widget)
            widget.metadata.resourceVersion = "7"
            _ = try await client.update(widget)
            _ = try await client.updateStatus(widget)
            let deleted = try await client.delete(
                Widget.self, name: "w1",
                options: DeleteOptions(propagationPolicy: .foreground, gracePeriodSeconds: 0, preconditionUID: "u-1"))
            #expect(deleted == nil)
            let r = server.requests
            #expect(r.map(\.method) == ["POST", "PUT", "PUT", "DELETE"])
            #expect(r[0].path == "/apis/test.slipway.dev/v1/namespaces/demo/widgets")
            #expect(r[0].query["fieldManager"] == "slipway")
            #expect(r[0].bodyText.contains(#""future":{"keep":true}"#))
            #expect(r[1].path == "/apis/test.slipway.dev/v1/namespaces/demo/widgets/w1")
            #expect(r[1].bodyText.contains(#""resourceVersion":"7""#))
            #expect(r[2].path == "/apis/test.slipway.dev/v1/namespaces/demo/widgets/w1/status")
            let deleteBody = try JSON.parse(r[3].bodyText)
            #expect(deleteBody["propagationPolicy"] == "Foreground")
            #expect(deleteBody["gracePeriodSeconds"] == 0)
            #expect(deleteBody[path: ["preconditions", "uid"]] == "u-1")
        }
    }

    @Test(arguments: [
        (PatchType.merge, "application/merge-patch+json", false),
        (PatchType.json, "application/json-patch+json", false),
        (PatchType.strategicMerge, "application/strategic-merge-patch+json", false),
        (PatchType.apply(force: true), "application/apply-patch+yaml", true),
    ])
    func patchSendsContentTypeAndApplyParameters(patchType: PatchType, contentType: String, isApply: Bool) async throws {
        try await withClient(handler: { _, r in try await r.respond(status: 200, body: widgetJSON("w1")) }) { client, server in
            _ = try await client.patch(
                Widget.self, name: "w1", patch: ["spec": ["size": 5]], patchType: patchType, fieldManager: "slipway")
            let request = try #require(server.requests.first)
            #expect(request.method == "PATCH")
            #expect(request.header("Content-Type") == contentType)
            #expect(request.query["fieldManager"] == "slipway")
            #expect((request.query["force"] == "true") == isApply)
        }
    }

    @Test func serverSideApplyWithoutFieldManagerIsRefusedLocally() async throws {
        try await withClient(handler: { _, r in try await r.respond(status: 200, body: "{}") }) { client, server in
            await #expect(throws: KubeError.self) {
                _ = try await client.patch(Widget.self, name: "w1", patch: [:], patchType: .apply(force: false))
            }
            #expect(server.requests.isEmpty)
        }
    }

    @Test func logsAndFollowedLogs() async throws {
        try await withClient(handler: { req, r in
            if req.query["follow"] == "true" {
                try await r.start(headers: [("Content-Type", "text/plain")])
                try await r.write("line one\nline ")
                try await r.write("two\n")
                try await r.write("last")
                try await r.end()
            } else {
                try await r.respond(status: 200, headers: [("Content-Type", "text/plain")], body: "a\nb\n")
            }
        }) { client, server in
            let text = try await client.logs(pod: "p1", options: LogOptions(container: "main", tailLines: 20))
            #expect(text == "a\nb\n")
            var lines: [String] = []
            for try await line in try await client.followLogs(pod: "p1") { lines.append(line) }
            #expect(lines == ["line one", "line two", "last"])
            let first = try #require(server.requests.first)
            #expect(first.path == "/api/v1/namespaces/demo/pods/p1/log")
            #expect(first.query["tailLines"] == "20")
            #expect(first.query["container"] == "main")
        }
    }
}
