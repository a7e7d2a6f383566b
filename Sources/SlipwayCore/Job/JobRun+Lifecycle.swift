import Foundation
import KubeAPI
import SlipwayAPI

// MARK: - Conditions

extension JobRun {
    public func condition(_ type: JobConditionType) -> Condition? { status.conditions[type] }

    public func isTrue(_ type: JobConditionType) -> Bool { status.conditions.isTrue(type) }

    /// Sets a `metav1.Condition`; `lastTransitionTime` changes only when the status does.
    /// Returns whether the status changed (or the condition is new).
    @discardableResult
    public mutating func setCondition(_ type: JobConditionType, _ value: ConditionStatus, reason: JobConditionReason, message: String) -> Bool {
        status.conditions.set(type, value, reason: reason, message: message, now: now, generation: job.metadata.generation)
    }
}

// MARK: - Invalid

extension JobRun {
    /// Every reason the job cannot run as written; nil when it can.
    func invalidReasons() -> [String]? {
        var problems = job.violations(configuration).map(\.description)
        let me = JobReference(job)
        let cycle = input.graph.cycle(through: me)
        if !cycle.isEmpty {
            problems.append("spec.dependsOn forms a cycle: \(JobGraph.describe(cycle))")
        }
        for dependency in settings.dependsOn where dependency.type == .nToN {
            let parent = input.graph.state(of: JobReference(dependency, namespace: me.namespace))
            guard parent.phase != .missing, parent.arraySize != settings.units else { continue }
            problems.append("spec.dependsOn \(dependency.name) is NToN, but its arraySize \(parent.arraySize) differs from this job's \(settings.units)")
        }
        if problems.isEmpty { problems = Kind.renderProblems(in: self) }
        return problems.isEmpty ? nil : problems
    }

    /// Invalid: no pods run; the condition carries every problem.
    mutating func markInvalid(_ problems: [String]) {
        let message = "spec is invalid: " + problems.joined(separator: "; ")
        if setCondition(.invalid, .true, reason: .invalidSpec, message: message) { event(.warning, .invalid, message) }
        stopAllPods()
        status.phase = .failed
    }

    /// A job that was Invalid and is valid again (its spec was fixed).
    mutating func clearInvalid() {
        guard isTrue(.invalid) else { return }
        setCondition(.invalid, .false, reason: .validSpec, message: "spec is valid")
    }
}

// MARK: - Suspend, job-level failure, completion, TTL

extension JobRun {
    public var isFinished: Bool { isTrue(.succeeded) || isTrue(.failed) }

    /// A finished job keeps nothing running and goes when its TTL has passed.
    mutating func finishedJob() {
        stopAllPods()
        status.phase = isTrue(.succeeded) ? .succeeded : .failed
        expireAfterTTL()
    }

    /// Active pods are deleted; their attempts are recorded, uncounted, so resuming starts the next.
    mutating func suspend() {
        for attempt in activeAttempts {
            recordSuspended(attempt)
            deletePod(attempt)
        }
        if setCondition(.suspended, .true, reason: .jobSuspended, message: "spec.suspend is true") {
            event(.normal, .suspended, Kind.suspendedEventMessage)
        }
    }

    mutating func resume() {
        guard isTrue(.suspended) else { return }
        setCondition(.suspended, .false, reason: .jobResumed, message: "spec.suspend is false")
        event(.normal, .resumed, "Job resumed")
    }

    /// A reason the whole job fails now: a failed parent, a create the API server refused
    /// for good, or the total deadline.
    func jobLevelFailure() -> (reason: JobConditionReason, message: String)? {
        if let parent = failedParent() {
            return (.dependencyFailed, "\(parent) failed, so this job cannot run; it runs when \(parent) is retried and succeeds")
        }
        if let (name, answer) = refusedCreation() {
            return (.createRefused, "the API server refused to create pod \(name), so this job cannot run: \(answer)")
        }
        guard let seconds = settings.totalSeconds, let start = status.startTime else { return nil }
        guard start.addingTimeInterval(TimeInterval(seconds)) <= now else { return nil }
        return (.deadlineExceeded, "the job ran longer than timeouts.totalSeconds (\(seconds)s)")
    }

