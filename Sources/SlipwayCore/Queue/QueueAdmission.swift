import Foundation
import KubeAPI
import SlipwayAPI

/// One job of a queue as admission sees it: what it is, what it asks for now, and what its
/// status records (its admission, whether it finished, a verdict already given).
public struct QueuedJob: Sendable, Hashable {
    /// Where the job is, as its status says.
    public enum State: Sendable, Hashable {
        /// Not admitted yet (or admitted for less than it asks now: see ``QueuedJob/admission``).
        case active
        /// Succeeded or failed at `time` (its dedupKey stays taken for the window).
        case finished(Date)
        /// Rejected (QueueFull, too big) or skipped as a duplicate: counts for nothing.
        case dropped
    }

    public var reference: JobReference
    public var created: Date
    public var priority: Int
    public var request: QueueRequest
    /// What the queue admitted it for (status.admission); nil: not admitted.
    public var admission: QueueAdmissionRecord?
    public var state: State
    public var dedupKey: String?
    /// Whether the queue's namespaceSelector lets the job's namespace use it.
    public var namespaceAllowed: Bool
    /// Whether it was already told it waits (Admitted=False, reason Waiting): overflow never drops it then.
    public var accepted: Bool
    /// Whether its phase is Running (for the queue's status).
    public var running: Bool

    public init(
        reference: JobReference, created: Date, priority: Int = 0, request: QueueRequest, admission: QueueAdmissionRecord? = nil,
        state: State = .active, dedupKey: String? = nil, namespaceAllowed: Bool = true, accepted: Bool = false, running: Bool = false
    ) {
        self.reference = reference
        self.created = created
        self.priority = priority
        self.request = request
        self.admission = admission
        self.state = state
        self.dedupKey = dedupKey
        self.namespaceAllowed = namespaceAllowed
        self.accepted = accepted
        self.running = running
    }

    /// Admitted and not finished: it holds its admission in the queue's usage.
    public var holdsAdmission: Bool { admission != nil && state == .active }
    /// Admitted for at least what it asks now.
    public var isAdmitted: Bool { holdsAdmission && request.isCovered(by: admission!) }
    /// Waiting for a first admission, or for a larger one (an adaptive retry asks for more).
    public var isWaiting: Bool { state == .active && !isAdmitted }
}

extension JobConditionReason {
    /// A queue's verdict the job never leaves: QueueFull, ExceedsQueueLimits (phase Failed), Duplicate (phase Skipped).
    public var isQueueTerminal: Bool { self == .queueFull || self == .exceedsQueueLimits || self == .duplicate }
}

/// What admission decided for one job.
public struct QueueVerdict: Sendable, Hashable {
    public var reason: JobConditionReason
    /// One line: why (`position 3 of 12 in queue etl (priority 10): needs 8 cpu, 4 free`).
    public var message: String
    /// Set when `reason` is admitted: what to record in `status.admission`.
    public var admission: QueueRequest?
    /// Set when `reason` is admitted: when the queue decided it (recorded as
    /// `status.admission.time`, whenever the job's own write lands).
    public var decided: Date?

    public init(reason: JobConditionReason, message: String, admission: QueueRequest? = nil, decided: Date? = nil) {
        self.reason = reason
        self.message = message
        self.admission = admission
        self.decided = decided
    }

    /// Whether this verdict admits for the same request as `other` (then the earlier
    /// decision's time stands: a queue decided again before the job recorded it admitted the
    /// job no later than the first time).
    public func admitsAlike(_ other: QueueVerdict) -> Bool {
        reason == .admitted && other.reason == .admitted && admission == other.admission
    }
}

/// Admission for one queue, as a pure function of the queue, its jobs (with what their
/// statuses record) and the time: which jobs to admit, which wait and why, which to turn
/// away. The admitted set lives on the jobs (``QueuedJob/admission``); usage is derived from
/// it each time, so a crash between any two writes cannot make it drift.
public struct QueueAdmission: Sendable {
    /// A verdict for every job that is not admitted for what it asks now (and not dropped).
    public var verdicts: [JobReference: QueueVerdict] = [:]
    /// The queue's status after these verdicts.
    public var status = JobQueueStatus()
    /// Usage after these verdicts, overall.
    public var usage = QueueAmounts()
    /// Usage after these verdicts, per kind.
    public var kindUsage: [String: QueueAmounts] = [:]

