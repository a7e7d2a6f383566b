import Foundation
import KubeAPI
import SlipwayAPI

/// The pure heart of the SparkJob controller: from the job, its driver and executor pods,
/// their warning events and the time, it computes the status to write, the actions to
/// perform and when to look again. One attempt runs at a time; the retry rules, backoff,
/// failure classes and history are BatchJob's (``RuleMatcher``, ``RetryPlanner``,
/// ``FailureClassifier``), applied to the attempt as a whole.
///
/// ```
///   Pending ──(submit)──▶ Submitted ──(driver runs)──▶ Running ──(driver exits 0)──▶ Succeeded
///      ▲                      │                          │
///      │                      └──────(failure)───────────┴──▶ Retrying ──(backoff)──▶ Pending …
///      │                                                  └──(rules say fail, cap, attempts used)──▶ Failed
///   any unfinished phase ──(spec.suspend)──▶ Suspended ──(resumed)──▶ Pending
/// ```
///
/// One reconcile, in order:
/// 1. **Finished** jobs only release their drivers, stop what still runs and honour the TTL.
/// 2. **Invalid** (validation, a dependsOn cycle) → condition Invalid, phase Failed, nothing created.
/// 3. **Record** the current attempt when its driver ended — or is stuck past
///    `driverStartSeconds`, or runs with fewer than the minimum executors past
///    `executorStartSeconds` (those drivers are deleted): the decisive failure is the
///    driver's own when it ran out of memory or was interrupted, else an executor's
///    OutOfMemory, else an executor's interruption, else the driver's. Then the rules,
///    adaptation (driver memory, executor memory, executors, capacity) and backoff.
/// 4. **Suspend** deletes the running driver (recorded, uncounted).
/// 5. **Dependencies**: wait for parents; a failed parent fails the job.
/// 6. **Submit** the attempt when it is due (status first: `launchedAt` makes the rendered
///    objects identical if the submit is repeated).
/// 7. **Status**: phase, driver, executor counts, conditions, message; requeue at the
///    earliest retry, timeout or TTL.
public enum SparkJobDecider {
    /// How long a submitted driver may stay invisible in the cache before it is submitted
    /// again (with the same names, so at most one driver per attempt ever exists).
    public static let createGrace: TimeInterval = 60
    /// Attempt records kept in `status.history`.
    public static let historyLimit = 10
    /// Distinct executor failure kinds kept per attempt record.
    public static let executorFailureKinds = 5

    public static func decide(_ input: SparkDecisionInput) -> SparkDecision {
        var run = SparkRun(input)
        if run.isFinished {
            run.finishedJob()
            return run.decision()
        }
        if let problems = run.invalidReasons() {
            run.markInvalid(problems)
            return run.decision()
        }
        run.clearInvalid()
        run.recordCurrentAttempt()
        if run.isFinished {
            run.finishedJob()
            return run.decision()
        }
        if run.spec.suspend {
            run.suspend()
        } else if let (reason, message) = run.dependencyFailure() {
            run.failJob(reason: reason, message: message)
        } else {
            run.resume()
            run.submitIfDue()
        }
        return run.decision()
    }
}

/// The working state of one decision.
struct SparkRun {
    let input: SparkDecisionInput
    let job: SparkJob
    var status: SparkJobStatus
    var actions: [Decision.Action] = []
    var events: [Decision.Action] = []
    var wakeups: [Date] = []
    var deleteJob = false
    var recorded: [RecordedAttempt] = []

    init(_ input: SparkDecisionInput) {
        self.input = input
        job = input.job
        status = input.job.status
    }

    var spec: SparkJobSpec { job.spec }
    var now: Date { input.now }
    var labels: CapacityLabels { input.configuration.capacityLabels }
    var state: SparkAttemptState {
        get { status.current }
        set { status.current = newValue }
    }
    var names: SparkNames { SparkNames(job: job.metadata.name ?? "", uid: job.metadata.uid ?? "", attempt: state.attempt) }
    var plan: SparkAttemptPlan { SparkJobSubmission.plan(job, state: state, capacity: labels, now: now) }

    func driver(attempt: Int) -> Pod? {
        input.drivers.first { $0.metadata.labels[SparkLabels.attempt] == String(attempt) }
    }

