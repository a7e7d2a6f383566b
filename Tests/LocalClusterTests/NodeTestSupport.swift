import Foundation
import KubeAPI
import Testing

@testable import LocalCluster

/// A store with namespace `demo`, local nodes started on it (fast back-offs) and a
/// temporary root directory; `body` runs, then everything is stopped and removed.
func withLocalNodes<T>(
    _ nodes: [NodeConfiguration] = NodeConfiguration.defaults,
    _ body: (ClusterStore, LocalNodes) async throws -> T
) async throws -> T {
    let store = ClusterStore(try makeStore())
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("slipway-nodes-\(UUID().uuidString)")
    let configuration = KubeletConfiguration(
        initialBackOff: .milliseconds(200), imagePullBackOff: .milliseconds(300), minimumGracePeriod: .seconds(2))
    let local = await LocalNodes.start(store: store, root: root, nodes: nodes, configuration: configuration)
    do {
        let result = try await body(store, local)
        await local.stop()
        try? FileManager.default.removeItem(at: root)
        return result
    } catch {
        await local.stop()
        try? FileManager.default.removeItem(at: root)
        throw error
    }
}

/// A pod in `demo` with one container `main` running `/bin/sh -c <script>`.
func shellPod(_ name: String, _ script: String, restartPolicy: String = "Never", container extra: String = "", spec: String = "") -> JSONObject {
    obj(#"""
    {"apiVersion":"v1","kind":"Pod","metadata":{"name":"\#(name)","namespace":"demo","labels":{"app":"demo"}},
     "spec":{"restartPolicy":"\#(restartPolicy)"\#(spec),
       "containers":[{"name":"main","image":"busybox","command":["/bin/sh","-c"],"args":[\#(jsonString(script))]\#(extra)}]}}
    """#)
}

func jsonString(_ text: String) -> String { JSON.string(.string(text)) }

func createPod(_ store: ClusterStore, _ pod: JSONObject) async throws {
    _ = try await store.perform { (s: inout ObjectStore) throws(Status) in try s.create(.pods, pod, now: Date()) }
}

func create(_ store: ClusterStore, _ type: ResourceType, _ object: JSONObject) async throws {
    _ = try await store.perform { (s: inout ObjectStore) throws(Status) in try s.create(type, object, now: Date()) }
}

struct WaitTimeout: Error, CustomStringConvertible {
    var description: String
}

/// Waits (watching the store, at most `timeout`) until pod `name` satisfies `predicate`
/// (or, with `deleted`, until it is gone).
@discardableResult
func waitForPod(
    _ store: ClusterStore, _ name: String, deleted: Bool = false, timeout: Duration = .seconds(20),
    _ predicate: @escaping @Sendable (Pod) -> Bool = { _ in true }
) async throws -> Pod {
    let snapshot = await store.store
    let current = try? snapshot.get(.pods, namespace: "demo", name: name)
    if deleted, current == nil { return Pod() }
    if !deleted, let current, predicate(Pod(object: current)) { return Pod(object: current) }
    let stream = try await store.watch(.pods, after: snapshot.resourceVersion, filter: ObjectFilter(namespace: "demo"))
    return try await withThrowingTaskGroup(of: Pod.self) { group in
        group.addTask {
            for await event in stream where event.key.name == name {
                if deleted, event.type == .deleted { return Pod(object: event.object) }
                if !deleted, event.type != .deleted, predicate(Pod(object: event.object)) { return Pod(object: event.object) }
            }
            throw WaitTimeout(description: "watch ended")
        }
        group.addTask {
            try await Task.sleep(for: timeout)
            let last = await store.store.entries.values.first { $0.object.meta("name")?.stringValue == name }
            throw WaitTimeout(description: "timed out waiting for pod \(name); last: \(last.map { JSON.string(.object($0.object)) } ?? "none")")
        }
        let pod = try await group.next()!
        group.cancelAll()
        return pod
    }
}

/// The events in `demo` about `pod`, oldest first.
func events(_ store: ClusterStore, about pod: String) async -> [Event] {
    let items = (try? await store.store.list(.events, options: ListOptions(filter: ObjectFilter(namespace: "demo")))).map(\.items) ?? []
    return items.sorted { Int($0.meta("resourceVersion")?.stringValue ?? "") ?? 0 < Int($1.meta("resourceVersion")?.stringValue ?? "") ?? 0 }
        .map(Event.init(object:)).filter { $0.involvedObject.name == pod }
}

/// Waits until an event with `reason` about `pod` exists.
@discardableResult
func waitForEvent(_ store: ClusterStore, pod: String, reason: String, timeout: Duration = .seconds(20)) async throws -> Event {
    let stream = try await store.watch(.events, after: "0", filter: ObjectFilter(namespace: "demo"))
    return try await withThrowingTaskGroup(of: Event.self) { group in
        group.addTask {
            for await event in stream {
                let e = Event(object: event.object)
                if e.involvedObject.name == pod, e.reason == reason { return e }
            }
            throw WaitTimeout(description: "watch ended")
        }
        group.addTask {
            try await Task.sleep(for: timeout)
            throw WaitTimeout(description: "no \(reason) event for \(pod)")
        }
        let event = try await group.next()!
        group.cancelAll()
        return event
    }
}

extension Pod {
    var main: ContainerStatus? { status.containerStatus(named: "main") }
}
