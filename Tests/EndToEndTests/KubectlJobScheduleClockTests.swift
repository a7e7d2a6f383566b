import Foundation
import KubeClient
import KubeTesting
import LocalCluster
import Logging
import SlipwayControllers
import SlipwayDevTesting
import Testing

/// JobSchedule rules that take minutes of real time, with the operator's clock moved
/// forward (``OffsetClock``) against a real `slipway dev` and the real kubectl: catching up
/// after downtime, Forbid and Replace.
@Suite("kubectl: JobSchedule with a moved operator clock", .serialized)
struct KubectlJobScheduleClockTests {
    static func schedule(_ name: String, extra: String, seconds: Int) -> String {
        """
        apiVersion: slipway.dev/v1alpha1
        kind: JobSchedule
        metadata: {name: \(name)}
        spec:
          schedule: "* * * * *"
        \(extra)
          jobTemplate:
            spec:
              parameters: {slot: "$(schedule.slot)"}
              template:
                spec:
                  containers: [{name: main, image: busybox, command: ["sh", "-c", "echo $(params.slot); sleep \(seconds)"]}]
        """
    }

    /// An operator running the controllers with `clock`, until `stop()`.
    struct Operator {
        let task: Task<Void, Never>
        let client: KubernetesClient

        static func start(_ cluster: DevCluster, clock: OffsetClock) async throws -> Operator {
            let client = KubernetesClient(configuration: cluster.clientConfiguration(userAgent: "slipway-operator"))
            try await CRDInstaller.install(client: client)
            let configuration = OperatorConfiguration(sparkMaster: "k8s://" + (cluster.server.url?.absoluteString ?? ""))
            let task = Task {
                await OperatorRunner.runControllers(client: client, configuration: configuration, logger: Logger(label: "slipway.operator"), clock: clock)
            }
            return Operator(task: task, client: client)
        }

        func stop() async {
            task.cancel()
            await task.value
            try? await client.shutdown()
        }
    }

    /// The first slot after the schedule's creation.
    static func firstSlot(_ kubectl: Kubectl, _ name: String) async throws -> Date {
        let created = try await kubectl.require(["get", "jobschedule", name, "-o", "jsonpath={.metadata.creationTimestamp}"]).out
        let date = try #require(ISO8601DateFormatter().date(from: created))
        return Date(timeIntervalSince1970: (date.timeIntervalSince1970 / 60).rounded(.down) * 60 + 60)
    }

    static func slotName(_ name: String, _ time: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMddHHmm"
        return "\(name)-\(formatter.string(from: time))"
    }

    static func runs(_ kubectl: Kubectl, _ name: String) async throws -> [String] {
        try await kubectl.require(["get", "batchjobs", "-l", "slipway.dev/schedule=\(name)", "-o", "jsonpath={.items[*].metadata.name}"]).out
            .split(separator: " ").map(String.init).sorted()
    }

    /// Wakes the controller after the clock moved (a label change is a watch event).
    static func touch(_ kubectl: Kubectl, _ name: String, _ value: Int) async throws {
        try await kubectl.require(["label", "jobschedule", name, "touched=\(value)", "--overwrite"])
    }

    /// Stopped for three slots, the operator creates the newest `catchUp` (2) runs, each
    /// once; a second restart creates nothing more.
    @Test func anOperatorStoppedForThreeSlotsCatchesUpTheBoundedNumber() async throws {
        try await withDevCluster { cluster, kubectl in
            // The CRDs, without an operator yet: it is "down" while the slots pass.
            let installer = KubernetesClient(configuration: cluster.clientConfiguration())
            try await CRDInstaller.install(client: installer)
            try await installer.shutdown()
            try await kubectl.require(["apply", "-f", "-"], input: Self.schedule("catchup", extra: "  catchUp: 2", seconds: 0))
            let first = try await Self.firstSlot(kubectl, "catchup")
            let clock = OffsetClock()
            clock.set(now: first.addingTimeInterval(2 * 60 + 20))
            var running = try await Operator.start(cluster, clock: clock)
            do {
                let expected = [Self.slotName("catchup", first.addingTimeInterval(60)), Self.slotName("catchup", first.addingTimeInterval(120))]
                #expect(try await eventually(timeout: .seconds(20)) { try await Self.runs(kubectl, "catchup") == expected })
                let missed = try await kubectl.require(["get", "jobschedule", "catchup", "-o", "jsonpath={.status.missedRuns}"]).out
                #expect(missed == "1", "\(missed)")
                await running.stop()
                // Restarted at the same point of the schedule: the clock runs on in real time,
                // and on a loaded machine the steps above can take the 40 s until the next
                // slot falls due (CI saw its run created, rightly, then read as created again).
                clock.set(now: first.addingTimeInterval(2 * 60 + 20))
                running = try await Operator.start(cluster, clock: clock)
                try await Self.touch(kubectl, "catchup", 1)
                try await Task.sleep(for: .seconds(2))
                let after = try await Self.runs(kubectl, "catchup")
                #expect(after == expected, "a restart created a run again: \(after)")
            } catch {
                await running.stop()
                throw error
            }
            await running.stop()
        }
    }

