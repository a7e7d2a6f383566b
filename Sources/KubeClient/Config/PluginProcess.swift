import Dispatch
import Foundation

/// Runs a child process to completion without blocking Swift's cooperative thread pool:
/// the exit is awaited through `terminationHandler`, and stdout/stderr are drained on
/// Dispatch threads (draining both concurrently so a chatty child never blocks on a full pipe).
struct PluginProcess: Sendable {
    struct Result: Sendable {
        enum Termination: Sendable, Hashable { case exit(Int32), signal(Int32) }
        var termination: Termination
        var stdout: Data
        var stderr: Data
    }

    var executable: String
    var arguments: [String]
    var environment: [String: String]

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

    /// Starts the process with stdin at /dev/null and waits for it to exit and close its output.
    func run() async throws -> Result {
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
            try process.run()
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

        async let out = Self.drain(stdoutPipe.fileHandleForReading)
        async let err = Self.drain(stderrPipe.fileHandleForReading)
        var termination = Result.Termination.exit(-1)
        for await t in exits { termination = t }
        return Result(termination: termination, stdout: await out, stderr: await err)
    }

    /// Reads `handle` to end-of-file on a Dispatch thread, then closes it.
    private static func drain(_ handle: FileHandle) async -> Data {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                let data = (try? handle.readToEnd()) ?? Data()
                try? handle.close()
                continuation.resume(returning: data)
            }
        }
    }
}
