import Foundation
import KubeAPI
import KubeClient
import KubeRuntime
import SlipwayAPI
import Synchronization

/// Watches the jobs and pods of a run (its own client, no faults) and checks, at every
/// change it sees, what must hold at every moment whatever the operator does:
/// - no pod is created twice (a pod name — one attempt of one index — never gets a second uid);
/// - a job's attempt count and history never shrink, and a finished job stays finished;
/// - a queue's job limit is never exceeded (jobs with pods still running).
final class InvariantSampler: Sendable {
    private struct State {
        var podUIDs: [String: String] = [:]
        var attempts: [String: Int] = [:]
        var historyLengths: [String: Int] = [:]
        var finished: [String: String] = [:]
        var activeJobs: [String: Set<String>] = [:]
        var mostActive = 0
        var samples = 0
        var violations: [String] = []
    }

    let client: KubernetesClient
    private let state = Mutex(State())
    private let queueLimit: Int?
    private let task: Mutex<Task<Void, Never>?> = Mutex(nil)
    private let pods: Informer<Pod>
    private let batchJobs: Informer<BatchJob>
    private let sparkJobs: Informer<SparkJob>

    init(client: KubernetesClient, queueLimit: Int?) {
        self.client = client
        self.queueLimit = queueLimit
        pods = Informer(listerWatcher: ClientListerWatcher<Pod>(client: client, namespace: "default"))
        batchJobs = Informer(listerWatcher: ClientListerWatcher<BatchJob>(client: client, namespace: "default"))
        sparkJobs = Informer(listerWatcher: ClientListerWatcher<SparkJob>(client: client, namespace: "default"))
    }

    func start() async {
        await pods.addEventHandler(InformerEventHandler(onAdd: { self.saw(pod: $0) }, onUpdate: { self.saw(pod: $1) }, onDelete: { self.gone(pod: $0) }))
        await batchJobs.addEventHandler(InformerEventHandler(onAdd: { self.saw(job: "BatchJob", $0.object) }, onUpdate: { self.saw(job: "BatchJob", $1.object) }))
        await sparkJobs.addEventHandler(InformerEventHandler(onAdd: { self.saw(job: "SparkJob", $0.object) }, onUpdate: { self.saw(job: "SparkJob", $1.object) }))
        let task = Task {
            await withDiscardingTaskGroup { group in
                group.addTask { await self.pods.run() }
                group.addTask { await self.batchJobs.run() }
                group.addTask { await self.sparkJobs.run() }
            }
        }
        self.task.withLock { $0 = task }
        _ = await pods.waitForSync()
        _ = await batchJobs.waitForSync()
        _ = await sparkJobs.waitForSync()
    }

    func stop() async {
        let task = self.task.withLock { $0 }
        task?.cancel()
        await task?.value
    }

    var violations: [String] { state.withLock { $0.violations } }
    var samples: Int { state.withLock { $0.samples } }
    var mostActiveJobs: Int { state.withLock { $0.mostActive } }

    /// The job a pod belongs to: Slipway's label, or the driver's for a Spark executor.
    static func job(of pod: Pod) -> String? {
        let labels = pod.metadata.labels
        return labels["slipway.dev/job-name"] ?? labels["slipway.dev/sparkjob-name"]
    }

    private func saw(pod: Pod) {
        let name = pod.metadata.name ?? ""
        let uid = pod.metadata.uid ?? ""
        let active = !(pod.status.phase?.isFinished ?? false) && pod.metadata.deletionTimestamp == nil
        state.withLock { s in
            s.samples += 1
            if let known = s.podUIDs[name], known != uid {
                s.violations.append("pod \(name) was created twice (uids \(known), \(uid))")
            }
            s.podUIDs[name] = uid
            guard let job = Self.job(of: pod) else { return }
            if active { s.activeJobs[job, default: []].insert(name) } else { s.activeJobs[job]?.remove(name) }
            if s.activeJobs[job]?.isEmpty == true { s.activeJobs[job] = nil }
            s.mostActive = max(s.mostActive, s.activeJobs.count)
            if let limit = queueLimit, s.activeJobs.count > limit {
                s.violations.append("\(s.activeJobs.count) jobs ran at once in a queue of \(limit): \(s.activeJobs.keys.sorted())")
            }
        }
    }

    private func gone(pod: Pod) {
        guard let job = Self.job(of: pod) else { return }
        state.withLock { s in
            s.activeJobs[job]?.remove(pod.metadata.name ?? "")
            if s.activeJobs[job]?.isEmpty == true { s.activeJobs[job] = nil }
        }
    }

    private func saw(job kind: String, _ object: JSONObject) {
        let name = "\(kind)/" + (object["metadata"]?["name"]?.stringValue ?? "")
        let status = object["status"]?.objectValue ?? [:]
        let attempts = status["attempts"]?.numberValue?.int ?? 0
        let history = status["history"]?.arrayValue?.count ?? 0
        let phase = status["phase"]?.stringValue ?? ""
        state.withLock { s in
            s.samples += 1
            if let before = s.attempts[name], attempts < before { s.violations.append("\(name): attempts went back from \(before) to \(attempts)") }
            if let before = s.historyLengths[name], history < before { s.violations.append("\(name): history shrank from \(before) to \(history)") }
            if let ended = s.finished[name], ended != phase { s.violations.append("\(name): finished \(ended), then \(phase)") }
            s.attempts[name] = max(attempts, s.attempts[name] ?? 0)
            s.historyLengths[name] = max(history, s.historyLengths[name] ?? 0)
            if phase == "Succeeded" || phase == "Failed" { s.finished[name] = phase }
        }
    }
}
