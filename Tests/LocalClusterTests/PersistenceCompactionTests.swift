import Foundation
import KubeAPI
import Testing

@testable import LocalCluster

@Suite struct PersistenceCompactionTests {
    private func lineCount(_ directory: URL) throws -> Int {
        let data = try Data(contentsOf: directory.appendingPathComponent(PersistentLog.fileName))
        return data.filter { $0 == UInt8(ascii: "\n") }.count
    }

    @Test func compactionKeepsTheState() throws {
        let directory = makeDataDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        var (log, store) = try PersistentLog.open(directory: directory, options: .init(compactionThreshold: 3))
        _ = try store.create(.namespaces, obj(#"{"metadata":{"name":"demo"}}"#), now: t0)
        try log.record(store)
        for round in 0..<10 {
            var object = configMap("churn")
            if round > 0 {
                object = try store.get(.configMaps, namespace: "demo", name: "churn")
                object["data"] = ["round": .string(String(round))]
                _ = try store.update(.configMaps, object, now: t0)
            } else {
                _ = try store.create(.configMaps, object, now: t0)
            }
            try log.record(store)
        }
        // A snapshot (revision + 2 objects) plus fewer than 3 appended changes.
        #expect(try lineCount(directory) < 3 + 3)
        try log.close()

        let (reopened, restored) = try PersistentLog.open(directory: directory)
        defer { try? reopened.close() }
        #expect(persistedContents(restored) == persistedContents(store))
        #expect(restored.revision == store.revision)
        #expect(try lineCount(directory) == 3)
    }

    @Test func startUpCompactsTheLog() throws {
        let directory = makeDataDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        var (log, store) = try PersistentLog.open(directory: directory)
        try populatePersistedStore(&store, log: log)
        _ = try store.delete(.configMaps, namespace: "demo", name: "a", now: t0)
        try log.record(store)
        try log.close()
        #expect(try lineCount(directory) == 1 + 6)

        let (reopened, _) = try PersistentLog.open(directory: directory)
        try reopened.close()
        // revision, namespace, b, g.
        #expect(try lineCount(directory) == 4)
    }

    /// When a write produced more events than the store's history keeps, the log falls
    /// back to a snapshot of the store instead of losing changes.
    @Test func aHistoryThatNoLongerReachesBackWritesASnapshot() throws {
        let directory = makeDataDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        var (log, store) = try PersistentLog.open(directory: directory, configuration: .init(historyLimit: 2))
        _ = try store.create(.namespaces, obj(#"{"metadata":{"name":"demo"}}"#), now: t0)
        for name in ["a", "b", "c", "d"] { _ = try store.create(.configMaps, configMap(name), now: t0) }
        try log.record(store)
        try log.close()
        let (reopened, restored) = try PersistentLog.open(directory: directory)
        defer { try? reopened.close() }
        #expect(persistedContents(restored) == persistedContents(store))
        #expect(restored.revision == 5)
    }

    @Test func recordingAStaleStoreWritesNothingAndClosedLogsThrow() throws {
        let directory = makeDataDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        var (log, store) = try PersistentLog.open(directory: directory)
        let before = store
        try populatePersistedStore(&store, log: log)
        let lines = try lineCount(directory)
        try log.record(before)
        #expect(try lineCount(directory) == lines)
        try log.close()
        #expect(throws: PersistenceError.closed) { try log.record(store) }
    }

    @Test func clusterStorePerformPersists() async throws {
        let directory = makeDataDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let (log, store) = try PersistentLog.open(directory: directory, options: .init(syncInterval: 0.05))
        let cluster = ClusterStore(store, persistence: log)
        try await cluster.perform { (store: inout ObjectStore) throws(Status) in
            _ = try store.create(.namespaces, obj(#"{"metadata":{"name":"demo"}}"#), now: t0)
        }
        let failed = await asyncStatus { () throws(Status) in
            try await cluster.perform { (store: inout ObjectStore) throws(Status) in
                _ = try store.create(.namespaces, obj(#"{"metadata":{"name":"demo"}}"#), now: t0)
            }
        }
        #expect(failed?.code == 409)
        try log.close()
        let (reopened, restored) = try PersistentLog.open(directory: directory)
        defer { try? reopened.close() }
        #expect(persistedContents(restored) == persistedContents(await cluster.store))
        #expect(restored.revision == 1)
    }
}

/// The Status an async operation throws, or nil.
func asyncStatus(of operation: () async throws(Status) -> Void) async -> Status? {
    do { try await operation(); return nil } catch { return error }
}
