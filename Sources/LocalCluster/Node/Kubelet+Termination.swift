import Foundation
import KubeAPI
#if canImport(Glibc)
import Glibc
#endif

extension Kubelet {
    /// Stops a pod: SIGTERM to every running container's process tree (with a `Killing`
    /// event), SIGKILL to what is left after the grace period (at least the minimum grace
    /// period); waiting containers and back-offs end at once.
    func terminate(_ worker: PodWorker, _ kind: TerminationKind) {
        guard worker.termination == nil else { return }
        worker.termination = kind
        worker.task?.cancel()
        let grace = gracePeriod(worker, kind)
        // Sidecars are stopped after the other containers have ended (``stopSidecars(_:)``).
        let sidecars = worker.runtime.sidecars
        for (name, pid) in worker.processes where !sidecars.contains(name) {
            ProcessLauncher.signalTree(pid, SIGTERM)
            if !worker.removed { Task { await self.event(worker, container: name, .normal, "Killing", "Stopping container \(name)") } }
        }
        Task {
            try? await Task.sleep(for: grace)
            await self.killRemaining(worker)
        }
    }

    private func killRemaining(_ worker: PodWorker) {
        for pid in worker.processes.values { ProcessLauncher.signalTree(pid, SIGKILL) }
    }

    func gracePeriod(_ worker: PodWorker, _ kind: TerminationKind?) -> Duration {
        let meta = worker.pod.metadata
        var seconds = worker.pod.spec.terminationGracePeriodSeconds ?? 30
        if kind == .deletion, let deletion = meta.deletionGracePeriodSeconds, deletion > 0 { seconds = deletion }
        if kind == .stop { return .zero }
        return max(.seconds(seconds), configuration.minimumGracePeriod)
    }

    /// Simulates a node shutdown: its pods get `DisruptionTarget` (TerminationByKubelet),
    /// their processes SIGTERM (exit 143), they end Failed with reason `Terminated`; then
    /// the kubelet stops serving the node. Returns when every pod of the node finished.
    func shutdownNode(_ name: String) async {
        let victims = workers.values.filter { $0.node.name == name }
        nodes[name] = nil
        for worker in victims {
            await addDisruptionTarget(worker.pod, reason: "TerminationByKubelet", message: Kubelet.nodeShutdownMessage)
            terminate(worker, .nodeShutdown)
        }
        for worker in victims { await worker.task?.value }
    }

    /// Serves `node` (again).
    func addNode(_ node: NodeConfiguration) { nodes[node.name] = node }

    /// The eviction API: `DisruptionTarget` (EvictionByEvictionAPI), then graceful deletion.
    /// Returns once the pod is gone.
    func evict(_ pod: Pod) async {
        await addDisruptionTarget(pod, reason: "EvictionByEvictionAPI", message: "Eviction API: evicting")
        if let worker = workers[pod.metadata.uid ?? ""] {
            terminate(worker, .deletion)
            await worker.task?.value
        } else {
            await removeFromStore(pod)
        }
    }

    private func addDisruptionTarget(_ pod: Pod, reason: String, message: String) async {
        let now = writes.clock()
        await writes.updatePodStatus(namespace: pod.metadata.namespace ?? "", name: pod.metadata.name ?? "", uid: pod.metadata.uid ?? "") { pod in
            PodConditions.set(&pod.status, type: "DisruptionTarget", status: .true, reason: reason, message: message, now: now,
                              observedGeneration: pod.metadata.generation)
        }
    }
}