    /// Executors of the attempt whose driver is `driver`, as Spark's driver made them: the
    /// app's selector label and an owner reference to that driver pod (Spark's driver sets it
    /// on every executor pod it creates). A pod that only copies the labels is not counted.
    func executors(of driver: Pod) -> [Pod] {
        guard let appId = driver.metadata.labels[SparkLabels.appSelector], let uid = driver.metadata.uid else { return [] }
        return input.executors
            .filter { $0.metadata.labels[SparkLabels.appSelector] == appId && $0.metadata.ownerReferences.contains { $0.uid == uid } }
            .sorted { ($0.metadata.name ?? "") < ($1.metadata.name ?? "") }
    }

    // MARK: - Conditions and events

    func condition(_ type: String) -> Condition? { status.conditions.first { $0.type == type } }

    @discardableResult
    mutating func setCondition(_ type: String, _ value: ConditionStatus, reason: String, message: String) -> Bool {
        status.conditions.set(type, value, reason: reason, message: message, now: now, generation: job.metadata.generation)
    }

    mutating func event(_ type: Decision.EventKind, _ reason: String, _ message: String) {
        events.append(.event(type: type, reason: reason, message: message))
    }

    // MARK: - Pods

    mutating func deletePod(_ pod: Pod) {
        guard let name = pod.metadata.name, let uid = pod.metadata.uid, !pod.metadata.isBeingDeleted else { return }
        let action = Decision.Action.deletePod(name: name, uid: uid)
        if !actions.contains(action) { actions.append(action) }
    }

    /// Removes the record finalizer from every driver whose attempt is behind us.
    mutating func releaseRecordedDrivers() {
        for pod in input.drivers where pod.metadata.finalizers.contains(SlipwayLabels.recordFinalizer) {
            let attempt = pod.metadata.labels[SparkLabels.attempt].flatMap(Int.init) ?? -1
            guard attempt < state.attempt || isFinished, let name = pod.metadata.name, let uid = pod.metadata.uid else { continue }
            if isActive(pod) { deletePod(pod) }
            actions.append(.releasePod(name: name, uid: uid))
        }
    }

    /// Whether the pod still runs or waits to (its Spark container has not ended).
    func isActive(_ pod: Pod) -> Bool {
        let phase = pod.status.phase
        guard phase != .succeeded, phase != .failed, !pod.metadata.isBeingDeleted else { return false }
        let container = pod.metadata.labels[SparkLabels.role] == "executor" ? SparkLabels.executorContainer : SparkLabels.driverContainer
        return pod.status.containerStatus(named: container)?.state.terminated == nil
    }

    // MARK: - Lifecycle

    var isFinished: Bool { condition("Succeeded")?.status == .true || condition("Failed")?.status == .true }

    mutating func finishedJob() {
        for pod in input.drivers where isActive(pod) { deletePod(pod) }
        if condition("Running")?.status == .true {
            setCondition("Running", .false, reason: "Finished", message: "the job finished")
        }
        status.phase = condition("Succeeded")?.status == .true ? .succeeded : .failed
        status.nextRetryTime = nil
        expireAfterTTL()
    }

    func invalidReasons() -> [String]? {
        var problems = input.validationErrors
        if !input.dependencyCycle.isEmpty {
            let cycle = input.dependencyCycle + [input.dependencyCycle[0]]
            problems.append("spec.dependsOn forms a cycle: \(cycle.joined(separator: " → "))")
        }
        if problems.isEmpty {
            problems = SparkJobSubmission.problems(job, plan: plan, capacity: labels, masterURL: input.masterURL)
        }
        return problems.isEmpty ? nil : problems
    }

    mutating func markInvalid(_ problems: [String]) {
        let message = "spec is invalid: " + problems.joined(separator: "; ")
        if setCondition("Invalid", .true, reason: "InvalidSpec", message: message) { event(.warning, "Invalid", message) }
        for pod in input.drivers where isActive(pod) { deletePod(pod) }
        status.phase = .failed
        status.message = message
    }

    mutating func clearInvalid() {
        guard condition("Invalid")?.status == .true else { return }
        setCondition("Invalid", .false, reason: "ValidSpec", message: "spec is valid")
    }

    mutating func suspend() {
        if let driver = driver(attempt: state.attempt), isActive(driver) {
            var record = attemptRecord(driver, nil)
            record.reason = "Suspended"
            record.counted = false
            appendHistory(record)
            recorded.append(RecordedAttempt(index: 0, attempt: state.attempt, outcome: .suspended))
            deletePod(driver)
            state = nextState(from: state)
        }
        if setCondition("Suspended", .true, reason: "JobSuspended", message: "spec.suspend is true") {
            event(.normal, "Suspended", "Job suspended; the driver was deleted")
        }
    }

