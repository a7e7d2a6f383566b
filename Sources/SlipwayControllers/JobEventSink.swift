import AsyncHTTPClient
import Foundation
import KubeAPI
import KubeClient
import Logging
import NIOCore
import SlipwayAPI
import Synchronization

/// The job-event sink (docs/events.md): POSTs a CloudEvents 1.0 event (structured JSON) to
/// one HTTP endpoint for every entry of every job's `status.transitions` — each phase
/// transition and each attempt that ended.
///
/// - At least once, across restarts and outages: what is still to send is derived from
///   the persisted `status.transitions` (the reconciler writes them in the same status update
///   as the transition), and the sink remembers only, per job, the last `seq` it delivered.
///   Once a job has finished and all its transitions went out, that is written into its
///   status (`transitionsDelivered`); a restarted operator sends the rest again — with the
///   same ids.
/// - In order per job: one job's entries go one at a time, by `seq`; the next waits for
///   the previous to be accepted (any 2xx).
/// - Never blocks reconciling: informer handlers only ``offer(_:)`` the job's newest
///   snapshot; one delivery task sends.
/// - Backoff: a failed POST (connection refused or dropped, a timeout, a 5xx, 408 or 429)
///   is tried again after ``initialBackoff`` (0.5 s), doubling up to ``maxBackoff`` (60 s). Any other 4xx is the
///   receiver refusing that event for good: it is logged, counted and skipped.
/// - Bounded: memory holds one snapshot per job with something to send (the jobs the cache
///   holds anyway) and one number per job; a deleted job's last snapshot is kept until it is
///   delivered, at most ``maxDeletedJobs`` of them (the oldest beyond are dropped, counted).
public final class JobEventSink: Sendable {
    /// A job as the sink sees it: who it is and its outbox.
    public struct Snapshot: Sendable {
        public var kind: String
        public var namespace: String
        public var name: String
        public var uid: String
        public var transitions: [JobTransition]
        /// The job is gone from the cluster (this is its last state).
        public var deleted: Bool
        /// `status.transitionsDelivered`: what an operator already delivered and recorded.
        public var acknowledged: Int
        /// The job has finished (Succeeded, Failed, Skipped): once all its transitions are
        /// delivered, ``acknowledge`` records that in its status.
        public var finished: Bool
        /// Writes `status.transitionsDelivered`.
        public var acknowledge: (@Sendable (Int) async -> Void)?

        public init(
            kind: String, namespace: String, name: String, uid: String, transitions: [JobTransition], deleted: Bool = false,
            acknowledged: Int = 0, finished: Bool = false, acknowledge: (@Sendable (Int) async -> Void)? = nil
        ) {
            (self.kind, self.namespace, self.name, self.uid, self.transitions, self.deleted) = (kind, namespace, name, uid, transitions, deleted)
            (self.acknowledged, self.finished, self.acknowledge) = (acknowledged, finished, acknowledge)
        }

        var lastSeq: Int { transitions.last?.seq ?? 0 }
    }

    /// How one POST ended.
    enum Delivery: Equatable {
        case delivered
        /// The receiver refused the event for good (a 4xx other than 408 and 429).
        case refused(Int)
        /// Try again later (no answer, a 5xx, 408, 429).
        case failed(String)
    }

    public let url: URL
    /// The CloudEvents `source` of every event.
    public let source: String
    public let initialBackoff: Duration
    public let maxBackoff: Duration
    public let maxDeletedJobs: Int
    let metrics: SlipwayMetrics
    let logger: Logger

    private struct State {
        var delivered: [String: Int] = [:]
        var pending: [String: Snapshot] = [:]
        /// uids of `pending`, oldest first.
        var order: [String] = []
    }

    private let state = Mutex(State())
    /// Wakes the delivery loop of the running ``run()`` (one per leadership term).
    private let wakeup = Mutex<AsyncStream<Void>.Continuation?>(nil)

    public init(
        url: URL, source: String = "slipway.dev/operator", initialBackoff: Duration = .milliseconds(500), maxBackoff: Duration = .seconds(60),
        maxDeletedJobs: Int = 10_000,
        metrics: SlipwayMetrics = .disabled, logger: Logger = Logger(label: "slipway.events")
    ) {
        self.url = url
        self.source = source
        self.initialBackoff = initialBackoff
        self.maxBackoff = maxBackoff
        self.maxDeletedJobs = maxDeletedJobs
        self.metrics = metrics
        self.logger = logger
        metrics.registerEventSink()
    }

    // MARK: - Offering (informer handlers)

