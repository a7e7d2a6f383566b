import Foundation
import KubeTesting

/// Runs the real `kubectl` against a kubeconfig, as a user would, with its own HOME (so its
/// discovery cache starts empty) and no standard input unless given.
///
/// Two verbs: ``run(_:input:timeout:)`` when the test looks at how the command ended (a
/// refusal is the point), ``require(_:input:timeout:)`` when the command must succeed for
/// the test to mean anything (it throws, failing the test, with kubectl's output).
///
/// The binary is `$SLIPWAY_KUBECTL` when set (scripts/test.sh runs the kubectl suites again
/// with `.tools/bin/kubectl-1.36` and `-1.37`), otherwise the `kubectl` on PATH.
public struct Kubectl: Sendable {
    public let kubeconfig: URL
    public let home: URL
    /// Variables set for kubectl beyond this process's (a PATH that finds a plugin).
    public var environment: [String: String] = [:]

    /// The kubectl binary the tests drive: `$SLIPWAY_KUBECTL`, or nil for the one on PATH.
    public static var binary: String? {
        ProcessInfo.processInfo.environment["SLIPWAY_KUBECTL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    public typealias Result = ProcessResult

    /// A command that had to succeed exited non-zero.
    public struct Failed: Error, CustomStringConvertible {
        public var arguments: [String]
        public var result: Result
        public var description: String { "kubectl \(arguments.joined(separator: " ")) failed: \(result)" }
    }

    public init(kubeconfig: URL, home: URL) {
        self.kubeconfig = kubeconfig
        self.home = home
    }

    /// This kubectl with `environment` added to what it runs with (`PATH` for
    /// `kubectl-slipway`: kubectl's plugin discovery reads PATH).
    public func with(environment: [String: String]) -> Kubectl {
        var copy = self
        copy.environment.merge(environment) { $1 }
        return copy
    }

    /// `kubectl args…`; `input` is written to its standard input (for `apply -f -`).
    public func run(_ args: [String], input: String? = nil, timeout: Duration = .seconds(60)) async throws -> Result {
        try await runToEnd(makeProcess(args), input: input, timeout: timeout)
    }

    /// `kubectl args…`, which must exit 0: otherwise it throws ``Failed`` naming the command
    /// and what kubectl printed. Returns the result for the test to read.
    @discardableResult
    public func require(_ args: [String], input: String? = nil, timeout: Duration = .seconds(60)) async throws -> Result {
        let result = try await run(args, input: input, timeout: timeout)
        guard result.status == 0 else { throw Failed(arguments: args, result: result) }
        return result
    }

    /// Starts a long-running kubectl (`get -w`, `logs -f`) and returns the process and its
    /// output pipe; the caller terminates it.
    public func start(_ args: [String]) throws -> (Process, Pipe) {
        let process = makeProcess(args)
        let out = Pipe()
        process.standardOutput = out
        process.standardError = out
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return (process, out)
    }

    /// `kubectl args…` with this kubeconfig and HOME, not yet started.
    private func makeProcess(_ args: [String]) -> Process {
        let process = Process()
        if let binary = Self.binary {
            process.executableURL = URL(fileURLWithPath: binary)
            process.arguments = args
        } else {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["kubectl"] + args
        }
        var environment = ProcessInfo.processInfo.environment
        environment["KUBECONFIG"] = kubeconfig.path
        environment["HOME"] = home.path
        environment.merge(self.environment) { $1 }
        process.environment = environment
        return process
    }
}
