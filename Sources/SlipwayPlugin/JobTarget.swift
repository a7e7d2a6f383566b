import KubeAPI
import SlipwayAPI

/// The kinds of job the plugin knows.
public enum JobKindName: String, Sendable, Hashable, CaseIterable {
    case batchJob = "BatchJob"
    case sparkJob = "SparkJob"

    /// The resource a `kind/name` argument names (`batchjob`, `batchjobs`, `bj`, …).
    public init?(resourceName: String) {
        switch resourceName.lowercased() {
        case "batchjob", "batchjobs", "bj", "batchjob.slipway.dev", "batchjobs.slipway.dev": self = .batchJob
        case "sparkjob", "sparkjobs", "sj", "sparkjob.slipway.dev", "sparkjobs.slipway.dev": self = .sparkJob
        default: return nil
        }
    }

    /// `batchjob`, `sparkjob`: how kubectl spells the kind in `kind/name`.
    public var lowercased: String { rawValue.lowercased() }

    public var resource: APIResource {
        switch self {
        case .batchJob: BatchJob.resource
        case .sparkJob: SparkJob.resource
        }
    }
}

/// A `JOB` argument: `NAME` (the kind is looked up: a BatchJob or a SparkJob of that
/// name), or `batchjob/NAME`, `sparkjob/NAME` (also `bj/`, `sj/`).
public struct JobTarget: Sendable, Hashable, CustomStringConvertible {
    public var kind: JobKindName?
    public var name: String

    public init(kind: JobKindName?, name: String) {
        self.kind = kind
        self.name = name
    }

    /// Parses the argument; the error says what is accepted.
    public init(parsing text: String) throws(PluginError) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        switch parts.count {
        case 1 where !text.isEmpty:
            self.init(kind: nil, name: text)
        case 2 where !parts[1].isEmpty:
            guard let kind = JobKindName(resourceName: String(parts[0])) else {
                throw PluginError("\"\(parts[0])\" is not a job kind; use batchjob/NAME, sparkjob/NAME or just NAME")
            }
            self.init(kind: kind, name: String(parts[1]))
        default:
            throw PluginError("\"\(text)\" is not a job; use NAME, batchjob/NAME or sparkjob/NAME")
        }
    }

    public var description: String { kind.map { "\($0.lowercased)/\(name)" } ?? name }

    /// Which of the jobs found by name the argument means: exactly one, or an error that
    /// says how to choose (`found` are the kinds that have a job of this name).
    public func resolve(found: [JobKindName], namespace: String) throws(PluginError) -> JobKindName {
        if let kind {
            guard found.contains(kind) else {
                throw PluginError("\(kind.lowercased)/\(name) not found in namespace \(namespace); list them with kubectl get \(kind.lowercased)s -n \(namespace)")
            }
            return kind
        }
        switch found.count {
        case 0:
            throw PluginError("no BatchJob or SparkJob named \(name) in namespace \(namespace); list them with kubectl get batchjobs,sparkjobs -n \(namespace)")
        case 1:
            return found[0]
        default:
            throw PluginError("both a BatchJob and a SparkJob are named \(name) in namespace \(namespace); say which: batchjob/\(name) or sparkjob/\(name)")
        }
    }
}

/// A failure the plugin reports as one line on standard error (exit code 1): what went
/// wrong and what to do.
public struct PluginError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
