import Foundation
import KubeAPI
import KubeClient
import KubeRuntime

/// A namespaced object for the runtime's tests (shaped like a ConfigMap).
struct Widget: KubeObject {
    static let resource = APIResource(group: "test.slipway.dev", version: "v1", kind: "Widget", plural: "widgets", namespaced: true)
    var object: JSONObject
    init(object: JSONObject) { self.object = object }

    init(_ name: String, namespace: String? = "default", labels: [String: String] = [:], owner: String? = nil, rv: String? = nil) {
        self.init(name: name, namespace: namespace)
        metadata.labels = labels
        if let owner {
            metadata.ownerReferences = [
                OwnerReference(apiVersion: "test.slipway.dev/v1", kind: "Job", name: owner, uid: "uid-\(owner)", controller: true)
            ]
        }
        metadata.resourceVersion = rv
    }

    var name: String { metadata.name ?? "" }
    var color: String? { get { self["color"] } set { self["color"] = newValue } }
}

/// An ordered log that tasks append to and tests read in order, waiting for entries to
/// arrive instead of sleeping.
actor EventLog {
    private var entries: [String] = []
    private var read = 0
    private var waiters: [(count: Int, continuation: CheckedContinuation<Void, Never>)] = []

    func append(_ entry: String) {
        entries.append(entry)
        let ready = waiters.filter { $0.count <= entries.count }
        waiters.removeAll { $0.count <= entries.count }
        ready.forEach { $0.continuation.resume() }
    }

    /// The next `count` unread entries, waiting for them as needed.
    func next(_ count: Int = 1) async -> [String] {
        let target = read + count
        if entries.count < target {
            await withCheckedContinuation { waiters.append((target, $0)) }
        }
        defer { read = target }
        return Array(entries[read..<target])
    }

    /// Everything appended so far.
    var all: [String] { entries }
}

extension Duration {
    static func minutes(_ m: Int) -> Duration { .seconds(m * 60) }
}
