import Foundation
import SlipwayAPI
import SlipwayPlugin

/// One job as the list shows it, of any kind.
public struct JobRow: Sendable, Hashable {
    public var key: JobKey
    public var created: Date
    public var phase: String
    public var progress: String
    public var attempts: Int
    public var queue: String
    public var message: String

    public init(key: JobKey, created: Date, phase: String, progress: String, attempts: Int, queue: String, message: String) {
        self.key = key
        self.created = created
        self.phase = phase
        self.progress = progress
        self.attempts = attempts
        self.queue = queue
        self.message = message
    }

    public init?(_ job: BatchJob) {
        guard let key = JobKey(kind: "BatchJob", namespace: job.metadata.namespace ?? "", name: job.metadata.name ?? "") else { return nil }
        let status = job.status
        self.init(
            key: key, created: job.metadata.creationTimestamp ?? .distantPast, phase: status.phase?.rawValue ?? "Pending",
            progress: status.progress ?? "\(status.succeeded)/\(job.spec.arraySize)", attempts: status.attempts,
            queue: job.spec.queue ?? "", message: status.message ?? "")
    }

    public init?(_ job: SparkJob) {
        guard let key = JobKey(kind: "SparkJob", namespace: job.metadata.namespace ?? "", name: job.metadata.name ?? "") else { return nil }
        let status = job.status
        let e = status.executors
        self.init(
            key: key, created: job.metadata.creationTimestamp ?? .distantPast, phase: status.phase?.rawValue ?? "Pending",
            progress: "executors \(e.running) running, \(e.succeeded) succeeded, \(e.failed) failed", attempts: status.attempts,
            queue: job.spec.queue ?? "", message: status.message ?? "")
    }

    /// Newest first; ties by kind, namespace, name (so that pages never overlap or skip).
    static func newestFirst(_ a: JobRow, _ b: JobRow) -> Bool {
        if a.created != b.created { return a.created > b.created }
        return (a.key.kind, a.key.namespace, a.key.name) < (b.key.kind, b.key.namespace, b.key.name)
    }
}

/// The list's filter: each field empty for any.
public struct JobFilter: Sendable, Hashable {
    public var namespace = ""
    public var kind = ""
    public var phase = ""
    public var queue = ""

    public init(namespace: String = "", kind: String = "", phase: String = "", queue: String = "") {
        self.namespace = namespace
        self.kind = kind
        self.phase = phase
        self.queue = queue
    }

    init(_ parameters: [String: String]) {
        self.init(
            namespace: parameters["namespace"] ?? "", kind: parameters["kind"] ?? "", phase: parameters["phase"] ?? "",
            queue: parameters["queue"] ?? "")
    }

    public func matches(_ row: JobRow) -> Bool {
        (namespace.isEmpty || row.key.namespace == namespace) && (kind.isEmpty || row.key.kind.lowercased() == kind.lowercased())
            && (phase.isEmpty || row.phase == phase) && (queue.isEmpty || row.queue == queue)
    }

    var items: [(String, String)] { [("namespace", namespace), ("kind", kind), ("phase", phase), ("queue", queue)] }
}

/// `/`: every job the operator's caches hold, filtered, newest first, a page at a time.
public struct JobListPage: Sendable {
    public var rows: [JobRow]
    /// The token of the next page; nil on the last.
    public var next: String?
    public var total: Int
    public var filter: JobFilter
    public var page: PageRequest
    /// Values the filter offers (namespaces and queues seen in the caches).
    public var namespaces: [String]
    public var queues: [String]

    /// Filters, sorts and cuts `all` (the caches' jobs): O(n log n) per request, a few
    /// milliseconds for 10,000 jobs.
    public init(all: [JobRow], filter: JobFilter, page: PageRequest) {
        let matching = all.filter(filter.matches).sorted(by: JobRow.newestFirst)
        var start = 0
        if let token = page.continueToken, let after = Self.decode(token) {
            // The first row after the last one shown (rows may have come and gone since).
            start = matching.firstIndex { JobRow.newestFirst(after, $0) } ?? matching.count
        }
        let end = min(start + page.limit, matching.count)
        rows = Array(matching[start..<end])
        next = end < matching.count ? rows.last.map(Self.encode) : nil
        total = matching.count
        self.filter = filter
        self.page = page
        namespaces = Set(all.map(\.key.namespace)).sorted()
        queues = Set(all.map(\.queue).filter { !$0.isEmpty }).sorted()
    }

