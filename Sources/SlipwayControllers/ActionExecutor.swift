import Foundation
import KubeAPI
import KubeClient
import KubeRuntime
import Logging
import SlipwayAPI
import SlipwayCore
import Synchronization

/// Performs a decision's actions against the API server, each idempotently: a pod that
/// already exists and is ours is adopted, never created twice; deletes carry the pod's UID
/// as a precondition; a finalizer already gone is fine.
struct ActionExecutor: Sendable {
    let client: KubernetesClient
    let recorder: EventRecorder
    var logger: Logger
    /// The pods this process released lately (shared by every copy of the executor).
    let releases: RecentReleases

    init(client: KubernetesClient, recorder: EventRecorder, logger: Logger, clock: any KubeClock = SystemClock()) {
        self.client = client
        self.recorder = recorder
        self.logger = logger
        releases = RecentReleases(clock: clock)
    }

    /// The field manager of Slipway's server-side applies.
    static let fieldManager = "slipway"

    /// Runs the actions in order; returns the names of the attempts' pods it created (or
    /// adopted) with everything they own. When an action fails, every creation from it on
    /// (the failed one and those never tried) is reported to `failedCreate` before the error
    /// is thrown, so that they are requested again at once; the failed one with the server's
    /// answer when the server refused it for good (``refusal(_:)``).
    func execute<Job: KubeObject>(
        _ actions: [JobAction], for job: Job, failedCreate: (_ name: String, _ refusal: String?) -> Void = { _, _ in }
    ) async throws -> [String] {
        var created: [String] = []
        for (i, action) in actions.enumerated() {
            do {
                if let name = try await perform(action, for: job) { created.append(name) }
            } catch {
                for (j, pending) in actions[i...].enumerated() {
                    if case .create(let objects) = pending, let name = objects.pod.metadata.name {
                        failedCreate(name, j == 0 ? Self.refusal(error) : nil)
                    }
                }
                throw error
            }
        }
        return created
    }

    /// The server's answer when it refused a create for good (``KubeError/refusesForGood``).
    static func refusal(_ error: any Error) -> String? {
        guard let error = error as? KubeError, error.refusesForGood else { return nil }
        return error.answer
    }

    /// Performs one action; returns the pod's name when it created (or adopted) an attempt.
    private func perform<Job: KubeObject>(_ action: JobAction, for job: Job) async throws -> String? {
        switch action {
        case .create(let objects):
            return try await create(objects, job: job) ? objects.pod.metadata.name : nil
        case .deletePod(let name, let uid):
            try await deletePod(name, uid: uid, namespace: job.metadata.namespace)
        case .releasePod(let name, let uid):
            try await releasePod(name, uid: uid, namespace: job.metadata.namespace)
        case .event(let kind, let reason, let message):
            recorder.record(job, type: kind == .warning ? .warning : .normal, reason: reason.rawValue, message: message)
        case .deleteJob:
            try await deleteJob(job)
        }
        return nil
    }

    /// Creates a pod; AlreadyExists with our owner UID means an earlier attempt created it.
    /// Returns the pod (nil when the namespace is gone, or the name belongs to another owner).
    func createPod<Job: KubeObject>(_ pod: Pod, job: Job) async throws -> Pod? {
        do {
            return try await client.create(pod)
        } catch let error as KubeError where error.isAlreadyExists {
            let existing = try await client.get(Pod.self, name: pod.metadata.name ?? "", namespace: pod.metadata.namespace)
            guard existing.metadata.controllerReference?.uid == job.metadata.uid else {
                recorder.warning(job, reason: JobEventReason.podNameTaken.rawValue, message: "pod \(pod.metadata.name ?? "") exists and is not owned by this \(Job.resource.kind); it is left alone")
                return nil
            }
            return existing
        } catch let error as KubeError where error.isNotFound {
            // The namespace is being deleted: nothing to create.
            logger.debug("namespace gone while creating \(pod.metadata.name ?? "")")
            return nil
        }
    }

    /// Creates an attempt: its pod, then a server-side apply of every object the pod owns
    /// (for a SparkJob spark-submit's three calls: driver pod, headless Service, ConfigMap).
    /// Repeating it converges. False when the pod could not be created (namespace gone,
    /// name taken by another owner).
    func create<Job: KubeObject>(_ objects: AttemptObjects, job: Job) async throws -> Bool {
        guard let pod = try await createPod(objects.pod, job: job), let uid = pod.metadata.uid else { return false }
        do {
            for owned in objects.owned(byPodUID: uid) {
                switch owned {
                case .service(let service): _ = try await client.apply(service, fieldManager: Self.fieldManager, force: true)
                case .configMap(let configMap): _ = try await client.apply(configMap, fieldManager: Self.fieldManager, force: true)
                }
            }
        } catch let error as KubeError where error.isNotFound {
            logger.debug("namespace gone while creating \(objects.pod.metadata.name ?? "")")
        }
        return true
    }

