import Foundation
import KubeAPI
#if canImport(Glibc)
import Glibc
#endif

// MARK: - After a crash: orphans and containers that ran before

extension Kubelet {
    /// The message of a container that was running when the node went down without stopping
    /// it (a crash of `slipway dev`): as a kubelet after a node reboot, the node cannot tell how
    /// it ended.
    static let nodeRestartMessage =
        "The container could not be located when the node restarted: slipway dev stopped without stopping it, and its process was stopped"

    /// The key of a container in ``PodWorker/settled``.
    static func settledKey(_ name: String, isInit: Bool) -> String { (isInit ? "init/" : "") + name }

    /// Stops every container process a node before this one left running (its pid files,
    /// ``PodDirectory/pidFile(_:)``, name the process and its start time): whatever ran when
    /// the node crashed is over, as after a node reboot. Runs before this node starts anything.
    func stopOrphans() {
        let pods = root.appendingPathComponent("pods")
        let fm = FileManager.default
        for pod in (try? fm.contentsOfDirectory(at: pods, includingPropertiesForKeys: nil)) ?? [] {
            let directory = pod.appendingPathComponent("pids")
            for file in (try? fm.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)) ?? [] {
                let fields = ((try? String(contentsOf: file, encoding: .utf8)) ?? "").split(separator: " ")
                if fields.count == 2, let pid = pid_t(fields[0]), pid > 1, let started = UInt64(fields[1].trimmingCharacters(in: .whitespacesAndNewlines)),
                   ProcessLauncher.startTime(of: pid) == started {
                    ProcessLauncher.signalTree(pid, SIGKILL)
                }
                try? fm.removeItem(at: file)
            }
        }
    }

    /// Takes over what a node before a restart reported of the pod, as a kubelet does after a
    /// reboot: a container reported running did not end by itself — it is terminated with
    /// exit 137 and reason ContainerStatusUnknown (its process was stopped by
    /// ``stopOrphans()``). A terminated container runs again only when the restart policy
    /// restarts it (restart count + 1); otherwise it is settled and never started again — so
    /// under `restartPolicy: Never` no container runs twice. Containers never started run as
    /// usual.
    func recover(_ worker: PodWorker) {
        let stored = worker.pod.status
        let everStarted = (stored.initContainerStatuses + stored.containerStatuses).contains { $0.state.waiting == nil || $0.restartCount > 0 }
        guard everStarted else { return }
        if let started = stored.startTime { worker.runtime.startTime = started }
        let policy = worker.pod.spec.restartPolicy ?? .always
        let now = writes.clock()
        for isInit in [true, false] {
            let statuses = isInit ? stored.initContainerStatuses : stored.containerStatuses
            for var status in statuses {
                if let running = status.state.running {
                    var unknown = ContainerStateTerminated(exitCode: 137, reason: "ContainerStatusUnknown", message: Self.nodeRestartMessage)
                    unknown.startedAt = running.startedAt
                    unknown.finishedAt = now
                    unknown.containerID = status.containerID
                    status.state = ContainerState(object: ["terminated": unknown.json])
                    status.ready = false
                    status.started = false
                }
                guard let exit = status.state.terminated?.exitCode else {
                    // Waiting (a back-off, say): its restart count and last state stay.
                    let kept = status
                    updateStatus(worker, status.name, isInit) { $0 = kept }
                    continue
                }
                // A sidecar runs again whatever its exit, as long as the pod runs.
                let sidecar = isInit && worker.runtime.sidecars.contains(status.name)
                let restart = sidecar || (exit != 0 ? policy != .never : (policy == .always && !isInit))
                if restart {
                    status.lastState = status.state
                    status.restartCount += 1
                    status.state = ContainerState(object: ["waiting": ContainerStateWaiting(reason: "ContainerCreating", message: nil).json])
                } else {
                    worker.settled.insert(Self.settledKey(status.name, isInit: isInit))
                }
                let recovered = status
                updateStatus(worker, status.name, isInit) { $0 = recovered }
            }
        }
    }

    /// Stops as a crash would (``LocalNodes/crash()``): every worker ends with whatever its
    /// process does, writing nothing; the processes keep running.
    func abandon() {
        abandoned = true
        for worker in workers.values {
            worker.termination = worker.termination ?? .stop
            worker.removed = true
            worker.deadline?.cancel()
        }
        watchdog.stop()
    }
}
