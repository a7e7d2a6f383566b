import Foundation
import KubeAPI

/// The writes the scheduler and the kubelet make: status updates with optimistic
/// concurrency (re-read and re-apply on 409) and core/v1 Events.
struct ClusterWrites: Sendable {
    let store: ClusterStore
    let clock: @Sendable () -> Date

    /// Re-reads the pod, applies `change` to it and writes its status subresource, retrying
    /// on conflict. Nothing happens when the pod is gone or has another uid.
    ///
    /// - Returns: the stored pod, or nil when it no longer exists.
    @discardableResult
    func updatePodStatus(namespace: String, name: String, uid: String, _ change: @escaping @Sendable (inout Pod) -> Void) async -> Pod? {
        let now = clock()
        return try? await store.perform { (store: inout ObjectStore) throws(Status) -> Pod? in
            for _ in 0..<5 {
                guard let current = try? store.get(.pods, namespace: namespace, name: name),
                      current.meta("uid")?.stringValue == uid else { return nil }
                var pod = Pod(object: current)
                change(&pod)
                do throws(Status) {
                    return Pod(object: try store.update(.pods, pod.object, namespace: namespace, name: name, subresource: .status, now: now))
                } catch where error.code == 409 {
                    continue
                }
            }
            return nil
        }
    }

    /// Records a core/v1 Event about a pod (`<pod>.<16 hex>`), as the kubelet and the
    /// scheduler do.
    func event(about pod: Pod, fieldPath: String? = nil, type: EventType, reason: String, message: String, component: String, host: String? = nil) async {
        let now = clock()
        let meta = pod.metadata
        var event = Event()
        event.object["apiVersion"] = "v1"
        event.object["kind"] = "Event"
        event.metadata.name = "\(meta.name ?? "pod").\(String(format: "%016llx", UInt64.random(in: 0...UInt64.max)))"
        event.metadata.namespace = meta.namespace
        var involved = ObjectReference()
        involved.kind = "Pod"
        involved.namespace = meta.namespace
        involved.name = meta.name
        involved.uid = meta.uid
        involved.apiVersion = "v1"
        involved.resourceVersion = meta.resourceVersion
        involved.fieldPath = fieldPath
        event.involvedObject = involved
        event.reason = reason
        event.message = message
        event.type = type
        var source = EventSource()
        source.component = component
        source.host = host
        event.source = source
        event.firstTimestamp = now
        event.lastTimestamp = now
        event.count = 1
        event.object["eventTime"] = .null
        event.reportingComponent = component
        event.reportingInstance = host ?? ""
        let object = event.object
        _ = try? await store.perform { (store: inout ObjectStore) throws(Status) in
            try store.create(.events, object, now: now)
        }
    }
}
