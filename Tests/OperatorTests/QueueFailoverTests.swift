import Foundation
import KubeTesting
import LocalCluster
import SlipwayDevTesting
import Synchronization
import Testing

/// A JobQueue across a leader failover (docs/queues.md "Never overcommit, even across
/// crashes"): two `slipway operator` replicas with leader election; the leader is killed with
/// SIGKILL while most of a queue's jobs still wait. The standby derives usage again from the
/// admissions recorded on the jobs and goes on; at no sampled moment are more jobs admitted
/// or running than the queue allows, every job runs once, and admission stays in priority
/// order.
@Suite("leader failover with a JobQueue", .serialized)
struct QueueFailoverTests {
    static let jobs = 18
    static let limit = 3

    static func manifest() -> String {
        let queue = """
            apiVersion: slipway.dev/v1alpha1
            kind: JobQueue
            metadata: {name: shared}
            spec:
              limits: {jobs: \(limit)}
            """
        let jobs = (0..<Self.jobs).map { i in
            """
            apiVersion: slipway.dev/v1alpha1
            kind: BatchJob
            metadata: {name: q\(i)}
            spec:
              queue: shared
              priority: \(Self.jobs - i)
              template:
                spec:
                  containers: [{name: main, image: busybox, command: ["sh", "-c", "sleep 2"]}]
            """
        }
        return ([queue] + jobs).joined(separator: "\n---\n")
    }

    static func lines(_ text: String) -> [String] { text.split(separator: "\n").map(String.init) }

    @Test func theStandbyGoesOnAdmittingWithoutOvercommitting() async throws {
        let created = Mutex<[String]>([])
        try await withDevCluster(configure: { configuration in
            configuration.audit = { record in
                guard record.method == "POST", record.path.hasSuffix("/pods"), record.status == 201, let body = record.body,
                      let object = try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any],
                      let name = (object["metadata"] as? [String: Any])?["name"] as? String else { return }
                created.withLock { $0.append(name) }
            }
        }) { cluster, kubectl in
            let flags = OperatorProcessTests.flags(cluster.kubeconfigPath) + ["--leader-elect", "--lease-namespace", "default"]
            let leader = try OperatorProcess(flags, environment: ["POD_NAME": "operator-a"])
            defer { leader.stop() }
            _ = try await leader.waitUntilReady()
            let standby = try OperatorProcess(flags, environment: ["POD_NAME": "operator-b"])
            defer { standby.stop() }
            let standing = try await standby.waitUntilReady()
            #expect(standing.body.contains("standing by; the leader is operator-a"), "\(standing)")

            let sampler = QueueSampler(cluster)
            var r = try await kubectl.run(["apply", "-f", "-"], input: Self.manifest(), timeout: .seconds(60))
            #expect(r.status == 0, "\(r)")
            // Killed once a few jobs are done and most still wait.
            let started = try await eventually(timeout: .seconds(120), interval: .milliseconds(100)) {
                r = try await kubectl.require(["get", "batchjobs", "-o", #"jsonpath={range .items[*]}{.status.phase}:{.status.admission.queue}{"\n"}{end}"#])
                return Self.lines(r.out).filter { $0.hasPrefix("Succeeded:") }.count >= Self.limit
            }
            #expect(started, "\(r)")
            leader.stop()  // SIGKILL: no lease release, no cleanup
            let killed = ContinuousClock.now
            let waiting = Self.lines(r.out).filter { $0.hasSuffix(":") }.count
            #expect(waiting >= Self.jobs / 2, "killed while most jobs were not admitted yet: \(r.out)")

            var holder = ""
            let tookOver = try await eventually(timeout: .seconds(120), interval: .milliseconds(100)) {
                holder = try await kubectl.require(["get", "lease", "slipway-operator", "-n", "default", "-o", "jsonpath={.spec.holderIdentity}"]).out
                return holder == "operator-b"
            }
            #expect(tookOver, "holder \(holder); standby:\n\(standby.stderr.suffix(3000))")
            print("queue failover: the leader was killed with \(waiting) of \(Self.jobs) jobs not admitted; the standby took over \(ContinuousClock.now - killed) later")
            r = try await kubectl.run(["wait", "--for=condition=Succeeded", "batchjobs", "--all", "--timeout=240s"], timeout: .seconds(250))
            #expect(r.status == 0, "\(r)\nstandby:\n\(standby.stderr.suffix(3000))")
            await sampler.stop()

            let most = sampler.most
            #expect(most.jobs == Self.limit, "never more than \(Self.limit) jobs ran at once, and that many did: \(most)")
            #expect(most.admitted <= Self.limit, "never more than \(Self.limit) admitted and unfinished: \(most)")
            #expect(sampler.phases.values.filter { $0.contains("Queued") }.count >= Self.jobs / 2, "\(sampler.phases)")
            // Every job ran once: one pod each, created once.
            let pods = created.withLock { $0 }
            #expect(pods.sorted() == (0..<Self.jobs).map { "q\($0)-0-0" }.sorted(), "\(pods.sorted())")
            // Admission in priority order across the takeover: the times the queue decided
            // (whole seconds) never go back as the priority falls.
            r = try await kubectl.require(["get", "batchjobs", "-o", #"jsonpath={range .items[*]}{.spec.priority} {.status.admission.time} {.status.attempts}{"\n"}{end}"#])
            let rows = Self.lines(r.out).map { $0.split(separator: " ").map(String.init) }
            #expect(rows.count == Self.jobs && rows.allSatisfy { $0.count == 3 && $0[2] == "1" }, "\(r.out)")
            let times = rows.filter { $0.count == 3 }.sorted { Int($0[0]) ?? 0 > Int($1[0]) ?? 0 }.map { ISO8601DateFormatter().date(from: $0[1]) ?? .distantPast }
            #expect(!times.contains(.distantPast), "\(r.out)")
            for i in times.indices.dropFirst() {
                #expect(times[i] >= times[i - 1], "admitted in priority order: \(r.out)")
            }
            standby.terminate()
            #expect(try await standby.waitForExit(timeout: .seconds(30)) == 0, "\(standby.stderr.suffix(3000))")
        }
    }
}
