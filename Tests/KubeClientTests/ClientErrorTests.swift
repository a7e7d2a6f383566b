import Foundation
import KubeAPI
import KubeClient
import KubeTesting
import Testing

@Suite("KubernetesClient errors and retries")
struct ClientErrorTests {
    struct Case: Sendable, CustomStringConvertible {
        var code: Int
        var reason: String
        var check: @Sendable (KubeError) -> Bool
        var description: String { "\(code) \(reason)" }
    }

    static let cases: [Case] = [
        Case(code: 404, reason: "NotFound") { $0.isNotFound },
        Case(code: 409, reason: "AlreadyExists") { $0.isAlreadyExists },
        Case(code: 409, reason: "Conflict") { $0.isConflict },
        Case(code: 410, reason: "Expired") { $0.isGone },
        Case(code: 422, reason: "Invalid") { $0.isInvalid },
        Case(code: 400, reason: "BadRequest") { if case .badRequest = $0 { true } else { false } },
        Case(code: 401, reason: "Unauthorized") { if case .unauthorized = $0 { true } else { false } },
        Case(code: 403, reason: "Forbidden") { if case .forbidden = $0 { true } else { false } },
        Case(code: 504, reason: "Timeout") { if case .timeout = $0 { true } else { false } },
        Case(code: 500, reason: "InternalError") { if case .internalError = $0 { true } else { false } },
    ]

    @Test(arguments: cases)
    func serverStatusBecomesATypedErrorWithTheServersMessage(c: Case) async throws {
        let message = #"widgets.test.slipway.dev \"w1\" says \#(c.code)"#
        try await withClient(maxRetries: 0, handler: { _, r in
            try await r.respond(status: c.code, body: statusJSON(code: c.code, reason: c.reason, message: message))
        }) { client, _ in
            do {
                _ = try await client.create(Widget(name: "w1", namespace: "demo"))
                Issue.record("expected an error")
            } catch let error as KubeError {
                #expect(c.check(error), "\(error)")
                #expect(error.code == c.code)
                #expect(error.status?.message == #"widgets.test.slipway.dev "w1" says \#(c.code)"#)
                #expect(error.description == error.status?.message)
            }
        }
    }

    @Test func invalidKeepsFieldCauses() async throws {
        let body = statusJSON(
            code: 422, reason: "Invalid", message: "Widget.test.slipway.dev \\\"w1\\\" is invalid: spec.size: Invalid value: -1",
            extra: #""details":{"name":"w1","kind":"Widget","causes":[{"reason":"FieldValueInvalid","message":"Invalid value: -1","field":"spec.size"}]},"#)
        try await withClient(handler: { _, r in try await r.respond(status: 422, body: body) }) { client, _ in
            do {
                _ = try await client.create(Widget(name: "w1", namespace: "demo"))
                Issue.record("expected an error")
            } catch let error as KubeError {
                #expect(error.isInvalid)
                #expect(error.status?.details?.causes.first?.field == "spec.size")
                #expect(error.status?.details?.causes.first?.reason == "FieldValueInvalid")
            }
        }
    }

    @Test func nonStatusBodiesStillGiveAUsefulError() async throws {
        try await withClient(maxRetries: 0, handler: { _, r in
            try await r.respond(status: 502, headers: [("Content-Type", "text/plain")], body: "upstream connect error")
        }) { client, _ in
            await #expect {
                _ = try await client.get(Widget.self, name: "w1")
            } throws: { error in
                (error as? KubeError)?.code == 502 && "\(error)".contains("upstream connect error")
            }
        }
    }

    @Test func tooManyRequestsHonoursRetryAfter() async throws {
        let clock = SteppingClock()
        let calls = Counter()
        try await withClient(clock: clock, handler: { _, r in
            if calls.next() < 2 {
                try await r.respond(status: 429, headers: [("Retry-After", "3")], body: statusJSON(code: 429, reason: "TooManyRequests", message: "slow down"))
            } else {
                try await r.respond(status: 201, body: widgetJSON("w1"))
            }
        }) { client, server in
            // A POST is retried too: the server says it did not process the request.
            let widget = try await client.create(Widget(name: "w1", namespace: "demo"))
            #expect(widget.metadata.name == "w1")
            #expect(server.requests.count == 3)
            #expect(clock.sleeps == [.seconds(3), .seconds(3)])
        }
    }

    @Test func unsafeRequestsAreNotRetriedOnServerErrors() async throws {
        try await withClient(handler: { _, r in
            try await r.respond(status: 503, body: statusJSON(code: 503, reason: "ServiceUnavailable", message: "down"))
        }) { client, server in
            await #expect(throws: KubeError.self) { _ = try await client.create(Widget(name: "w1", namespace: "demo")) }
            #expect(server.requests.count == 1)
        }
    }

