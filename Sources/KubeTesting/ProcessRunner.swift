import Foundation

/// What a finished command printed and how it exited.
public struct ProcessResult: Sendable, CustomStringConvertible {
    public var status: Int32
    public var out: String
    public var err: String
    public var description: String { "exit \(status)\nstdout:\n\(out)\nstderr:\n\(err)" }
}

/// Runs `process` (configured but not started) to the end: `input` goes to its standard
/// input (none when nil), output is read on a thread of its own so the cooperative pool
/// never blocks, and the process is terminated if it outlives `timeout`.
public func runToEnd(_ process: Process, input: String? = nil, timeout: Duration = .seconds(60)) async throws -> ProcessResult {
    let out = Pipe(), err = Pipe(), stdin = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = input == nil ? FileHandle.nullDevice : stdin
    try process.run()
    if let input {
        stdin.fileHandleForWriting.write(Data(input.utf8))
        try? stdin.fileHandleForWriting.close()
    }
    let watchdog = Task {
        try await Task.sleep(for: timeout)
        if process.isRunning { process.terminate() }
    }
    let (o, e) = await withCheckedContinuation { continuation in
        Thread.detachNewThread {
            let o = out.fileHandleForReading.readDataToEndOfFile()
            let e = err.fileHandleForReading.readDataToEndOfFile()
            continuation.resume(returning: (o, e))
        }
    }
    process.waitUntilExit()
    watchdog.cancel()
    return ProcessResult(status: process.terminationStatus, out: String(decoding: o, as: UTF8.self), err: String(decoding: e, as: UTF8.self))
}
