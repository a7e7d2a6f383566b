import Foundation
import SlipwayAPI

/// The pure parts of `/spark/<namespace>/<job>/…`, which proxies the running driver's Spark
/// UI: the prefix (what the operator sets as the driver's `spark.ui.proxyBase`), the
/// headers passed on, `Location` rewriting, and the page a finished application gets.
public enum SparkUIProxy {
    /// `/spark/<namespace>/<job>`: the driver's `spark.ui.proxyBase`.
    public static func prefix(namespace: String, job: String) -> String {
        "/spark/\(HTML.component(namespace))/\(HTML.component(job))"
    }

    /// Hop-by-hop headers (RFC 9110 §7.6.1) and those the proxy sets itself: never passed on.
    public static let droppedHeaders: Set<String> = [
        "connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade",
        "host", "content-length", "authorization", "cookie",
    ]

    /// A `Location` from the driver, as the browser must follow it: the driver's own origin
    /// (`http://10.0.0.5:4040`) dropped, a path outside `prefix` put under it; relative
    /// ones and other origins untouched.
    public static func rewriteLocation(_ location: String, upstream: String, prefix: String) -> String {
        var path = location
        if location.hasPrefix(upstream) {
            path = String(location.dropFirst(upstream.count))
            if path.isEmpty { path = "/" }
        } else if location.contains("://") {
            return location
        }
        guard path.hasPrefix("/") else { return path }
        return path == prefix || path.hasPrefix(prefix + "/") || path.hasPrefix(prefix + "?") ? path : prefix + path
    }

    /// What the proxy answers when no driver UI is there: the application finished (or has
    /// not started), with a link to the job's page, which has its recorded status.
    public static func notRunning(_ key: JobKey, phase: String?, exists: Bool, root: String) -> String {
        var body = "<h1>Spark UI of \(HTML.escape(key.namespace))/\(HTML.escape(key.name))</h1>\n"
        if !exists {
            body += "<p>No SparkJob \(HTML.escape(key.namespace))/\(HTML.escape(key.name)) is known to the operator.</p>\n"
        } else {
            let phase = phase ?? "Pending"
            let finished = ["Succeeded", "Failed", "Skipped"].contains(phase)
            body += "<p>" + (finished
                ? "The application has finished (\(HTML.escape(phase))): its driver and UI are gone."
                : "The driver is not running (\(HTML.escape(phase))): its UI is not there yet.") + "</p>\n"
            body += "<p>" + HTML.link(root + key.path, "The job's recorded status, attempts and logs") + "</p>\n"
        }
        return HTML.page(title: "Spark UI of \(key.namespace)/\(key.name)", root: root, body: body)
    }
}
