import AsyncHTTPClient
import Foundation
import KubeAPI
import NIOCore
import NIOHTTP1
import NIOSSL
import Synchronization

/// An answer of the server under test, as the harness compares it.
struct CorpusResponse: Sendable {
    var code: Int
    var contentType: String
    /// The quoted texts of the `Warning` headers (`299 - "text"` → `text`), in order.
    var warnings: [String]
    var bodyText: String
    /// The body as JSON (for a watch: the list of events read); nil when it is not JSON.
    var json: JSONValue?
}

/// Sends corpus requests, byte for byte, to the server under test over HTTPS with its bearer
/// token; polls `until` conditions and reads watch streams for their recorded window.
final class CorpusClient: Sendable {
    let base: URL
    let token: String
    let http: HTTPClient

    init(base: URL, caPEM: String, token: String) throws {
        self.base = base
        self.token = token
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMBytes(Array(caPEM.utf8)))
        var configuration = HTTPClient.Configuration(tlsConfiguration: tls, redirectConfiguration: .disallow, timeout: .init(connect: .seconds(10)))
        configuration.httpVersion = .http1Only
        http = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }

    func shutdown() async throws { try await http.shutdown() }

    /// Sends `request` with `body` (already resolved); repeats it every 0.25 s while its
    /// `until` condition is not met, for at most its timeout (then answers the last one).
    func send(_ request: CorpusRequest, body: [UInt8]?, path: String) async throws -> CorpusResponse {
        guard let until = request.until else { return try await once(request, body: body, path: path) }
        let deadline = ContinuousClock.now + .milliseconds(Int(request.timeout * 1000))
        while true {
            let response = try await once(request, body: body, path: path)
            if until.isMet(by: response) || ContinuousClock.now >= deadline { return response }
            try await Task.sleep(for: .milliseconds(250))
        }
    }

    private func once(_ request: CorpusRequest, body: [UInt8]?, path: String) async throws -> CorpusResponse {
        var http = HTTPClientRequest(url: base.absoluteString + path)
        http.method = HTTPMethod(rawValue: request.method)
        for (name, value) in request.headers { http.headers.add(name: name, value: value) }
        http.headers.add(name: "Authorization", value: "Bearer \(token)")
        if let body { http.body = .bytes(ByteBuffer(bytes: body)) }
        let response = try await self.http.execute(http, timeout: .seconds(120))
        let contentType = response.headers.first(name: "Content-Type") ?? ""
        let warnings = response.headers["Warning"].map(Self.warningText)
        if let stream = request.stream, response.status == .ok {
            let events = try await readEvents(response.body, maxEvents: stream.maxEvents, wait: stream.wait)
            return CorpusResponse(code: 200, contentType: contentType, warnings: warnings, bodyText: "", json: .array(events))
        }
        let bytes = try await response.body.collect(upTo: 64 << 20)
        let text = String(buffer: bytes)
        let json = try? JSON.parse(Array(buffer: bytes))
        return CorpusResponse(code: Int(response.status.code), contentType: contentType, warnings: warnings, bodyText: text, json: json)
    }

    /// Reads newline-delimited watch events for at most `wait` seconds or `maxEvents` events.
    private func readEvents(_ body: HTTPClientResponse.Body, maxEvents: Int, wait: Double) async throws -> [JSONValue] {
        let events = EventBuffer()
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                var pending: [UInt8] = []
                do {
                    for try await chunk in body {
                        pending += Array(buffer: chunk)
                        while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                            let line = Array(pending[..<newline])
                            pending.removeSubrange(...newline)
                            guard let event = try? JSON.parse(line) else { continue }
                            let count = events.append(event)
                            if count >= maxEvents { return }
                        }
                    }
                } catch {}
            }
            group.addTask { try? await Task.sleep(for: .milliseconds(Int(wait * 1000))) }
            await group.next()
            group.cancelAll()
        }
        return Array(events.all.prefix(maxEvents))
    }

    /// `299 - "unknown field \"spec.color\""` → `unknown field "spec.color"`.
    static func warningText(_ header: String) -> String {
        guard let open = header.firstIndex(of: "\""), let close = header.lastIndex(of: "\""), open < close else { return header }
        var out = ""
        var escaped = false
        for c in header[header.index(after: open)..<close] {
            if escaped { out.append(c); escaped = false } else if c == "\\" { escaped = true } else { out.append(c) }
        }
        return out
    }
}

/// Watch events read so far, shared between the reading task and the waiting one.
final class EventBuffer: Sendable {
    private let events = Mutex<[JSONValue]>([])

    /// Appends an event and answers how many there are now.
    func append(_ event: JSONValue) -> Int { events.withLock { $0.append(event); return $0.count } }

    var all: [JSONValue] { events.withLock { $0 } }
}
