import Foundation
import KubeAPI
import SlipwayAPI
import SlipwayCore
import Testing

/// One row of the classification table.
struct ClassifyCase: Sendable, CustomTestStringConvertible {
    enum Expected: Sendable, Equatable { case notYet, succeeded, failed(FailureClass) }

    var name: String
    var pod: Pod
    var events: [PodWarning] = []
    var nodeGone = false
    var deadlinePassed = false
    /// Seconds since the pod was created.
    var age = 60
    var startTimeout: Int? = 300
    /// nil: the start timeout.
    var unschedulableTimeout: Int?
    var expected: Expected
    var exitCode: Int?
    var reason: String?
    var message: String?
    var evidence: String?

    var testDescription: String { name }
}

private typealias F = PodFixtures

private let pythonTraceback = """
    Traceback (most recent call last):
      File "/app/etl.py", line 41, in <module>
        main()
      File "/app/etl.py", line 37, in main
        rows = parse(path)
      File "/app/etl.py", line 22, in parse
        raise ValueError(f"bad row {n}: {line!r}")
    ValueError: bad row 17: 'a,b'
    """

private let javaOOM = """
    25/01/15 10:02:59 INFO DAGScheduler: Job 0 failed
    Exception in thread "main" java.lang.OutOfMemoryError: Java heap space
    \tat java.base/java.util.Arrays.copyOf(Arrays.java:3537)
    \tat com.example.Etl.main(Etl.java:42)
    """

