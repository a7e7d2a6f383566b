import DequeModule
import Foundation

/// Turns repeats of the same event into one Event with a growing count (client-go's
/// `EventCorrelator`, simplified to its aggregation of identical events).
///
/// Two events are the same when they have the same involved object (ignoring its
/// resourceVersion), type, reason, message and source. The first occurrence becomes a new
/// Event; each repeat increments `count` and moves `lastTimestamp`, to be written as a patch
/// of the first. At most `capacity` distinct events are remembered, oldest forgotten first.
struct EventCorrelator: Sendable {
    private struct Key: Hashable {
        var apiVersion, kind, name: String
        var namespace, uid: String?
        var type: RecordedEvent.EventType
        var reason, message: String
    }

    /// What to write to the server for one occurrence.
    enum Write: Sendable, Hashable {
        case create(RecordedEvent)
        case patch(RecordedEvent)
    }

    let capacity: Int
    let component: String
    let instance: String
    private var seen: [Key: RecordedEvent] = [:]
    private var order: Deque<Key> = []
    private var lastNameNanos: Int64 = 0

    init(capacity: Int = 4096, component: String, instance: String) {
        self.capacity = max(1, capacity)
        self.component = component
        self.instance = instance
    }

    /// Records one occurrence at `time` and says how to write it.
    mutating func observe(
        _ object: RecordedEvent.InvolvedObject, type: RecordedEvent.EventType, reason: String, message: String, time: Date
    ) -> Write {
        let key = Key(
            apiVersion: object.apiVersion, kind: object.kind, name: object.name, namespace: object.namespace, uid: object.uid,
            type: type, reason: reason, message: message)
        if var event = seen[key] {
            event.count += 1
            event.lastTimestamp = time
            event.involvedObject = object
            seen[key] = event
            return .patch(event)
        }
        let event = RecordedEvent(
            name: uniqueName(for: object.name, at: time), namespace: object.namespace ?? "default", involvedObject: object,
            type: type, reason: reason, message: message, count: 1, firstTimestamp: time, lastTimestamp: time,
            component: component, instance: instance)
        remember(event, key: key)
        return .create(event)
    }

    private mutating func remember(_ event: RecordedEvent, key: Key) {
        seen[key] = event
        order.append(key)
        while order.count > capacity, let oldest = order.popFirst() {
            seen.removeValue(forKey: oldest)
        }
    }

    /// `<object>.<hex nanoseconds>` like client-go, kept strictly increasing so that two
    /// events at the same instant get different names.
    private mutating func uniqueName(for objectName: String, at time: Date) -> String {
        let nanos = max(Int64(time.timeIntervalSince1970 * 1e9), lastNameNanos + 1)
        lastNameNanos = nanos
        return "\(objectName).\(String(nanos, radix: 16))"
    }
}