    /// The status write that decides a slot succeeds, the run's create does not (the API
    /// server refuses the template), and the operator restarts: once the template is fixed the
    /// slot's run is created from its `Creating` record, under its slot name, exactly once.
    @Test func aRunWhoseCreateFailedAfterTheStatusWriteIsCreatedOnceAfterARestart() async throws {
        try await withDevCluster { cluster, kubectl in
            let clock = OffsetClock()
            var running = try await Operator.start(cluster, clock: clock)
            do {
                let invalid = Self.schedule("lost", extra: "", seconds: 0).replacingOccurrences(of: "      parameters:", with: "      arraySize: 0\n      parameters:")
                try await kubectl.require(["apply", "-f", "-"], input: invalid)
                let first = try await Self.firstSlot(kubectl, "lost")
                clock.set(now: first.addingTimeInterval(2))
                try await Self.touch(kubectl, "lost", 1)
                let name = Self.slotName("lost", first)
                #expect(try await eventually(timeout: .seconds(20)) {
                    try await kubectl.run(["get", "jobschedule", "lost", "-o", "jsonpath={.status.recentRuns[0].name}={.status.recentRuns[0].state}"]).out == "\(name)=Creating"
                })
                #expect(try await eventually(timeout: .seconds(20)) {
                    try await !kubectl.run(["get", "events", "--field-selector", "involvedObject.name=lost,reason=RunInvalid", "-o", "name"]).out.isEmpty
                })
                #expect(try await Self.runs(kubectl, "lost").isEmpty)
                await running.stop()
                try await kubectl.require(["patch", "jobschedule", "lost", "--type=json", "-p", #"[{"op":"replace","path":"/spec/jobTemplate/spec/arraySize","value":1}]"#])
                running = try await Operator.start(cluster, clock: clock)
                #expect(try await eventually(timeout: .seconds(20)) { try await Self.runs(kubectl, "lost") == [name] })
                try await kubectl.require(["wait", "--for=condition=Succeeded", "batchjob/\(name)", "--timeout=30s"], timeout: .seconds(40))
                let records = try await kubectl.require(["get", "jobschedule", "lost", "-o", "jsonpath={.status.recentRuns[*].name}"]).out
                #expect(records == name, "\(records)")
            } catch {
                await running.stop()
                throw error
            }
            await running.stop()
        }
    }

    /// Forbid: no run while one is active; the slot that came due meanwhile is skipped (it
    /// does not run when the active one ends), the next slot runs.
    /// Replace: the active run is deleted and the new slot's run created.
    @Test(arguments: ["Forbid", "Replace"])
    func concurrencyPolicies(policy: String) async throws {
        try await withDevCluster { cluster, kubectl in
            let name = policy.lowercased()
            let clock = OffsetClock()
            var running = try await Operator.start(cluster, clock: clock)
            do {
                try await kubectl.require(["apply", "-f", "-"], input: Self.schedule(name, extra: "  concurrencyPolicy: \(policy)", seconds: 12))
                let first = try await Self.firstSlot(kubectl, name)
                clock.set(now: first.addingTimeInterval(2))
                try await Self.touch(kubectl, name, 1)
                let one = Self.slotName(name, first), two = Self.slotName(name, first.addingTimeInterval(60))
                #expect(try await eventually(timeout: .seconds(20)) { try await Self.runs(kubectl, name) == [one] })
                try await kubectl.require(["wait", "--for=jsonpath={.status.phase}=Running", "batchjob/\(one)", "--timeout=20s"], timeout: .seconds(30))
                clock.set(now: first.addingTimeInterval(62))
                try await Self.touch(kubectl, name, 2)
                if policy == "Forbid" {
                    try await Task.sleep(for: .seconds(2))
                    #expect(try await Self.runs(kubectl, name) == [one], "Forbid created a run while one was active")
                    let events = try await kubectl.require(["get", "events", "--field-selector", "involvedObject.name=\(name),reason=ConcurrencyForbid", "-o", "name"]).out
                    #expect(!events.isEmpty)
                    // When the active run ends, the skipped slot does not run late.
                    try await kubectl.require(["wait", "--for=condition=Succeeded", "batchjob/\(one)", "--timeout=40s"], timeout: .seconds(50))
                    try await Self.touch(kubectl, name, 3)
                    try await Task.sleep(for: .seconds(2))
                    #expect(try await Self.runs(kubectl, name) == [one], "the skipped slot ran late")
                    let missed = try await kubectl.require(["get", "jobschedule", name, "-o", "jsonpath={.status.missedRuns}"]).out
                    #expect(missed == "1", "\(missed)")
                    // The next slot runs.
                    let three = Self.slotName(name, first.addingTimeInterval(120))
                    clock.set(now: first.addingTimeInterval(122))
                    try await Self.touch(kubectl, name, 4)
                    #expect(try await eventually(timeout: .seconds(20)) { try await Self.runs(kubectl, name) == [one, three] })
                } else {
                    #expect(try await eventually(timeout: .seconds(30)) { try await Self.runs(kubectl, name) == [two] }, "Replace did not replace")
                }
            } catch {
                await running.stop()
                throw error
            }
            await running.stop()
        }
    }
}
