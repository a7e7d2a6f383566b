import Foundation
import KubeAPI
import KubeClient
import KubeTesting
import Synchronization
import Testing

/// The client's fault-injection seam (`RequestInterceptor`, used by `CrashPointTests`): it
/// can fail a request before it is sent, lose the answer of one that took effect, and drop
/// or hold watch lines.
@Suite("KubernetesClient request interceptor")
struct ClientInterceptorTests {
    struct Failure: Error {}

    final class Script: RequestInterceptor {
        let failSends: Bool
        let loseAnswers: Bool
        let seen = Mutex<[String]>([])
        init(failSends: Bool = false, loseAnswers: Bool = false) {
            self.failSends = failSends
            self.loseAnswers = loseAnswers
        }
        func willSend(method: String, path: String) async throws {
            seen.withLock { $0.append("send \(method) \(path)") }
            if failSends { throw Failure() }
        }
        func didAnswer(method: String, path: String, code: Int) async throws {
            seen.withLock { $0.append("answer \(method) \(code)") }
            if loseAnswers { throw Failure() }
        }
        func watchFilter(path: String) -> (any WatchLineFilter)? { DropSecondHoldThird() }
    }

    /// Drops the second line, holds the third until the fourth arrives.
    final class DropSecondHoldThird: WatchLineFilter {
        var count = 0
        var held: [UInt8]?
        func receive(_ line: [UInt8]) -> [[UInt8]] {
            count += 1
            switch count {
            case 2: return []
            case 3:
                held = line
                return []
            case 4: return [held!, line]
            default: return [line]
            }
        }
    }

    @Test func aFailedSendNeverReachesTheServer() async throws {
        let script = Script(failSends: true)
        try await withClient(interceptor: script, handler: { _, r in try await r.respond(status: 201, body: widgetJSON("w1")) }) { client, server in
            await #expect(throws: Failure.self) { _ = try await client.create(Widget(name: "w1", namespace: "demo")) }
            #expect(server.requests.isEmpty)
        }
    }

    @Test func aLostAnswerTookEffectButTheCallerNeverLearnsIt() async throws {
        let script = Script(loseAnswers: true)
        try await withClient(interceptor: script, handler: { _, r in try await r.respond(status: 201, body: widgetJSON("w1")) }) { client, server in
            await #expect(throws: Failure.self) { _ = try await client.create(Widget(name: "w1", namespace: "demo")) }
            #expect(server.requests.count == 1)
            #expect(script.seen.withLock { $0 } == ["send POST /apis/test.slipway.dev/v1/namespaces/demo/widgets", "answer POST 201"])
        }
    }

    @Test func watchLinesAreDroppedAndHeldAsTheFilterSays() async throws {
        try await withClient(interceptor: Script(), handler: { _, r in
            try await r.start()
            for (i, rv) in ["11", "12", "13", "14", "15"].enumerated() {
                try await r.write(ClientWatchTests.event(i == 0 ? "ADDED" : "MODIFIED", widgetJSON("a", rv: rv)))
            }
            try await r.end()
        }) { client, _ in
            var versions: [String] = []
            for try await event in try await client.watch(Widget.self, namespace: "demo") {
                versions.append(event.object.metadata.resourceVersion ?? "")
            }
            #expect(versions == ["11", "13", "14", "15"])
        }
    }
}