    mutating func resume() {
        guard condition("Suspended")?.status == .true else { return }
        setCondition("Suspended", .false, reason: "JobResumed", message: "spec.suspend is false")
        event(.normal, "Resumed", "Job resumed")
    }

    /// The next attempt's state: the same resources, a new number, no launch yet.
    func nextState(from current: SparkAttemptState) -> SparkAttemptState {
        var next = current
        next.attempt = current.attempt + 1
        next.launchedAt = nil
        next.runningSince = nil
        next.retryAfter = nil
        return next
    }

    mutating func dependencyFailure() -> (String, String)? {
        for dependency in spec.dependsOn where input.dependencies[dependency.name]?.phase == .failed {
            return ("DependencyFailed", "\(dependency.kind) \(dependency.name) failed, so this job cannot run")
        }
        return nil
    }

    mutating func failJob(reason: String, message: String) {
        if setCondition("Failed", .true, reason: reason, message: message) { event(.warning, "Failed", "Job failed: \(message)") }
        if status.completionTime == nil { status.completionTime = now }
        status.message = message
        finishedJob()
    }

    mutating func succeed(_ message: String) {
        if setCondition("Succeeded", .true, reason: "DriverSucceeded", message: message) { event(.normal, "Completed", "Job completed: \(message)") }
        if status.completionTime == nil { status.completionTime = now }
        status.message = message
        finishedJob()
    }

    mutating func expireAfterTTL() {
        guard let ttl = spec.ttlSecondsAfterFinished, let completion = status.completionTime else { return }
        let expiry = completion.addingTimeInterval(TimeInterval(ttl))
        if expiry <= now { deleteJob = true } else { wakeups.append(expiry) }
    }

    // MARK: - Submit

    /// Submits the current attempt when nothing of it exists yet and it is due.
    mutating func submitIfDue() {
        if let current = driver(attempt: state.attempt) {
            completeSubmission(of: current)
            return
        }
        let waiting = spec.dependsOn.filter { input.dependencies[$0.name]?.phase != .succeeded }.map { "\($0.kind) \($0.name)" }
        if !waiting.isEmpty {
            status.message = "waiting for \(waiting.joined(separator: ", ")) to succeed"
            return
        }
        if let after = state.retryAfter, after > now {
            wakeups.append(after)
            return
        }
        if let launched = state.launchedAt, now.timeIntervalSince(launched) < SparkJobDecider.createGrace,
           !input.failedCreates.contains(names.driverPod) {
            wakeups.append(launched.addingTimeInterval(SparkJobDecider.createGrace))
            return
        }
        let plan = plan
        let submit = SparkJobSubmission.render(job, plan: plan, capacity: labels, masterURL: input.masterURL)
        if state.launchedAt == nil {
            status.attempts = max(status.attempts, state.attempt + 1)
            let executorsWhere = labels.value(for: plan.executorCapacity).map { " on \($0)" } ?? ""
            event(.normal, "Submitted", "Attempt \(state.attempt): driver \(submit.driverPod.metadata.name ?? "") (memory \(plan.driverMemory)), "
                  + "\(plan.executorInstances) executors × \(plan.executorMemory)\(executorsWhere)")
        }
        state.launchedAt = now
        state.retryAfter = nil
        if status.startTime == nil { status.startTime = now }
        actions.append(.submitSpark(submit))
        wakeups.append(now.addingTimeInterval(SparkJobDecider.createGrace))
    }

    /// Submits again a live driver whose submission this operator has not seen complete.
    /// The render is identical (same attempt state, same submit time), so the driver is
    /// adopted and its Service and immutable ConfigMap are applied unchanged.
    mutating func completeSubmission(of driver: Pod) {
        guard let name = driver.metadata.name, !input.completeSubmissions.contains(name), driver.metadata.deletionTimestamp == nil,
              driver.status.phase != .succeeded, driver.status.phase != .failed else { return }
        actions.append(.submitSpark(SparkJobSubmission.render(job, plan: plan, capacity: labels, masterURL: input.masterURL)))
    }

    // MARK: - Output

    mutating func decision() -> SparkDecision {
        releaseRecordedDrivers()
        finishStatus()
        var all = actions + events
        if deleteJob { all.append(.deleteJob) }
        let next = wakeups.filter { $0 > now }.min()
        let requeue = next.map { Duration.milliseconds(Int64(($0.timeIntervalSince(now) * 1000).rounded(.up))) }
        return SparkDecision(status: status, actions: all, requeueAfter: requeue, recorded: recorded)
    }
}