    /// The continue token after `row`: its sort key, base64url.
    static func encode(_ row: JobRow) -> String {
        let text = "\(Int64((row.created.timeIntervalSince1970 * 1000).rounded()))\n\(row.key.kind)\n\(row.key.namespace)\n\(row.key.name)"
        return Data(text.utf8).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// The row a token stands for (only its sort key is meaningful); nil for garbage.
    static func decode(_ token: String) -> JobRow? {
        var base64 = token.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        guard let data = Data(base64Encoded: base64), let text = String(data: data, encoding: .utf8) else { return nil }
        let parts = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 4, let millis = Int64(parts[0]), let key = JobKey(kind: parts[1], namespace: parts[2], name: parts[3]) else { return nil }
        return JobRow(key: key, created: Date(timeIntervalSince1970: Double(millis) / 1000), phase: "", progress: "", attempts: 0, queue: "", message: "")
    }

    public func render(now: Date, root: String = "./") -> String {
        var body = "<h1>Jobs</h1>\n"
        body += form(root: root)
        let shown = rows.isEmpty ? "No jobs match." : "\(total) job\(total == 1 ? "" : "s") match; showing \(rows.count), newest first."
        body += "<p class=\"note\" role=\"status\">\(HTML.escape(shown))</p>\n"
        if !rows.isEmpty {
            let cells = rows.map { row -> [String] in
                [
                    HTML.escape(row.key.kind), HTML.escape(row.key.namespace), HTML.link(root + row.key.path, row.key.name),
                    "<span class=\"phase \(HTML.escape(row.phase))\">\(HTML.escape(row.phase))</span>", HTML.escape(row.progress),
                    String(row.attempts), HTML.escape(row.queue), HTML.escape(Age.since(row.created, now: now)),
                    HTML.escape(FailureMessageText.short(row.message)),
                ]
            }
            body += HTML.table(
                caption: "Jobs", headers: ["Kind", "Namespace", "Name", "Phase", "Progress", "Attempts", "Queue", "Age", "Message"], rows: cells)
        }
        if let next {
            let query = HTML.query(filter.items + [("limit", page.limit == PageRequest.defaultLimit ? "" : String(page.limit)), ("continue", next)])
            body += "<p>" + HTML.link(root + query, "Next \(page.limit) →") + "</p>\n"
        }
        if page.continueToken != nil {
            body += "<p>" + HTML.link(root + HTML.query(filter.items), "← First page") + "</p>\n"
        }
        return HTML.page(title: "Jobs", root: root, body: body)
    }

    func form(root: String) -> String {
        func select(_ name: String, _ label: String, _ options: [String], _ selected: String) -> String {
            var out = "<label for=\"f-\(name)\">\(HTML.escape(label))<select id=\"f-\(name)\" name=\"\(name)\"><option value=\"\">any</option>"
            for option in options {
                out += "<option value=\"\(HTML.escape(option))\"\(option == selected ? " selected" : "")>\(HTML.escape(option))</option>"
            }
            return out + "</select></label>\n"
        }
        var out = "<form method=\"get\" action=\"\(HTML.escape(root))\" aria-label=\"Filter jobs\">\n"
        out += select("namespace", "Namespace", namespaces, filter.namespace)
        out += select("kind", "Kind", JobKey.kinds, filter.kind)
        out += select("phase", "Phase", JobPhase.allCases.map(\.rawValue), filter.phase)
        out += select("queue", "Queue", queues, filter.queue)
        out += "<button type=\"submit\">Filter</button>\n</form>\n"
        return out
    }
}

/// Messages cut for a table cell.
enum FailureMessageText {
    static func short(_ text: String, limit: Int = 160) -> String {
        let line = text.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        return line.count > limit ? String(line.prefix(limit - 1)) + "…" : line
    }
}
