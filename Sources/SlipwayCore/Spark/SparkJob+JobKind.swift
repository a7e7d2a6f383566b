import Foundation
import KubeAPI
import SlipwayAPI

/// A SparkJob as a ``JobKind``: one unit, its application; each attempt is what
/// `spark-submit --deploy-mode cluster` creates — the driver pod, its headless Service and
/// its `spark.properties` ConfigMap — and the executors the driver then starts; one attempt
/// runs at a time (docs/sparkjob.md).
///
/// ```
///   Pending ──(submit)──▶ Submitted ──(driver runs)──▶ Running ──(driver exits 0)──▶ Succeeded
///      ▲                      │                          │
///      │                      └──────(failure)───────────┴──▶ Retrying ──(backoff)──▶ Pending …
///      │                                                  └──(rules say fail, cap, attempts used)──▶ Failed
///   any unfinished phase ──(spec.suspend)──▶ Suspended ──(resumed)──▶ Pending
/// ```
extension SparkJob: JobKind {
    public typealias UnitState = SparkAttemptState
    public typealias OutcomeDetail = SparkOutcome

    public static var attemptsOwnObjects: Bool { true }
    /// The driver's and the executors' pods as they are now, the application id (the
    /// driver pod's `spark-app-selector`) and the attempt's launch time (its pod's
    /// `slipway.dev/launched-at`).
    public static var progressStatusKeys: Set<String> { ["driver", "executors", "sparkApplicationId", "current.launchedAt"] }
    /// Distinct executor failure kinds kept per attempt record.
    public static var executorFailureKinds: Int { 5 }

    // MARK: - Spec

    public func settings(_ configuration: DeciderConfiguration) -> JobSettings {
        var settings = JobSettings(
            units: 1, parallelism: 1, dependsOn: spec.dependsOn, retryStrategy: spec.retryStrategy,
            attempts: spec.retryStrategy.attempts(default: configuration.defaultAttempts), suspend: spec.suspend,
            ttlSecondsAfterFinished: spec.ttlSecondsAfterFinished, startTimeouts: .from(seconds: spec.timeouts.driverStartSeconds, defaults: configuration),
            totalSeconds: nil)
        settings.retryGeneration = spec.retryGeneration
        return settings
    }

    public func violations(_ configuration: DeciderConfiguration) -> [FieldViolation] {
        SparkJobValidation.validate(self, policy: configuration.podPolicy, maxAttempts: configuration.maxAttempts)
    }

    /// What spark-submit would refuse in the current attempt's submission.
    public static func renderProblems(in run: JobRun<SparkJob>) -> [String] {
        SparkJobSubmission.problems(run.job, plan: plan(run.table.state(0), run), capacity: run.labels, masterURL: run.configuration.sparkMaster,
            uiProxyRoot: run.configuration.sparkUIProxyRoot)
    }

    public var graphNode: JobGraphNode {
        let succeeded = status.conditions.isTrue(.succeeded) ? IndexRanges(0..<1) : IndexRanges()
        let namespace = metadata.namespace ?? ""
        return JobGraphNode(
            state: DependencyState(status, succeededIndexes: succeeded, arraySize: 1),
            parents: spec.dependsOn.map { JobReference($0, namespace: namespace) })
    }

    // MARK: - Units

    /// The one unit: done when the job is, its state `status.current`.
    public static func units(of status: SparkJobStatus, size: Int) -> UnitTable<SparkAttemptState> {
        let succeeded = status.conditions.isTrue(.succeeded) ? IndexRanges(0..<1) : IndexRanges()
        let failed = status.conditions.isTrue(.failed) ? IndexRanges(0..<1) : IndexRanges()
        let current = status.object["current"] == nil ? [:] : [0: status.current]
        return UnitTable(size: size, succeeded: succeeded, failed: failed, states: current)
    }

    public static func store(_ units: UnitTable<SparkAttemptState>, into status: inout SparkJobStatus) {
        if let state = units.states[0] { status.current = state }
    }

    /// What attempt `state.attempt` runs with: the spec's values, adapted after failures.
    static func plan(_ state: SparkAttemptState, _ run: JobRun<SparkJob>) -> SparkAttemptPlan {
        SparkJobSubmission.plan(run.job, state: state, capacity: run.labels, now: run.now)
    }

    // MARK: - Creating

