import Foundation
import KubeAPI

extension Kubelet {
    /// Runs one container until it will not run again: restarts per restart policy with
    /// crash-loop back-off. Returns whether its last run exited 0.
    func runContainer(_ worker: PodWorker, _ container: Container, isInit: Bool) async -> Bool {
        var backOff = configuration.initialBackOff
        while mayRun(worker, container, isInit: isInit) {
            if let image = container.image, configuration.isFailingImage(image) {
                await failImagePull(worker, container, isInit: isInit, image: image)
                return false
            }
            guard let exit = await startAndWait(worker, container, isInit: isInit) else { continue }
            let policy = worker.pod.spec.restartPolicy ?? .always
            // A sidecar is restarted whatever its exit, until the kubelet stops it.
            let sidecar = isInit && container.isSidecar
            let restart = sidecar ? !worker.stoppingSidecars : exit != 0 ? policy != .never : (policy == .always && !isInit)
            guard restart, worker.termination == nil else { return exit == 0 }
            await crashLoop(worker, container, isInit: isInit, backOff: backOff)
            backOff = min(backOff * 2, configuration.maximumBackOff)
        }
        return false
    }

    /// Whether `container` may (still) run: the pod is not being stopped, and a sidecar is
    /// not being stopped after the containers.
    func mayRun(_ worker: PodWorker, _ container: Container, isInit: Bool) -> Bool {
        worker.termination == nil && !(isInit && container.isSidecar && worker.stoppingSidecars)
    }

    /// One run: environment, files, spawn, wait. Nil when the container could not be
    /// configured (it waits with CreateContainerConfigError and is retried).
    private func startAndWait(_ worker: PodWorker, _ container: Container, isInit: Bool) async -> Int32? {
        let environment = PodEnvironment(pod: worker.pod, snapshot: await store.store, node: worker.node, podIP: worker.runtime.podIP)
        let variables: [(String, String)]
        do throws(ContainerConfigError) {
            variables = try environment.resolve(container)
        } catch {
            await setWaiting(worker, container, isInit: isInit, reason: "CreateContainerConfigError", message: error.message)
            try? await Task.sleep(for: .seconds(1))
            return nil
        }
        // Images are not run, so there is no entrypoint: `command` + `args` is the process,
        // and `args` alone run as given (as for images without an ENTRYPOINT, like busybox),
        // unless Spark plays the image or an entrypoint is configured for it.
        var container = container
        var spark: SparkEntrypoint?
        do throws(SparkLaunchError) {
            spark = try sparkEntrypoint(worker, container)
        } catch {
            await waitUnstartable(worker, container, isInit: isInit, message: error.message)
            return nil
        }
        if spark == nil, container.command.isEmpty, let entrypoint = configuration.entrypoint(for: container.image) { container.command = entrypoint }
        guard spark != nil || !container.command.isEmpty || !container.args.isEmpty else {
            let message = "container \"\(container.name)\" has no command or args: local nodes do not run image entrypoints (image \"\(container.image ?? "")\")"
            await waitUnstartable(worker, container, isInit: isInit, message: message)
            return nil
        }
        await event(worker, container: container.name, .normal, "Pulled", "Container image \"\(container.image ?? "")\" already present on machine")
        let run = ContainerRun(worker: worker, container: container, isInit: isInit, variables: variables, apiAccess: configuration.apiAccess.access,
                               spark: spark)
        return await execute(run)
    }

    /// `CreateContainerError` with `message` until the pod ends: nothing the node can do
    /// will start this container.
    private func waitUnstartable(_ worker: PodWorker, _ container: Container, isInit: Bool, message: String) async {
        await setWaiting(worker, container, isInit: isInit, reason: "CreateContainerError", message: message)
        while mayRun(worker, container, isInit: isInit) { await Self.pause(.milliseconds(250)) }
    }

    /// The Spark entrypoint for a container of a Spark image without a command, when real
    /// Spark plays Spark images (``SparkRuntime``); nil otherwise.
    private func sparkEntrypoint(_ worker: PodWorker, _ container: Container) throws(SparkLaunchError) -> SparkEntrypoint? {
        guard container.command.isEmpty, let runtime = configuration.spark, runtime.plays(container.image) else { return nil }
        let distribution = try runtime.distribution(image: container.image, labels: worker.pod.metadata.labels)
        let fm = FileManager.default
        let hosts = worker.directory.hostsFile.path
        let paths = SparkPaths(podRoot: worker.directory.rootfs.path, sparkHome: distribution.home.path) { FileManager.default.fileExists(atPath: $0) }
        return SparkEntrypoint(
            distribution: distribution, javaHome: runtime.javaHome, podAddress: worker.runtime.podIP,
            hostsFile: fm.fileExists(atPath: hosts) ? hosts : nil, paths: paths) { try? String(contentsOfFile: $0, encoding: .utf8) }
    }

    /// Spawns the process, reports it running, waits for it and reports how it ended.
    private func execute(_ run: ContainerRun) async -> Int32 {
        let (worker, container) = (run.worker, run.container)
        let restartCount = status(worker, container.name, run.isInit)?.restartCount ?? 0
        let started = writes.clock()
        let containerID = "slipway://" + (0..<4).map { _ in String(format: "%016llx", UInt64.random(in: 0...UInt64.max)) }.joined()
        let launch: Result<pid_t, LaunchError>
        do {
            let extra = try worker.directory.prepare(container)
            launch = run.launch(extra: extra, log: worker.directory.log(container.name, run: restartCount))
        } catch {
            launch = .failure(LaunchError(message: "failed to prepare the pod directory: \(error)"))
        }
        switch launch {
        case .failure(let failure):
            let message = "failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: \(failure.message)"
            await event(worker, container: container.name, .warning, "Failed", "Error: \(message)")
            // The runtime never started it: containerd reports the zero time (1970-01-01T00:00:00Z)
            // as startedAt, as the recorded real pods in ../shared/reference/spark-driver-api show.
            await setTerminated(worker, container, isInit: run.isInit, ContainerStateTerminated(exitCode: 128, reason: "StartError", message: message),
                                started: Date(timeIntervalSince1970: 0), containerID: containerID)
            return 128
        case .success(let pid):
            return await supervise(run, pid: pid, started: started, containerID: containerID)
        }
    }

