import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Enforces memory limits on container process trees: every ~100 ms (on its own Dispatch
/// queue) it sums the resident memory of each watched process and its descendants, and
/// kills a tree over its limit with SIGKILL, remembering that it did (the kubelet then
/// reports `OOMKilled`, exit code 137).
final class MemoryWatchdog: Sendable {
    private struct Watched {
        var limit: Int64
        var killed = false
        var peak: Int64 = 0
    }

    private let watched = Mutex<[pid_t: Watched]>([:])
    private let queue = DispatchQueue(label: "slipway.memory-watchdog")
    nonisolated(unsafe) private let timer: any DispatchSourceTimer

    /// Starts polling every `interval`.
    init(interval: Duration = .milliseconds(100)) {
        timer = DispatchSource.makeTimerSource(queue: queue)
        let millis = Int(interval.components.seconds * 1000 + interval.components.attoseconds / 1_000_000_000_000_000)
        timer.schedule(deadline: .now(), repeating: .milliseconds(max(10, millis)))
        timer.setEventHandler { [weak self] in self?.poll() }
        timer.resume()
    }

    deinit { timer.cancel() }

    /// Stops polling.
    func stop() { timer.cancel() }

    /// Watches the tree of `pid` against `limit` bytes.
    func watch(_ pid: pid_t, limit: Int64) {
        watched.withLock { $0[pid] = Watched(limit: limit) }
    }

    /// Stops watching `pid`; returns whether the watchdog killed it, and the peak tree RSS.
    func unwatch(_ pid: pid_t) -> (killed: Bool, peak: Int64) {
        let entry = watched.withLock { $0.removeValue(forKey: pid) }
        return (entry?.killed ?? false, entry?.peak ?? 0)
    }

    private func poll() {
        let current = watched.withLock { $0.filter { !$0.value.killed } }
        guard !current.isEmpty else { return }
        let table = ProcessTable.read()
        for (pid, entry) in current {
            let rss = table.treeRSS(of: pid)
            let over = rss > entry.limit
            watched.withLock { state in
                guard var entry = state[pid] else { return }
                entry.peak = max(entry.peak, rss)
                if over { entry.killed = true }
                state[pid] = entry
            }
            if over { ProcessLauncher.signalTree(pid, SIGKILL) }
        }
    }
}
