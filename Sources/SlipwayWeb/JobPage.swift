import Foundation
import KubeAPI
import SlipwayAPI
import SlipwayCore
import SlipwayPlugin

/// `/jobs/<kind>/<namespace>/<name>`: one job's phase, message, progress, queue position,
/// attempt table, pods (with links to their logs) and events, from the operator's caches.
/// Never shows pod specs: no environment values, no secrets.
public struct JobPage: Sendable {
    /// The job's pods as cached (finished ones too, while they exist).
    public var pods: [Pod]
    /// The job's events and its pods' warnings, any order.
    public var events: [Event]
    public var now: Date
    /// The relative path to the view's root (`../../../` from a job page).
    public var root: String
    /// Pods shown in the pod table (the newest; attempts link their logs anyway).
    public var maxPods = 200
    /// Each cached pod's container names, by pod name (looked up once per attempt row).
    let containers: [String: [String]]

    public init(pods: [Pod], events: [Event], now: Date, root: String = "../../../") {
        self.pods = pods
        self.events = events
        self.now = now
        self.root = root
        var containers: [String: [String]] = [:]
        for pod in pods { containers[pod.metadata.name ?? ""] = pod.spec.containers.map(\.name) }
        self.containers = containers
    }

    // MARK: - Kinds

    public func render(_ job: BatchJob) -> String {
        guard let key = JobKey(kind: "BatchJob", namespace: job.metadata.namespace ?? "", name: job.metadata.name ?? "") else { return "" }
        let s = job.status
        var facts: [(String, String)] = [("Progress", "\(s.progress ?? "\(s.succeeded)/\(job.spec.arraySize)") indexes succeeded")]
        facts.append(("Pods", "\(s.running) running, \(s.pending) pending, \(s.failed) failed"))
        if let failed = s.failedIndexes, !failed.isEmpty { facts.append(("Failed indexes", failed)) }
        let rows = s.history.sorted { ($0.index, $0.attempt) < ($1.index, $1.attempt) }.map { r -> [String] in
            var resources: [String] = []
            if let memory = r.memory { resources.append("memory \(memory)") }
            if let cpu = r.cpu { resources.append("cpu \(cpu)") }
            return [
                String(r.index), String(r.attempt), resultCell(r), r.exitCode.map(String.init) ?? "", HTML.escape(r.reason ?? ""),
                HTML.escape(r.node ?? ""), HTML.escape(r.capacityType ?? ""), HTML.escape(resources.joined(separator: ", ")),
                HTML.escape(HistoryTable.duration(r)), HTML.escape(r.adaptations.joined(separator: "; ")),
                r.pod.map { logLinks(key, pod: $0) } ?? "",
            ]
        }
        let table = Self.attemptTable(rows)
        return page(key, meta: job.metadata, status: job.status, queue: job.spec.queue, facts: facts, attempts: table,
                    messages: messages(s.history) { "index \($0.index), attempt \($0.attempt)" })
    }

    public func render(_ job: SparkJob) -> String {
        guard let key = JobKey(kind: "SparkJob", namespace: job.metadata.namespace ?? "", name: job.metadata.name ?? "") else { return "" }
        let s = job.status
        let e = s.executors
        var facts: [(String, String)] = [
            ("Attempt", "\(s.current.attempt) (\(s.attempts) created)"),
            ("Executors", "\(e.running) running, \(e.pending) pending, \(e.succeeded) succeeded, \(e.failed) failed"),
        ]
        if let app = s.sparkApplicationId { facts.append(("Application", app)) }
        if let pod = s.driver.pod { facts.append(("Driver", pod + (s.driver.state.map { " (\($0))" } ?? "") + (s.driver.node.map { " on \($0)" } ?? ""))) }
        let rows = s.history.sorted { $0.attempt < $1.attempt }.map { r -> [String] in
            let resources = [
                r.driverMemory.map { "driver \($0)" }, r.executorMemory.map { "executor \($0)" + (r.executorInstances.map { " × \($0)" } ?? "") },
            ].compactMap { $0 }.joined(separator: ", ")
            let capacity = [r.driverCapacity.map { "driver \($0)" }, r.executorCapacity.map { "executors \($0)" }].compactMap { $0 }.joined(separator: ", ")
            var reason = r.reason ?? ""
            for group in r.executorFailures {
                reason += (reason.isEmpty ? "" : "; ") + "\(group.count) executor\(group.count == 1 ? "" : "s") "
                    + [group.failureClass?.rawValue, group.exitCode.map { "exit \($0)" }, group.reason].compactMap { $0 }.joined(separator: " ")
            }
            return [
                "0", String(r.attempt), resultCell(r) + (r.role.map { " (\(HTML.escape($0.rawValue)))" } ?? ""), r.exitCode.map(String.init) ?? "",
                HTML.escape(reason), HTML.escape(r.node ?? ""), HTML.escape(capacity), HTML.escape(resources),
                HTML.escape(HistoryTable.duration(r)), HTML.escape(r.adaptations.joined(separator: "; ")),
                r.driverPod.map { logLinks(key, pod: $0) } ?? "",
            ]
        }
        let table = Self.attemptTable(rows)
        var extra = ""
        if let analysis = s.analysis { extra += Self.findingsSection(analysis) }
        if Self.sparkUIIsLive(job) {
            extra += "<p>" + HTML.link(root + String(SparkUIProxy.prefix(namespace: key.namespace, job: key.name).dropFirst()) + "/", "Spark UI of the running driver") + "</p>\n"
        }
        return page(key, meta: job.metadata, status: job.status, queue: job.spec.queue, facts: facts, attempts: extra + table,
                    messages: messages(s.history) { "attempt \($0.attempt)" })
    }

