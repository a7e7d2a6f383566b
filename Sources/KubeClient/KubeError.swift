import KubeAPI

/// An API request that failed. Server answers keep the server's `Status` (its message and
/// reason verbatim); transport problems keep the underlying error's description.
public enum KubeError: Error, Sendable, CustomStringConvertible {
    /// 404.
    case notFound(Status)
    /// 409 with reason AlreadyExists.
    case alreadyExists(Status)
    /// 409 Conflict: a stale resourceVersion, or a server-side-apply field conflict.
    case conflict(Status)
    /// 410 Gone / reason Expired: the resourceVersion is too old; relist.
    case gone(Status)
    /// 422 Invalid; `status.details.causes` name the fields.
    case invalid(Status)
    /// 400 Bad Request.
    case badRequest(Status)
    /// 401.
    case unauthorized(Status)
    /// 403.
    case forbidden(Status)
    /// 429, with the server's Retry-After when it sent one.
    case tooManyRequests(Status, retryAfterSeconds: Int?)
    /// 504 or reason Timeout / ServerTimeout.
    case timeout(Status)
    /// 5xx.
    case internalError(Status)
    /// Any other HTTP status.
    case unexpectedStatus(Int, Status)
    /// The connection failed or dropped.
    case transport(String)
    /// The answer could not be read.
    case decoding(String)
    /// The client configuration is unusable (missing server, bad certificate, …).
    case configuration(String)

    /// The server's Status, when the server answered.
    public var status: Status? {
        switch self {
        case .notFound(let s), .alreadyExists(let s), .conflict(let s), .gone(let s), .invalid(let s), .badRequest(let s),
            .unauthorized(let s), .forbidden(let s), .tooManyRequests(let s, _), .timeout(let s), .internalError(let s),
            .unexpectedStatus(_, let s):
            return s
        case .transport, .decoding, .configuration:
            return nil
        }
    }

    /// The HTTP status code, when the server answered.
    public var code: Int? {
        switch self {
        case .notFound: 404
        case .alreadyExists, .conflict: 409
        case .gone: 410
        case .invalid: 422
        case .badRequest: 400
        case .unauthorized: 401
        case .forbidden: 403
        case .tooManyRequests: 429
        case .timeout(let s): s.code ?? 504
        case .internalError(let s): s.code ?? 500
        case .unexpectedStatus(let c, _): c
        case .transport, .decoding, .configuration: nil
        }
    }

    public var description: String {
        switch self {
        case .transport(let m): return "connection error: \(m)"
        case .decoding(let m): return "cannot read the server's answer: \(m)"
        case .configuration(let m): return "client configuration: \(m)"
        default: return status?.message ?? "HTTP \(code ?? 0)"
        }
    }

    /// Maps an HTTP status code and the server's Status body to a typed error.
    public static func from(code: Int, status: Status, retryAfter: Int? = nil) -> KubeError {
        let reason = status.reason ?? ""
        switch code {
        case 404: return .notFound(status)
        case 409: return reason == "AlreadyExists" ? .alreadyExists(status) : .conflict(status)
        case 410: return .gone(status)
        case 422: return .invalid(status)
        case 400: return .badRequest(status)
        case 401: return .unauthorized(status)
        case 403: return .forbidden(status)
        case 429: return .tooManyRequests(status, retryAfterSeconds: retryAfter ?? status.details?.retryAfterSeconds)
        case 504: return .timeout(status)
        case 500...599:
            return reason == "Timeout" || reason == "ServerTimeout" ? .timeout(status) : .internalError(status)
        default:
            if reason == "Expired" || reason == "Gone" { return .gone(status) }
            return .unexpectedStatus(code, status)
        }
    }

    /// Maps the Status of a watch ERROR event (HTTP 200 around it) to a typed error.
    public static func from(watchStatus status: Status) -> KubeError {
        from(code: status.code ?? 500, status: status)
    }

    public var isNotFound: Bool { if case .notFound = self { true } else { false } }
    public var isAlreadyExists: Bool { if case .alreadyExists = self { true } else { false } }
    public var isConflict: Bool { if case .conflict = self { true } else { false } }
    public var isGone: Bool { if case .gone = self { true } else { false } }
    public var isInvalid: Bool { if case .invalid = self { true } else { false } }

    /// Whether the server refused a create in a way that sending it again cannot change:
    /// 422 Invalid, 400 BadRequest, 403 Forbidden — except a namespace being terminated
    /// (nothing more is created there) and an exceeded ResourceQuota (room frees up as other
    /// pods end), which say nothing about the object itself.
    public var refusesForGood: Bool {
        switch self {
        case .invalid, .badRequest: return true
        case .forbidden(let status):
            if status.details?.causes.contains(where: { $0.reason == "NamespaceTerminating" }) == true { return false }
            let message = status.message ?? ""
            return !message.contains("because it is being terminated") && !message.contains("exceeded quota")
        default: return false
        }
    }

    /// The server's answer in words: code, reason and message (`422 Invalid: Pod "x" is invalid: …`).
    public var answer: String {
        let reason = status?.reason.map { " \($0)" } ?? ""
        return code.map { "\($0)\(reason): \(description)" } ?? description
    }
}
