import Foundation
import KubeAPI

/// Why the data directory could not be read or written.
public enum PersistenceError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A system call failed (`operation` on `path`, with `errno`).
    case io(operation: String, path: String, errno: Int32)
    /// A complete line of the log (not the last one) is not a valid record.
    case corrupt(path: String, line: Int, reason: String)
    /// The log was closed.
    case closed

    /// A one-line explanation naming the file.
    public var description: String {
        switch self {
        case .io(let operation, let path, let code):
            return "\(operation) \(path): \(String(cString: strerror(code)))"
        case .corrupt(let path, let line, let reason):
            return "\(path):\(line): corrupt store log: \(reason)"
        case .closed:
            return "the store log is closed"
        }
    }

    /// The `500 InternalError` Status the API server answers with when a change could not
    /// be saved.
    public var status: Status {
        Status(code: 500, reason: "InternalError", message: "Internal error occurred: \(description)")
    }
}