    /// The decision for queue `name` (`queue` nil: it does not exist).
    public static func decide(name: String, queue: JobQueueSpec?, jobs: [QueuedJob], now: Date) -> QueueAdmission {
        var result = QueueAdmission()
        let waiting = jobs.filter(\.isWaiting).sorted(by: order)
        guard let queue else {
            for job in waiting {
                result.verdicts[job.reference] = QueueVerdict(reason: .queueNotFound, message: "waiting: JobQueue \(name) does not exist")
            }
            result.summarize(name: name, queue: nil, jobs: jobs, now: now)
            return result
        }
        let limits = QueueAmounts(queue.limits)
        let kindLimits = queue.kindLimits.mapValues(QueueAmounts.init)
        for job in jobs where job.holdsAdmission {
            let amounts = QueueRequest(job.admission!).amounts
            result.usage = result.usage + amounts
            result.kindUsage[job.reference.kind, default: QueueAmounts()] = result.kindUsage[job.reference.kind, default: QueueAmounts()] + amounts
        }
        var contenders: [QueuedJob] = []
        let keysTaken = Self.takenKeys(jobs, window: queue.dedupWindowSeconds, now: now)
        for job in waiting {
            if !job.namespaceAllowed {
                result.verdicts[job.reference] = QueueVerdict(
                    reason: .namespaceNotAllowed, message: "waiting: JobQueue \(name) does not admit jobs of namespace \(job.reference.namespace)")
                continue
            }
            if job.admission == nil, !job.accepted, let key = job.dedupKey, let earlier = keysTaken[key], earlier.reference != job.reference,
               (earlier.created, earlier.reference) < (job.created, job.reference) {
                result.verdicts[job.reference] = QueueVerdict(
                    reason: .duplicate, message: "skipped: \(earlier.reference) in namespace \(earlier.reference.namespace) has the same dedupKey \(key) in queue \(name)")
                continue
            }
            if let excess = job.request.amounts.firstExcess(over: limits) ?? kindLimits[job.reference.kind].flatMap(job.request.amounts.firstExcess) {
                let scope = job.request.amounts.fits(within: limits) ? " for a \(job.reference.kind)" : ""
                result.verdicts[job.reference] = QueueVerdict(
                    reason: .exceedsQueueLimits,
                    message: "\(job.admission == nil ? "rejected" : "the retry cannot run"): it needs \(excess.amount) \(excess.name), more than JobQueue \(name) allows\(scope) (\(excess.limit))")
                continue
            }
            contenders.append(job)
        }
        var blockedBy: JobReference?
        var stillWaiting: [(job: QueuedJob, needs: String)] = []
        // What a job that holds nothing needs, by kind and request, while usage stays the same
        // (it changes only when a job is admitted): a long queue of alike jobs that do not fit
        // costs one computation, not one per job.
        var needsWhileUnchanged: [String: [QueueRequest: String]] = [:]
        for job in contenders {
            if blockedBy == nil, !job.holdsAdmission, let needs = needsWhileUnchanged[job.reference.kind]?[job.request] {
                stillWaiting.append((job, needs))
                if queue.strategy == .strictFIFO { blockedBy = job.reference }
                continue
            }
            let own = job.holdsAdmission ? QueueRequest(job.admission!).amounts : QueueAmounts()
            let after = result.usage - own + job.request.amounts
            let kindUsage = result.kindUsage[job.reference.kind, default: QueueAmounts()]
            let kindAfter = kindUsage - own + job.request.amounts
            let excess = after.firstExcess(over: limits).map { ($0, limits, result.usage - own, "") }
                ?? kindLimits[job.reference.kind].flatMap { l in kindAfter.firstExcess(over: l).map { ($0, l, kindUsage - own, " for \(job.reference.kind)s") } }
            if blockedBy == nil, excess == nil {
                needsWhileUnchanged = [:]
                result.usage = after
                result.kindUsage[job.reference.kind] = kindAfter
                result.verdicts[job.reference] = QueueVerdict(
                    reason: .admitted, message: "admitted by JobQueue \(name) for \(job.request.summary)", admission: job.request, decided: now)
                continue
            }
            let needs: String
            if let blockedBy {
                needs = "behind \(blockedBy) (StrictFIFO)"
            } else if let (e, bound, used, scope) = excess {
                let free = (bound[e.name] ?? .zero) - (used[e.name] ?? .zero)
                needs = "needs \(job.request.amounts[e.name] ?? .zero) \(e.name), \(free.sign < 0 ? .zero : free) free\(scope)"
            } else {
                needs = "waiting"
            }
            stillWaiting.append((job, needs))
            if blockedBy == nil, !job.holdsAdmission, excess != nil { needsWhileUnchanged[job.reference.kind, default: [:]][job.request] = needs }
            if queue.strategy == .strictFIFO, blockedBy == nil { blockedBy = job.reference }
        }
        // Overflow: beyond maxQueued, the newest jobs not yet told they wait are turned away.
        var kept = stillWaiting
        if let maxQueued = queue.maxQueued, stillWaiting.count > maxQueued {
            let newcomers = stillWaiting.filter { !$0.job.accepted && $0.job.admission == nil }
                .sorted { ($0.job.created, $0.job.reference) > ($1.job.created, $1.job.reference) }
            let drop = Set(newcomers.prefix(stillWaiting.count - maxQueued).map(\.job.reference))
            for entry in stillWaiting where drop.contains(entry.job.reference) {
                result.verdicts[entry.job.reference] = QueueVerdict(
                    reason: .queueFull, message: "rejected: JobQueue \(name) is full (maxQueued \(maxQueued) jobs already wait)")
            }
            kept = stillWaiting.filter { !drop.contains($0.job.reference) }
        }
        for (position, entry) in kept.enumerated() {
            result.verdicts[entry.job.reference] = QueueVerdict(
                reason: .waiting,
                message: "position \(position + 1) of \(kept.count) in queue \(name) (priority \(entry.job.priority)): \(entry.needs)")
        }
        result.summarize(name: name, queue: queue, jobs: jobs, now: now)
        return result
    }

