import Foundation
import KubeAPI

/// Keeps every running pod's hosts file (`<pod dir>/root/etc/hosts`, see ``HostsFile``)
/// current: it watches Services and pods and, after any change, recomputes the Service
/// records and rewrites the files whose text changed. Changes that arrive while it
/// rewrites are folded into one more pass, so a burst of pod updates costs a few passes.
/// Files are replaced atomically (a reader never sees half a file).
actor PodHostsFiles {
    private struct Entry {
        var file: URL
        var hosts: HostsFile
        var written: String?
    }

    private let store: ClusterStore
    private var apiServer: String
    private var entries: [String: Entry] = [:]
    private var records = ServiceRecords(records: [], apiServer: NodeObject.address)
    private var refreshing = false
    private var dirty = false

    init(store: ClusterStore, apiServer: String = NodeObject.address) {
        self.store = store
        self.apiServer = apiServer
    }

    /// Starts keeping the hosts file of pod `uid` at `file`, and writes it at once.
    func register(uid: String, file: URL, hosts: HostsFile) async {
        entries[uid] = Entry(file: file, hosts: hosts)
        await refresh()
    }

    /// Stops keeping the file of pod `uid` (it stays until its pod directory goes).
    func unregister(uid: String) { entries[uid] = nil }

    /// The Service records of the last pass.
    var current: ServiceRecords { records }

    /// Watches Services and pods until cancelled.
    func run() async {
        let version = await store.store.resourceVersion
        guard let services = try? await store.watch(.services, after: version),
              let pods = try? await store.watch(.pods, after: version) else { return }
        await withTaskGroup(of: Void.self) { group in
            for stream in [services, pods] {
                group.addTask {
                    for await _ in stream {
                        if Task.isCancelled { break }
                        await self.changed()
                    }
                }
            }
        }
    }

    /// Something changed: refresh now, or once more after the pass under way.
    func changed() async {
        guard !refreshing else {
            dirty = true
            return
        }
        refreshing = true
        repeat {
            dirty = false
            await refresh()
        } while dirty
        refreshing = false
    }

    private func refresh() async {
        guard !entries.isEmpty else { return }
        let snapshot = await store.store
        let services = ((try? snapshot.list(.services).items) ?? []).map(Service.init(object:))
        // Pods matter only to Services that select some; without one, no pod is listed.
        let selecting = services.contains { !$0.spec.selector.isEmpty }
        let pods = selecting ? ((try? snapshot.list(.pods).items) ?? []).map(Pod.init(object:)) : []
        let computed = ServiceRecords.compute(services: services, pods: pods, apiServer: apiServer)
        // The same records render the same text: only files not written yet need a pass.
        let unchanged = computed == records
        records = computed
        for (uid, entry) in entries where !(unchanged && entry.written != nil) {
            let text = entry.hosts.render(records)
            guard text != entry.written else { continue }
            if Self.write(text, to: entry.file) { entries[uid]?.written = text }
        }
    }

    /// Writes a temporary file beside `file`, then renames it over `file`.
    static func write(_ text: String, to file: URL) -> Bool {
        let fm = FileManager.default
        try? fm.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        let temporary = file.deletingLastPathComponent().appendingPathComponent(".\(file.lastPathComponent).\(UUID().uuidString)")
        guard fm.createFile(atPath: temporary.path, contents: Data(text.utf8), attributes: [.posixPermissions: 0o644]) else { return false }
        guard rename(temporary.path, file.path) == 0 else {
            try? fm.removeItem(at: temporary)
            return false
        }
        return true
    }
}
