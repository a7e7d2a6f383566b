import Foundation
import LocalCluster
import Testing

#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// The HTTP server's WebSocket upgrade, driven over a plain socket the way a WebSocket client
/// speaks: the upgrade request, `101 Switching Protocols`, then unmasked text frames; and a
/// plain request on an upgradable connection still answered as HTTP.
@Suite struct WebSocketUpgradeTests {
    @Test func upgradeSwitchesProtocolsAndSendsTextFrames() async throws {
        let routes = WebSocketRoutes { _, session in
            try? await session.send(text: #"{"type":"ADDED"}"#)
            try? await session.send(text: #"{"type":"DELETED"}"#)
        }
        let server = try await HTTPServer.start(webSockets: routes) { _, writer in
            try await writer.respond(status: 200, body: "plain")
        }
        let port = server.port
        let (head, frames) = try await offThePool {
            let socket = try RawSocket(port: port)
            defer { socket.close() }
            try socket.send(Self.upgradeRequest)
            return (try socket.readUntil("\r\n\r\n"), [try socket.readTextFrame(), try socket.readTextFrame()])
        }
        await server.shutdown()
        #expect(head.hasPrefix("HTTP/1.1 101"))
        #expect(head.contains("s3pPLMBiTxaQ9kYGzzhZRbK+xOo="))  // the RFC 6455 example accept key
        #expect(frames == [#"{"type":"ADDED"}"#, #"{"type":"DELETED"}"#])
    }

    @Test func plainRequestsAreStillHTTP() async throws {
        let server = try await HTTPServer.start(webSockets: WebSocketRoutes { _, _ in }) { _, writer in
            try await writer.respond(status: 200, body: "plain")
        }
        let port = server.port
        let answer = try await offThePool {
            let socket = try RawSocket(port: port)
            defer { socket.close() }
            try socket.send("GET /version HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            return try socket.readUntil("plain")
        }
        await server.shutdown()
        #expect(answer.hasPrefix("HTTP/1.1 200"))
    }

    static let upgradeRequest =
        "GET /watch HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"

    /// Runs blocking socket code on its own thread, so the server's tasks keep running.
    func offThePool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try body() }) }.start()
        }
    }
}

/// A blocking TCP client on loopback, for speaking raw protocol in tests.
final class RawSocket: @unchecked Sendable {
    let fd: Int32
    var buffer: [UInt8] = []

    struct Failure: Error, CustomStringConvertible { var description: String }

    init(port: Int) throws {
        #if canImport(Glibc)
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        // A bound, not a timing: generous, because the whole suite runs in parallel on two
        // cores and the server's tasks can wait seconds for a thread. (With 10 s, a fresh-clone
        // run once failed "connection ended after 0 bytes", which did not tell EOF from the
        // bound running out; `fill` now says which.)
        var timeout = timeval(tv_sec: 60, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw Failure(description: "connect failed") }
    }

    func send(_ text: String) throws {
        let bytes = Array(text.utf8)
        guard bytes.withUnsafeBytes({ write(fd, $0.baseAddress, $0.count) }) == bytes.count else { throw Failure(description: "write failed") }
    }

    /// Reads until at least `count` bytes are buffered (60 s at most per read).
    func fill(_ count: Int) throws {
        var chunk = [UInt8](repeating: 0, count: 4096)
        while buffer.count < count {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            guard n > 0 else {
                let why = n == 0 ? "connection ended" : "read failed (errno \(errno), EAGAIN after the read bound)"
                throw Failure(description: "\(why) after \(buffer.count) bytes")
            }
            buffer += chunk[0..<n]
        }
    }

    func take(_ count: Int) throws -> [UInt8] {
        try fill(count)
        defer { buffer.removeFirst(count) }
        return Array(buffer[0..<count])
    }

    func readUntil(_ marker: String) throws -> String {
        let end = Array(marker.utf8)
        while true {
            if let range = buffer.indices.first(where: { buffer[$0...].starts(with: end) }) {
                return String(decoding: try take(range + end.count), as: UTF8.self)
            }
            try fill(buffer.count + 1)
        }
    }

    /// One unmasked server frame with a payload under 64 KiB.
    func readTextFrame() throws -> String {
        let header = try take(2)
        guard header[0] == 0x81 else { throw Failure(description: "not a final text frame: \(header[0])") }
        var length = Int(header[1] & 0x7f)
        if length == 126 {
            let extended = try take(2)
            length = Int(extended[0]) << 8 | Int(extended[1])
        }
        return String(decoding: try take(length), as: UTF8.self)
    }

    func close() {
        #if canImport(Glibc)
        _ = Glibc.close(fd)
        #else
        _ = Darwin.close(fd)
        #endif
    }
}