    func deletePod(_ name: String, uid: String, namespace: String?) async throws {
        do {
            try await client.delete(Pod.self, name: name, namespace: namespace, options: DeleteOptions(preconditionUID: uid))
        } catch let error as KubeError where error.isNotFound || error.isConflict {
            // Already gone, or a newer pod of that name: not ours to delete.
        }
    }

    /// Removes Slipway's finalizer: one JSON patch while the pod is the one meant (its uid)
    /// and Slipway's finalizer is its only one, as the operator created it — the patch's
    /// tests make it conditional without a resourceVersion, so the kubelet's status updates
    /// never make it conflict. A pod otherwise (another finalizer added, a newer pod of that
    /// name: the tests fail, 422) takes an optimistic-concurrency update, re-read on 409.
    func releasePod(_ name: String, uid: String, namespace: String?) async throws {
        guard releases.claim(uid) else { return }
        do {
            try await release(name, uid: uid, namespace: namespace)
        } catch {
            releases.forget(uid)
            throw error
        }
    }

    private func release(_ name: String, uid: String, namespace: String?) async throws {
        let patch: JSONValue = [
            ["op": "test", "path": "/metadata/uid", "value": .string(uid)],
            ["op": "test", "path": "/metadata/finalizers", "value": [.string(SlipwayLabels.recordFinalizer)]],
            ["op": "remove", "path": "/metadata/finalizers"],
        ]
        do {
            _ = try await client.patch(Pod.self, name: name, namespace: namespace, patch: patch, patchType: .json)
            return
        } catch let error as KubeError where error.isNotFound {
            return
        } catch let error as KubeError where error.isInvalid || error.isConflict {
            // Not the pod as created: read it and update it below.
        }
        for _ in 0..<5 {
            let pod: Pod
            do {
                pod = try await client.get(Pod.self, name: name, namespace: namespace)
            } catch let error as KubeError where error.isNotFound {
                return
            }
            guard pod.metadata.uid == uid, pod.metadata.finalizers.contains(SlipwayLabels.recordFinalizer) else { return }
            var updated = pod
            updated.metadata.finalizers.removeAll { $0 == SlipwayLabels.recordFinalizer }
            do {
                _ = try await client.update(updated)
                return
            } catch let error as KubeError where error.isConflict {
                continue
            } catch let error as KubeError where error.isNotFound {
                return
            }
        }
    }

    /// Writes `updated`'s status with optimistic concurrency (the cached resourceVersion) and
    /// logs a phase change. False when the cache was stale (409) or the job is gone: the
    /// next event or the rate-limited requeue retries on fresh data.
    func writeStatus<Job: KubeObject>(_ updated: Job, phase: (from: String?, to: String?), message: String?) async throws -> Bool {
        do {
            _ = try await client.updateStatus(updated)
        } catch let error as KubeError where error.isConflict || error.isNotFound {
            logger.debug("status write refused on stale data; retrying", metadata: ["error": "\(error)"])
            return false
        }
        if phase.from != phase.to { logger.info("phase \(phase.to ?? "none")", metadata: ["message": .string(message ?? "")]) }
        return true
    }

    /// The job `key` is gone: its pods (garbage-collected through their owner reference)
    /// must not be held by Slipway's finalizer.
    func releaseOrphans(_ pods: [Pod], of key: ObjectKey) async throws {
        for pod in pods where pod.metadata.namespace == key.namespace && pod.metadata.finalizers.contains(SlipwayLabels.recordFinalizer) {
            try await releasePod(pod.metadata.name ?? "", uid: pod.metadata.uid ?? "", namespace: pod.metadata.namespace)
        }
    }

    func deleteJob<Job: KubeObject>(_ job: Job) async throws {
        do {
            try await client.delete(
                Job.self, name: job.metadata.name ?? "", namespace: job.metadata.namespace,
                options: DeleteOptions(propagationPolicy: .background, preconditionUID: job.metadata.uid))
        } catch let error as KubeError where error.isNotFound || error.isConflict {}
    }
}

/// The pods an executor released in the last ``memory`` (by uid). The cache shows a release a
/// moment after it happened, and a decision made meanwhile asks for it again: within the
/// memory it is not sent again (after it, a release the cache still does not show is).
final class RecentReleases: Sendable {
    static let memory: TimeInterval = 10
    private let clock: any KubeClock
    private let released = Mutex<[String: Date]>([:])

    init(clock: any KubeClock) { self.clock = clock }

    /// Whether to release the pod `uid` now; true notes it as released.
    func claim(_ uid: String) -> Bool {
        let now = clock.now()
        return released.withLock { released in
            if let at = released[uid], now.timeIntervalSince(at) < Self.memory { return false }
            released[uid] = now
            pruneAged(&released, now: now, keep: Self.memory) { $0 }
            return true
        }
    }

    /// The release of `uid` failed: the next decision asking for it sends it.
    func forget(_ uid: String) { _ = released.withLock { $0.removeValue(forKey: uid) } }
}