    public func podName(unit: Int, attempt: Int) -> String {
        SparkNames(job: metadata.name ?? "", uid: metadata.uid ?? "", attempt: attempt).driverPod
    }

    /// The submission of the attempt: the driver pod, then the Service and ConfigMaps it owns.
    /// Rendered from the unit's state alone (its `launchedAt` is `spark.app.submitTime`), so
    /// a repeated submit renders the same objects.
    public static func render(unit: Int, attempt: Int, state: SparkAttemptState, in run: JobRun<SparkJob>) throws(AttemptRenderError) -> AttemptObjects {
        SparkJobSubmission.render(
            run.job, plan: plan(state, run), capacity: run.labels, masterURL: run.configuration.sparkMaster,
            analysis: SparkAnalysisSidecar.of(run.job, defaults: run.configuration.analysis),
            uiProxyRoot: run.configuration.sparkUIProxyRoot).objects
    }

    /// `Attempt 1: driver etl-1-driver (memory 2g), 3 executors × 1g on on-demand`.
    public static func startedEvent(_ objects: AttemptObjects, unit: Int, attempt: Int, state: SparkAttemptState, in run: JobRun<SparkJob>)
        -> (reason: JobEventReason, message: String) {
        let plan = plan(state, run)
        let executorsWhere = run.labels.value(for: plan.executorCapacity).map { " on \($0)" } ?? ""
        return (.submitted, "Attempt \(attempt): driver \(objects.pod.metadata.name ?? "") (memory \(plan.driverMemory)), "
                + "\(plan.executorInstances) executors × \(plan.executorMemory)\(executorsWhere)")
    }

    // MARK: - Adapting

    /// ``SparkJobAdapter`` on what the attempt ran with.
    public static func adapt(after outcome: AttemptOutcome<SparkOutcome>, of attempt: ObservedAttempt, state: SparkAttemptState, in run: JobRun<SparkJob>)
        -> UnitAdaptation<SparkAttemptState> {
        let result = SparkJobAdapter.adapt(
            after: outcome.classification, role: outcome.detail.role, spec: run.job.spec, ran: plan(state, run), failures: state.failures)
        var adapted = state
        result.apply(to: &adapted)
        return UnitAdaptation(
            adapted: adapted, changes: result.changes, kinds: result.kinds, capReached: result.capReached, exhausted: result.exhausted)
    }

    // MARK: - Words

    public static func describeFailure(of attempt: ObservedAttempt, _ outcome: AttemptOutcome<SparkOutcome>) -> String {
        "Attempt \(attempt.attempt) (driver \(attempt.name)) failed: \(outcome.detail.role.rawValue) \(outcome.classification.summary)"
    }

    public static func unitLabel(_ unit: Int) -> String? { nil }

    public static var unitFailsPhrase: String { "the job fails" }

    public static func lastFailure(_ outcome: AttemptOutcome<SparkOutcome>, changes: [String]) -> String {
        "\(outcome.detail.role.rawValue) \(outcome.classification.failureClass?.rawValue ?? "failure")"
            + (changes.isEmpty ? "" : " (\(changes.joined(separator: "; ")))")
    }

    public static var suspendedEventMessage: String { "Job suspended; the driver was deleted" }

    /// `the driver etl-1-driver exited 0 (attempt 1)`.
    public static func succeeded(in run: JobRun<SparkJob>) -> (reason: JobConditionReason, message: String) {
        let attempt = run.table.attempt(0)
        return (.driverSucceeded, "the driver \(run.job.podName(unit: 0, attempt: attempt)) exited 0 (attempt \(attempt))")
    }

    public static func failed(in run: JobRun<SparkJob>) -> (reason: JobConditionReason, message: String) {
        (.applicationFailed, run.failureMessages[0] ?? run.table.state(0).lastFailure ?? "the application failed")
    }
}

/// What a SparkJob learns about an ended attempt besides its classification.
public struct SparkOutcome: Sendable {
    /// Whose failure decided (the driver when it succeeded).
    public var role: SparkRole
    /// The executors that failed, with how, in name order.
    public var executorFailures: [(pod: Pod, classification: Classification)]

    public init(role: SparkRole, executorFailures: [(pod: Pod, classification: Classification)] = []) {
        self.role = role
        self.executorFailures = executorFailures
    }
}
