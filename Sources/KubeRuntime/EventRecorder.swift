import Foundation
import KubeAPI
import KubeClient
import Logging
import Synchronization

/// Where an `EventRecorder` writes Events: the API server (`ClientEventSink`) or, in
/// tests, memory.
public protocol EventSink: Sendable {
    /// Creates a new Event.
    func create(_ event: RecordedEvent) async throws
    /// Records a repeat on the existing Event `event.name`: count, message and
    /// lastTimestamp (`event.repeatPatch`). Throws `KubeError.notFound` when it is gone.
    func patch(_ event: RecordedEvent) async throws
}

/// Records core/v1 Events about objects, as `kubectl describe` shows them, without ever
/// making a reconcile wait.
///
/// `record` only puts the event into a bounded buffer and returns; `run()` writes the
/// buffer to the sink in the background. When the buffer is full, new events are dropped
/// and counted (`droppedCount`): events are informative, reconciling is not. Repeats of the
/// same event become one Event whose count grows (see `EventCorrelator`).
///
/// ```swift
/// let recorder = EventRecorder(sink: ClientEventSink(client: client), component: "slipway-operator")
/// group.addTask { await recorder.run() }
/// recorder.record(job, type: .warning, reason: "OutOfMemory", message: "attempt 2 retries with 8Gi")
/// ```
public final class EventRecorder: Sendable {
    private struct Occurrence: Sendable {
        var object: RecordedEvent.InvolvedObject
        var type: RecordedEvent.EventType
        var reason: String
        var message: String
        var time: Date
    }

    private let sink: any EventSink
    private let clock: any KubeClock
    private let logger: Logger
    private let component: String
    private let instance: String
    private let buffer: AsyncStream<Occurrence>
    private let input: AsyncStream<Occurrence>.Continuation
    private let dropped = Atomic<Int>(0)

    /// - Parameters:
    ///   - component: `source.component` / `reportingComponent` of the events.
    ///   - instance: `source.host` / `reportingInstance` (e.g. the operator's pod name).
    ///   - bufferSize: how many events may wait to be written before new ones are dropped.
    public init(
        sink: any EventSink, component: String, instance: String = "", clock: any KubeClock = SystemClock(),
        bufferSize: Int = 1000, logger: Logger? = nil
    ) {
        self.sink = sink
        self.clock = clock
        self.component = component
        self.instance = instance
        self.logger = logger ?? Logger(label: "slipway.events")
        (buffer, input) = AsyncStream.makeStream(of: Occurrence.self, bufferingPolicy: .bufferingOldest(max(1, bufferSize)))
    }

    // MARK: - Recording

    /// Records an event about `object`, timestamped now. Never waits.
    public func record<Object: KubeObject>(_ object: Object, type: RecordedEvent.EventType, reason: String, message: String) {
        let occurrence = Occurrence(
            object: RecordedEvent.InvolvedObject(object), type: type, reason: reason, message: message, time: clock.now())
        switch input.yield(occurrence) {
        case .enqueued: break
        case .dropped, .terminated: dropped.add(1, ordering: .relaxed)
        @unknown default: dropped.add(1, ordering: .relaxed)
        }
    }

    /// Records a `Normal` event.
    public func normal<Object: KubeObject>(_ object: Object, reason: String, message: String) {
        record(object, type: .normal, reason: reason, message: message)
    }

    /// Records a `Warning` event.
    public func warning<Object: KubeObject>(_ object: Object, reason: String, message: String) {
        record(object, type: .warning, reason: reason, message: message)
    }

    /// How many events were dropped because the buffer was full or the recorder finished.
    public var droppedCount: Int { dropped.load(ordering: .relaxed) }

    // MARK: - Writing

    /// Writes buffered events to the sink, in order, until the task is cancelled or
    /// `finish()` was called and the buffer is empty. Run it once.
    public func run() async {
        var correlator = EventCorrelator(component: component, instance: instance)
        for await occurrence in buffer {
            let write = correlator.observe(
                occurrence.object, type: occurrence.type, reason: occurrence.reason, message: occurrence.message,
                time: occurrence.time)
            await perform(write)
        }
    }

    /// Stops accepting events; `run()` returns once the events already buffered are written.
    public func finish() { input.finish() }

    private func perform(_ write: EventCorrelator.Write) async {
        do {
            switch write {
            case .create(let event):
                try await sink.create(event)
            case .patch(let event):
                do {
                    try await sink.patch(event)
                } catch let error as KubeError where error.isNotFound {
                    // The first Event expired (events live an hour): write the repeat as a new one.
                    try await sink.create(event)
                }
            }
        } catch {
            logger.warning("cannot write an event", metadata: ["error": "\(error)"])
        }
    }
}
