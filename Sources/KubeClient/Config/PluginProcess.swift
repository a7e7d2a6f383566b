import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs a child process to completion without blocking Swift's cooperative thread pool:
/// the exit is awaited through `terminationHandler`, and stdout/stderr are drained on
/// threads of their own (both concurrently so a chatty child never blocks on a full pipe).
///
/// With a timeout, a run that has not finished in time — the process still running, or a
/// background child it left behind still holding its stdout/stderr open — is stopped: the
/// process (and its process group, when it leads one) gets SIGTERM, then SIGKILL after
/// `killGrace`, and the pipe readers are told to stop, so the run always returns.
struct PluginProcess: Sendable {
    struct Result: Sendable {
        enum Termination: Sendable, Hashable { case exit(Int32), signal(Int32) }
        var termination: Termination
        var stdout: Data
        var stderr: Data
        /// The run did not finish within the timeout and was terminated; `termination`,
        /// `stdout` and `stderr` then describe whatever happened until it was stopped.
        var timedOut = false
    }

    var executable: String
    var arguments: [String]
    var environment: [String: String]

    /// The most output kept per stream; anything beyond is read and discarded.
    static let outputLimit = 16 << 20

    /// The executable's path: `command` itself when it contains a `/`, else the first
    /// executable match in `path` (a PATH-style list). Nil when there is none.
    static func locate(_ command: String, path: String?) -> String? {
        let fm = FileManager.default
        if command.contains("/") { return fm.isExecutableFile(atPath: command) ? command : nil }
        for dir in (path ?? "").split(separator: ":", omittingEmptySubsequences: true) {
            let candidate = (String(dir) as NSString).appendingPathComponent(command)
            var isDirectory: ObjCBool = false
            if fm.fileExists(atPath: candidate, isDirectory: &isDirectory), !isDirectory.boolValue, fm.isExecutableFile(atPath: candidate) {
                return candidate
            }
        }
        return nil
    }

    /// What the wait loop in `run` hears from its child tasks.
    private enum Event: Sendable {
        case exited(Result.Termination?)
        case stdout(Data)
        case stderr(Data)
        case deadline
        case graceOver
        case giveUp
        case cancelled
    }

    /// Starts the process with stdin at /dev/null and waits for it to exit and close its output.
    ///
    /// - Parameters:
    ///   - timeout: real time the whole run (exit and end of output) may take; nil waits forever.
    ///   - killGrace: how long a terminated process gets between SIGTERM and SIGKILL, and how
    ///     long the run then still waits for the exit before giving up on it.
    /// - Throws: when the process cannot be started, or `CancellationError` when the calling
    ///   task was cancelled (the process is killed first).
    func run(timeout: Duration? = nil, killGrace: Duration = .seconds(2)) async throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = environment
        let stdoutPipe = Pipe()
        let stderrPipe = Pipe()
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = stdoutPipe
        process.standardError = stderrPipe

        let (exits, exitContinuation) = AsyncStream<Result.Termination>.makeStream()
        process.terminationHandler = { finished in
            let status = finished.terminationStatus
            exitContinuation.yield(finished.terminationReason == .uncaughtSignal ? .signal(status) : .exit(status))
            exitContinuation.finish()
        }
        do {
            try await Self.launch(process)
        } catch {
            for handle in [stdoutPipe.fileHandleForReading, stdoutPipe.fileHandleForWriting,
                           stderrPipe.fileHandleForReading, stderrPipe.fileHandleForWriting] {
                try? handle.close()
            }
            throw error
        }
        // Our copies of the write ends must be closed, or the readers never see end-of-file.
        try? stdoutPipe.fileHandleForWriting.close()
        try? stderrPipe.fileHandleForWriting.close()

        let pid = process.processIdentifier
        // Foundation starts the child as the leader of a new process group; when it does,
        // signals go to the whole group so that background children it spawned die too.
        let signalTarget = getpgid(pid) == pid ? -pid : pid
        let stop = StopFlag()
        let stdoutRead = stdoutPipe.fileHandleForReading
        let stderrRead = stderrPipe.fileHandleForReading

