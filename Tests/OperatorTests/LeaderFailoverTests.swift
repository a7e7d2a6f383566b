import Foundation
import KubeTesting
import LocalCluster
import SlipwayDevTesting
import Synchronization
import Testing

/// Two `slipway operator` replicas with leader election against `slipway dev`; the leader is
/// killed with SIGKILL half-way through 200 jobs. The standby must take over once the Lease
/// has expired (never before: two leaders would race), and the end state must be as if
/// nothing had happened: every job succeeded, one pod per index attempt, each created once,
/// no attempt lost or added.
@Suite("leader failover under load", .serialized)
struct LeaderFailoverTests {
    static let jobs = 200
    /// Every tenth job fails its first attempt (exit 3, an application error) and succeeds on
    /// its second, so the takeover also meets retries in flight.
    static func retries(_ i: Int) -> Bool { i % 10 == 0 }

    static func manifest() -> String {
        (0..<jobs).map { i in
            let command = retries(i) ? #"[ \"$SLIPWAY_ATTEMPT\" -ge 1 ] || exit 3"# : "true"
            return OperatorProcessTests.job("job-\(i)", command: command, attempts: 3)
        }.joined(separator: "\n---\n")
    }

    /// The pods each job must end with: `<job>-<index>-<attempt>`.
    static var expectedPods: [String] {
        (0..<jobs).flatMap { i in retries(i) ? ["job-\(i)-0-0", "job-\(i)-0-1"] : ["job-\(i)-0-0"] }.sorted()
    }

    static func lines(_ text: String) -> [String] { text.split(separator: "\n").map(String.init) }

    static func microTime(_ text: String) -> Date? {
        let format = ISO8601DateFormatter()
        format.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return format.date(from: text) ?? ISO8601DateFormatter().date(from: text)
    }

