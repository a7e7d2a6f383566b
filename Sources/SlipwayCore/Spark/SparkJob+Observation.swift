import Foundation
import KubeAPI
import SlipwayAPI

// MARK: - Observing attempts

extension SparkJob {
    /// The drivers the job owns, each with its executors.
    public static func attempts(in input: JobInput<SparkJob>) -> [ObservedAttempt] {
        let uid = input.job.metadata.uid ?? ""
        return input.pods.compactMap { pod in
            guard pod.metadata.labels[SparkLabels.role] == SparkRole.driver.rawValue, pod.metadata.controllerReference?.uid == uid,
                  let attempt = pod.metadata.labels[SparkLabels.attempt].flatMap(Int.init) else { return nil }
            return ObservedAttempt(unit: 0, attempt: attempt, pod: pod, related: executors(of: pod, among: input.pods))
        }
    }

    /// Executors of the attempt whose driver is `driver`, as Spark's driver made them: the
    /// app's selector label and an owner reference to that driver pod (Spark's driver sets it
    /// on every executor pod it creates). A pod that only copies the labels is not counted.
    static func executors(of driver: Pod, among pods: [Pod]) -> [Pod] {
        guard let appId = driver.metadata.labels[SparkLabels.appSelector], let uid = driver.metadata.uid else { return [] }
        return pods
            .filter {
                $0.metadata.labels[SparkLabels.role] == SparkRole.executor.rawValue && $0.metadata.labels[SparkLabels.appSelector] == appId
                    && $0.metadata.ownerReferences.contains { $0.uid == uid }
            }
            .sorted { ($0.metadata.name ?? "") < ($1.metadata.name ?? "") }
    }

    /// The attempt ended when its driver ended, is stuck past `driverStartSeconds`, or runs
    /// with fewer than the minimum executors past `executorStartSeconds`. The decisive
    /// failure is the driver's own when it ran out of memory or was interrupted, else an
    /// executor's OutOfMemory, else an executor's interruption, else the driver's. A driver
    /// that failed after finding its executors already there ran twice: an interruption
    /// (`SparkDriverRestart`).
    public static func outcome(of attempt: ObservedAttempt, in run: inout JobRun<SparkJob>) -> AttemptOutcome<SparkOutcome>? {
        let driver = attempt.pod
        let executors = attempt.related
        var state = run.table.state(0)
        if driver.status.phase == .running, state.runningSince == nil, attempt.attempt == state.attempt {
            state.runningSince = run.now
            run.table.states[0] = state
        }
        var role = SparkRole.driver
        var decisive = run.classify(driver, container: SparkLabels.driverContainer, startTimeouts: run.settings.startTimeouts)
            .map { SparkDriverRestart.reclassify($0, driver: driver) }
        if decisive == nil, let timeout = executorStartTimeout(driver, executors, state: state, in: &run) {
            decisive = timeout
            role = .executor
        }
        guard var classification = decisive else { return nil }
        let failures = executors.compactMap { pod -> (pod: Pod, classification: Classification)? in
            guard let c = run.classify(pod, container: SparkLabels.executorContainer), !c.succeeded else { return nil }
            return (pod, c)
        }
        if !classification.succeeded, role == .driver, classification.failureClass != .outOfMemory, classification.failureClass != .interrupted,
           let (pod, executor) = failures.first(where: { $0.classification.failureClass == .outOfMemory })
            ?? failures.first(where: { $0.classification.failureClass == .interrupted }) {
            let driverSays = classification.message.isEmpty ? "" : "; driver: \(classification.message)"
            classification = executor
            classification.message = FailureMessage.truncated("executor \(pod.metadata.name ?? "") \(executor.summary)\(driverSays)")
            role = .executor
        }
        return AttemptOutcome(classification: classification, detail: SparkOutcome(role: role, executorFailures: failures))
    }

