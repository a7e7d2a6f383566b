import Foundation
import KubeAPI
#if canImport(Glibc)
import Glibc
#endif

/// The files of one pod on a local node, under `<root>/pods/<namespace>_<name>_<uid>/`:
///
/// - `volumes/<volume>/` — each volume's files (configMap, secret, downwardAPI keys;
///   emptyDir starts empty).
/// - `root/` — the container's view of the file system: every `volumeMount` appears as a
///   symbolic link `root/<mountPath>` → `volumes/<volume>[/<subPath>]`, so a process finds
///   `/etc/config/app.conf` at `$SLIPWAY_POD_ROOT/etc/config/app.conf`. Each mount is also
///   exported as `SLIPWAY_MOUNT_<PATH>` (the mount path upper-cased, every character that is
///   not a letter or digit replaced by `_`, e.g. `/etc/config` → `SLIPWAY_MOUNT_ETC_CONFIG`).
/// - The working directory is `root/<workingDir>` (`root/` without one).
/// - `logs/<container>/<restartCount>.log` — stdout and stderr of every run.
/// - `termination/<container>` — the termination message file, exported as
///   `SLIPWAY_TERMINATION_MESSAGE_PATH` (the container's `terminationMessagePath`, e.g.
///   `/dev/termination-log`, also maps here through `root/`).
/// - `root/etc/hosts` — the pod's hosts file (``HostsFile``), kept current by the node;
///   exported as `SLIPWAY_HOSTS_FILE` when the node manages it.
/// - `pids/<container>` — `<pid> <start time>` of a container's running process, so that a
///   node started after a crash finds the processes the crashed one left behind.
struct PodDirectory: Sendable {
    let url: URL

    /// `<namespace>_<name>_<uid>`, cut and hashed to fit a file name (255 bytes): a pod name
    /// may have 253 characters and a namespace 63.
    static func directoryName(namespace: String, name: String, uid: String) -> String {
        BoundedName.fit("\(namespace)_\(name)", suffix: "_\(uid)", maxLength: 255)
    }

    init(root: URL, namespace: String, name: String, uid: String) {
        url = root.appendingPathComponent("pods").appendingPathComponent(Self.directoryName(namespace: namespace, name: name, uid: uid))
    }

    var path: String { url.path }
    var rootfs: URL { url.appendingPathComponent("root") }
    func volume(_ name: String) -> URL { url.appendingPathComponent("volumes").appendingPathComponent(name) }
    func logDirectory(_ container: String) -> URL { url.appendingPathComponent("logs").appendingPathComponent(container) }
    func log(_ container: String, run: Int32) -> URL { logDirectory(container).appendingPathComponent("\(run).log") }
    func terminationMessage(_ container: String) -> URL { url.appendingPathComponent("termination").appendingPathComponent(container) }
    /// `<pid> <start time in clock ticks>` of the container's running process.
    func pidFile(_ container: String) -> URL { url.appendingPathComponent("pids").appendingPathComponent(container) }
    /// The pod's `/etc/hosts`.
    var hostsFile: URL { rootfs.appendingPathComponent("etc").appendingPathComponent("hosts") }

    /// The environment name that exports a mount path.
    static func mountVariable(_ mountPath: String) -> String {
        let upper = mountPath.uppercased().map { $0.isASCII && ($0.isLetter || $0.isNumber) ? $0 : "_" }
        return "SLIPWAY_MOUNT_" + String(upper).trimmingCharacters(in: CharacterSet(charactersIn: "_"))
    }

    /// Creates the directories, maps the container's mounts and its termination message
    /// path into `root/`, and returns the variables that describe them.
    func prepare(_ container: Container) throws -> [(String, String)] {
        let fm = FileManager.default
        for dir in [rootfs, logDirectory(container.name), terminationMessage(container.name).deletingLastPathComponent()] {
            try fm.createDirectory(at: dir, withIntermediateDirectories: true)
        }
        var variables: [(String, String)] = [("SLIPWAY_POD_DIR", path), ("SLIPWAY_POD_ROOT", rootfs.path)]
        for mount in container.volumeMounts {
            var target = volume(mount.name)
            if let sub = mount.subPath, !sub.isEmpty { target = target.appendingPathComponent(sub) }
            link(rootfs.appendingPathComponent(mount.mountPath), to: target)
            variables.append((Self.mountVariable(mount.mountPath), target.path))
        }
        let message = terminationMessage(container.name)
        fm.createFile(atPath: message.path, contents: Data())
        link(rootfs.appendingPathComponent(container.terminationMessagePath ?? "/dev/termination-log"), to: message)
        variables.append(("SLIPWAY_TERMINATION_MESSAGE_PATH", message.path))
        if fm.fileExists(atPath: hostsFile.path) { variables.append(("SLIPWAY_HOSTS_FILE", hostsFile.path)) }
        let work = rootfs.appendingPathComponent(container.workingDir ?? "")
        try fm.createDirectory(at: work, withIntermediateDirectories: true)
        return variables
    }

    /// The working directory of `container`.
    func workingDirectory(_ container: Container) -> String { rootfs.appendingPathComponent(container.workingDir ?? "").path }

    private func link(_ at: URL, to target: URL) {
        let fm = FileManager.default
        try? fm.createDirectory(at: at.deletingLastPathComponent(), withIntermediateDirectories: true)
        try? fm.removeItem(at: at)
        try? fm.createSymbolicLink(at: at, withDestinationURL: target)
    }

    /// Notes the running process of `container` (``pidFile(_:)``).
    func recordProcess(_ pid: pid_t, container: String) {
        guard let started = ProcessLauncher.startTime(of: pid) else { return }
        let file = pidFile(container)
        try? FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try? "\(pid) \(started)".write(to: file, atomically: true, encoding: .utf8)
    }

    /// The process of `container` ended.
    func forgetProcess(container: String) { try? FileManager.default.removeItem(at: pidFile(container)) }

    /// Deletes everything of the pod.
    func remove() { try? FileManager.default.removeItem(at: url) }
}
