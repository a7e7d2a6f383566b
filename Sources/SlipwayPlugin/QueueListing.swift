import Foundation
import KubeAPI
import SlipwayAPI
import SlipwayCore

/// `kubectl slipway queues`: each JobQueue's usage against its limits, and the jobs that
/// wait in it in the order it admits them (priority, then age — the queue's own order).
public struct QueueListing: Sendable {
    /// One waiting job.
    public struct Waiting: Sendable, Hashable {
        public var reference: JobReference
        public var priority: Int
        public var created: Date
        /// The job's Admitted=False message (what it waits for).
        public var message: String

        public init(reference: JobReference, priority: Int, created: Date, message: String) {
            self.reference = reference
            self.priority = priority
            self.created = created
            self.message = message
        }
    }

    public var queues: [JobQueue]
    /// Waiting jobs by queue name, in admission order.
    public var waiting: [String: [Waiting]]

    /// Sorts each queue's waiting jobs as its admission does (``QueueAdmission/order(_:_:)``).
    public init(queues: [JobQueue], jobs: [(queue: String, job: Waiting)]) {
        self.queues = queues.sorted { ($0.metadata.name ?? "") < ($1.metadata.name ?? "") }
        var byQueue: [String: [Waiting]] = [:]
        for (queue, job) in jobs { byQueue[queue, default: []].append(job) }
        waiting = byQueue.mapValues { jobs in
            jobs.sorted { a, b in
                QueueAdmission.order(
                    QueuedJob(reference: a.reference, created: a.created, priority: a.priority, request: QueueRequest(pods: 0)),
                    QueuedJob(reference: b.reference, created: b.created, priority: b.priority, request: QueueRequest(pods: 0)))
            }
        }
    }

    /// Whether a job waits for its queue: not finished and its Admitted condition is not True.
    public static func isWaiting<Status: JobStatusFields>(_ status: Status) -> Bool {
        guard status.phase != .succeeded, status.phase != .failed, status.phase != .skipped else { return false }
        return status.conditions[.admitted]?.status != .true
    }

    public func render(style: TextStyle = .plain, now: Date) -> String {
        guard !queues.isEmpty else { return "No JobQueues found.\n" }
        var table = TextTable(["QUEUE", "STRATEGY", "ADMITTED", "RUNNING", "WAITING", "USAGE", "OLDEST WAITING"])
        for q in queues {
            let name = q.metadata.name ?? ""
            let s = q.status
            table.add([
                name, q.spec.strategy.rawValue, String(s.admitted), String(s.running), String(waiting[name]?.count ?? s.pending),
                Self.usage(s.usage, limits: s.limits), s.oldestWaitingSince.map { "\(s.oldestWaiting ?? "") (\(Age.since($0, now: now)))" } ?? "",
            ])
        }
        var text = table.text
        for q in queues {
            let name = q.metadata.name ?? ""
            guard let jobs = waiting[name], !jobs.isEmpty else { continue }
            text += "\n" + style.bold("Waiting in \(name):") + "\n"
            var t = TextTable(["#", "JOB", "PRIORITY", "WAITING", "WHY"])
            for (i, job) in jobs.enumerated() {
                let r = job.reference
                t.add([String(i + 1), "\(r.kind.lowercased())/\(r.namespace)/\(r.name)", String(job.priority), Age.since(job.created, now: now), job.message])
            }
            text += t.text
        }
        return text
    }

    /// `jobs 2/4, pods 3/8, cpu 3/8`: each used amount against its limit (`-` when unlimited).
    static func usage(_ usage: [String: String], limits: [String: String]) -> String {
        let names = Set(usage.keys).union(limits.keys).sorted { a, b in
            let order = [QueueAmounts.jobs, QueueAmounts.pods]
            let (ia, ib) = (order.firstIndex(of: a) ?? 2, order.firstIndex(of: b) ?? 2)
            return ia != ib ? ia < ib : a < b
        }
        return names.map { "\($0) \(usage[$0] ?? "0")/\(limits[$0] ?? "-")" }.joined(separator: ", ")
    }

    /// The listing as JSON (`-o json|yaml`): each queue with its status and waiting jobs in order.
    public var json: JSONValue {
        .array(queues.map { q in
            let name = q.metadata.name ?? ""
            let jobs: [JSONValue] = (waiting[name] ?? []).enumerated().map { i, j in
                [
                    "position": .number(JSONNumber(i + 1)), "kind": .string(j.reference.kind), "namespace": .string(j.reference.namespace),
                    "name": .string(j.reference.name), "priority": .number(JSONNumber(j.priority)), "message": .string(j.message),
                ]
            }
            return ["name": .string(name), "spec": q.spec.json, "status": q.status.json, "waiting": .array(jobs)]
        })
    }
}