    /// The current attempt of an unfinished unit whose create the API server refused for
    /// good, with the server's answer; the lowest pod name first.
    func refusedCreation() -> (name: String, answer: String)? {
        guard !input.creations.refused.isEmpty else { return nil }
        let current = Set(table.states.keys.filter { !table.isDone($0) }.map { job.podName(unit: $0, attempt: table.attempt($0)) })
        return input.creations.refused.filter { current.contains($0.key) }.min { $0.key < $1.key }.map { (name: $0.key, answer: $0.value) }
    }

    mutating func failJob(reason: JobConditionReason, message: String) {
        if setCondition(.failed, .true, reason: reason, message: message) { event(.warning, .failed, "Job failed: \(message)") }
        if status.completionTime == nil { status.completionTime = now }
        status.phase = .failed
        stopAllPods()
        expireAfterTTL()
    }

    /// Every unit is done: Succeeded if none failed, else Failed, as the kind words it.
    mutating func complete() {
        guard !table.failed.isEmpty else {
            let (reason, message) = Kind.succeeded(in: self)
            if setCondition(.succeeded, .true, reason: reason, message: message) { event(.normal, .completed, "Job completed: \(message)") }
            if status.completionTime == nil { status.completionTime = now }
            status.phase = .succeeded
            stopAllPods()
            expireAfterTTL()
            return
        }
        let (reason, message) = Kind.failed(in: self)
        failJob(reason: reason, message: message)
    }

    /// `ttlSecondsAfterFinished`: delete the job once it passed, else look again then.
    mutating func expireAfterTTL() {
        guard let ttl = settings.ttlSecondsAfterFinished, let completion = status.completionTime else { return }
        let expiry = completion.addingTimeInterval(TimeInterval(ttl))
        if expiry <= now { deleteJob = true } else { wake(at: expiry) }
    }
}

// MARK: - Retrying a failed job

extension JobRun {
    /// The parent named in `dependsOn` that failed, if any.
    func failedParent() -> JobReference? {
        let namespace = job.metadata.namespace ?? ""
        return settings.dependsOn.map { JobReference($0, namespace: namespace) }.first { input.graph.state(of: $0).phase == .failed }
    }

    /// Re-opens a Failed job: when `spec.retryGeneration` was bumped beyond the one status
    /// last acted on, its failed units run again with a fresh attempt budget and what they
    /// learned (attempt numbers keep growing, so pod names stay unique; what succeeded stays
    /// done); when it failed because a parent failed and no parent has failed any more (the
    /// parent was retried), it waits for its parents again. A bump on a job that has not
    /// failed is only noted.
    mutating func reopenIfRetried() {
        let asked = settings.retryGeneration > status.retryGeneration
        if asked { status.retryGeneration = settings.retryGeneration }
        guard isTrue(.failed), !isTrue(.invalid) else { return }
        if asked {
            let failed = table.failed
            let what = Kind.unitLabel(0) == nil
                ? "a new attempt"
                : "\(failed.count) failed \(failed.count == 1 ? "index" : "indexes") (\(failed))"
            reopen(reason: .retried, message: "spec.retryGeneration \(settings.retryGeneration): retrying \(what) with \(settings.attempts) attempts")
            status.startTime = nil
        } else if condition(.failed)?.reason == JobConditionReason.dependencyFailed.rawValue, failedParent() == nil {
            reopen(reason: .dependencyRetried, message: "no parent in spec.dependsOn has failed any more: waiting for them again")
        }
    }

    /// Every failed unit gets a fresh attempt budget and may start at once; the job is no
    /// longer Failed.
    private mutating func reopen(reason: JobConditionReason, message: String) {
        for unit in table.failed.indexes {
            var state = table.state(unit)
            state.countedFailures = 0
            state.retryAfter = nil
            state.launchedAt = nil
            table.states[unit] = state
        }
        table.failed = IndexRanges()
        summary = [:]
        status.completionTime = nil
        setCondition(.failed, .false, reason: reason, message: message)
        event(.normal, .retried, message)
    }
}
