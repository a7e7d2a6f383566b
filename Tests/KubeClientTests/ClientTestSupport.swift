import Foundation
import KubeAPI
import KubeClient
import NIOSSL
import KubeTesting

/// A namespaced custom resource used to exercise the client without depending on built-in kinds.
struct Widget: KubeObject {
    static let resource = APIResource(group: "test.slipway.dev", version: "v1", kind: "Widget", plural: "widgets", namespaced: true)
    var object: JSONObject
    init(object: JSONObject) { self.object = object }

    var size: Int? { object["spec"]?["size"].flatMap { Int(json: $0) } }
}

func widgetJSON(_ name: String, rv: String = "1", size: Int = 1) -> String {
    #"{"apiVersion":"test.slipway.dev/v1","kind":"Widget","metadata":{"name":"\#(name)","namespace":"demo","resourceVersion":"\#(rv)","uid":"uid-\#(name)"},"spec":{"size":\#(size)}}"#
}

func statusJSON(code: Int, reason: String, message: String, extra: String = "") -> String {
    #"{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"\#(message)","reason":"\#(reason)",\#(extra)"code":\#(code)}"#
}

/// Starts a scripted server and a client pointed at it; stops both afterwards.
func withClient(
    clock: any KubeClock = SteppingClock(), qps: Double? = nil, maxRetries: Int = 3, tls: TLSConfiguration? = nil,
    configure: (inout ClientConfiguration) -> Void = { _ in }, interceptor: (any RequestInterceptor)? = nil,
    handler: @escaping ScriptedHTTPServer.Handler,
    body: (KubernetesClient, ScriptedHTTPServer) async throws -> Void
) async throws {
    let server = try await ScriptedHTTPServer.start(tls: tls, handler: handler)
    var config = ClientConfiguration(
        server: server.url, credentials: StaticTokenProvider(token: "secret-token"), namespace: "demo", qps: qps, burst: 2,
        requestTimeout: .seconds(60), maxRetries: maxRetries)
    configure(&config)
    let client = KubernetesClient(configuration: config, clock: clock, interceptor: interceptor)
    do {
        try await body(client, server)
    } catch {
        try? await client.shutdown()
        await server.shutdown()
        throw error
    }
    try await client.shutdown()
    await server.shutdown()
}
