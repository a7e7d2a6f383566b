import Foundation
import KubeAPI

extension LocalNodes {
    /// Which log file serves a logs request, and the running-container key of its run.
    struct LogFile {
        var url: URL
        var key: String
    }

    /// Resolves the container and run of a logs request with the API server's errors.
    func logFile(namespace: String, name: String, container: String?, previous: Bool) async throws(Status) -> LogFile {
        let pod = Pod(object: try await store.store.get(.pods, namespace: namespace, name: name))
        let spec = pod.spec
        let names = spec.initContainers.map(\.name) + spec.containers.map(\.name)
        let chosen: String
        if let container, !container.isEmpty {
            guard names.contains(container) else { throw Self.badRequest("container \(container) is not valid for pod \(name)") }
            chosen = container
        } else if spec.containers.count == 1 {
            chosen = spec.containers[0].name
        } else {
            throw Self.badRequest("a container name must be specified for pod \(name), choose one of: [\(spec.containers.map(\.name).joined(separator: " "))]")
        }
        let status = pod.status.containerStatus(named: chosen) ?? pod.status.initContainerStatuses.first { $0.name == chosen }
        let uid = pod.metadata.uid ?? ""
        let directory = PodDirectory(root: root, namespace: namespace, name: name, uid: uid)
        let restartCount = status?.restartCount ?? 0
        if previous {
            guard restartCount > 0, status?.lastState.terminated != nil else {
                throw Self.badRequest("previous terminated container \"\(chosen)\" in pod \"\(name)\" not found")
            }
            return LogFile(url: directory.log(chosen, run: restartCount - 1), key: "")
        }
        let run = status?.state.waiting != nil && restartCount > 0 ? restartCount - 1 : restartCount
        let url = directory.log(chosen, run: run)
        if let waiting = status?.state.waiting, !FileManager.default.fileExists(atPath: url.path) {
            throw Self.badRequest("container \"\(chosen)\" in pod \"\(name)\" is waiting to start: \(waiting.reason ?? "ContainerCreating")")
        }
        return LogFile(url: url, key: RunningContainers.key(uid: uid, container: chosen))
    }

    static func badRequest(_ message: String) -> Status {
        Status(code: 400, reason: "BadRequest", message: message)
    }
}
