import Foundation

/// Why a kubeconfig (or the in-cluster service account) could not be turned into a
/// `ClientConfiguration`. Every case names the file and the entry involved, so that the
/// message alone tells the user what to fix.
public enum KubeConfigError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Neither a kubeconfig file nor in-cluster settings were found.
    case noConfiguration(searched: [String])
    /// The file given with `--kubeconfig` does not exist.
    case fileNotFound(path: String)
    /// A kubeconfig file, or a file it references, exists but cannot be read.
    case unreadableFile(path: String, reason: String)
    /// A kubeconfig file is not valid kubeconfig YAML.
    case malformedFile(path: String, reason: String)
    /// No `--context` was given and no file sets `current-context`.
    case noCurrentContext(files: [String])
    /// The requested context is not defined in any file.
    case contextNotFound(name: String, available: [String], files: [String])
    /// The context names a cluster that no file defines.
    case clusterNotFound(name: String, context: String, contextFile: String, files: [String])
    /// The context names a user that no file defines.
    case userNotFound(name: String, context: String, contextFile: String, files: [String])
    /// An entry is unusable: `entry` is e.g. `cluster "prod"` or `user "admin"`.
    case invalidEntry(file: String, entry: String, problem: String)
    /// In-cluster configuration is incomplete (missing service-account files or env vars).
    case inCluster(String)
    /// A token file cannot be read or is empty.
    case tokenFile(path: String, problem: String)

    public var description: String {
        switch self {
        case .noConfiguration(let searched):
            let looked = searched.isEmpty ? "no kubeconfig path (HOME and KUBECONFIG are unset)" : searched.joined(separator: ", ")
            return "no kubeconfig found (looked at: \(looked)) and not running in a cluster "
                + "(KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT are not set); pass --kubeconfig or set KUBECONFIG"
        case .fileNotFound(let path):
            return "kubeconfig file \(path) does not exist"
        case .unreadableFile(let path, let reason):
            return "cannot read \(path): \(reason)"
        case .malformedFile(let path, let reason):
            return "kubeconfig file \(path) is not a valid kubeconfig: \(reason)"
        case .noCurrentContext(let files):
            return "no current context is set in kubeconfig (\(Self.list(files))); "
                + "set one with `kubectl config use-context NAME` or pass --context"
        case .contextNotFound(let name, let available, let files):
            let choices = available.isEmpty ? "the kubeconfig defines no contexts" : "available contexts: \(available.joined(separator: ", "))"
            return "context \"\(name)\" not found in kubeconfig (\(Self.list(files))); \(choices)"
        case .clusterNotFound(let name, let context, let contextFile, let files):
            return "context \"\(context)\" (defined in \(contextFile)) refers to cluster \"\(name)\", "
                + "which is not defined in kubeconfig (\(Self.list(files)))"
        case .userNotFound(let name, let context, let contextFile, let files):
            return "context \"\(context)\" (defined in \(contextFile)) refers to user \"\(name)\", "
                + "which is not defined in kubeconfig (\(Self.list(files)))"
        case .invalidEntry(let file, let entry, let problem):
            return "kubeconfig file \(file), \(entry): \(problem)"
        case .inCluster(let problem):
            return "in-cluster configuration: \(problem)"
        case .tokenFile(let path, let problem):
            return "token file \(path): \(problem)"
        }
    }

    private static func list(_ files: [String]) -> String {
        files.isEmpty ? "no files" : files.joined(separator: ", ")
    }
}

/// Why an exec credential plugin gave no credentials. Messages name the command, and
/// carry its exit code and stderr or the kubeconfig's `installHint`.
public enum ExecPluginError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The command is neither an executable path nor found in PATH.
    case notFound(command: String, installHint: String?)
    /// The command exists but could not be started.
    case launchFailed(command: String, reason: String)
    /// The command exited with a non-zero status.
    case failed(command: String, exitCode: Int32, stderr: String)
    /// The command was killed by a signal.
    case killed(command: String, signal: Int32, stderr: String)
    /// The command's stdout is not a usable ExecCredential.
    case invalidOutput(command: String, problem: String)

    public var description: String {
        switch self {
        case .notFound(let command, let hint):
            var message = "exec credential plugin \"\(command)\" not found (it is neither an executable path nor in PATH); "
                + "it looks like a client-go credential plugin that is not installed"
            if let hint, !hint.isEmpty { message += "\n\(hint.trimmingCharacters(in: .whitespacesAndNewlines))" }
            return message
        case .launchFailed(let command, let reason):
            return "exec credential plugin \"\(command)\" could not be started: \(reason)"
        case .failed(let command, let exitCode, let stderr):
            return "exec credential plugin \"\(command)\" failed with exit code \(exitCode)" + Self.suffix(stderr)
        case .killed(let command, let signal, let stderr):
            return "exec credential plugin \"\(command)\" was killed by signal \(signal)" + Self.suffix(stderr)
        case .invalidOutput(let command, let problem):
            return "exec credential plugin \"\(command)\" returned an unusable ExecCredential: \(problem)"
        }
    }

    private static func suffix(_ stderr: String) -> String {
        stderr.isEmpty ? " (no output on stderr)" : ": \(stderr)"
    }
}