    /// What the analysis sidecar found in the newest analysed attempt's event log
    /// (`status.analysis`, docs/analysis.md): ranked by estimated waste, with its notes.
    static func findingsSection(_ analysis: SparkAnalysisStatus) -> String {
        var out = "<h2>Findings</h2>\n"
        let rows = analysis.findings.map { f in
            [HTML.escape(f.severity), HTML.escape(f.kind), HTML.escape(f.subject), HTML.escape(f.summary),
             HTML.escape(f.recommendation), HTML.escape(String(format: "%.1f", f.wasteCoreSeconds))]
        }
        if rows.isEmpty {
            out += "<p>The analysis of attempt \(analysis.attempt) found nothing to change.</p>\n"
        } else {
            out += HTML.table(
                caption: "Attempt \(analysis.attempt)" + (analysis.sparkApplicationId.map { ", application \($0)" } ?? "")
                    + (analysis.omittedFindings > 0 ? " (\(analysis.omittedFindings) lower-ranked not kept)" : ""),
                headers: ["Severity", "Kind", "Subject", "What happened", "What to change", "Waste (core-s)"], rows: rows)
        }
        if !analysis.notes.isEmpty {
            out += "<ul>" + analysis.notes.map { "<li>\(HTML.escape($0))</li>" }.joined() + "</ul>\n"
        }
        return out
    }

    /// The attempt table, the same columns for every kind (a SparkJob's one unit is index 0).
    static func attemptTable(_ rows: [[String]]) -> String {
        HTML.table(
            caption: "Attempts (\(rows.count) recorded)",
            headers: ["Index", "Attempt", "Result", "Exit code", "Reason", "Node", "Capacity", "Resources", "Duration", "Changed for the next", "Logs"],
            rows: rows)
    }

    /// Whether the driver runs, so that its UI answers.
    public static func sparkUIIsLive(_ job: SparkJob) -> Bool {
        [.submitted, .running].contains(job.status.phase) && job.status.driver.pod != nil
    }

    // MARK: - The frame every kind shares

    func page<Status: JobStatusFields>(
        _ key: JobKey, meta: ObjectMeta, status: Status, queue: String?, facts: [(String, String)], attempts: String, messages: String
    ) -> String {
        let phase = status.phase?.rawValue ?? "Pending"
        var body = "<h1>\(HTML.escape(key.kind)) \(HTML.escape(key.namespace))/\(HTML.escape(key.name))</h1>\n<dl>\n"
        var items: [(String, String)] = [("Phase", "<span class=\"phase \(HTML.escape(phase))\">\(HTML.escape(phase))</span>")]
        if let message = status.message, !message.isEmpty { items.append(("Message", HTML.escape(message))) }
        items += facts.map { ($0.0, HTML.escape($0.1)) }
        items.append(("Attempts", String(status.attempts)))
        var timing: [String] = []
        if let created = meta.creationTimestamp { timing.append("created \(Age.since(created, now: now)) ago") }
        if let start = status.startTime { timing.append("started \(Age.since(start, now: now)) ago") }
        if let duration = status.duration { timing.append("ran \(duration)") }
        if let next = status.nextRetryTime, next > now { timing.append("next attempt in \(Age.text(next.timeIntervalSince(now)))") }
        if !timing.isEmpty { items.append(("Time", HTML.escape(timing.joined(separator: ", ")))) }
        if let queueText = Self.queuePosition(status: status, queue: queue) { items.append(("Queue", HTML.escape(queueText))) }
        for (term, value) in items { body += "<dt>\(HTML.escape(term))</dt><dd>\(value)</dd>\n" }
        body += "</dl>\n"
        body += messages
        body += "<h2>Attempts</h2>\n" + attempts
        body += Self.summaryTable(status.failureSummary)
        body += podsSection(key)
        body += eventsSection()
        body += conditionsSection(status.conditions)
        return HTML.page(title: "\(key.kind) \(key.namespace)/\(key.name)", root: root, body: body)
    }

    /// Where the job stands in its queue: the Admitted=False message (it says what it waits
    /// for and its position), or what it was admitted for.
    static func queuePosition<Status: JobStatusFields>(status: Status, queue: String?) -> String? {
        if let admitted = status.conditions[.admitted], admitted.status != .true {
            return "waiting for admission: " + (admitted.message ?? admitted.reason ?? "not admitted yet")
        }
        if let admission = status.admission {
            return "admitted by \(admission.queue) for \(admission.pods) pod\(admission.pods == 1 ? "" : "s")"
        }
        return queue.map { "\($0)" }
    }

