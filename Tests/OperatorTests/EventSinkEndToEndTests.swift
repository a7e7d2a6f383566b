import Foundation
import SlipwayControllers
import KubeAPI
import KubeTesting
import SlipwayDevTesting
import Synchronization
import Testing

/// The job-event sink end to end: `slipway operator --event-sink` against a local HTTP
/// receiver that answers 503 and drops connections on purpose, is down while jobs run, and
/// an operator restarted in between: every transition of every job arrives, in order per
/// job, duplicates marked by their CloudEvents id.
@Suite("Job events to an HTTP sink", .serialized)
struct EventSinkEndToEndTests {
    /// What the receiver does with the next POST.
    enum Mode: Sendable { case flaky, down }

    /// One accepted event.
    struct Received: Sendable {
        var id: String
        var type: String
        var subject: String
        var seq: Int
        var body: String
        var contentType: String
    }

    /// An HTTP receiver: in `flaky` mode, of every three POSTs it reads one and drops the
    /// connection without answering (the event arrived, the sink cannot know: it sends it
    /// again), answers one 503 and accepts one (202); `down` drops every connection unread.
    /// `arrived` is every event whose body it read, in order.
    final class Receiver: Sendable {
        let mode = Mutex(Mode.flaky)
        let arrived = Mutex<[Received]>([])
        let faults = Mutex((unavailable: 0, dropped: 0))
        let count = Mutex(0)

        static func start() async throws -> (Receiver, ScriptedHTTPServer) {
            let receiver = Receiver()
            let server = try await ScriptedHTTPServer.start { request, response in
                let n = receiver.count.withLock { $0 += 1; return $0 }
                let mode = receiver.mode.withLock { $0 }
                if mode == .down || n % 3 == 2 {
                    if mode == .down {
                        receiver.faults.withLock { $0.dropped += 1 }
                        await response.drop()
                    } else {
                        receiver.faults.withLock { $0.unavailable += 1 }
                        try await response.respond(status: 503, body: "try later")
                    }
                    return
                }
                guard case .object(let event)? = try? JSON.parse(request.body),
                      case .string(let id)? = event["id"], case .string(let type)? = event["type"], case .string(let subject)? = event["subject"],
                      case .object(let data)? = event["data"], case .number(let seq)? = data["seq"] else {
                    try await response.respond(status: 400, body: "not a CloudEvent")
                    return
                }
                receiver.arrived.withLock {
                    $0.append(Received(id: id, type: type, subject: subject, seq: seq.int ?? 0, body: request.bodyText, contentType: request.header("Content-Type") ?? ""))
                }
                if n % 3 == 1 {
                    receiver.faults.withLock { $0.dropped += 1 }
                    await response.drop()
                } else {
                    try await response.respond(status: 202, body: "")
                }
            }
            return (receiver, server)
        }

        func events(of subject: String) -> [Received] { arrived.withLock { $0.filter { $0.subject == subject } } }
    }

    static func job(_ name: String, command: String, arraySize: Int = 1, attempts: Int = 1, queue: String? = nil) -> String {
        """
        apiVersion: slipway.dev/v1alpha1
        kind: BatchJob
        metadata: {name: \(name)}
        spec:
          \(queue.map { "queue: \($0)" } ?? "")
          arraySize: \(arraySize)
          retryStrategy: {attempts: \(attempts), backoff: {initialSeconds: 1, factor: 1, maxSeconds: 1}}
          template:
            spec:
              containers: [{name: main, image: busybox, command: ["sh", "-c", "\(command)"]}]
        """
    }