    /// The job's newest state: its entries past what was delivered will be sent. Cheap and
    /// non-blocking.
    public func offer(_ snapshot: Snapshot) {
        let (wake, dropped) = state.withLock { state -> (Bool, Int) in
            let done = max(state.delivered[snapshot.uid] ?? 0, snapshot.acknowledged)
            guard snapshot.lastSeq > done else {
                if snapshot.deleted { state.delivered[snapshot.uid] = nil }
                return (false, 0)
            }
            if state.pending[snapshot.uid] == nil { state.order.append(snapshot.uid) }
            state.pending[snapshot.uid] = snapshot
            var dropped = 0
            // Only a deletion can make too many deleted jobs wait.
            var deleted = snapshot.deleted ? state.order.filter { state.pending[$0]?.deleted == true } : []
            while deleted.count > maxDeletedJobs, let oldest = deleted.first {
                deleted.removeFirst()
                let gone = state.pending.removeValue(forKey: oldest)
                state.order.removeAll { $0 == oldest }
                dropped += (gone?.lastSeq ?? 0) - (state.delivered.removeValue(forKey: oldest) ?? 0)
            }
            return (true, dropped)
        }
        if dropped > 0 {
            metrics.recordEventsLost(dropped)
            logger.error("dropped the undelivered events of a deleted job: more than \(maxDeletedJobs) deleted jobs wait for the sink", metadata: ["events": "\(dropped)"])
        }
        if wake { wakeup.withLock { _ = $0?.yield() } }
        metrics.setEventsPendingJobs(state.withLock { $0.pending.count })
    }

    // MARK: - Delivering

    /// Sends until the task is cancelled; what is not delivered by then stays in the jobs'
    /// status for the next operator.
    public func run() async {
        let client = HTTPClient(
            eventLoopGroup: HTTPClient.defaultEventLoopGroup,
            configuration: HTTPClient.Configuration(redirectConfiguration: .disallow, timeout: .init(connect: .seconds(5), read: .seconds(10))))
        await deliverAll { [self] event in await post(event, with: client) }
        try? await client.shutdown()
    }

    /// The loop, with the POST given (tests script it).
    func deliverAll(_ post: @Sendable ([UInt8]) async -> Delivery) async {
        let (signals, signal) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        wakeup.withLock { $0 = signal }
        defer { wakeup.withLock { $0 = nil } }
        var iterator = signals.makeAsyncIterator()
        signal.yield()
        while await iterator.next() != nil, !Task.isCancelled {
            while !Task.isCancelled, let snapshot = next() {
                await deliver(snapshot, post)
            }
        }
    }

    private func next() -> Snapshot? {
        state.withLock { state in state.order.first.flatMap { state.pending[$0] } }
    }

    /// Sends `snapshot`'s entries past the delivered one, in order; then the job goes to the
    /// back of the line if a newer snapshot brought more, and is forgotten once deleted and done.
    private func deliver(_ snapshot: Snapshot, _ post: @Sendable ([UInt8]) async -> Delivery) async {
        let done = state.withLock { state in
            let done = max(state.delivered[snapshot.uid] ?? 0, snapshot.acknowledged)
            state.delivered[snapshot.uid] = done
            return done
        }
        let entries = snapshot.transitions.filter { $0.seq > done }
        if done > 0, let first = entries.first, first.seq > done + 1 {
            metrics.recordEventsLost(first.seq - done - 1)
            logger.warning("events lost: the job's status kept only its newest transitions while the sink was down", metadata: [
                "job": "\(snapshot.kind)/\(snapshot.namespace)/\(snapshot.name)", "from": "\(done + 1)", "to": "\(first.seq - 1)",
            ])
        }
        for entry in entries {
            guard await send(entry, of: snapshot, post) else { return }
            state.withLock { $0.delivered[snapshot.uid] = entry.seq }
        }
        // A finished job whose transitions all went out: say so in its status, so that the
        // next operator does not send them again (one write per finished job).
        if snapshot.finished, !snapshot.deleted, snapshot.lastSeq > snapshot.acknowledged {
            await snapshot.acknowledge?(snapshot.lastSeq)
        }
        state.withLock { state in
            state.order.removeAll { $0 == snapshot.uid }
            guard let newest = state.pending[snapshot.uid] else { return }
            if newest.lastSeq > (state.delivered[snapshot.uid] ?? 0) {
                state.order.append(snapshot.uid)
            } else {
                state.pending[snapshot.uid] = nil
                if newest.deleted { state.delivered[snapshot.uid] = nil }
            }
        }
        metrics.setEventsPendingJobs(state.withLock { $0.pending.count })
    }

