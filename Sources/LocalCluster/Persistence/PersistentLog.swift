import Foundation
import KubeAPI

/// Keeps an ``ObjectStore`` in a data directory so that objects survive a restart of
/// `slipway dev`.
///
/// The directory holds one file, `objects.jsonl`: a snapshot (a `revision` line, then one
/// line per object) followed by the changes made since (object put / key deleted, each
/// with its resourceVersion). ``open(directory:options:configuration:identifiers:)``
/// replays it into a store with the same objects, uids and resourceVersions, at the last
/// revision, with an empty watch history (so a watch from before the restart gets
/// `410 Expired`), then compacts it. The server calls ``record(_:)`` with the store after
/// each successful write; the log compacts itself again once it has grown by
/// ``Options/compactionThreshold`` records.
///
/// **Durability.** When ``record(_:)`` returns, the change has been written to the
/// operating system: it survives a crash or `kill -9` of the process. It is fsync'd to the
/// disk at most ``Options/syncInterval`` later (100 ms by default), so a power loss or
/// kernel crash loses at most that window. Snapshots are fsync'd before they replace the
/// log. A line cut short by a crash is ignored on the next start.
public final class PersistentLog: @unchecked Sendable {
    /// Tunables of the log.
    public struct Options: Sendable {
        /// After this many records appended since the last snapshot, the log is rewritten
        /// as a snapshot of the current objects.
        public var compactionThreshold: Int
        /// The longest time a recorded change waits to be fsync'd.
        public var syncInterval: TimeInterval

        /// Options with a compaction threshold (at least 1) and a sync interval in seconds.
        public init(compactionThreshold: Int = 10_000, syncInterval: TimeInterval = 0.1) {
            self.compactionThreshold = max(1, compactionThreshold)
            self.syncInterval = max(0, syncInterval)
        }
    }

    /// The log's file name inside the data directory.
    public static let fileName = "objects.jsonl"

    /// The data directory.
    public let directory: URL
    /// The tunables this log was opened with.
    public let options: Options
    private let path: String
    private let lock = NSLock()
    // Guarded by `lock`:
    private var file: LogFile?
    private var recorded: Int64
    private var appendedSinceSnapshot = 0
    private var lastSync = Date()
    private var dirty = false
    private var syncScheduled = false

    private init(directory: URL, options: Options, file: LogFile, revision: Int64) {
        self.directory = directory
        self.options = options
        self.path = directory.appendingPathComponent(Self.fileName).path
        self.file = file
        self.recorded = revision
    }

