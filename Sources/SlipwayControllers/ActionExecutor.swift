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

    /// Runs the actions in order; returns the names of pods it created (for expectations).
    func execute(_ actions: [Decision.Action], for job: BatchJob) async throws -> [String] {
        var created: [String] = []
        for action in actions {
            switch action {
            case .createPod(let pod):
                if try await createPod(pod, job: job) { created.append(pod.metadata.name ?? "") }
            case .deletePod(let name, let uid):
                try await deletePod(name, uid: uid, namespace: job.metadata.namespace)
            case .releasePod(let name, let uid):
                try await releasePod(name, uid: uid, namespace: job.metadata.namespace)
            case .event(let kind, let reason, let message):
                recorder.record(job, type: kind == .warning ? .warning : .normal, reason: reason, message: message)
            case .deleteJob:
                try await deleteJob(job)
            }
        }
        return created
    }

    /// Creates a pod; AlreadyExists with our owner UID means an earlier attempt created it.
    func createPod(_ pod: Pod, job: BatchJob) async throws -> Bool {
        do {
            _ = try await client.create(pod)
            return true
        } catch let error as KubeError where error.isAlreadyExists {
            let existing = try await client.get(Pod.self, name: pod.metadata.name ?? "", namespace: pod.metadata.namespace)
            if existing.metadata.controllerReference?.uid != job.metadata.uid {
                recorder.warning(job, reason: "PodNameTaken", message: "pod \(pod.metadata.name ?? "") exists and is not owned by this BatchJob; it is left alone")
            }
            return true
        } catch let error as KubeError where error.isNotFound {
            // The namespace is being deleted: nothing to create.
            logger.debug("namespace gone while creating \(pod.metadata.name ?? "")")
            return false
        }
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

    func deleteJob(_ job: BatchJob) async throws {
        do {
            try await client.delete(
                BatchJob.self, name: job.metadata.name ?? "", namespace: job.metadata.namespace,
                options: DeleteOptions(propagationPolicy: .background, preconditionUID: job.metadata.uid))
        } catch let error as KubeError where error.isNotFound || error.isConflict {}
    }
}