    /// One entry until it is delivered or refused (true), or the task is cancelled (false).
    private func send(_ entry: JobTransition, of snapshot: Snapshot, _ post: @Sendable ([UInt8]) async -> Delivery) async -> Bool {
        let body = Self.encode(cloudEvent(entry, of: snapshot))
        var delay = initialBackoff
        var failures = 0
        while !Task.isCancelled {
            switch await post(body) {
            case .delivered:
                metrics.recordEventDelivered()
                if failures > 0 { logger.info("event sink reachable again", metadata: ["after": "\(failures) failed tries"]) }
                return true
            case .refused(let status):
                metrics.recordEventRefused()
                logger.error("the event sink refused an event; skipping it", metadata: [
                    "status": "\(status)", "id": "\(Self.id(entry, of: snapshot))", "job": "\(snapshot.kind)/\(snapshot.namespace)/\(snapshot.name)",
                ])
                return true
            case .failed(let reason):
                metrics.recordEventDeliveryFailure()
                failures += 1
                if failures == 1 || failures % 20 == 0 {
                    logger.warning("cannot deliver job events; retrying with backoff", metadata: ["sink": "\(url.absoluteString)", "error": "\(reason)", "tries": "\(failures)"])
                }
                try? await Task.sleep(for: delay)
                delay = min(delay * 2, maxBackoff)
            }
        }
        return false
    }

    private func post(_ body: [UInt8], with client: HTTPClient) async -> Delivery {
        var request = HTTPClientRequest(url: url.absoluteString)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/cloudevents+json; charset=utf-8")
        request.body = .bytes(ByteBuffer(bytes: body))
        do {
            let response = try await client.execute(request, timeout: .seconds(15))
            _ = try? await response.body.collect(upTo: 1 << 20)
            let code = Int(response.status.code)
            switch code {
            case 200..<300: return .delivered
            case 408, 429: return .failed("HTTP \(code)")
            case 400..<500: return .refused(code)
            default: return .failed("HTTP \(code)")
            }
        } catch {
            return .failed("\(error)")
        }
    }

    // MARK: - The events

    /// `<uid>.<seq>`: the same transition always has the same id (duplicates are marked by it).
    public static func id(_ entry: JobTransition, of snapshot: Snapshot) -> String { "\(snapshot.uid).\(entry.seq)" }

    /// `dev.slipway.job.<phase in lower case>` or `dev.slipway.job.attempt.<outcome in lower case>`.
    public static func type(_ entry: JobTransition) -> String {
        switch entry.kind {
        case .attemptEnded: "dev.slipway.job.attempt.\((entry.outcome ?? "ended").lowercased())"
        case .phase, nil: "dev.slipway.job.\((entry.phase?.rawValue ?? "unknown").lowercased())"
        }
    }

    /// The CloudEvents 1.0 structured event of one entry: `data` is the entry (seq, time,
    /// type, phase, previousPhase, message, attempts; for an attempt unit, attempt, outcome,
    /// class, exitCode, reason) with the job's kind, namespace, name and uid.
    public func cloudEvent(_ entry: JobTransition, of snapshot: Snapshot) -> JSONObject {
        var data: JSONObject = [
            "kind": .string(snapshot.kind), "namespace": .string(snapshot.namespace), "name": .string(snapshot.name), "uid": .string(snapshot.uid),
        ]
        for (key, value) in entry.object { data[key] = value }
        var event: JSONObject = [
            "specversion": "1.0", "id": .string(Self.id(entry, of: snapshot)), "source": .string(source), "type": .string(Self.type(entry)),
            "subject": .string("\(snapshot.kind)/\(snapshot.namespace)/\(snapshot.name)"), "datacontenttype": "application/json",
        ]
        if let time = entry.time { event["time"] = .string(Self.timeFormat.string(from: time)) }
        event["data"] = .object(data)
        return event
    }

    static func encode(_ event: JSONObject) -> [UInt8] { JSON.serialize(.object(event)) }

    static var timeFormat: ISO8601DateFormatter {
        let format = ISO8601DateFormatter()
        format.formatOptions = [.withInternetDateTime]
        return format
    }
}

/// Feeds every job of every kind to the sink and runs its delivery while the controllers
/// run (so only the leader sends).
struct EventSinkController: RunnableController {
    let sink: JobEventSink
    let caches: OperatorCaches
    let client: KubernetesClient

    func connect() async {
        for scope in caches.scopes.values {
            for kind in scope.kinds.values { await kind.feed(sink, client: client) }
        }
    }

    func run() async { await sink.run() }
}
