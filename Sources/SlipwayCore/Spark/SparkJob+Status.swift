import Foundation
import KubeAPI
import SlipwayAPI

// MARK: - Status

extension SparkJob {
    /// The current driver and its executors, the `Submitted` and `Running` conditions, the
    /// phase and the one-sentence message.
    public static func finishStatus(_ run: inout JobRun<SparkJob>) {
        recordAnalysis(&run)
        let state = run.table.state(0)
        let current = run.attempts.last { $0.attempt == state.attempt }
        if let current {
            run.status.sparkApplicationId = current.pod.metadata.labels[SparkLabels.appSelector]
            run.status.driver = driverStatus(current, run)
            run.status.executors = counts(current.related)
        } else if !run.isFinished {
            run.status.driver = SparkDriverStatus()
            run.status.executors = counts([])
        }
        if let retry = run.status.nextRetryTime { run.wake(at: retry) }
        if run.isFinished, run.isTrue(.running) {
            run.setCondition(.running, .false, reason: .finished, message: "the job finished")
        }
        if run.isFinished || run.isTrue(.invalid) {
            run.status.phase = run.settledPhase
            run.status.message = run.settledMessage
            return
        }
        if run.settings.suspend {
            run.status.phase = .suspended
            run.status.message = "suspended (spec.suspend is true)"
            return
        }
        guard let current else {
            notRunning(&run, state: state)
            return
        }
        running(&run, current)
    }

    /// No driver of the current attempt: waiting to retry, for a dependency, or to be submitted.
    static func notRunning(_ run: inout JobRun<SparkJob>, state: SparkAttemptState) {
        let retrying = state.attempt > 0 && state.lastFailure != nil
        run.status.phase = retrying ? .retrying : .pending
        run.setCondition(.running, .false, reason: retrying ? .retrying : .notSubmitted, message: retrying ? "waiting to retry" : "not submitted yet")
        if retrying {
            let when = run.status.nextRetryTime.map { "at \(RFC3339.format($0))" } ?? "now"
            run.status.message = "attempt \(state.attempt - 1) failed (\(state.lastFailure ?? "")); attempt \(state.attempt) starts \(when)"
        } else {
            run.status.message = run.waitingFor ?? "submitting attempt \(state.attempt)"
        }
    }

    /// The current attempt's driver exists: Running once it runs, Submitted until then.
    static func running(_ run: inout JobRun<SparkJob>, _ current: ObservedAttempt) {
        let driver = current.pod
        run.setCondition(.submitted, .true, reason: .driverCreated, message: "driver pod \(current.name) created (attempt \(current.attempt))")
        let names = SparkNames(job: run.job.metadata.name ?? "", uid: run.job.metadata.uid ?? "", attempt: current.attempt)
        if driver.status.phase == .running {
            run.status.phase = .running
            let c = run.status.executors
            run.setCondition(.running, .true, reason: .driverRunning, message: "the driver is running")
            let waiting = current.related.filter { $0.status.phase == nil || $0.status.phase == .pending }
            let why = run.mostTellingWarning(waiting.map { (label: "executor \($0.metadata.name ?? "")", pod: $0) })
            run.status.message = "driver running on \(driver.spec.nodeName ?? "a node"); executors: \(c.running) running, \(c.pending) pending, \(c.failed) failed"
                + (why.map { "; \($0)" } ?? "")
        } else {
            run.status.phase = .submitted
            run.setCondition(.running, .false, reason: .driverPending, message: "the driver has not started")
            let events = (run.input.podEvents[current.name] ?? []).filter { !isOwnConfigMapNotYetThere($0, names) }
            let why = PendingWarning.mostTelling(events).map { PendingWarning.phrase($0, messageLimit: run.configuration.eventMessageLimit) }
            run.status.message = "driver \(current.name) submitted (attempt \(current.attempt)), not running yet" + (why.map { ": \($0)" } ?? "")
        }
    }

    static func driverStatus(_ current: ObservedAttempt, _ run: JobRun<SparkJob>) -> SparkDriverStatus {
        let names = SparkNames(job: run.job.metadata.name ?? "", uid: run.job.metadata.uid ?? "", attempt: current.attempt)
        var driver = SparkDriverStatus()
        driver.pod = current.name
        driver.node = current.pod.spec.nodeName
        driver.uiAddress = "\(names.service).\(run.job.metadata.namespace ?? "default").svc:4040"
        driver.state = current.pod.status.phase?.rawValue ?? "Pending"
        return driver
    }

    /// Every count written, zeros included (the Executors printer column reads `running`).
    static func counts(_ executors: [Pod]) -> SparkExecutorCounts {
        var counts = SparkExecutorCounts()
        (counts.pending, counts.running, counts.succeeded, counts.failed) = (0, 0, 0, 0)
        for pod in executors {
            switch pod.status.phase {
            case .running?: counts.running += 1
            case .succeeded?: counts.succeeded += 1
            case .failed?: counts.failed += 1
            default: counts.pending += 1
            }
        }
        return counts
    }
}
