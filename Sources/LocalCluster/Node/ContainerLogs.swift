import Foundation
import Synchronization

/// Reading container log files: whole, the last lines, or followed as they grow.
enum ContainerLogs {
    /// The file's text, or only its last `tailLines` lines.
    static func read(_ url: URL, tailLines: Int? = nil) -> String {
        let text = String(decoding: FileManager.default.contents(atPath: url.path) ?? Data(), as: UTF8.self)
        guard let tailLines else { return text }
        return lastLines(text, tailLines)
    }

    /// The last `count` lines of `text` (a trailing newline does not start a line).
    static func lastLines(_ text: String, _ count: Int) -> String {
        guard count >= 0 else { return text }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        if lines.last == "" { lines.removeLast() }
        let kept = lines.suffix(count)
        return kept.isEmpty ? "" : kept.joined(separator: "\n") + "\n"
    }

    /// The kubelet's FallbackToLogsOnError message: the last 80 lines, at most the last
    /// 2048 bytes of them.
    static func fallbackMessage(_ url: URL) -> String {
        let tail = Data(lastLines(read(url), 80).utf8)
        return String(decoding: tail.suffix(2048), as: UTF8.self)
    }

    /// Lines of `url` (without their newline) as they are written: first the existing ones
    /// (or the last `tailLines`), then new ones, polled every 100 ms on a Dispatch queue,
    /// until `finished()` is true and the file is drained, or the consumer stops.
    static func follow(_ url: URL, tailLines: Int? = nil, finished: @escaping @Sendable () -> Bool) -> AsyncStream<String> {
        let (stream, continuation) = AsyncStream<String>.makeStream()
        let follower = LogFollower(url: url, continuation: continuation, finished: finished)
        let existing = read(url)
        let initial = tailLines.map { lastLines(existing, $0) } ?? existing
        follower.start(initial: initial, offset: UInt64(existing.utf8.count))
        continuation.onTermination = { _ in follower.stop() }
        return stream
    }
}

/// Polls one growing log file for ``ContainerLogs/follow(_:tailLines:finished:)``.
private final class LogFollower: Sendable {
    private struct State {
        var offset: UInt64 = 0
        var partial = Data()
    }

    private let url: URL
    private let continuation: AsyncStream<String>.Continuation
    private let finished: @Sendable () -> Bool
    private let state = Mutex(State())
    private let queue = DispatchQueue(label: "slipway.log-follow")
    nonisolated(unsafe) private let timer: any DispatchSourceTimer

    init(url: URL, continuation: AsyncStream<String>.Continuation, finished: @escaping @Sendable () -> Bool) {
        self.url = url
        self.continuation = continuation
        self.finished = finished
        timer = DispatchSource.makeTimerSource(queue: queue)
    }

    func start(initial: String, offset: UInt64) {
        state.withLock { $0.offset = offset }
        emit(Data(initial.utf8), flush: false)
        timer.schedule(deadline: .now() + .milliseconds(100), repeating: .milliseconds(100))
        timer.setEventHandler { [self] in poll() }
        timer.resume()
    }

    func stop() { timer.cancel() }

    private func poll() {
        let done = finished()
        if let handle = try? FileHandle(forReadingFrom: url) {
            let offset = state.withLock { $0.offset }
            try? handle.seek(toOffset: offset)
            let data = (try? handle.readToEnd()) ?? Data()
            try? handle.close()
            state.withLock { $0.offset += UInt64(data.count) }
            emit(data, flush: done)
        }
        if done {
            continuation.finish()
            timer.cancel()
        }
    }

    private func emit(_ data: Data, flush: Bool) {
        let lines: [String] = state.withLock { state in
            state.partial.append(data)
            var result: [String] = []
            while let newline = state.partial.firstIndex(of: 0x0A) {
                result.append(String(decoding: state.partial[state.partial.startIndex..<newline], as: UTF8.self))
                state.partial = Data(state.partial[(newline + 1)...])
            }
            if flush, !state.partial.isEmpty {
                result.append(String(decoding: state.partial, as: UTF8.self))
                state.partial = Data()
            }
            return result
        }
        for line in lines { continuation.yield(line) }
    }
}