let classificationCases: [ClassifyCase] = [
    ClassifyCase(name: "OOMKilled", pod: F.pod(phase: "Failed", state: F.terminated(137, reason: "OOMKilled")),
                 expected: .failed(.outOfMemory), exitCode: 137, reason: "OOMKilled",
                 evidence: "container main terminated OOMKilled (exit 137)"),
    ClassifyCase(name: "exit 137 with a memory limit", pod: F.pod(phase: "Failed", state: F.terminated(137, reason: "Error")),
                 expected: .failed(.outOfMemory), exitCode: 137, reason: "Error",
                 evidence: "container main terminated Error (exit 137) with a memory limit"),
    ClassifyCase(name: "the node lost the container (ContainerStatusUnknown, exit 137 with a memory limit)",
                 pod: F.pod(phase: "Failed", state: F.terminated(137, reason: "ContainerStatusUnknown", message: "The container could not be located when the node restarted")),
                 expected: .failed(.interrupted), exitCode: 137, reason: "ContainerStatusUnknown",
                 evidence: "container main terminated ContainerStatusUnknown (exit 137): the node lost the container"),
    ClassifyCase(name: "exit 137 without a memory limit", pod: F.pod(phase: "Failed", state: F.terminated(137, reason: "Error"), memoryLimit: nil),
                 expected: .failed(.appError), exitCode: 137, reason: "Error"),
    ClassifyCase(name: "Spark executor exit 52", pod: F.pod(phase: "Failed", state: F.terminated(52, reason: "Error")),
                 expected: .failed(.outOfMemory), exitCode: 52, evidence: "Spark's out-of-memory exit code"),
    ClassifyCase(name: "OutOfMemoryError in the termination message",
                 pod: F.pod(phase: "Failed", state: F.terminated(1, reason: "Error", message: javaOOM)),
                 expected: .failed(.outOfMemory), exitCode: 1,
                 message: #"Exception in thread "main" java.lang.OutOfMemoryError: Java heap space"#,
                 evidence: "java.lang.OutOfMemoryError in the termination message"),
    ClassifyCase(name: "OOMKilling event", pod: F.pod(phase: "Failed", state: F.terminated(1, reason: "Error"), memoryLimit: nil),
                 events: [PodWarning(reason: "OOMKilling", message: "Memory cgroup out of memory: Killed process 4242 (python3)")],
                 expected: .failed(.outOfMemory), exitCode: 1, evidence: "after OOMKilling: Memory cgroup out of memory"),
    ClassifyCase(name: "DisruptionTarget TerminationByKubelet beats exit 137",
                 pod: F.pod(phase: "Failed", conditions: [F.condition("DisruptionTarget", "True", reason: "TerminationByKubelet",
                                                                       message: "Pod was terminated in response to imminent node shutdown.")],
                            state: F.terminated(137, reason: "Error")),
                 expected: .failed(.interrupted), exitCode: 137, reason: "TerminationByKubelet",
                 evidence: "pod condition DisruptionTarget (TerminationByKubelet)"),
    ClassifyCase(name: "DisruptionTarget PreemptionByScheduler while running",
                 pod: F.pod(phase: "Running", conditions: [F.condition("DisruptionTarget", "True", reason: "PreemptionByScheduler")], state: F.running),
                 expected: .failed(.interrupted), reason: "PreemptionByScheduler",
                 evidence: "pod condition DisruptionTarget (PreemptionByScheduler)"),
    ClassifyCase(name: "DisruptionTarget DeletionByTaintManager",
                 pod: F.pod(phase: "Failed", conditions: [F.condition("DisruptionTarget", "True", reason: "DeletionByTaintManager")],
                            state: F.terminated(143, reason: "Error")),
                 expected: .failed(.interrupted), exitCode: 143, reason: "DeletionByTaintManager"),
    ClassifyCase(name: "DisruptionTarget EvictionByEvictionAPI beats OOMKilled",
                 pod: F.pod(phase: "Failed", conditions: [F.condition("DisruptionTarget", "True", reason: "EvictionByEvictionAPI")],
                            state: F.terminated(137, reason: "OOMKilled")),
                 expected: .failed(.interrupted), exitCode: 137, reason: "EvictionByEvictionAPI"),
    ClassifyCase(name: "Evicted",
                 pod: F.pod(phase: "Failed", reason: "Evicted",
                            message: "The node was low on resource: ephemeral-storage. Threshold quantity: 2Gi, available: 1Gi.",
                            state: F.terminated(137, reason: "ContainerStatusUnknown")),
                 expected: .failed(.interrupted), exitCode: 137, reason: "Evicted",
                 message: "The node was low on resource: ephemeral-storage. Threshold quantity: 2Gi, available: 1Gi.",
                 evidence: "pod Evicted: The node was low on resource"),
    ClassifyCase(name: "NodeShutdown", pod: F.pod(phase: "Failed", reason: "NodeShutdown", state: F.terminated(143, reason: "Error")),
                 expected: .failed(.interrupted), reason: "NodeShutdown"),
    ClassifyCase(name: "node gone", pod: F.pod(phase: "Running", state: F.running), nodeGone: true,
                 expected: .failed(.interrupted), reason: "NodeGone", evidence: "node ip-10-0-1-7 is gone"),
    ClassifyCase(name: "ErrImagePull before the start timeout",
                 pod: F.pod(phase: "Pending", state: F.waiting("ErrImagePull", message: "rpc error: pull access denied")), age: 120,
                 expected: .notYet),
    ClassifyCase(name: "ErrImagePull at the start timeout",
                 pod: F.pod(phase: "Pending", state: F.waiting("ErrImagePull", message: "rpc error: pull access denied")), age: 300,
                 expected: .failed(.startFailure), reason: "ErrImagePull", message: "rpc error: pull access denied",
                 evidence: "image pull failed for 5m: ErrImagePull rpc error: pull access denied"),
    ClassifyCase(name: "ImagePullBackOff after the start timeout",
                 pod: F.pod(phase: "Pending", state: F.waiting("ImagePullBackOff", message: #"Back-off pulling image "ghcr.io/acme/etl:v9""#)),
                 age: 301, expected: .failed(.startFailure), reason: "ImagePullBackOff",
                 message: #"Back-off pulling image "ghcr.io/acme/etl:v9""#,
                 evidence: "image pull failed for 5m1s: ImagePullBackOff Back-off pulling image"),
    ClassifyCase(name: "InvalidImageName at once",
                 pod: F.pod(phase: "Pending", state: F.waiting("InvalidImageName", message: #"Failed to apply default image tag "Python:3""#)),
                 age: 2, expected: .failed(.startFailure), reason: "InvalidImageName", evidence: "image pull failed: InvalidImageName"),
    ClassifyCase(name: "CreateContainerConfigError after the start timeout",
                 pod: F.pod(phase: "Pending", state: F.waiting("CreateContainerConfigError", message: #"secret "db" not found"#)),
                 age: 600, expected: .failed(.startFailure), reason: "CreateContainerConfigError",
                 evidence: #"container main could not be created for 10m: CreateContainerConfigError secret "db" not found"#),
    ClassifyCase(name: "ErrImagePull quotes the kubelet's pull error, not its bare Error: ErrImagePull",
                 pod: F.pod(phase: "Pending", state: F.waiting("ImagePullBackOff", message: #"Back-off pulling image "invalid/x:1.0""#)),
                 events: [PodWarning(reason: "Failed", message: #"Failed to pull image "invalid/x:1.0": rpc error: pull access denied"#),
                          PodWarning(reason: "Failed", message: "Error: ErrImagePull"), PodWarning(reason: "Failed", message: "Error: ImagePullBackOff")],
                 age: 300, expected: .failed(.startFailure), reason: "ImagePullBackOff",
                 message: #"Failed to pull image "invalid/x:1.0": rpc error: pull access denied"#),
    ClassifyCase(name: "StartError at once, not an AppError",
                 pod: F.pod(phase: "Failed", state: F.terminated(128, reason: "StartError", message: #"exec: "driver": executable file not found in $PATH"#)),
                 age: 2, expected: .failed(.startFailure), exitCode: 128, reason: "StartError",
                 message: #"exec: "driver": executable file not found in $PATH"#,
                 evidence: "container main terminated StartError (exit 128): the container could not be started"),
    ClassifyCase(name: "RunContainerError after the start timeout",
                 pod: F.pod(phase: "Pending", state: F.waiting("RunContainerError", message: "failed to start container")),
                 age: 300, expected: .failed(.startFailure), reason: "RunContainerError", message: "failed to start container"),
    ClassifyCase(name: "RunContainerError before the start timeout",
                 pod: F.pod(phase: "Pending", state: F.waiting("RunContainerError", message: "failed to start container")),
                 age: 299, expected: .notYet),
    ClassifyCase(name: "Unschedulable waits for its own, longer timeout",
                 pod: F.pod(phase: "Pending", conditions: [F.condition("PodScheduled", "False", reason: "Unschedulable")], state: "{}", nodeName: nil),
                 age: 599, unschedulableTimeout: 600, expected: .notYet),
    ClassifyCase(name: "Unschedulable past its own timeout",
                 pod: F.pod(phase: "Pending", conditions: [F.condition("PodScheduled", "False", reason: "Unschedulable", message: "0/1 nodes are available: 1 Insufficient memory.")], state: "{}", nodeName: nil),
                 age: 600, unschedulableTimeout: 600, expected: .failed(.unschedulable), reason: "Unschedulable",
                 message: "0/1 nodes are available: 1 Insufficient memory."),
    ClassifyCase(name: "ErrImagePull without a start timeout waits",
                 pod: F.pod(phase: "Pending", state: F.waiting("ErrImagePull")), age: 86_400, startTimeout: nil, expected: .notYet),
    ClassifyCase(name: "Unschedulable past the start timeout quotes the scheduler",
                 pod: F.pod(phase: "Pending", conditions: [F.condition("PodScheduled", "False", reason: "Unschedulable", message: "0/3 nodes are available: old.")],
                            state: "{}", nodeName: nil),
                 events: [PodWarning(reason: "FailedScheduling", message: "0/3 nodes are available: 3 Insufficient memory. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.", count: 7)],
                 age: 300, expected: .failed(.unschedulable), reason: "Unschedulable",
                 message: "0/3 nodes are available: 3 Insufficient memory. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.",
                 evidence: "unschedulable for 5m: 0/3 nodes are available: 3 Insufficient memory."),
    ClassifyCase(name: "Unschedulable before the start timeout",
                 pod: F.pod(phase: "Pending", conditions: [F.condition("PodScheduled", "False", reason: "Unschedulable")], state: "{}", nodeName: nil),
                 age: 299, expected: .notYet),
    ClassifyCase(name: "pod DeadlineExceeded",
                 pod: F.pod(phase: "Failed", reason: "DeadlineExceeded", message: "Pod was active on the node longer than the specified deadline",
                            state: F.terminated(137, reason: "Error")),
                 expected: .failed(.deadlineExceeded), exitCode: 137, reason: "DeadlineExceeded",
                 message: "Pod was active on the node longer than the specified deadline", evidence: "pod DeadlineExceeded"),
    ClassifyCase(name: "the caller says the deadline passed", pod: F.pod(phase: "Running", state: F.running), deadlinePassed: true,
                 age: 3_700, expected: .failed(.deadlineExceeded), reason: "DeadlineExceeded",
                 evidence: "attempt ran past its deadline after 1h1m"),
    ClassifyCase(name: "exit 1 with a Python traceback",
                 pod: F.pod(phase: "Failed", state: F.terminated(1, reason: "Error", message: pythonTraceback)),
                 expected: .failed(.appError), exitCode: 1, reason: "Error", message: "ValueError: bad row 17: 'a,b'",
                 evidence: "container main terminated Error (exit 1)"),
    ClassifyCase(name: "failed init container", pod: F.pod(phase: "Failed", state: F.waiting("PodInitializing"),
                                                          initStatuses: #"[{"name": "fetch", "state": \#(F.terminated(2, reason: "Error", message: "curl: (22) The requested URL returned error: 404"))}]"#),
                 expected: .failed(.appError), exitCode: 2, message: "curl: (22) The requested URL returned error: 404",
                 evidence: "init container fetch terminated Error (exit 2)"),
    ClassifyCase(name: "Succeeded", pod: F.pod(phase: "Succeeded", state: F.terminated(0, reason: "Completed")),
                 expected: .succeeded, exitCode: 0),
    ClassifyCase(name: "main exited 0 while a sidecar runs", pod: F.pod(phase: "Running", state: F.terminated(0, reason: "Completed")),
                 expected: .succeeded, exitCode: 0),
    ClassifyCase(name: "running", pod: F.pod(phase: "Running", state: F.running), expected: .notYet),
    ClassifyCase(name: "restarted container waiting in CrashLoopBackOff uses lastState",
                 pod: F.pod(phase: "Running", state: F.waiting("CrashLoopBackOff", message: "back-off 10s restarting failed container"),
                            lastState: F.terminated(137, reason: "OOMKilled"), restartCount: 1, restartPolicy: "OnFailure"),
                 expected: .failed(.outOfMemory), exitCode: 137, reason: "OOMKilled",
                 evidence: "container main (previous run) terminated OOMKilled (exit 137)"),
    ClassifyCase(name: "restarted container running again is not a failure yet",
                 pod: F.pod(phase: "Running", state: F.running, lastState: F.terminated(1, reason: "Error"), restartCount: 1,
                            restartPolicy: "OnFailure"),
                 expected: .notYet),
]

@Suite("FailureClassifier")
struct FailureClassifierTests {
    @Test(arguments: classificationCases)
    func classifies(_ row: ClassifyCase) {
        let now = PodFixtures.created.addingTimeInterval(TimeInterval(row.age))
        let result = FailureClassifier.classify(
            pod: row.pod, mainContainer: "main", nodeLabels: ["karpenter.sh/capacity-type": "spot"], nodeGone: row.nodeGone,
            events: row.events, startTimeout: row.startTimeout.map { .seconds($0) },
            unschedulableTimeout: row.unschedulableTimeout.map { .seconds($0) }, deadlinePassed: row.deadlinePassed, now: now)
        switch row.expected {
        case .notYet:
            #expect(result == nil)
            return
        case .succeeded:
            #expect(result?.succeeded == true)
        case .failed(let failureClass):
            #expect(result?.failureClass == failureClass)
            #expect(result?.capacityType == "spot")
        }
        if let exitCode = row.exitCode { #expect(result?.exitCode == exitCode) }
        if let reason = row.reason { #expect(result?.reason == reason) }
        if let message = row.message { #expect(result?.message == message) }
        if let evidence = row.evidence { #expect(result?.evidence.contains(evidence) == true, "\(result?.evidence ?? "nil")") }
    }

    @Test func trueConditionsAndReasonsAreRecorded() throws {
        let pod = F.pod(phase: "Failed", reason: "Evicted", conditions: [
            F.condition("DisruptionTarget", "True", reason: "EvictionByEvictionAPI"), F.condition("Ready", "False"),
            F.condition("PodScheduled", "True"),
        ], state: F.terminated(137, reason: "Error"))
        let result = try #require(FailureClassifier.classify(pod: pod, now: PodFixtures.created))
        #expect(result.podConditions == ["DisruptionTarget", "PodScheduled"])
        #expect(result.reasons == ["Error", "Evicted", "EvictionByEvictionAPI"])
        #expect(result.capacityType == nil)
    }

    @Test func warningsComeFromEventsAndAttemptHistory() throws {
        let json = #"{"metadata": {"name": "etl-3-0.17f1"}, "involvedObject": {"kind": "Pod", "name": "etl-3-0"}, "reason": "FailedScheduling", "message": "0/3 nodes are available", "type": "Warning", "count": 7}"#
        let event = try #require(Event(json: JSON.parse(json)))
        #expect(PodWarning(event) == PodWarning(reason: "FailedScheduling", message: "0/3 nodes are available", count: 7))
        var recorded = AttemptEvent()
        recorded.reason = "BackOff"
        recorded.message = "Back-off restarting failed container"
        #expect(PodWarning(recorded) == PodWarning(reason: "BackOff", message: "Back-off restarting failed container", count: 1))
    }

    @Test func longMessagesAreTruncatedToOneKiB() throws {
        let log = String(repeating: "progress line without the magic words\n", count: 100) + "done, exiting with 3"
        let pod = F.pod(phase: "Failed", state: F.terminated(3, reason: "Error", message: log))
        let result = try #require(FailureClassifier.classify(pod: pod, now: PodFixtures.created))
        #expect(result.message.utf8.count <= FailureMessage.limit)
        #expect(result.message.hasSuffix("done, exiting with 3"))
    }
}

@Suite("FailureMessage")
struct FailureMessageTests {
    @Test(arguments: [
        (pythonTraceback, "ValueError: bad row 17: 'a,b'"),
        ("java.lang.IllegalStateException: boom\n\tat A.b(A.java:1)\nCaused by: java.io.IOException: Connection reset\n\tat C.d(C.java:2)",
         "Caused by: java.io.IOException: Connection reset"),
        ("panic: runtime error: index out of range [3] with length 3\n\ngoroutine 1 [running]:\nmain.main()",
         "panic: runtime error: index out of range [3] with length 3"),
        ("plain failure", "plain failure"),
        ("", ""),
    ])
    func extractsTheTellingLine(log: String, expected: String) {
        #expect(FailureMessage.extract(from: log) == expected)
    }

    @Test(arguments: [(45, "45s"), (300, "5m"), (90, "1m30s"), (7200, "2h"), (3900, "1h5m"), (0, "0s")])
    func describesDurations(seconds: Int, text: String) {
        #expect(FailureMessage.describe(.seconds(seconds)) == text)
    }

    @Test func truncationKeepsWholeCharacters() {
        let text = String(repeating: "é", count: 600)
        let cut = FailureMessage.truncated(text)
        #expect(cut.utf8.count <= FailureMessage.limit)
        #expect(cut.hasSuffix("…"))
        #expect(FailureMessage.tail(text).hasPrefix("…"))
    }
}
