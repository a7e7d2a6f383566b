import Foundation
import KubeAPI
import Testing

@testable import LocalCluster

/// A fresh data directory under the temporary directory.
func makeDataDirectory() -> URL {
    FileManager.default.temporaryDirectory.appendingPathComponent("slipway-persistence-\(UUID().uuidString)")
}

/// The store's content as comparable text: resource (with its flags) and object JSON.
func persistedContents(_ store: ObjectStore) -> [String] {
    store.storedObjects.map { type, object in
        "\(type.qualifiedName) custom=\(type.isCustom) status=\(type.hasStatusSubresource) gen=\(type.tracksGeneration) \(JSON.string(.object(object)))"
    }
}

/// A store with namespace `demo`, ConfigMaps `a` (updated) and `b`, and Gadget `g`,
/// recording each write in `log`.
func populatePersistedStore(_ store: inout ObjectStore, log: PersistentLog) throws {
    _ = try store.create(.namespaces, obj(#"{"metadata":{"name":"demo"}}"#), now: t0)
    try log.record(store)
    let a = try store.create(.configMaps, configMap("a"), now: t0)
    _ = try store.create(.configMaps, configMap("b"), now: t0)
    _ = try store.create(gadgets, gadget("g", size: 3), now: t0)
    try log.record(store)
    var changed = a
    changed["data"] = ["k": "changed"]
    _ = try store.update(.configMaps, changed, now: t0)
    try log.record(store)
}

@Suite struct PersistenceTests {
    @Test func reopeningRestoresTheSameStore() throws {
        let directory = makeDataDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        var (log, store) = try PersistentLog.open(directory: directory)
        #expect(store.count == 0 && store.revision == 0)
        try populatePersistedStore(&store, log: log)
        try log.close()

        let (reopened, restored) = try PersistentLog.open(directory: directory)
        defer { try? reopened.close() }
        #expect(persistedContents(restored) == persistedContents(store))
        #expect(restored.revision == store.revision)
        #expect(reopened.recordedRevision == store.revision)
        let g = try restored.get(gadgets, namespace: "demo", name: "g")
        #expect(restored.object(withUID: g.metadata.uid ?? "")?.1 == g)
        #expect(try restored.get(.configMaps, namespace: "demo", name: "a")["data"] == ["k": "changed"])
    }

    @Test func deletesPersistAndCountInTheRevision() throws {
        let directory = makeDataDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        var (log, store) = try PersistentLog.open(directory: directory)
        try populatePersistedStore(&store, log: log)
        _ = try store.delete(.configMaps, namespace: "demo", name: "b", now: t0)
        try log.record(store)
        try log.close()

        let (reopened, restored) = try PersistentLog.open(directory: directory)
        defer { try? reopened.close() }
        #expect(status { () throws(Status) in _ = try restored.get(.configMaps, namespace: "demo", name: "b") }?.code == 404)
        #expect(persistedContents(restored) == persistedContents(store))
        #expect(restored.revision == store.revision)
    }

    @Test func writesAfterARestartContinueTheRevisionWithNewUIDs() throws {
        let directory = makeDataDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        var (log, store) = try PersistentLog.open(directory: directory)
        try populatePersistedStore(&store, log: log)
        try log.close()

        var (reopened, restored) = try PersistentLog.open(directory: directory)
        let c = try restored.create(.configMaps, configMap("c"), now: t0)
        try reopened.record(restored)
        try reopened.close()
        #expect(c.metadata.resourceVersion == String(store.revision + 1))
        let oldUIDs = Set(store.storedObjects.compactMap { $0.object.metadata.uid })
        #expect(!oldUIDs.contains(c.metadata.uid ?? ""))

        let (third, again) = try PersistentLog.open(directory: directory)
        defer { try? third.close() }
        #expect(persistedContents(again) == persistedContents(restored))
    }

    @Test func aWatchFromBeforeTheRestartGets410() throws {
        let directory = makeDataDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        var (log, store) = try PersistentLog.open(directory: directory)
        try populatePersistedStore(&store, log: log)
        try log.close()

        let (reopened, restored) = try PersistentLog.open(directory: directory)
        defer { try? reopened.close() }
        let expired = status { () throws(Status) in _ = try restored.events(.configMaps, after: "2") }
        #expect(expired?.code == 410)
        #expect(expired?.message == "too old resource version: 2 (\(store.revision))")
        let current = try restored.events(.configMaps, after: restored.resourceVersion)
        #expect(current.isEmpty)
        #expect(try restored.events(.configMaps, after: "0").count == 2)
    }

    @Test func aTornLastLineIsIgnored() throws {
        let directory = makeDataDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        var (log, store) = try PersistentLog.open(directory: directory)
        try populatePersistedStore(&store, log: log)
        try log.close()
        let file = directory.appendingPathComponent(PersistentLog.fileName)
        let handle = try FileHandle(forWritingTo: file)
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(#"{"op":"put","rv":99,"type":{"gro"#.utf8))
        try handle.close()

        var (reopened, restored) = try PersistentLog.open(directory: directory)
        #expect(persistedContents(restored) == persistedContents(store))
        #expect(restored.revision == store.revision)
        // The torn line is gone after the start-up compaction; new writes replay cleanly.
        _ = try restored.create(.configMaps, configMap("d"), now: t0)
        try reopened.record(restored)
        try reopened.close()
        let (third, again) = try PersistentLog.open(directory: directory)
        defer { try? third.close() }
        #expect(persistedContents(again) == persistedContents(restored))
    }

    @Test func aCorruptLineBeforeTheLastIsAnError() throws {
        let directory = makeDataDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let text = "{\"op\":\"revision\",\"rv\":3}\nnot json\n{\"op\":\"revision\",\"rv\":4}\n"
        try Data(text.utf8).write(to: directory.appendingPathComponent(PersistentLog.fileName))
        #expect(throws: PersistenceError.self) { _ = try PersistentLog.open(directory: directory) }
    }
}
