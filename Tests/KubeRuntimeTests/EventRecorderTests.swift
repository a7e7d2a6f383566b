import Foundation
import KubeAPI
import KubeClient
import KubeRuntime
import KubeTesting
import Testing

actor RecordingSink: EventSink {
    private(set) var writes: [String] = []
    private(set) var created: [RecordedEvent] = []
    private var expireAll = false

    func create(_ event: RecordedEvent) {
        created.append(event)
        writes.append("create \(event.name) \(event.reason) count=\(event.count)")
    }

    func patch(_ event: RecordedEvent) throws {
        if expireAll {
            throw KubeError.notFound(Status(code: 404, reason: "NotFound", message: "events \"\(event.name)\" not found"))
        }
        writes.append("patch \(event.name) \(event.reason) count=\(event.count) last=\(Int(event.lastTimestamp.timeIntervalSince1970))")
    }

    /// Every event is gone (TTL) by the time a repeat is patched.
    func expireEverything() { expireAll = true }
}

@Suite("Event recorder")
struct EventRecorderTests {
    let clock = ManualClock(start: Date(timeIntervalSince1970: 1000))

    var job: Widget {
        var job = Widget("job1", owner: nil, rv: "42")
        job.metadata.uid = "uid-1"
        return job
    }

    @Test func repeatsOfTheSameEventBecomeOneEventWithACount() async throws {
        let sink = RecordingSink()
        let recorder = EventRecorder(sink: sink, component: "slipway-operator", instance: "op-0", clock: clock)
        recorder.warning(job, reason: "BackOff", message: "retrying attempt")
        clock.advance(by: .seconds(5))
        recorder.warning(job, reason: "BackOff", message: "retrying attempt")
        recorder.normal(job, reason: "Created", message: "created pod job1-0-1")
        clock.advance(by: .seconds(5))
        recorder.warning(job, reason: "BackOff", message: "retrying attempt")
        recorder.warning(job, reason: "BackOff", message: "a different message")
        recorder.finish()
        await recorder.run()

        let created = await sink.created
        try #require(created.count == 3)
        let (first, second, third) = (created[0].name, created[1].name, created[2].name)
        #expect(Set([first, second, third]).count == 3)
        #expect(first.hasPrefix("job1."))
        #expect(await sink.writes == [
            "create \(first) BackOff count=1",
            "patch \(first) BackOff count=2 last=1005",
            "create \(second) Created count=1",
            "patch \(first) BackOff count=3 last=1010",
            "create \(third) BackOff count=1",
        ])
        #expect(recorder.droppedCount == 0)
    }

    @Test func theEventIsAcoreV1EventAboutTheObject() async throws {
        let sink = RecordingSink()
        let recorder = EventRecorder(sink: sink, component: "slipway-operator", instance: "op-0", clock: clock)
        recorder.warning(job, reason: "OutOfMemory", message: "container spark-kubernetes-driver was OOMKilled")
        recorder.finish()
        await recorder.run()
        let event = try #require(await sink.created.first)
        let json = event.json
        #expect(json["kind"] == "Event")
        #expect(json["metadata"]?["namespace"] == "default")
        #expect(json["involvedObject"] == [
            "apiVersion": "test.slipway.dev/v1", "kind": "Widget", "name": "job1", "namespace": "default",
            "uid": "uid-1", "resourceVersion": "42",
        ])
        #expect(json["type"] == "Warning")
        #expect(json["reason"] == "OutOfMemory")
        #expect(json["count"] == 1)
        #expect(json["firstTimestamp"] == "1970-01-01T00:16:40Z")
        #expect(json["source"] == ["component": "slipway-operator", "host": "op-0"])
        #expect(event.repeatPatch["count"] == 1)
    }

    @Test func aFullBufferDropsAndCountsInsteadOfWaiting() async {
        let sink = RecordingSink()
        let recorder = EventRecorder(sink: sink, component: "slipway-operator", clock: clock, bufferSize: 2)
        for i in 0..<5 { recorder.normal(job, reason: "Step", message: "step \(i)") }
        #expect(recorder.droppedCount == 3)
        recorder.finish()
        recorder.normal(job, reason: "Step", message: "after finish")
        #expect(recorder.droppedCount == 4)
        await recorder.run()
        #expect(await sink.writes.count == 2)
    }

    @Test func aRepeatOfAnExpiredEventIsCreatedAgain() async throws {
        let sink = RecordingSink()
        await sink.expireEverything()
        let recorder = EventRecorder(sink: sink, component: "slipway-operator", clock: clock)
        recorder.normal(job, reason: "Waiting", message: "queued")
        recorder.normal(job, reason: "Waiting", message: "queued")
        recorder.finish()
        await recorder.run()
        let name = try #require(await sink.created.first?.name)
        #expect(await sink.writes == ["create \(name) Waiting count=1", "create \(name) Waiting count=2"])
    }
}
