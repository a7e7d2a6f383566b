import AsyncHTTPClient
import NIOCore

/// Splits a byte stream into newline-terminated lines, however the stream was chunked: one
/// line may span many chunks and one chunk may hold many lines. Pure; used for watch
/// streams (one JSON event per line) and followed logs.
public struct LineSplitter: Sendable {
    private var pending: [UInt8] = []
    /// Lines longer than this are an error (a watch event larger than any etcd object).
    public let maxLineLength: Int

    public init(maxLineLength: Int = 64 << 20) { self.maxLineLength = maxLineLength }

    /// Appends a chunk and returns the lines it completed (without the newline; a trailing
    /// `\r` is dropped too).
    public mutating func feed(_ chunk: some Collection<UInt8>) throws -> [[UInt8]] {
        var lines: [[UInt8]] = []
        for byte in chunk {
            if byte == 0x0A {
                if pending.last == 0x0D { pending.removeLast() }
                lines.append(pending)
                pending.removeAll(keepingCapacity: true)
            } else {
                pending.append(byte)
                if pending.count > maxLineLength { throw LineTooLong(limit: maxLineLength) }
            }
        }
        return lines
    }

    /// What is left after the stream ended (a last line without a newline), if anything.
    public mutating func finish() -> [UInt8]? {
        defer { pending = [] }
        return pending.isEmpty ? nil : pending
    }

    public struct LineTooLong: Error, Sendable { public var limit: Int }
}

/// The lines of a streaming response body (a watch, a followed log), as they arrive.
struct BodyLines {
    private var body: HTTPClientResponse.Body.AsyncIterator
    private var splitter = LineSplitter()
    private var ready: [[UInt8]] = []
    private var finished = false
    /// Names the stream in the transport error when the connection breaks.
    private let what: String

    init(body: HTTPClientResponse.Body, what: String) {
        self.body = body.makeAsyncIterator()
        self.what = what
    }

    /// The next complete line; nil once the server ended the response.
    mutating func next() async throws -> [UInt8]? {
        while true {
            if !ready.isEmpty { return ready.removeFirst() }
            if finished { return nil }
            let chunk: ByteBuffer?
            do {
                chunk = try await body.next()
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                throw KubeError.transport("\(what) stream broke: \(error)")
            }
            guard let chunk else {
                finished = true
                if let rest = splitter.finish() { ready.append(rest) }
                continue
            }
            ready += try splitter.feed(chunk.readableBytesView)
        }
    }
}