        let result = await withTaskGroup(of: Event.self) { group -> Result? in
            group.addTask {
                for await termination in exits { return .exited(termination) }
                return .exited(nil)  // cancelled, or given up on
            }
            group.addTask { .stdout(await Self.drain(stdoutRead, stop: stop)) }
            group.addTask { .stderr(await Self.drain(stderrRead, stop: stop)) }
            group.addTask { await Self.sleep(timeout, then: .deadline) }

            var exited = false
            var termination: Result.Termination?
            var stdout: Data?
            var stderr: Data?
            var timedOut = false
            var cancelled = false
            while !exited || stdout == nil || stderr == nil, let event = await group.next() {
                switch event {
                case .exited(let t):
                    exited = true
                    termination = t
                case .stdout(let data): stdout = data
                case .stderr(let data): stderr = data
                case .deadline:
                    // Too slow: ask politely first.
                    timedOut = true
                    Self.signal(signalTarget, SIGTERM, process: process)
                    group.addTask { await Self.sleep(killGrace, then: .graceOver) }
                case .graceOver:
                    Self.signal(signalTarget, SIGKILL, process: process)
                    stop.set()
                    group.addTask { await Self.sleep(killGrace, then: .giveUp) }
                case .giveUp:
                    group.cancelAll()  // stops waiting for an exit that does not come
                case .cancelled:
                    guard !cancelled else { break }
                    cancelled = true
                    Self.signal(signalTarget, SIGKILL, process: process)
                    stop.set()
                }
            }
            // The process may have exited with a background child still holding its output:
            // that child was signalled with the group; the readers must not wait for it.
            stop.set()
            group.cancelAll()
            if cancelled { return nil }
            return Result(
                termination: termination ?? .signal(SIGKILL), stdout: stdout ?? Data(), stderr: stderr ?? Data(), timedOut: timedOut)
        }
        guard let result else { throw CancellationError() }
        return result
    }

    /// Starts `process` from a short-lived thread whose signal mask is empty. A child inherits
    /// the signal mask of the thread that spawns it, and the threads Swift concurrency and
    /// Dispatch run on block SIGTERM, SIGINT, SIGCHLD and most other signals: launched from
    /// one of them, the plugin (and whatever it starts) would not even notice SIGTERM.
    private static func launch(_ process: Process) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let thread = Thread {
                var none = sigset_t()
                sigemptyset(&none)
                pthread_sigmask(SIG_SETMASK, &none, nil)
                do {
                    try process.run()
                    continuation.resume()
                } catch {
                    continuation.resume(throwing: error)
                }
            }
            thread.name = "slipway.exec-plugin-launch"
            thread.start()
        }
    }

    /// Sleeps `duration` (forever when nil) and answers `event`, or `.cancelled` when the
    /// task is cancelled first.
    private static func sleep(_ duration: Duration?, then event: Event) async -> Event {
        do {
            if let duration {
                try await Task.sleep(for: duration)
            } else {
                while true { try await Task.sleep(for: .seconds(86_400)) }
            }
            return event
        } catch {
            return .cancelled
        }
    }

    /// Sends `signal` to the process group (`target` < 0) or to the process while it runs.
    private static func signal(_ target: pid_t, _ signal: Int32, process: Process) {
        if target < 0 {
            _ = kill(target, signal)
        } else if process.isRunning {
            _ = kill(target, signal)
        }
    }

    /// Reads `handle` to end-of-file, or until `stop` is set, on a thread of its own, then
    /// closes it. The reader polls with a short timeout so that it notices `stop` even
    /// when a leftover process keeps the pipe open without writing. (A thread of its own:
    /// blocking Dispatch's global queue instead starves it — on a two-core machine, even
    /// the timer that enforces the timeout fires late.)
    private static func drain(_ handle: FileHandle, stop: StopFlag) async -> Data {
        await withCheckedContinuation { continuation in
            let thread = Thread {
                let fd = handle.fileDescriptor
                var data = Data()
                var buffer = [UInt8](repeating: 0, count: 64 << 10)
                while !stop.isSet {
                    var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
                    let ready = poll(&descriptor, 1, 50)
                    if ready == 0 { continue }
                    if ready < 0 {
                        if errno == EINTR { continue }
                        break
                    }
                    let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                    if count > 0 {
                        let room = max(0, outputLimit - data.count)
                        if room > 0 { data.append(contentsOf: buffer[0..<min(count, room)]) }
                    } else if count == 0 {
                        break  // end of file
                    } else if errno != EINTR && errno != EAGAIN {
                        break
                    }
                }
                try? handle.close()
                continuation.resume(returning: data)
            }
            thread.name = "slipway.exec-plugin-output"
            thread.start()
        }
    }
}

/// A flag set once, read from the pipe-reading threads.
private final class StopFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false

    var isSet: Bool { lock.withLock { value } }
    func set() { lock.withLock { value = true } }
}
