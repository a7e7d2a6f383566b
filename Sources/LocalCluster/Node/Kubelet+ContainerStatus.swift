import Foundation
import KubeAPI

/// What one run of a container needs to start its process.
struct ContainerRun {
    let worker: PodWorker
    let container: Container
    let isInit: Bool
    /// The resolved `env` and `envFrom` variables.
    let variables: [(String, String)]
    /// How the pod reaches the API server (nil: it cannot).
    let apiAccess: APIAccess?
    /// Real Spark plays the image's entrypoint (nil: `command` + `args` run as given).
    var spark: SparkEntrypoint? = nil

    /// Spawns the process: `command` + `args` (with `$(VAR)` expansion) exactly as given —
    /// a shell only when the command is one — in the pod's working directory, with `PATH`
    /// and `HOME` from the host, `HOSTNAME`, the pod variables and the container's own.
    func launch(extra: [(String, String)], log: URL) -> Result<pid_t, LaunchError> {
        let host = ProcessInfo.processInfo.environment
        var environment: [String: String] = [
            "PATH": host["PATH"] ?? "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            "HOME": host["HOME"] ?? "/root",
            "HOSTNAME": worker.name,
        ]
        if let access = apiAccess, worker.pod.spec.object["automountServiceAccountToken"]?.boolValue != false {
            environment["KUBERNETES_SERVICE_HOST"] = access.host
            environment["KUBERNETES_SERVICE_PORT"] = String(access.port)
            environment["KUBERNETES_SERVICE_PORT_HTTPS"] = String(access.port)
            // A mounted service-account volume (the API server's kube-api-access-*) has the files.
            if !container.volumeMounts.contains(where: { $0.mountPath.trimmingCharacters(in: ["/"]) == APIAccess.serviceAccountPath }) {
                writeServiceAccount(access)
            }
        }
        for (name, value) in extra + variables { environment[name] = value }
        var arguments = (container.command + container.args).map { PodEnvironment.expand($0, environment) }
        if let spark {
            do throws(SparkLaunchError) {
                (arguments, environment) = try spark.command(args: arguments, environment: environment)
            } catch {
                return .failure(LaunchError(message: error.message))
            }
        }
        return ProcessLauncher.spawn(arguments: arguments, environment: environment,
                                     directory: worker.directory.workingDirectory(container), logPath: log.path)
    }
}

extension ContainerRun {
    /// The token, CA and namespace files in-cluster clients read.
    func writeServiceAccount(_ access: APIAccess) {
        let directory = worker.directory.rootfs.appendingPathComponent(APIAccess.serviceAccountPath)
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let files = [("token", access.token), ("ca.crt", access.caPEM), ("namespace", worker.pod.metadata.namespace ?? "default")]
        for (name, text) in files { try? text.write(to: directory.appendingPathComponent(name), atomically: true, encoding: .utf8) }
    }
}

extension Kubelet {
    /// The current status of a container of the worker.
    func status(_ worker: PodWorker, _ name: String, _ isInit: Bool) -> ContainerStatus? {
        (isInit ? worker.runtime.initContainers : worker.runtime.containers).first { $0.name == name }
    }

    /// Changes one container's status in the worker's runtime (not yet written).
    func updateStatus(_ worker: PodWorker, _ name: String, _ isInit: Bool, _ change: (inout ContainerStatus) -> Void) {
        if isInit {
            if let i = worker.runtime.initContainers.firstIndex(where: { $0.name == name }) { change(&worker.runtime.initContainers[i]) }
        } else if let i = worker.runtime.containers.firstIndex(where: { $0.name == name }) {
            change(&worker.runtime.containers[i])
        }
    }

    /// Waiting with `reason`; written and reported (`Failed` event) only when it changes.
    func setWaiting(_ worker: PodWorker, _ container: Container, isInit: Bool, reason: String, message: String?) async {
        let current = status(worker, container.name, isInit)?.state.waiting
        guard current?.reason != reason || current?.message != message else { return }
        updateStatus(worker, container.name, isInit) { status in
            status.state = ContainerState(object: ["waiting": ContainerStateWaiting(reason: reason, message: message).json])
            status.ready = false
            status.started = false
        }
        await sync(worker)
        if reason.hasPrefix("Create") { await event(worker, container: container.name, .warning, "Failed", "Error: \(message ?? reason)") }
    }

    func setRunning(_ worker: PodWorker, _ container: Container, isInit: Bool, started: Date, containerID: String) async {
        updateStatus(worker, container.name, isInit) { status in
            status.state = ContainerState(object: ["running": ContainerStateRunning(startedAt: started).json])
            status.containerID = containerID
            status.imageID = status.image
            status.started = true
            // A sidecar without a readiness probe is ready once running, as a regular container.
            status.ready = !isInit || container.isSidecar
        }
        await sync(worker)
    }

    func setTerminated(_ worker: PodWorker, _ container: Container, isInit: Bool, _ terminated: ContainerStateTerminated,
                       started: Date, containerID: String) async {
        var terminated = terminated
        terminated.startedAt = started
        terminated.finishedAt = writes.clock()
        terminated.containerID = containerID
        let final = terminated
        updateStatus(worker, container.name, isInit) { status in
            status.state = ContainerState(object: ["terminated": final.json])
            status.containerID = containerID
            status.started = false
            status.ready = false
        }
        await sync(worker)
    }
}
