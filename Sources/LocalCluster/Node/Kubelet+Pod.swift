import Foundation
import KubeAPI

extension Kubelet {
    /// A pod's whole life on the node: volumes, init containers one by one — a sidecar
    /// (`restartPolicy: Always`) is started and runs on, the next one starts once it has
    /// started — then the containers together, then the sidecars are stopped in reverse
    /// order, then the terminal status (and, when it is being deleted, the removal of its
    /// object). As a 1.29+ kubelet runs sidecars (KEP-753).
    func runPod(_ worker: PodWorker) async {
        let spec = worker.pod.spec
        let hasInit = !spec.initContainers.isEmpty
        worker.runtime.sidecars = Set(spec.initContainers.filter(\.isSidecar).map(\.name))
        worker.runtime.initContainers = spec.initContainers.map { .waiting($0, reason: "PodInitializing") }
        worker.runtime.containers = spec.containers.map { .waiting($0, reason: hasInit ? "PodInitializing" : "ContainerCreating") }
        worker.runtime.startTime = writes.clock()
        recover(worker)
        worker.runtime.podIP = addresses.address(for: worker.uid)
        startDeadline(worker)
        if await prepareVolumes(worker) {
            worker.runtime.sandboxReady = true
            await manageHostsFile(worker)
            await sync(worker)
            var initialized = true
            for container in spec.initContainers where initialized {
                if container.isSidecar {
                    initialized = await startSidecar(worker, container)
                } else if worker.settled.contains(Self.settledKey(container.name, isInit: true)) {
                    initialized = status(worker, container.name, true)?.state.terminated?.exitCode == 0
                } else {
                    initialized = await runContainer(worker, container, isInit: true)
                }
            }
            if initialized {
                await withTaskGroup(of: Void.self) { group in
                    for container in spec.containers where !worker.settled.contains(Self.settledKey(container.name, isInit: false)) {
                        group.addTask { _ = await self.runContainer(worker, container, isInit: false) }
                    }
                }
            }
            await stopSidecars(worker)
        }
        await finish(worker)
    }

    /// Writes the volumes; while a referenced configMap or secret is missing the pod stays
    /// `ContainerCreating` with a `FailedMount` event, retried every second.
    private func prepareVolumes(_ worker: PodWorker) async -> Bool {
        var reported: String?
        while worker.termination == nil {
            let environment = PodEnvironment(pod: worker.pod, snapshot: await store.store, node: worker.node, podIP: worker.runtime.podIP)
            try? FileManager.default.createDirectory(at: worker.directory.url, withIntermediateDirectories: true)
            do throws(ContainerConfigError) {
                try PodVolumes(environment: environment, directory: worker.directory, apiAccess: configuration.apiAccess.access).materialise()
                return true
            } catch {
                if reported != error.message {
                    reported = error.message
                    await sync(worker)
                    await event(worker, .warning, "FailedMount", error.message)
                }
            }
            try? await Task.sleep(for: .seconds(1))
        }
        return false
    }

    /// The terminal status: phase from the exits (or Failed for a deadline or a shutdown),
    /// then, for a pod being deleted, its removal from the store.
    func finish(_ worker: PodWorker) async {
        worker.deadline?.cancel()
        guard !abandoned else { return }
        await hosts.unregister(uid: worker.uid)
        addresses.release(worker.uid)
        let ran = worker.runtime
        // Sidecars never decide the phase: stopped after the containers, they may exit non-zero.
        let failed = ran.regularContainerFailed || !ran.initialized
        switch worker.termination {
        case .deadline:
            worker.runtime.reason = "DeadlineExceeded"
            worker.runtime.message = "Pod was active on the node longer than the specified deadline"
        case .nodeShutdown:
            worker.runtime.reason = "Terminated"
            worker.runtime.message = Kubelet.nodeShutdownMessage
        default: break
        }
        for index in worker.runtime.containers.indices where worker.runtime.containers[index].state.terminated == nil && ran.initialized {
            var unknown = ContainerStateTerminated(exitCode: 137, reason: "ContainerStatusUnknown",
                                                   message: "The container could not be located when the pod was terminated")
            unknown.finishedAt = writes.clock()
            worker.runtime.containers[index].state = ContainerState(object: ["terminated": unknown.json])
        }
        let forced = worker.termination == .deadline || worker.termination == .nodeShutdown
        worker.runtime.terminalPhase = forced || failed ? .failed : .succeeded
        await sync(worker)
        workers[worker.uid] = nil
        finished.insert(worker.uid)
        if worker.removed {
            worker.directory.remove()
        } else if worker.termination == .deletion, await removeFromStore(worker.pod) {
            worker.directory.remove()
        }
    }

    /// Writes the pod's `/etc/hosts` and keeps it current, unless the pod mounts its own
    /// `/etc` or `/etc/hosts` or uses the host's network (as the kubelet does).
    private func manageHostsFile(_ worker: PodWorker) async {
        let spec = worker.pod.spec
        let mounts = (spec.containers + spec.initContainers).flatMap(\.volumeMounts).map(\.mountPath)
        guard !mounts.contains(where: { ["/etc", "/etc/", "/etc/hosts"].contains($0) }), spec.object["hostNetwork"]?.boolValue != true else { return }
        let hostname = spec.object["hostname"]?.stringValue ?? worker.name
        let file = HostsFile(podName: hostname, namespace: worker.namespace, podAddress: worker.runtime.podIP, machineHostName: HostsFile.machine)
        await hosts.register(uid: worker.uid, file: worker.directory.hostsFile, hosts: file)
    }

    /// The message of the node shutdown manager, in the pod's status and its
    /// DisruptionTarget condition.
    static let nodeShutdownMessage = "Pod was terminated in response to imminent node shutdown."

    /// Fails the pod with DeadlineExceeded once `activeDeadlineSeconds` have passed since
    /// it started.
    private func startDeadline(_ worker: PodWorker) {
        guard let seconds = worker.pod.spec.activeDeadlineSeconds, seconds >= 0 else { return }
        worker.deadline = Task {
            try? await Task.sleep(for: .seconds(seconds))
            guard !Task.isCancelled else { return }
            await self.deadlineExceeded(worker)
        }
    }

    private func deadlineExceeded(_ worker: PodWorker) async {
        guard worker.termination == nil, workers[worker.uid] != nil else { return }
        await event(worker, .warning, "DeadlineExceeded", "Pod was active on the node longer than the specified deadline")
        terminate(worker, .deadline)
    }
}
