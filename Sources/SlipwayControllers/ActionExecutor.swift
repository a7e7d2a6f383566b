import Foundation
import KubeAPI
import KubeClient
import KubeRuntime
import Logging
import SlipwayAPI
import SlipwayCore

/// Performs a Decision's actions against the API server, each idempotently: a pod that
/// already exists and is ours is adopted, never created twice; deletes carry the pod's UID
/// as a precondition; a finalizer already gone is fine.
struct ActionExecutor: Sendable {
    let client: KubernetesClient
    let recorder: EventRecorder
    var logger: Logger

    /// The field manager of Slipway's server-side applies.
    static let fieldManager = "slipway"

    /// Runs the actions in order; returns the names of pods it created (for expectations),
    /// and of drivers whose whole submission succeeded. When an action fails, every create
    /// or submission from it on (the failed one and those never tried) is reported to
    /// `failedCreate` before the error is thrown, so that they are requested again at once.
    func execute<Job: KubeObject>(
        _ actions: [Decision.Action], for job: Job, failedCreate: (String) -> Void = { _ in }
    ) async throws -> [String] {
        var created: [String] = []
        for (i, action) in actions.enumerated() {
            do {
                if let name = try await perform(action, for: job) { created.append(name) }
            } catch {
                for pending in actions[i...] { if let name = Self.podToCreate(pending) { failedCreate(name) } }
                throw error
            }
        }
        return created
    }

    /// The pod a create or submission action asks for.
    static func podToCreate(_ action: Decision.Action) -> String? {
        switch action {
        case .createPod(let pod): pod.metadata.name
        case .submitSpark(let submit): submit.driverPod.metadata.name
        default: nil
        }
    }

    /// Performs one action; returns the pod's name when it created (or adopted) a pod.
    private func perform<Job: KubeObject>(_ action: Decision.Action, for job: Job) async throws -> String? {
        switch action {
        case .createPod(let pod):
            return try await createPod(pod, job: job) != nil ? pod.metadata.name : nil
        case .submitSpark(let submit):
            return try await submitSpark(submit, job: job) ? submit.driverPod.metadata.name : nil
        case .deletePod(let name, let uid):
            try await deletePod(name, uid: uid, namespace: job.metadata.namespace)
        case .releasePod(let name, let uid):
            try await releasePod(name, uid: uid, namespace: job.metadata.namespace)
        case .event(let kind, let reason, let message):
            recorder.record(job, type: kind == .warning ? .warning : .normal, reason: reason, message: message)
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
                recorder.warning(job, reason: "PodNameTaken", message: "pod \(pod.metadata.name ?? "") exists and is not owned by this \(Job.resource.kind); it is left alone")
                return nil
            }
            return existing
        } catch let error as KubeError where error.isNotFound {
            // The namespace is being deleted: nothing to create.
            logger.debug("namespace gone while creating \(pod.metadata.name ?? "")")
            return nil
        }
    }

    /// spark-submit's three calls: create the driver pod, then server-side apply the
    /// headless Service and the ConfigMap(s) owned by it. Repeating it converges.
    func submitSpark<Job: KubeObject>(_ submit: SparkSubmit, job: Job) async throws -> Bool {
        guard let driver = try await createPod(submit.driverPod, job: job), let uid = driver.metadata.uid else { return false }
        let owned = submit.ownedObjects(driverUID: uid)
        do {
            _ = try await client.apply(owned.service, fieldManager: Self.fieldManager, force: true)
            for configMap in owned.configMaps {
                _ = try await client.apply(configMap, fieldManager: Self.fieldManager, force: true)
            }
        } catch let error as KubeError where error.isNotFound {
            logger.debug("namespace gone while submitting \(submit.driverPod.metadata.name ?? "")")
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

    /// Removes Slipway's finalizer with an optimistic-concurrency update (re-read on 409).
    func releasePod(_ name: String, uid: String, namespace: String?) async throws {
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