    @Test func theStandbyTakesOverAfterTheLeaseAndNothingIsLostOrDoubled() async throws {
        let podWrites = Mutex<[(method: String, name: String, status: Int?)]>([])
        try await withDevCluster(configure: { configuration in
            configuration.audit = { record in
                // Only the operators create and delete pods in this test.
                if record.method == "DELETE", record.path.contains("/pods/") {
                    podWrites.withLock { $0.append(("DELETE", String(record.path.split(separator: "/").last ?? ""), record.status)) }
                }
                guard record.method == "POST", record.path.hasSuffix("/pods"), let body = record.body,
                      let object = try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any],
                      let name = (object["metadata"] as? [String: Any])?["name"] as? String else { return }
                podWrites.withLock { $0.append(("POST", name, record.status)) }
            }
        }) { cluster, kubectl in
            let flags = OperatorProcessTests.flags(cluster.kubeconfigPath) + ["--leader-elect", "--lease-namespace", "default", "--workers", "8"]
            let leader = try OperatorProcess(flags, environment: ["POD_NAME": "operator-a"])
            defer { leader.stop() }
            let leading = try await leader.waitUntilReady()
            #expect(leading.status == 200, "\(leading)")
            var r = try await kubectl.require(["get", "lease", "slipway-operator", "-n", "default", "-o", "jsonpath={.spec.holderIdentity}"])
            #expect(r.out == "operator-a")
            let standby = try OperatorProcess(flags, environment: ["POD_NAME": "operator-b"])
            defer { standby.stop() }
            let standing = try await standby.waitUntilReady()
            #expect(standing.body.contains("standing by; the leader is operator-a"), "\(standing)")

            r = try await kubectl.run(["apply", "-f", "-"], input: Self.manifest(), timeout: .seconds(180))
            #expect(r.status == 0, "\(r)")

            // Half-way: a good share of the pods exist and not every job is done.
            let midway = try await eventually(timeout: .seconds(300), interval: .milliseconds(200)) {
                r = try await kubectl.require(["get", "pods", "-l", "slipway.dev/job-name", "-o", "name"])
                return Self.lines(r.out).count >= Self.jobs / 2
            }
            #expect(midway, "\(r)")
            leader.stop()  // SIGKILL: no lease release, no cleanup
            let killed = ContinuousClock.now
            r = try await kubectl.require(["get", "lease", "slipway-operator", "-n", "default", "-o", "jsonpath={.spec.renewTime} {.spec.leaseDurationSeconds}"])
            let parts = r.out.split(separator: " ").map(String.init)
            let lastRenew = parts.first.flatMap(Self.microTime)
            let leaseDuration = parts.count > 1 ? Double(parts[1]) : nil
            #expect(lastRenew != nil && leaseDuration != nil, "\(r)")
            r = try await kubectl.require(["get", "batchjobs", "-o", #"jsonpath={range .items[*]}{.status.phase}{"\n"}{end}"#])
            #expect(Self.lines(r.out).filter { $0 == "Succeeded" }.count < Self.jobs, "killed mid-way: \(r)")

            // The standby leads once the Lease expires — not before.
            var holder = ""
            let tookOver = try await eventually(timeout: .seconds(120), interval: .milliseconds(100)) {
                holder = try await kubectl.require(["get", "lease", "slipway-operator", "-n", "default", "-o", "jsonpath={.spec.holderIdentity}"]).out
                return holder == "operator-b"
            }
            #expect(tookOver, "holder \(holder); standby:\n\(standby.stderr.suffix(3000))")
            let takeover = ContinuousClock.now - killed
            r = try await kubectl.require(["get", "lease", "slipway-operator", "-n", "default", "-o", "jsonpath={.spec.acquireTime}"])
            if let acquired = Self.microTime(r.out), let lastRenew, let leaseDuration {
                // One second of slack for the Lease's timestamps, which are the two replicas' clocks read at different moments.
                #expect(acquired.timeIntervalSince(lastRenew) >= leaseDuration - 1, "acquired \(r.out), last renewed by the dead leader \(lastRenew)")
            } else {
                Issue.record("no acquireTime: \(r)")
            }
            print("leader failover: the standby took over \(takeover) after the SIGKILL (lease duration \(leaseDuration ?? 0) s)")

            r = try await kubectl.run(["wait", "--for=condition=Succeeded", "batchjobs", "--all", "--timeout=600s"], timeout: .seconds(620))
            #expect(r.status == 0, "\(r)\nstandby:\n\(standby.stderr.suffix(3000))")

            // One pod per index attempt, each created exactly once, no attempt lost or added.
            r = try await kubectl.require(["get", "pods", "-l", "slipway.dev/job-name", "-o", #"jsonpath={range .items[*]}{.metadata.name}{"\n"}{end}"#])
            #expect(Self.lines(r.out).sorted() == Self.expectedPods, "pods: \(Self.lines(r.out).count), expected \(Self.expectedPods.count)")
            let writes = podWrites.withLock { $0 }
            let created = writes.filter { $0.method == "POST" && $0.status == 201 }.map(\.name)
            #expect(Set(created).count == created.count, "a pod name created twice: \(created.count) creates of \(Set(created).count) names")
            #expect(Set(created).isSubset(of: Self.expectedPods), "\(Set(created).subtracting(Self.expectedPods).sorted().prefix(10))")
            #expect(writes.filter { $0.method == "DELETE" }.isEmpty, "no pod was deleted (and made again): \(writes.filter { $0.method == "DELETE" }.prefix(10))")
            // A create answered otherwise is a 409 (the pod exists) or the dead leader's
            // request in flight at the kill, which the server carried out (the pod exists,
            // checked above) but could not answer.
            let unanswered = writes.filter { $0.method == "POST" && $0.status != 201 }
            print("leader failover: \(created.count) pod creates, \(unanswered.count) answered otherwise: \(unanswered.prefix(5).map { "\($0.name) \($0.status.map(String.init) ?? "none")" })")
            #expect(unanswered.allSatisfy { $0.status == 409 || !created.contains($0.name) }, "\(unanswered.prefix(10))")
            r = try await kubectl.require(["get", "batchjobs", "-o", #"jsonpath={range .items[*]}{.metadata.name} {.status.attempts} {.status.succeeded}{"\n"}{end}"#])
            let expected = (0..<Self.jobs).map { "job-\($0) \(Self.retries($0) ? 2 : 1) 1" }.sorted()
            let actual = Self.lines(r.out).sorted()
            #expect(actual == expected, "\(Set(actual).symmetricDifference(expected).sorted().prefix(10))")

            standby.terminate()
            #expect(try await standby.waitForExit(timeout: .seconds(30)) == 0, "\(standby.stderr.suffix(3000))")
        }
    }
}