    /// Opens (creating when needed) the data directory and rebuilds the store it holds.
    ///
    /// - Parameters:
    ///   - configuration: the restored store's configuration.
    ///   - identifiers: where the restored store gets new uids; by default a generator with
    ///     a random seed, so that uids of the previous run are not handed out again.
    /// - Returns: the log, ready for ``record(_:)``, and the restored store (empty for a
    ///   new directory).
    /// - Throws: ``PersistenceError`` when the directory cannot be used or the log is
    ///   corrupt before its last line.
    public static func open(
        directory: URL, options: Options = Options(), configuration: ObjectStore.Configuration = ObjectStore.Configuration(),
        identifiers: any IdentifierGenerator = SeededIdentifierGenerator(seed: .random(in: 0 ... .max))
    ) throws(PersistenceError) -> (PersistentLog, ObjectStore) {
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            let underlying = (error as NSError).userInfo[NSUnderlyingErrorKey] as? NSError
            throw .io(operation: "mkdir", path: directory.path, errno: Int32(underlying?.code ?? Int(EIO)))
        }
        let path = directory.appendingPathComponent(fileName).path
        let state = try ReplayedState.replay(try LogFile.read(path), path: path)
        let objects = state.objects.values.map { (type: $0.type, object: $0.object) }
        let store = ObjectStore(restoring: objects, revision: state.revision, configuration: configuration, identifiers: identifiers)
        try LogFile.replaceAtomically(path, with: snapshot(of: store))
        let log = PersistentLog(directory: directory, options: options, file: try LogFile(appendingTo: path), revision: store.revision)
        return (log, store)
    }

    /// The last revision written to the log.
    public var recordedRevision: Int64 { lock.withLock { recorded } }

    /// Appends every change of `store` made since the last call (its history after
    /// ``recordedRevision``), in order. Call it after each successful write, with the store
    /// as it is after the write; a store no newer than the log writes nothing, so calls may
    /// arrive late or twice. If the store's history no longer reaches back to the last
    /// recorded revision, the log is rewritten as a snapshot of `store` instead.
    public func record(_ store: ObjectStore) throws(PersistenceError) {
        try locked { () throws(PersistenceError) in
            guard let file else { throw PersistenceError.closed }
            guard store.revision > recorded else { return }
            if store.historyStart > recorded { return try compactLocked(store) }
            var bytes: [UInt8] = []
            var count = 0
            for event in store.history where event.resourceVersion > recorded {
                guard let record = LogRecord(event) else { continue }
                bytes += record.encoded
                bytes.append(UInt8(ascii: "\n"))
                count += 1
            }
            try file.append(bytes)
            recorded = store.revision
            appendedSinceSnapshot += count
            dirty = true
            if appendedSinceSnapshot >= options.compactionThreshold { return try compactLocked(store) }
            try syncOrScheduleLocked()
        }
    }

    /// Rewrites the log as a snapshot of `store` (atomically: temporary file, fsync, rename).
    public func compact(_ store: ObjectStore) throws(PersistenceError) {
        try locked { () throws(PersistenceError) in
            guard file != nil else { throw PersistenceError.closed }
            try compactLocked(store)
        }
    }

    /// Flushes recorded changes to the disk now.
    public func sync() throws(PersistenceError) {
        try locked { () throws(PersistenceError) in try syncLocked() }
    }

    /// Flushes and closes the log; later calls of ``record(_:)`` throw ``PersistenceError/closed``.
    public func close() throws(PersistenceError) {
        try locked { () throws(PersistenceError) in
            defer {
                file?.close()
                file = nil
            }
            try syncLocked()
        }
    }

    deinit { file?.close() }

    // MARK: - Under the lock

    private func locked<T>(_ body: () throws(PersistenceError) -> T) throws(PersistenceError) -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }

    private func compactLocked(_ store: ObjectStore) throws(PersistenceError) {
        try LogFile.replaceAtomically(path, with: Self.snapshot(of: store))
        file?.close()
        file = try LogFile(appendingTo: path)
        recorded = max(recorded, store.revision)
        appendedSinceSnapshot = 0
        dirty = false
        lastSync = Date()
    }

    private func syncLocked() throws(PersistenceError) {
        guard dirty, let file else { return }
        try file.sync()
        dirty = false
        lastSync = Date()
    }

    /// Fsyncs now when the last fsync is older than the interval; otherwise makes sure one
    /// runs when the interval is over.
    private func syncOrScheduleLocked() throws(PersistenceError) {
        let elapsed = Date().timeIntervalSince(lastSync)
        if elapsed >= options.syncInterval { return try syncLocked() }
        guard !syncScheduled else { return }
        syncScheduled = true
        DispatchQueue.global().asyncAfter(deadline: .now() + (options.syncInterval - elapsed)) { [weak self] in
            self?.scheduledSync()
        }
    }

    private func scheduledSync() {
        lock.withLock {
            syncScheduled = false
            // A failure here shows up again on the next record or sync.
            try? syncLocked()
        }
    }

    /// The snapshot of `store`: the revision line, then one put line per object.
    static func snapshot(of store: ObjectStore) -> [UInt8] {
        var bytes = LogRecord.revision(store.revision).encoded
        bytes.append(UInt8(ascii: "\n"))
        for (type, object) in store.storedObjects {
            let rv = object.meta("resourceVersion")?.stringValue.flatMap { Int64($0) } ?? store.revision
            bytes += LogRecord.put(rv, type, object).encoded
            bytes.append(UInt8(ascii: "\n"))
        }
        return bytes
    }
}