    @Test func safeRequestsAreRetriedWithBackoffOnServerErrorsAndDroppedConnections() async throws {
        let clock = SteppingClock()
        let calls = Counter()
        try await withClient(clock: clock, maxRetries: 5, handler: { _, r in
            switch calls.next() {
            case 0: try await r.respond(status: 503, body: statusJSON(code: 503, reason: "ServiceUnavailable", message: "down"))
            case 1: await r.drop()
            default: try await r.respond(status: 200, body: widgetJSON("w1"))
            }
        }) { client, server in
            let widget = try await client.get(Widget.self, name: "w1")
            #expect(widget.metadata.name == "w1")
            #expect(server.requests.count == 3)
            #expect(clock.sleeps == [.milliseconds(200), .milliseconds(400)])
        }
    }

    @Test func retriesStopAtTheConfiguredLimit() async throws {
        let clock = SteppingClock()
        try await withClient(clock: clock, maxRetries: 2, handler: { _, r in
            try await r.respond(status: 500, body: statusJSON(code: 500, reason: "InternalError", message: "boom"))
        }) { client, server in
            await #expect(throws: KubeError.self) { _ = try await client.get(Widget.self, name: "w1") }
            #expect(server.requests.count == 3)
        }
    }

    @Test func clientSideRateLimitWaitsOnTheClock() async throws {
        let clock = SteppingClock()
        try await withClient(clock: clock, qps: 2, handler: { _, r in try await r.respond(status: 200, body: widgetJSON("w1")) }) { client, _ in
            // burst 2: two requests go at once, the next ones wait 1/qps each.
            for _ in 0..<4 { _ = try await client.get(Widget.self, name: "w1") }
            #expect(clock.sleeps == [.milliseconds(500), .milliseconds(500)])
        }
    }

    @Test func unauthorizedRefreshesCredentialsOnce() async throws {
        let provider = RotatingTokens(tokens: ["old", "new"])
        try await withClient(configure: { $0.credentials = provider }, handler: { req, r in
            if req.header("Authorization") == "Bearer new" {
                try await r.respond(status: 200, body: widgetJSON("w1"))
            } else {
                try await r.respond(status: 401, body: statusJSON(code: 401, reason: "Unauthorized", message: "Unauthorized"))
            }
        }) { client, server in
            _ = try await client.get(Widget.self, name: "w1")
            #expect(server.requests.map { $0.header("Authorization") } == ["Bearer old", "Bearer new"])
        }
    }

    /// Which refusals no retry can change: an operator fails the job on them instead of
    /// asking again for ever. A terminating namespace and an exceeded quota are not the
    /// object's fault.
    @Test func refusalsForGoodAreInvalidBadRequestAndForbiddenButNotATerminatingNamespaceOrQuota() {
        let invalid = KubeError.from(code: 422, status: Status(code: 422, reason: "Invalid", message: #"Pod "etl-0-0" is invalid: spec.containers[1].name: Duplicate value: "main""#))
        #expect(invalid.refusesForGood)
        #expect(invalid.answer == #"422 Invalid: Pod "etl-0-0" is invalid: spec.containers[1].name: Duplicate value: "main""#)
        #expect(KubeError.from(code: 400, status: Status(code: 400, reason: "BadRequest", message: "bad")).refusesForGood)
        #expect(KubeError.from(code: 403, status: Status(code: 403, reason: "Forbidden", message: #"pods "p" is forbidden: violates PodSecurity "baseline""#)).refusesForGood)
        var terminating = StatusDetails()
        terminating.causes = [StatusCause(reason: "NamespaceTerminating", message: "namespace demo is being terminated", field: "metadata.namespace")]
        #expect(!KubeError.from(code: 403, status: Status(code: 403, reason: "Forbidden", message: "forbidden", details: terminating)).refusesForGood)
        #expect(!KubeError.from(code: 403, status: Status(code: 403, reason: "Forbidden", message: #"pods "p" is forbidden: exceeded quota: q"#)).refusesForGood)
        for (code, reason) in [(500, "InternalError"), (409, "Conflict"), (404, "NotFound"), (429, "TooManyRequests"), (504, "Timeout")] {
            #expect(!KubeError.from(code: code, status: Status(code: code, reason: reason, message: "m")).refusesForGood, "\(code)")
        }
        #expect(!KubeError.transport("reset").refusesForGood)
    }
}

/// A thread-safe call counter for scripted handlers.
final class Counter: Sendable {
    private let value = Mutex(0)
    func next() -> Int { value.withLock { v in defer { v += 1 }; return v } }
}

/// Hands out the next token after each invalidate().
actor RotatingTokens: CredentialProvider {
    var tokens: [String]
    init(tokens: [String]) { self.tokens = tokens }
    func credentials() async throws -> Credentials { Credentials(bearerToken: tokens.first) }
    func invalidate() async { if tokens.count > 1 { tokens.removeFirst() } }
}

import Synchronization
