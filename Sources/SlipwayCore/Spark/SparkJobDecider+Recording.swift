import Foundation
import KubeAPI
import SlipwayAPI

// MARK: - Recording the current attempt

extension SparkRun {
    /// Records the current attempt once its driver ended, is stuck past the driver start
    /// timeout, or runs with too few executors past the executor start timeout.
    mutating func recordCurrentAttempt() {
        guard let driver = driver(attempt: state.attempt) else { return }
        let executors = executors(of: driver)
        if driver.status.phase == .running, state.runningSince == nil { state.runningSince = now }
        let startTimeout = spec.timeouts.driverStartSeconds.map { Duration.seconds($0) }
        var role = "driver"
        var decisive = classify(driver, container: SparkLabels.driverContainer, startTimeout: startTimeout)
        if decisive == nil, let timeout = executorStartTimeout(driver, executors) {
            decisive = timeout
            role = "executor"
        }
        guard var classification = decisive else {
            if let startTimeout, driver.status.phase == nil || driver.status.phase == .pending, let created = driver.metadata.creationTimestamp {
                wakeups.append(created.addingTimeInterval(RetryPlanner.seconds(startTimeout)))
            }
            return
        }
        let failures = executorFailures(executors)
        if !classification.succeeded, role == "driver", classification.failureClass != .outOfMemory, classification.failureClass != .interrupted,
           let (pod, executor) = failures.first(where: { $0.1.failureClass == .outOfMemory }) ?? failures.first(where: { $0.1.failureClass == .interrupted }) {
            let driverSays = classification.message.isEmpty ? "" : "; driver: \(classification.message)"
            classification = executor
            classification.message = FailureMessage.truncated("executor \(pod.metadata.name ?? "") \(executor.summary)\(driverSays)")
            role = "executor"
        }
        if isActive(driver) { deletePod(driver) }
        record(driver, classification, role: role, failures: failures)
    }

    func classify(_ pod: Pod, container: String, startTimeout: Duration? = nil) -> Classification? {
        let node = pod.spec.nodeName
        return FailureClassifier.classify(
            pod: pod, mainContainer: container, nodeLabels: node.flatMap { input.nodeLabels[$0] },
            nodeGone: node.map(input.goneNodes.contains) ?? false,
            events: (input.podEvents[pod.metadata.name ?? ""] ?? []).map(PodWarning.init), startTimeout: startTimeout,
            now: now, capacityLabel: labels.key)
    }

    /// Failed executors with how they failed, in name order.
    func executorFailures(_ executors: [Pod]) -> [(Pod, Classification)] {
        executors.compactMap { pod in
            guard let c = classify(pod, container: SparkLabels.executorContainer), !c.succeeded else { return nil }
            return (pod, c)
        }
    }

    /// Fewer than the minimum executors started within `timeouts.executorStartSeconds` of
    /// the driver running: a failure with reason ExecutorStartTimeout (class Unschedulable,
    /// so the default rules retry it).
    mutating func executorStartTimeout(_ driver: Pod, _ executors: [Pod]) -> Classification? {
        guard let seconds = spec.timeouts.executorStartSeconds, let since = state.runningSince, driver.status.phase == .running else { return nil }
        let minimum = SparkJobSubmission.minimumExecutors(spec, plan: plan)
        let started = executors.filter { $0.status.phase == .running || $0.status.phase == .succeeded || $0.status.phase == .failed }.count
        guard started < minimum else { return nil }
        let deadline = since.addingTimeInterval(TimeInterval(seconds))
        guard deadline <= now else {
            wakeups.append(deadline)
            return nil
        }
        let events = input.podEvents
        let why = executors.compactMap { events[$0.metadata.name ?? ""]?.last(where: { $0.reason == "FailedScheduling" })?.message }.first
        let message = "\(started) of \(minimum) executors started within timeouts.executorStartSeconds (\(seconds)s)" + (why.map { ": \($0)" } ?? "")
        return Classification(
            failureClass: .unschedulable, reason: "ExecutorStartTimeout", reasons: ["ExecutorStartTimeout"],
            message: message, evidence: "executor start timeout")
    }

