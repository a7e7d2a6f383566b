import Foundation
import KubeAPI

/// One request as the audit hook sees it once it was answered: what a client asked (method,
/// path and query, the headers that shape the answer, the body of writes) and the status of
/// the answer. `slipway dev --audit-log FILE` writes one JSON line per request; tests record
/// what real clients (the Spark driver's fabric8 client) ask of the server.
public struct AuditRecord: Sendable, Hashable {
    public var method: String
    /// The path, percent-encoded as sent.
    public var path: String
    /// The query string as sent (without `?`), empty when there is none.
    public var query: String
    public var userAgent: String
    public var contentType: String?
    /// The `Upgrade` header (`websocket` for a WebSocket watch request).
    public var upgrade: String?
    /// The answer's status; nil when none was written (a dropped connection).
    public var status: Int?
    /// The request body of POST, PUT and PATCH requests (and DELETE options).
    public var body: String?

    /// The record as one line of JSON.
    public var json: JSONValue {
        var object: JSONObject = ["method": .string(method), "path": .string(path), "query": .string(query), "userAgent": .string(userAgent)]
        if let contentType { object["contentType"] = .string(contentType) }
        if let upgrade { object["upgrade"] = .string(upgrade) }
        if let status { object["status"] = .number(JSONNumber(status)) }
        if let body { object["body"] = (try? JSON.parse(Data(body.utf8))) ?? .string(body) }
        return .object(object)
    }
}

extension LocalAPIServer {
    /// Tells the audit hook, if any, about an answered request.
    func audit(_ request: HTTPServerRequest, _ writer: HTTPResponseWriter) {
        guard let hook = hooks.withLock({ $0.audit }) else { return }
        let parts = request.uri.split(separator: "?", maxSplits: 1)
        hook(AuditRecord(
            method: request.method, path: request.path, query: parts.count > 1 ? String(parts[1]) : "",
            userAgent: request.header("User-Agent") ?? "", contentType: request.header("Content-Type"),
            upgrade: request.header("Upgrade"), status: writer.status,
            body: request.body.isEmpty ? nil : request.bodyText))
    }
}

/// Appends audit records to a file, one JSON object per line.
public final class AuditLogFile: Sendable {
    private let handle: FileHandle

    /// Opens (creates, or appends to) `url`.
    public init(url: URL) throws {
        if !FileManager.default.fileExists(atPath: url.path) { FileManager.default.createFile(atPath: url.path, contents: nil) }
        handle = try FileHandle(forWritingTo: url)
        try handle.seekToEnd()
    }

    /// Writes one record.
    public func write(_ record: AuditRecord) {
        handle.write(Data((JSON.string(record.json) + "\n").utf8))
    }
}
