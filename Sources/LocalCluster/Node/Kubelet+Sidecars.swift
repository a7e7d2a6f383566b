import Foundation
import KubeAPI
#if canImport(Glibc)
import Glibc
#endif

// MARK: - Sidecar containers (init containers with restartPolicy: Always; KEP-753, 1.29+)

extension Kubelet {
    /// Starts a sidecar and returns once it has started (true), or once the pod is being
    /// stopped first (false). It runs on in its own task, restarted with crash-loop back-off
    /// whenever it exits, until ``stopSidecars(_:)``. Without a startup probe "started" is
    /// "running", as for a 1.29+ kubelet; a sidecar that cannot start holds the pod in
    /// initialisation (image pull errors, configuration errors), as there.
    func startSidecar(_ worker: PodWorker, _ container: Container) async -> Bool {
        let task = Task { _ = await self.runContainer(worker, container, isInit: true) }
        worker.sidecarTasks.append((container.name, task))
        while worker.termination == nil {
            if status(worker, container.name, true)?.state.running != nil { return true }
            await Self.pause(.milliseconds(20))
        }
        return false
    }

    /// Once the regular containers are over: each sidecar, in reverse order, gets SIGTERM and
    /// the pod's grace period to exit (then SIGKILL), as the kubelet stops sidecars after the
    /// containers. Their last state stays in `initContainerStatuses`, termination message
    /// included. Runs in a task of its own: the pod's task may have been cancelled by a stop.
    func stopSidecars(_ worker: PodWorker) async {
        guard !worker.sidecarTasks.isEmpty else { return }
        worker.stoppingSidecars = true
        let grace = gracePeriod(worker, worker.termination)
        await Task { await self.stopEachSidecar(worker, grace: grace) }.value
    }

    private func stopEachSidecar(_ worker: PodWorker, grace: Duration) async {
        for (name, task) in worker.sidecarTasks.reversed() {
            if let pid = worker.processes[name] {
                ProcessLauncher.signalTree(pid, SIGTERM)
                if !worker.removed { await event(worker, container: name, .normal, "Killing", "Stopping container \(name)") }
                let deadline = ContinuousClock.now + grace
                while worker.processes[name] == pid, ContinuousClock.now < deadline { await Self.pause(.milliseconds(20)) }
                if worker.processes[name] == pid { ProcessLauncher.signalTree(pid, SIGKILL) }
            }
            // A sidecar waiting in a back-off ends its wait at once.
            task.cancel()
            await task.value
        }
        worker.sidecarTasks = []
    }

    /// Sleeps even in a cancelled task (whose `Task.sleep` would return at once).
    static func pause(_ duration: Duration) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            DispatchQueue.global().asyncAfter(deadline: .now() + duration.seconds) { continuation.resume() }
        }
    }
}