    private func supervise(_ run: ContainerRun, pid: pid_t, started: Date, containerID: String) async -> Int32 {
        let (worker, container) = (run.worker, run.container)
        let key = RunningContainers.key(uid: worker.uid, container: container.name)
        worker.processes[container.name] = pid
        worker.directory.recordProcess(pid, container: container.name)
        running.insert(key)
        if let limit = container.resources.limits["memory"]?.value, limit > 0 { watchdog.watch(pid, limit: limit) }
        // The kernel's name of the process (`java` when real Spark plays an image).
        let command = (try? String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
            ?? container.command.first ?? ""
        if worker.termination != nil { ProcessLauncher.signalTree(pid, SIGTERM) }
        await setRunning(worker, container, isInit: run.isInit, started: started, containerID: containerID)
        await event(worker, container: container.name, .normal, "Created", "Created container: \(container.name)")
        await event(worker, container: container.name, .normal, "Started", "Started container \(container.name)")
        let exit = await ProcessLauncher.wait(pid)
        let oom = watchdog.unwatch(pid)
        worker.processes[container.name] = nil
        if !abandoned { worker.directory.forgetProcess(container: container.name) }
        running.remove(key)
        var terminated = ContainerStateTerminated(exitCode: oom.killed ? 137 : exit.exitCode)
        terminated.reason = oom.killed ? "OOMKilled" : exit.exitCode == 0 ? "Completed" : "Error"
        terminated.message = terminationMessage(worker, container, exitCode: terminated.exitCode)
        if oom.killed {
            let limit = container.resources.limits["memory"]?.description ?? ""
            await event(worker, container: container.name, .warning, "OOMKilling",
                        "Memory cgroup out of memory: Killed process \(pid) (\(command)) total-rss:\(oom.peak / 1024)kB, limit \(limit)")
        }
        await setTerminated(worker, container, isInit: run.isInit, terminated, started: started, containerID: containerID)
        return terminated.exitCode
    }

    /// The file at `SLIPWAY_TERMINATION_MESSAGE_PATH` (at most 4096 bytes), or with
    /// FallbackToLogsOnError and a non-zero exit and an empty file, the log tail.
    private func terminationMessage(_ worker: PodWorker, _ container: Container, exitCode: Int32) -> String? {
        let file = FileManager.default.contents(atPath: worker.directory.terminationMessage(container.name).path) ?? Data()
        if !file.isEmpty { return String(decoding: file.prefix(4096), as: UTF8.self) }
        guard exitCode != 0, container.terminationMessagePolicy == .fallbackToLogsOnError else { return nil }
        let restartCount = status(worker, container.name, false)?.restartCount ?? status(worker, container.name, true)?.restartCount ?? 0
        let tail = ContainerLogs.fallbackMessage(worker.directory.log(container.name, run: restartCount))
        return tail.isEmpty ? nil : tail
    }

    /// Waits in CrashLoopBackOff, then the next run starts with restartCount + 1.
    private func crashLoop(_ worker: PodWorker, _ container: Container, isInit: Bool, backOff: Duration) async {
        let pod = "\(worker.name)_\(worker.namespace)(\(worker.uid))"
        let message = "back-off \(Int(backOff.seconds))s restarting failed container=\(container.name) pod=\(pod)"
        updateStatus(worker, container.name, isInit) { status in
            status.lastState = status.state
            status.restartCount += 1
            status.state = ContainerState(object: ["waiting": ContainerStateWaiting(reason: "CrashLoopBackOff", message: message).json])
        }
        await sync(worker)
        await event(worker, container: container.name, .warning, "BackOff", "Back-off restarting failed container \(container.name) in pod \(pod)")
        try? await Task.sleep(for: backOff)
    }

    /// ErrImagePull, then ImagePullBackOff until the pod ends; the container never runs.
    private func failImagePull(_ worker: PodWorker, _ container: Container, isInit: Bool, image: String) async {
        let reference = image.contains("/") ? image : "docker.io/library/\(image)"
        let full = reference.contains(":") ? reference : reference + ":latest"
        let detail = "failed to pull and unpack image \"\(full)\": failed to resolve reference \"\(full)\": pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed"
        let pullMessage = "rpc error: code = NotFound desc = \(detail)"
        await event(worker, container: container.name, .normal, "Pulling", "Pulling image \"\(image)\"")
        await event(worker, container: container.name, .warning, "Failed", "Failed to pull image \"\(image)\": \(pullMessage)")
        await event(worker, container: container.name, .warning, "Failed", "Error: ErrImagePull")
        await setWaiting(worker, container, isInit: isInit, reason: "ErrImagePull", message: pullMessage)
        try? await Task.sleep(for: configuration.imagePullBackOff)
        guard worker.termination == nil else { return }
        await event(worker, container: container.name, .normal, "BackOff", "Back-off pulling image \"\(image)\"")
        await event(worker, container: container.name, .warning, "Failed", "Error: ImagePullBackOff")
        await setWaiting(worker, container, isInit: isInit, reason: "ImagePullBackOff",
                         message: "Back-off pulling image \"\(image)\": ErrImagePull: \(pullMessage)")
        while mayRun(worker, container, isInit: isInit) { await Self.pause(.milliseconds(250)) }
    }
}