    /// Whether `candidate` may be admitted for `request` now, given the jobs that hold an
    /// admission in the queue: the same rules as ``decide(name:queue:jobs:now:)``, over the
    /// holders and the candidate alone. The operator asks it under the queue's lock, just
    /// before the job's status write that records the admission, so that two jobs of one
    /// queue never both take its last room (the proposal that the queue's last decision
    /// made may be stale by then).
    public static func admits(
        _ candidate: QueuedJob, for request: QueueRequest, name: String, queue: JobQueueSpec, holders: [QueuedJob], now: Date
    ) -> Bool {
        var asking = candidate
        asking.request = request
        asking.state = .active
        let others = holders.filter { $0.reference != candidate.reference && $0.holdsAdmission }
        return decide(name: name, queue: queue, jobs: others + [asking], now: now).verdicts[candidate.reference]?.reason == .admitted
    }

    /// Admission order: higher priority first, then older, then by kind, namespace and name.
    public static func order(_ a: QueuedJob, _ b: QueuedJob) -> Bool {
        if a.priority != b.priority { return a.priority > b.priority }
        if a.created != b.created { return a.created < b.created }
        return a.reference < b.reference
    }

    /// The earliest job holding each dedupKey: waiting or admitted, or finished within the window.
    static func takenKeys(_ jobs: [QueuedJob], window: Int, now: Date) -> [String: QueuedJob] {
        var taken: [String: QueuedJob] = [:]
        for job in jobs.filter({ $0.dedupKey != nil }).sorted(by: { ($0.created, $0.reference) < ($1.created, $1.reference) }) {
            guard let key = job.dedupKey, taken[key] == nil else { continue }
            switch job.state {
            case .dropped: continue
            case .finished(let time) where time.addingTimeInterval(TimeInterval(window)) < now: continue
            default: taken[key] = job
            }
        }
        return taken
    }

    /// Counts, usage against limits, per kind, and the job waiting longest.
    mutating func summarize(name: String, queue: JobQueueSpec?, jobs: [QueuedJob], now: Date) {
        let waiting = verdicts.filter { !$0.value.reason.isQueueTerminal && $0.value.reason != .admitted }
        let admitted = jobs.filter { $0.holdsAdmission || verdicts[$0.reference]?.reason == .admitted }
        status.pending = waiting.count
        status.admitted = admitted.count
        status.running = admitted.filter(\.running).count
        status.usage = usage.text
        status.limits = queue.map { QueueAmounts($0.limits).text } ?? [:]
        let kinds = Set(kindUsage.keys).union(queue?.kindLimits.keys.map { $0 } ?? [])
        status.kinds = kinds.sorted().map { kind in
            var entry = QueueKindUsage()
            entry.kind = kind
            entry.usage = (kindUsage[kind] ?? QueueAmounts()).text
            entry.limits = queue?.kindLimits[kind].map { QueueAmounts($0).text } ?? [:]
            return entry
        }
        let oldest = jobs.filter { waiting[$0.reference] != nil }.min { ($0.created, $0.reference) < ($1.created, $1.reference) }
        status.oldestWaiting = oldest.map { "\($0.reference.kind) \($0.reference.namespace)/\($0.reference.name)" }
        status.oldestWaitingSince = oldest?.created
        status.message = queue == nil ? "no JobQueue \(name)" : nil
    }
}