    /// Puts the ended attempt into status, then succeeds, retries (adapted) or fails the job.
    mutating func record(_ driver: Pod, _ classification: Classification, role: String, failures: [(Pod, Classification)]) {
        var record = attemptRecord(driver, classification)
        record.executorFailures = Self.group(failures)
        let wait = Self.waitSeconds(driver)
        guard !classification.succeeded else {
            appendHistory(record)
            recorded.append(RecordedAttempt(index: 0, attempt: state.attempt, outcome: .succeeded, waitSeconds: wait))
            succeed("the driver \(driver.metadata.name ?? "") exited 0 (attempt \(state.attempt))")
            return
        }
        record.role = role
        let match = RuleMatcher.action(for: classification, rules: spec.retryStrategy.rules)
        let adaptation = SparkAdapter.adapt(after: classification, role: role, spec: spec, ran: plan, failures: state.failures)
        let attempts = spec.retryStrategy.requestedAttempts ?? input.configuration.defaultAttempts
        let outcome = RetryPlanner.next(
            after: classification, match: match, countedFailures: state.countedFailures, attempts: attempts,
            backoff: spec.retryStrategy.backoff, finishedAt: now, capExhausted: match.action == .fail ? nil : adaptation.exhausted)
        record.counted = outcome.counted
        var next = nextState(from: state)
        next.failures += 1
        if outcome.counted { next.countedFailures += 1 }
        let what = "Attempt \(state.attempt) (driver \(driver.metadata.name ?? "")) failed: \(role) \(classification.summary)"
        switch outcome {
        case .fail(let message):
            appendHistory(record)
            recorded.append(RecordedAttempt(index: 0, attempt: state.attempt, outcome: .failed, failureClass: classification.failureClass, waitSeconds: wait))
            next.lastFailure = FailureMessage.truncated(message, limit: 256)
            state = next
            event(.warning, "AttemptFailed", "\(what); the job fails")
            failJob(reason: "ApplicationFailed", message: message)
        case .retry(let after, let at, let counted):
            record.adaptations = adaptation.changes
            appendHistory(record)
            recorded.append(RecordedAttempt(
                index: 0, attempt: state.attempt, outcome: .retried, failureClass: classification.failureClass,
                changes: adaptation.kinds, waitSeconds: wait))
            adaptation.apply(to: &next)
            next.retryAfter = after > .zero ? at : nil
            let changes = adaptation.changes.isEmpty ? "" : " (\(adaptation.changes.joined(separator: "; ")))"
            next.lastFailure = "\(role) \(classification.failureClass?.rawValue ?? "failure")\(changes)"
            state = next
            let when = after > .zero ? "retrying in \(FailureMessage.describe(after))" : "retrying now"
            let counting = counted ? "\(next.countedFailures) of \(attempts) attempts used" : "not counted"
            event(.warning, "AttemptFailed", "\(what); \(when) (\(counting), \(match.source))")
            for change in adaptation.changes { event(.normal, "Adapted", change) }
            if let cap = adaptation.capReached { event(.normal, "AdaptationCapReached", cap) }
        }
    }

    /// Seconds from the driver's creation until its container started (its wait for the
    /// cluster: scheduling, image pull); nil when it never started.
    static func waitSeconds(_ driver: Pod) -> Double? {
        guard let created = driver.metadata.creationTimestamp else { return nil }
        let state = driver.status.containerStatus(named: SparkLabels.driverContainer)?.state
        guard let started = state?.running?.startedAt ?? state?.terminated?.startedAt else { return nil }
        return max(0, started.timeIntervalSince(created))
    }

    /// What the attempt ran with and how it ended.
    func attemptRecord(_ driver: Pod, _ classification: Classification?) -> SparkAttemptRecord {
        let ran = plan
        var record = SparkAttemptRecord()
        record.attempt = state.attempt
        record.sparkApplicationId = driver.metadata.labels[SparkLabels.appSelector]
        record.driverPod = driver.metadata.name
        let node = driver.spec.nodeName
        record.node = node
        record.driverCapacity = node.flatMap { input.nodeLabels[$0]?[labels.key] } ?? labels.value(for: ran.driverCapacity)
        record.executorCapacity = labels.value(for: ran.executorCapacity)
        record.driverMemory = ran.driverMemory
        record.executorMemory = ran.executorMemory
        record.executorInstances = ran.executorInstances
        let terminated = driver.status.containerStatus(named: SparkLabels.driverContainer)?.state.terminated
        record.startTime = terminated?.startedAt ?? driver.status.startTime
        record.finishTime = terminated?.finishedAt ?? now
        if let classification {
            record.exitCode = classification.exitCode
            record.reason = classification.reason
            record.failureClass = classification.failureClass
            record.message = classification.message.isEmpty ? nil : classification.message
            record.counted = classification.succeeded ? nil : true
        }
        let pods = [driver] + executors(of: driver)
        let started = terminated != nil || driver.status.containerStatus(named: SparkLabels.driverContainer)?.state.running != nil
        let events = pods.flatMap { input.podEvents[$0.metadata.name ?? ""] ?? [] }
            .filter { !(started && isOwnConfigMapNotYetThere($0)) }
        record.events = AttemptEvent.merged(events, messageLimit: input.configuration.eventMessageLimit, keep: input.configuration.eventsPerAttempt)
        return record
    }

