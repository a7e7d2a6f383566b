import Foundation

/// Runs the real `kubectl` against a kubeconfig, as a user would, with its own HOME (so its
/// discovery cache starts empty) and no standard input unless given.
///
/// The binary is `$SLIPWAY_KUBECTL` when set (scripts/test.sh runs the kubectl suites again
/// with `.tools/bin/kubectl-1.36` and `-1.37`), otherwise the `kubectl` on PATH.
public struct Kubectl: Sendable {
    public let kubeconfig: URL
    public let home: URL

    /// The kubectl binary the tests drive: `$SLIPWAY_KUBECTL`, or nil for the one on PATH.
    public static var binary: String? {
        ProcessInfo.processInfo.environment["SLIPWAY_KUBECTL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    public typealias Result = ProcessResult

    public init(kubeconfig: URL, home: URL) {
        self.kubeconfig = kubeconfig
        self.home = home
    }

    /// `kubectl args…`; `input` is written to its standard input (for `apply -f -`).
    public func run(_ args: [String], input: String? = nil, timeout: Duration = .seconds(60)) async throws -> Result {
        try await runToEnd(makeProcess(args), input: input, timeout: timeout)
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
        process.environment = environment
        return process
    }
}