    /// The job's persisted transitions: (seq, CloudEvents type).
    static func transitions(_ kubectl: Kubectl, _ name: String, kind: String = "batchjob") async throws -> [(seq: Int, type: String)] {
        let out = try await kubectl.require(["get", kind, name, "-o", #"jsonpath={range .status.transitions[*]}{.seq} {.type} {.phase} {.outcome}{"\n"}{end}"#]).out
        return out.split(separator: "\n").map { line in
            let f = line.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
            let type = f[1] == "AttemptEnded" ? "dev.slipway.job.attempt.\(f[3].lowercased())" : "dev.slipway.job.\(f[2].lowercased())"
            return (Int(f[0]) ?? 0, type)
        }
    }

    @Test func everyTransitionArrivesInOrderThroughFaultsOutagesAndARestart() async throws {
        let (receiver, server) = try await Receiver.start()
        defer { Task { await server.shutdown() } }
        try await withDevCluster { cluster, kubectl in
            let flags = ["--kubeconfig", cluster.kubeconfigPath.path, "--metrics-port", "0", "--health-port", "0", "--bind-address", "127.0.0.1",
                         "--install-crds", "--event-sink", server.url.absoluteString]
            let first = try OperatorProcess(flags, environment: ["POD_NAME": "operator-a"])
            defer { first.stop() }
            _ = try await first.waitUntilReady()

            // 1. A job runs while the sink is flaky: its events arrive.
            try await kubectl.require(["apply", "-f", "-"], input: Self.job("early", command: "echo early"))
            let early = try await eventually(timeout: .seconds(60)) {
                receiver.events(of: "BatchJob/default/early").contains { $0.type == "dev.slipway.job.succeeded" }
            }
            #expect(early, "arrived: \(receiver.arrived.withLock { $0.map(\.type) })\noperator:\n\(first.stderr.suffix(3000))")
            // Once all its transitions went out, the finished job says so in its status.
            let earlyLast = try await Self.transitions(kubectl, "early").last?.seq ?? 0
            let earlyAcknowledged = try await eventually(timeout: .seconds(30)) {
                try await kubectl.require(["get", "batchjob", "early", "-o", "jsonpath={.status.transitionsDelivered}"]).out == "\(earlyLast)"
            }
            #expect(earlyAcknowledged && earlyLast > 0)

            // 2. The sink goes down: jobs still run to their end (reconciling never waits for it).
            receiver.mode.withLock { $0 = .down }
            let jobs = [
                Self.job("array", command: "sleep 1", arraySize: 3),
                Self.job("flaky-app", command: "exit 3", attempts: 2),
                // A queue of one: the second job waits Queued (a phase the queue controller writes).
                "apiVersion: slipway.dev/v1alpha1\nkind: JobQueue\nmetadata: {name: one}\nspec:\n  limits: {jobs: 1}",
                Self.job("queued-1", command: "sleep 2", queue: "one"),
                Self.job("queued-2", command: "sleep 1", queue: "one"),
                try String(contentsOf: OperatorProcessTests.examples.appendingPathComponent("oom-adapt.yaml"), encoding: .utf8),
            ].joined(separator: "\n---\n")
            try await kubectl.require(["apply", "-f", "-"], input: jobs)
            try await kubectl.require(["apply", "-f", OperatorProcessTests.examples.appendingPathComponent("spark-pi.yaml").path])
            var r = try await kubectl.run(
                ["wait", "--for=condition=Succeeded", "batchjob/array", "batchjob/oom-adapt", "sparkjob/spark-pi", "batchjob/queued-1", "batchjob/queued-2",
                 "--timeout=120s"], timeout: .seconds(130))
            #expect(r.status == 0, "\(r)\noperator:\n\(first.stderr.suffix(3000))")
            r = try await kubectl.run(["wait", "--for=condition=Failed", "batchjob/flaky-app", "--timeout=60s"], timeout: .seconds(70))
            #expect(r.status == 0, "\(r)")
            #expect(receiver.events(of: "BatchJob/default/array").isEmpty, "nothing got through while the sink was down")

            // 3. The operator restarts while the sink is still down; then the sink comes back.
            first.terminate()
            #expect(try await first.waitForExit(timeout: .seconds(30)) == 0, "a pending delivery does not hold up the shutdown: \(first.stderr.suffix(3000))")
            let earlyBeforeRestart = receiver.events(of: "BatchJob/default/early").count
            let second = try OperatorProcess(flags, environment: ["POD_NAME": "operator-b"])
            defer { second.stop() }
            _ = try await second.waitUntilReady()
            receiver.mode.withLock { $0 = .flaky }

            // Every persisted transition of every job arrives, in order per job.
            let names = ["early", "array", "flaky-app", "oom-adapt", "spark-pi", "queued-1", "queued-2"]
            let subject = { (name: String) in name == "spark-pi" ? "SparkJob/default/spark-pi" : "BatchJob/default/\(name)" }
            var expected: [String: [(seq: Int, type: String)]] = [:]
            for name in names { expected[name] = try await Self.transitions(kubectl, name, kind: name == "spark-pi" ? "sparkjob" : "batchjob") }
            let complete = try await eventually(timeout: .seconds(90)) {
                names.allSatisfy { name in Set(receiver.events(of: subject(name)).map(\.seq)) == Set(expected[name]!.map(\.seq)) }
            }
            #expect(complete, "missing: \(names.map { ($0, Set(expected[$0]!.map(\.seq)).subtracting(receiver.events(of: subject($0)).map(\.seq))) })\noperator:\n\(second.stderr.suffix(3000))")
            let uids = try await kubectl.require(["get", "batchjobs,sparkjobs", "-o", #"jsonpath={range .items[*]}{.metadata.name}={.metadata.uid}{"\n"}{end}"#]).out
            let uid = Dictionary(uniqueKeysWithValues: uids.split(separator: "\n").map { line in
                let parts = line.split(separator: "=").map(String.init)
                return (parts[0], parts[1])
            })
            for name in names {
                let got = receiver.events(of: subject(name))
                var firstArrivals: [Received] = []
                for event in got where !firstArrivals.contains(where: { $0.id == event.id }) { firstArrivals.append(event) }
                #expect(firstArrivals.map(\.seq) == expected[name]!.map(\.seq), "\(name): in order, from 1, without gaps")
                #expect(firstArrivals.map(\.type) == expected[name]!.map(\.type), "\(name)")
                #expect(firstArrivals.map(\.id) == expected[name]!.map { "\(uid[name] ?? "?").\($0.seq)" }, "\(name): ids are <uid>.<seq>")
                // A duplicate is the same event: same id, same body.
                for event in got { #expect(event.body == firstArrivals.first { $0.id == event.id }?.body, "\(event.id)") }
                #expect(got.allSatisfy { $0.contentType.hasPrefix("application/cloudevents+json") })
            }
            // A phase shown only within the status batch window is folded into the next write
            // and not announced (docs/events.md): Pending and Running may or may not appear.
            let earlyTypes = expected["early"]!.map(\.type)
            #expect(earlyTypes.suffix(2) == ["dev.slipway.job.attempt.succeeded", "dev.slipway.job.succeeded"], "\(expected["early"]!)")
            let foldable: Set<String> = ["dev.slipway.job.pending", "dev.slipway.job.running"]
            #expect(Set(earlyTypes.dropLast(2)).isSubset(of: foldable), "\(expected["early"]!)")
            #expect(expected["oom-adapt"]!.map(\.type).contains("dev.slipway.job.attempt.retried"))
            #expect(expected["flaky-app"]!.map(\.type).suffix(2) == ["dev.slipway.job.attempt.failed", "dev.slipway.job.failed"], "\(expected["flaky-app"]!)")
            #expect(expected["array"]!.filter { $0.type == "dev.slipway.job.attempt.succeeded" }.count == 3)
            #expect(["queued-1", "queued-2"].contains { expected[$0]!.map(\.type).contains("dev.slipway.job.queued") }, "\(expected["queued-2"]!)")
            let sparkPhases = ["dev.slipway.job.pending", "dev.slipway.job.submitted", "dev.slipway.job.running"]
            #expect(expected["spark-pi"]!.contains { sparkPhases.contains($0.type) } && expected["spark-pi"]!.last?.type == "dev.slipway.job.succeeded",
                    "\(expected["spark-pi"]!)")
            // Dropped answers made duplicates: the same event again, marked by its id.
            let all = receiver.arrived.withLock { $0 }
            #expect(all.count > Set(all.map(\.id)).count, "some events arrived twice")
            // The restarted operator did not send early's events again: its status said they went out.
            #expect(receiver.events(of: "BatchJob/default/early").count == earlyBeforeRestart)
            let acknowledged = try await eventually(timeout: .seconds(30)) {
                let out = try await kubectl.require(["get", "batchjobs,sparkjobs", "-o", #"jsonpath={range .items[*]}{.metadata.name}={.status.transitionsDelivered}{"\n"}{end}"#]).out
                return names.allSatisfy { name in out.contains("\(name)=\(expected[name]!.last!.seq)\n") }
            }
            #expect(acknowledged, "every finished job has status.transitionsDelivered = its last seq")
            let faults = receiver.faults.withLock { $0 }
            #expect(faults.unavailable > 0 && faults.dropped > 0, "\(faults)")
            let samples = Sample.parse(try await httpGet(try await second.url("metrics")).body)
            #expect(samples.sum("slipway_event_delivery_failures_total") > 0 && samples.sum("slipway_events_delivered_total") > 0)
            #expect(samples.sum("slipway_events_lost_total") == 0)

            second.terminate()
            #expect(try await second.waitForExit(timeout: .seconds(30)) == 0, "\(second.stderr.suffix(3000))")
        }
    }
}