    /// Fewer than the minimum executors started within `timeouts.executorStartSeconds` (else
    /// the operator's `--executor-start-seconds`) of the driver running: a failure with
    /// reason ExecutorStartTimeout (class Unschedulable, so the default rules retry it),
    /// quoting the most telling warning of the waiting executors (the scheduler's verdict).
    static func executorStartTimeout(_ driver: Pod, _ executors: [Pod], state: SparkAttemptState, in run: inout JobRun<SparkJob>) -> Classification? {
        let spec = run.job.spec
        guard let since = state.runningSince, driver.status.phase == .running else { return nil }
        let seconds = spec.timeouts.executorStartSeconds ?? Int(RetryPlanner.seconds(run.configuration.executorStartTimeout))
        let setting = spec.timeouts.executorStartSeconds == nil ? "the operator's --executor-start-seconds" : "timeouts.executorStartSeconds"
        let minimum = SparkJobSubmission.minimumExecutors(spec, plan: plan(state, run))
        let started = executors.filter { $0.status.phase == .running || $0.status.phase == .succeeded || $0.status.phase == .failed }.count
        guard started < minimum else { return nil }
        let deadline = since.addingTimeInterval(TimeInterval(seconds))
        guard deadline <= run.now else {
            run.wake(at: deadline)
            return nil
        }
        let events = run.input.podEvents
        let waiting = executors.filter { $0.status.phase == nil || $0.status.phase == .pending }
        let why = PendingWarning.mostTelling(waiting.flatMap { events[$0.metadata.name ?? ""] ?? [] })
            .map { PendingWarning.phrase($0, messageLimit: run.configuration.eventMessageLimit) }
        let message = "\(started) of \(minimum) executors started within \(seconds)s (\(setting))" + (why.map { ": \($0)" } ?? "")
        return Classification(
            failureClass: .unschedulable, reason: "ExecutorStartTimeout", reasons: ["ExecutorStartTimeout"],
            message: message, evidence: "executor start timeout")
    }

    // MARK: - Recording

    /// What the attempt ran with (the plan of its state), how it ended, whose failure decided,
    /// the failed executors grouped, and the driver's and executors' warnings.
    public static func record(_ attempt: ObservedAttempt, outcome: AttemptOutcome<SparkOutcome>?, in run: JobRun<SparkJob>) -> SparkAttemptRecord {
        let driver = attempt.pod
        let ran = plan(run.table.state(0), run)
        var record = SparkAttemptRecord()
        record.attempt = attempt.attempt
        record.sparkApplicationId = driver.metadata.labels[SparkLabels.appSelector]
        record.driverPod = driver.metadata.name
        let node = driver.spec.nodeName
        record.node = node
        record.driverCapacity = node.flatMap { run.input.nodeLabels[$0]?[run.labels.key] } ?? run.labels.value(for: ran.driverCapacity)
        record.executorCapacity = run.labels.value(for: ran.executorCapacity)
        record.driverMemory = ran.driverMemory
        record.executorMemory = ran.executorMemory
        record.executorInstances = ran.executorInstances
        run.fillRecord(&record, pod: driver, container: SparkLabels.driverContainer, classification: outcome?.classification)
        if let outcome {
            record.executorFailures = group(outcome.detail.executorFailures)
            if !outcome.classification.succeeded { record.role = outcome.detail.role }
        }
        let container = driver.status.containerStatus(named: SparkLabels.driverContainer)?.state
        let started = container?.terminated != nil || container?.running != nil
        let names = SparkNames(job: run.job.metadata.name ?? "", uid: run.job.metadata.uid ?? "", attempt: attempt.attempt)
        record.events = run.attemptEvents([driver] + attempt.related) { started && isOwnConfigMapNotYetThere($0, names) }
        return record
    }

    /// Failed executors grouped by class, exit code and reason, the first few kinds kept.
    static func group(_ failures: [(pod: Pod, classification: Classification)]) -> [SparkExecutorFailure] {
        var groups: [SparkExecutorFailure] = []
        for (pod, c) in failures {
            if let i = groups.firstIndex(where: { $0.failureClass == c.failureClass && $0.exitCode == c.exitCode && $0.reason == c.reason }) {
                groups[i].count += 1
                continue
            }
            guard groups.count < executorFailureKinds else { continue }
            var group = SparkExecutorFailure()
            group.failureClass = c.failureClass
            group.exitCode = c.exitCode
            group.reason = c.reason
            group.pod = pod.metadata.name
            group.message = c.message.isEmpty ? nil : FailureMessage.truncated(c.message, limit: 256)
            groups.append(group)
        }
        return groups
    }

    /// The last 10 attempts.
    public static func historyLimits(_ configuration: DeciderConfiguration) -> HistoryLimits {
        HistoryLimits(perUnit: nil, total: 10)
    }

    /// spark-submit creates the driver pod before its ConfigMap, so a FailedMount naming that
    /// ConfigMap is expected while the driver starts: noise, not a reason.
    static func isOwnConfigMapNotYetThere(_ event: AttemptEvent, _ names: SparkNames) -> Bool {
        event.reason == "FailedMount" && event.message.contains("configmap \"\(names.configMap)\" not found")
    }
}