    /// Failed executors grouped by class, exit code and reason, the first few kinds kept.
    static func group(_ failures: [(Pod, Classification)]) -> [SparkExecutorFailure] {
        var groups: [SparkExecutorFailure] = []
        for (pod, c) in failures {
            if let i = groups.firstIndex(where: { $0.failureClass == c.failureClass && $0.exitCode == c.exitCode && $0.reason == c.reason }) {
                groups[i].count += 1
                continue
            }
            guard groups.count < SparkJobDecider.executorFailureKinds else { continue }
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

    mutating func appendHistory(_ record: SparkAttemptRecord) {
        var history = status.history
        history.removeAll { $0.attempt == record.attempt }
        history.append(record)
        if history.count > SparkJobDecider.historyLimit { history.removeFirst(history.count - SparkJobDecider.historyLimit) }
        status.history = history
    }
}

// MARK: - Status

extension SparkRun {
    /// Every count written, zeros included (the Executors printer column reads `running`).
    static func counts(_ pending: Int, _ running: Int, _ succeeded: Int, _ failed: Int) -> SparkExecutorCounts {
        var counts = SparkExecutorCounts()
        (counts.pending, counts.running, counts.succeeded, counts.failed) = (pending, running, succeeded, failed)
        return counts
    }

    /// Phase, driver, executor counts, conditions and the one-sentence message.
    mutating func finishStatus() {
        status.observedGeneration = job.metadata.generation
        let current = driver(attempt: state.attempt)
        let namespace = job.metadata.namespace ?? "default"
        if let current {
            status.sparkApplicationId = current.metadata.labels[SparkLabels.appSelector]
            var d = SparkDriverStatus()
            d.pod = current.metadata.name
            d.node = current.spec.nodeName
            d.uiAddress = "\(names.service).\(namespace).svc:4040"
            d.state = current.status.phase?.rawValue ?? "Pending"
            status.driver = d
            var (pending, running, succeeded, failed) = (0, 0, 0, 0)
            for pod in executors(of: current) {
                switch pod.status.phase {
                case .running?: running += 1
                case .succeeded?: succeeded += 1
                case .failed?: failed += 1
                default: pending += 1
                }
            }
            status.executors = Self.counts(pending, running, succeeded, failed)
        } else if !isFinished {
            status.driver = SparkDriverStatus()
            status.executors = Self.counts(0, 0, 0, 0)
        }
        status.nextRetryTime = state.retryAfter.flatMap { $0 > now ? $0 : nil }
        if let retry = status.nextRetryTime { wakeups.append(retry) }
        guard !isFinished, condition("Invalid")?.status != .true else { return }
        if spec.suspend {
            status.phase = .suspended
            status.message = "suspended (spec.suspend is true)"
            return
        }
        if condition("Suspended")?.status == .true { setCondition("Suspended", .false, reason: "JobResumed", message: "spec.suspend is false") }
        guard let current else {
            let retrying = state.attempt > 0 && state.lastFailure != nil
            status.phase = retrying ? .retrying : .pending
            setCondition("Running", .false, reason: retrying ? "Retrying" : "NotSubmitted", message: retrying ? "waiting to retry" : "not submitted yet")
            if retrying {
                let when = status.nextRetryTime.map { "at \(RFC3339.format($0))" } ?? "now"
                status.message = "attempt \(state.attempt - 1) failed (\(state.lastFailure ?? "")); attempt \(state.attempt) starts \(when)"
            } else if status.message == nil || !(status.message ?? "").hasPrefix("waiting for") {
                status.message = "submitting attempt \(state.attempt)"
            }
            return
        }
        setCondition("Submitted", .true, reason: "DriverCreated", message: "driver pod \(current.metadata.name ?? "") created (attempt \(state.attempt))")
        if current.status.phase == .running {
            status.phase = .running
            let c = status.executors
            setCondition("Running", .true, reason: "DriverRunning", message: "the driver is running")
            status.message = "driver running on \(current.spec.nodeName ?? "a node"); executors: \(c.running) running, \(c.pending) pending, \(c.failed) failed"
                + (pendingExecutorWarning(current).map { "; \($0)" } ?? "")
        } else {
            status.phase = .submitted
            setCondition("Running", .false, reason: "DriverPending", message: "the driver has not started")
            let events = (input.podEvents[current.metadata.name ?? ""] ?? []).filter { !isOwnConfigMapNotYetThere($0) }
            let why = PendingWarning.mostTelling(events).map { PendingWarning.phrase($0, messageLimit: input.configuration.eventMessageLimit) }
            status.message = "driver \(current.metadata.name ?? "") submitted (attempt \(state.attempt)), not running yet" + (why.map { ": \($0)" } ?? "")
        }
    }

    /// `executor etl-0-exec-1 is pending: FailedScheduling: 0/1 nodes are available: …` —
    /// why executors the driver asked for are not running yet.
    func pendingExecutorWarning(_ driver: Pod) -> String? {
        let waiting = executors(of: driver).filter { $0.status.phase == nil || $0.status.phase == .pending }
        return PendingWarning.mostTelling(
            waiting.map { (label: "executor \($0.metadata.name ?? "")", events: input.podEvents[$0.metadata.name ?? ""] ?? []) },
            messageLimit: input.configuration.eventMessageLimit)
    }

    /// spark-submit creates the driver pod before its ConfigMap, so a FailedMount naming that
    /// ConfigMap is expected while the driver starts: noise, not a reason.
    func isOwnConfigMapNotYetThere(_ event: AttemptEvent) -> Bool {
        event.reason == "FailedMount" && event.message.contains("configmap \"\(names.configMap)\" not found")
    }
}
