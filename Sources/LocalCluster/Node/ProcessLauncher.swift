import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// How a process ended: an exit code, or the signal that killed it (then the code is
/// `128 + signal`, as container runtimes report it).
struct ProcessExit: Sendable, Hashable {
    var exitCode: Int32
    var signal: Int32?
}

/// Starting, waiting for and signalling container processes.
///
/// Each process is started with `posix_spawnp` as the leader of a new process group
/// (`POSIX_SPAWN_SETPGROUP`, pgid = pid), with default signal dispositions and an empty
/// signal mask, stdin from `/dev/null`, stdout and stderr appended to one log file, and no
/// other descriptor of this process.
/// Waiting happens with a blocking `waitpid` on a dedicated thread (never on the
/// cooperative pool), which also reaps the process: no zombie stays.
enum ProcessLauncher {
    /// Starts `arguments[0]` (looked up in `PATH` when it has no slash).
    ///
    /// - Returns: the pid, or the `strerror` text of the failure.
    static func spawn(arguments: [String], environment: [String: String], directory: String, logPath: String) -> Result<pid_t, LaunchError> {
        guard let executable = arguments.first else { return .failure(LaunchError(message: "no command")) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, logPath, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        // Nothing else of this process (pipes of other children, sockets) reaches the
        // container: an inherited pipe end would keep another child's reader from EOF for
        // as long as the container runs.
        spawnFileActionsAddCloseFrom(&actions, 3)
        spawnFileActionsAddChdir(&actions, directory)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t()
        sigfillset(&defaults)
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
        let argv = arguments.map { strdup($0) } + [nil]
        let envp = environment.sorted { $0.key < $1.key }.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let result = posix_spawnp(&pid, executable, &actions, &attributes, argv, envp)
        guard result == 0 else {
            return .failure(LaunchError(message: "exec: \"\(executable)\": \(String(cString: strerror(result)))", notFound: result == ENOENT))
        }
        return .success(pid)
    }

    /// Waits (on a dedicated thread) until `pid` exits and reaps it.
    static func wait(_ pid: pid_t) async -> ProcessExit {
        await withCheckedContinuation { continuation in
            let thread = Thread {
                var status: Int32 = 0
                while waitpid(pid, &status, 0) == -1 {
                    if errno != EINTR {
                        continuation.resume(returning: ProcessExit(exitCode: 255, signal: nil))
                        return
                    }
                }
                let signal = status & 0x7f
                if signal == 0 {
                    continuation.resume(returning: ProcessExit(exitCode: (status >> 8) & 0xff, signal: nil))
                } else {
                    continuation.resume(returning: ProcessExit(exitCode: 128 + signal, signal: signal))
                }
            }
            thread.name = "slipway-wait-\(pid)"
            thread.start()
        }
    }

    /// When the kernel started `pid` (`/proc/<pid>/stat` field 22, in clock ticks since boot),
    /// nil when no such process lives (a zombie does not count): with the pid it names one
    /// process for good, whatever pids are reused later.
    static func startTime(of pid: pid_t) -> UInt64? {
        guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/stat"), let text = String(data: data, encoding: .utf8),
              let close = text.lastIndex(of: ")") else { return nil }
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count > 19, fields[0] != "Z", fields[0] != "X" else { return nil }
        return UInt64(fields[19])
    }

    /// Sends `signal` to the process group led by `pid` and to every descendant of `pid`
    /// (also those that left the group).
    static func signalTree(_ pid: pid_t, _ signal: Int32) {
        let table = ProcessTable.read()
        _ = kill(-pid, signal)
        for descendant in table.descendants(of: pid) { _ = kill(descendant, signal) }
    }
}

/// glibc's `posix_spawn_file_actions_addchdir_np` (2.29+), which the Glibc module does not
/// import.
@_silgen_name("posix_spawn_file_actions_addchdir_np")
private func spawnFileActionsAddChdir(_ actions: UnsafeMutablePointer<posix_spawn_file_actions_t>, _ path: UnsafePointer<CChar>) -> Int32

/// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34+): close every descriptor from
/// `from` on in the child.
@_silgen_name("posix_spawn_file_actions_addclosefrom_np")
private func spawnFileActionsAddCloseFrom(_ actions: UnsafeMutablePointer<posix_spawn_file_actions_t>, _ from: Int32) -> Int32

/// Why a process could not be started.
struct LaunchError: Error, Sendable {
    var message: String
    var notFound = false
}

/// A snapshot of `/proc`: parent, process group and resident memory of every process.
struct ProcessTable {
    struct Entry {
        var ppid: pid_t
        var pgrp: pid_t
        var rssBytes: Int64
    }

    var entries: [pid_t: Entry] = [:]
    private static let pageSize = Int64(sysconf(Int32(_SC_PAGESIZE)))

    /// Reads `/proc/<pid>/stat` of every process.
    static func read() -> ProcessTable {
        var table = ProcessTable()
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return table }
        for name in names {
            guard let pid = pid_t(name), let data = FileManager.default.contents(atPath: "/proc/\(name)/stat"),
                  let text = String(data: data, encoding: .utf8), let close = text.lastIndex(of: ")") else { continue }
            let fields = text[text.index(after: close)...].split(separator: " ")
            guard fields.count > 21, let ppid = pid_t(fields[1]), let pgrp = pid_t(fields[2]), let pages = Int64(fields[21]) else { continue }
            table.entries[pid] = Entry(ppid: ppid, pgrp: pgrp, rssBytes: pages * pageSize)
        }
        return table
    }

    /// Every process below `root` in the parent tree, plus the members of its group.
    func descendants(of root: pid_t) -> Set<pid_t> {
        var children: [pid_t: [pid_t]] = [:]
        for (pid, entry) in entries { children[entry.ppid, default: []].append(pid) }
        var result = Set(entries.filter { $0.value.pgrp == root && $0.key != root }.map(\.key))
        var queue = children[root] ?? []
        while let next = queue.popLast() {
            result.insert(next)
            queue += (children[next] ?? []).filter { !result.contains($0) && $0 != root }
        }
        return result
    }

    /// The resident memory of `root` and all its descendants.
    func treeRSS(of root: pid_t) -> Int64 {
        descendants(of: root).union([root]).reduce(0) { $0 + (entries[$1]?.rssBytes ?? 0) }
    }
}
