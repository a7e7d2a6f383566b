import Foundation
import KubeTesting
import SlipwayControllers
import SlipwayDevTesting
import Testing

/// No job waits for ever (docs/operate.md, "Start timeouts"): every wait before an attempt
/// runs has a default bound, and past it the attempt is classified with the kubelet's or
/// the scheduler's own words. The operator's bounds are shortened here (its options), the
/// defaults stay what they are.
@Suite("kubectl start timeouts on slipway dev", .serialized)
struct KubectlStartTimeoutTests {
    /// The operator with short start bounds, so that a test sees them pass.
    static func shortBounds(_ configuration: inout OperatorConfiguration) {
        configuration.startFailureTimeout = .seconds(3)
        configuration.unschedulableTimeout = .seconds(4)
    }

    static func job(_ name: String, container: String, attempts: Int? = nil) -> String {
        """
        apiVersion: slipway.dev/v1alpha1
        kind: BatchJob
        metadata: {name: \(name)}
        spec:
        \(attempts.map { "  retryStrategy: {attempts: \($0)}\n" } ?? "")  template:
            spec:
              containers:
              - \(container)
        """
    }

    @Test func aBadImageFailsWithThePullErrorWithoutAStartTimeoutOfItsOwn() async throws {
        try await withSlipwayDev(operator: Self.shortBounds) { _, _, kubectl in
            let job = Self.job("bad-image", container: "{name: main, image: invalid/does-not-exist:1.0}")
            try await kubectl.require(["apply", "-f", "-"], input: job)
            var r = try await kubectl.run(["wait", "--for=condition=Failed", "batchjob/bad-image", "--timeout=60s"])
            #expect(r.status == 0, "\(r)")
            r = try await kubectl.require([
                "get", "batchjob", "bad-image", "-o", #"jsonpath={range .status.history[*]}{.class}/{.reason}/{.counted};{end}"#,
            ])
            #expect(r.out.hasPrefix("StartFailure/"), "\(r)")
            #expect(r.out.split(separator: ";").count == 1, "a StartFailure is not retried: \(r)")
            r = try await kubectl.require(["get", "batchjob", "bad-image", "-o", "jsonpath={.status.history[0].message}"])
            // The kubelet's words: its `Failed` event when the operator has seen it, else the
            // container's waiting message (the events and the pods are separate watches, and
            // either may arrive first on a loaded machine, as on a real cluster).
            let kubeletWords = #"(Failed to pull image "invalid/does-not-exist:1.0": |Back-off pulling image "invalid/does-not-exist:1.0": ErrImagePull: )?"#
                + #"rpc error: code = NotFound desc = failed to pull and unpack image "invalid/does-not-exist:1.0""#
            #expect(r.out.range(of: "^" + kubeletWords, options: .regularExpression) != nil, "\(r)")
            #expect(r.out.contains("pull access denied"), "\(r)")
            r = try await kubectl.require(["get", "batchjob", "bad-image", "-o", #"jsonpath={.status.conditions[?(@.type=="Failed")].message}"#])
            // The waiting reason at the bound is ErrImagePull or ImagePullBackOff, as the kubelet's
            // back-off stands at that moment; the message is the kubelet's own either way. The
            // time is the bound (3 s) or a little more when the reconcile came late (a loaded machine).
            #expect(r.out.range(of: #"StartFailure: image pull failed for [3-9]s: (ErrImagePull|ImagePullBackOff) "# + kubeletWords,
                                options: .regularExpression) != nil, "\(r)")
            #expect(!r.out.contains("Error: ErrImagePull"), "\(r)")
            r = try await kubectl.require(["get", "pods", "-l", "slipway.dev/job-name=bad-image", "-o", "name"])
            #expect(r.out.isEmpty, "the stuck pod is deleted: \(r)")
        }
    }

    @Test func aRequestNoNodeCanMeetFailsUnschedulableWithTheSchedulersMessage() async throws {
        try await withSlipwayDev(operator: Self.shortBounds) { _, _, kubectl in
            let job = Self.job(
                "too-big", container: #"{name: main, image: busybox, command: ["true"], resources: {requests: {memory: 64Gi}}}"#, attempts: 1)
            try await kubectl.require(["apply", "-f", "-"], input: job)
            var r = try await kubectl.run(["wait", "--for=condition=Failed", "batchjob/too-big", "--timeout=60s"])
            #expect(r.status == 0, "\(r)")
            r = try await kubectl.require(["get", "batchjob", "too-big", "-o", #"jsonpath={.status.history[0].class} {.status.history[0].message}"#])
            #expect(r.out.hasPrefix("Unschedulable 0/"), "\(r)")
            #expect(r.out.contains("Insufficient memory"), "\(r)")
            r = try await kubectl.require(["get", "pods", "-l", "slipway.dev/job-name=too-big", "-o", "name"])
            #expect(r.out.isEmpty, "the pending pod is deleted: \(r)")
        }
    }

    @Test func aContainerTheRuntimeCannotStartIsAStartFailureAndNotRetried() async throws {
        try await withSlipwayDev { _, _, kubectl in
            let job = Self.job("start-error", container: #"{name: main, image: busybox, command: ["no-such-executable-anywhere"]}"#)
            try await kubectl.require(["apply", "-f", "-"], input: job)
            var r = try await kubectl.run(["wait", "--for=condition=Failed", "batchjob/start-error", "--timeout=60s"])
            #expect(r.status == 0, "\(r)")
            r = try await kubectl.require([
                "get", "batchjob", "start-error", "-o", #"jsonpath={range .status.history[*]}{.class}/{.reason}/{.exitCode};{end}"#,
            ])
            #expect(r.out == "StartFailure/StartError/128;", "one attempt, not retried: \(r)")
            r = try await kubectl.require(["get", "pod", "start-error-0-0", "-o", "jsonpath={.status.containerStatuses[0].state.terminated.startedAt}"])
            #expect(r.out == "1970-01-01T00:00:00Z", "the runtime's zero time, as a real containerd reports: \(r)")
            r = try await kubectl.require(["get", "batchjob", "start-error", "-o", "json"])
            #expect(!r.out.contains("1970-01-01"), "no zero-epoch time in the job: \(r.out)")
        }
    }
}