    /// The latest failure's extracted exception, at the top.
    func messages<Record: AttemptRecordFields>(_ history: [Record], title: (Record) -> String) -> String {
        guard let last = history.last(where: { $0.isFailure && !($0.message ?? "").isEmpty }), let message = last.message else { return "" }
        return "<section class=\"exception\" aria-labelledby=\"last-failure\"><h2 id=\"last-failure\">Last failure (\(HTML.escape(title(last))))</h2>"
            + "<pre class=\"log\">\(HTML.escape(message))</pre></section>\n"
    }

    func resultCell<Record: AttemptRecordFields>(_ r: Record) -> String {
        let result = HistoryTable.result(r)
        return "<span class=\"phase \(r.isFailure ? "Failed" : "Succeeded")\">\(HTML.escape(result))</span>"
    }

    /// Links to the logs of `pod`'s containers (the main one when the pod is gone from the cache).
    func logLinks(_ key: JobKey, pod: String) -> String {
        let containers = self.containers[pod] ?? []
        if containers.count <= 1 {
            return HTML.link(logPath(key, pod: pod, container: nil), "log")
        }
        return containers.map { HTML.link(logPath(key, pod: pod, container: $0), $0) }.joined(separator: " ")
    }

    func logPath(_ key: JobKey, pod: String, container: String?) -> String {
        root + key.path + "/logs" + HTML.query([("pod", pod), ("container", container ?? "")])
    }

    static func summaryTable(_ summaries: [FailureSummary]) -> String {
        guard !summaries.isEmpty else { return "" }
        let rows = summaries.map { [HTML.escape($0.failureClass?.rawValue ?? "Failed"), String($0.count), HTML.escape($0.indexes)] }
        return HTML.table(caption: "Failures beyond the history bound", headers: ["Class", "Count", "Indexes"], rows: rows)
    }

    func podsSection(_ key: JobKey) -> String {
        guard !pods.isEmpty else { return "" }
        // The newest first, at most maxPods of them (names and times read once, not per comparison).
        let keyed = pods.map { (pod: $0, created: $0.metadata.creationTimestamp ?? .distantPast, name: $0.metadata.name ?? "") }
        let shown = keyed.sorted { ($0.created, $1.name) > ($1.created, $0.name) }.prefix(maxPods).map(\.pod)
        let rows = shown.map { pod -> [String] in
            let name = pod.metadata.name ?? ""
            let states = pod.status.containerStatuses.map { status -> String in
                if let t = status.state.terminated { return "\(status.name): exit \(t.exitCode)" + (t.reason.map { " (\($0))" } ?? "") }
                if let w = status.state.waiting { return "\(status.name): \(w.reason ?? "waiting")" }
                return "\(status.name): running"
            }
            return [
                HTML.escape(name), HTML.escape(pod.status.phase?.rawValue ?? ""), HTML.escape(pod.spec.nodeName ?? ""),
                HTML.escape(states.joined(separator: "; ")), logLinks(key, pod: name),
            ]
        }
        let caption = pods.count > rows.count ? "Pods of the job: the newest \(rows.count) of \(pods.count)" : "Pods of the job (\(rows.count))"
        return "<h2>Pods</h2>\n" + HTML.table(caption: caption, headers: ["Pod", "Phase", "Node", "Containers", "Logs"], rows: rows)
    }

    func eventsSection() -> String {
        let sorted = events.map { (event: $0, time: $0.lastObservedTime ?? .distantPast) }.sorted { $0.time > $1.time }.map(\.event)
        var out = "<h2>Events</h2>\n"
        guard !sorted.isEmpty else { return out + "<p class=\"note\">No events (Kubernetes keeps them for an hour).</p>\n" }
        let rows = sorted.prefix(200).map { event -> [String] in
            let object = [event.involvedObject.kind, event.involvedObject.name].compactMap { $0 }.joined(separator: "/")
            return [
                HTML.escape(event.type?.rawValue ?? ""), HTML.escape(event.reason ?? ""), HTML.escape(object), String(event.count ?? 1),
                HTML.escape(Age.since(event.lastObservedTime, now: now)), HTML.escape(event.message ?? ""),
            ]
        }
        let caption = sorted.count > rows.count ? "Events: the newest \(rows.count) of \(sorted.count)" : "Events, newest first"
        out += HTML.table(caption: caption, headers: ["Type", "Reason", "Object", "Count", "Last seen", "Message"], rows: Array(rows))
        return out
    }

    func conditionsSection(_ conditions: [Condition]) -> String {
        guard !conditions.isEmpty else { return "" }
        let rows = conditions.map { c in
            [HTML.escape(c.type), HTML.escape(c.status.rawValue), HTML.escape(c.reason ?? ""), HTML.escape(c.message ?? "")]
        }
        return "<h2>Conditions</h2>\n" + HTML.table(caption: "Conditions", headers: ["Type", "Status", "Reason", "Message"], rows: rows)
    }
}
