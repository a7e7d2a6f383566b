import Foundation
import SlipwayControllers
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Synchronization
import KubeTesting

/// The built `slipway operator` binary as a child process, as a cluster runs it: its
/// standard output is read for the ports it picked, its standard error kept for failures.
/// (`command` runs another subcommand the same way, e.g. `slipway dev`.)
public final class OperatorProcess: Sendable {
    /// The executable sits beside the test bundle in the build folder.
    public static var executable: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("slipway")
    }

    public let process: Process
    private let output = Mutex(("", ""))

    /// Starts `slipway <command> arguments…` with `environment` added to this process's.
    public init(_ arguments: [String], environment: [String: String] = [:], command: String = "operator") throws {
        let process = Process()
        process.executableURL = Self.executable
        process.arguments = [command] + arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        self.process = process
        try process.run()
        for (pipe, isOut) in [(out, true), (err, false)] {
            let handle = pipe.fileHandleForReading
            Thread.detachNewThread { [self] in
                while true {
                    let data = handle.availableData
                    if data.isEmpty { return }
                    let text = String(decoding: data, as: UTF8.self)
                    output.withLock { if isOut { $0.0 += text } else { $0.1 += text } }
                }
            }
        }
    }

    public var stdout: String { output.withLock { $0.0 } }
    public var stderr: String { output.withLock { $0.1 } }

    /// The URL the operator printed for `name` (`metrics` or `health`), once it has.
    public func url(_ name: String, timeout: Duration = .seconds(120)) async throws -> URL {
        var url: URL?
        _ = try await eventually(timeout: timeout) {
            url = stdout.split(separator: "\n").first { $0.hasPrefix("\(name): ") }.flatMap { URL(string: String($0.dropFirst(name.count + 2))) }
            return url != nil || !process.isRunning
        }
        if let url { return url }
        throw Failure("the operator printed no \(name) URL; stdout:\n\(stdout)\nstderr:\n\(stderr.suffix(4000))")
    }

    /// Waits until `/readyz` beside the printed health URL answers 200 (the process leads, or
    /// stands by with leader election) and returns the answer.
    public func waitUntilReady(timeout: Duration = .seconds(30)) async throws -> (status: Int, body: String) {
        try await waitFor200(try await url("health").deletingLastPathComponent().appendingPathComponent("readyz"), timeout: timeout)
    }

    /// Sends SIGTERM.
    public func terminate() { kill(process.processIdentifier, SIGTERM) }

    /// The exit status, or nil if it is still running after `timeout`.
    public func waitForExit(timeout: Duration) async throws -> Int32? {
        let exited = try await eventually(timeout: timeout) { !process.isRunning }
        return exited ? process.terminationStatus : nil
    }

    /// Kills it if still running (cleanup after a failed test).
    public func stop() {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
        public init(_ description: String) { self.description = description }
    }
}

/// A plain HTTP GET: status and body.
public func httpGet(_ url: URL) async throws -> (status: Int, body: String) {
    let session = URLSession(configuration: .ephemeral)
    defer { session.finishTasksAndInvalidate() }
    let (data, response) = try await session.data(from: url)
    return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
}

/// Polls `url` until it answers 200 or `timeout` passes; returns the last answer.
public func waitFor200(_ url: URL, timeout: Duration = .seconds(30)) async throws -> (status: Int, body: String) {
    var last: (status: Int, body: String) = (0, "")
    _ = try await eventually(timeout: timeout, interval: .milliseconds(200)) {
        last = (try? await httpGet(url)) ?? (0, "")
        return last.status == 200
    }
    return last
}

/// The metrics-text samples the tests read (``MetricSample`` in SlipwayControllers).
public typealias Sample = MetricSample
