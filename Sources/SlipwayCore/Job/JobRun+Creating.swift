import Foundation
import KubeAPI
import SlipwayAPI

// MARK: - Creating attempts

extension JobRun {
    /// Creates what is due, lowest unit first:
    /// - an active attempt whose pod owns other objects and whose creation this process did
    ///   not see complete is created again (the pod is adopted, what it owns applied);
    /// - a unit whose attempt was requested but is not in the cache keeps its slot, and after
    ///   ``JobDecider/createGrace`` (at once when the create failed) is requested again under
    ///   the same name;
    /// - units not done, with no attempt active, past their retry time, their dependencies
    ///   met, start within `parallelism`, at most `maxCreatesPerDecision` per decision.
    mutating func createDueAttempts() throws(AttemptRenderError) {
        let active = activeAttempts
        let activeUnits = Set(active.map(\.unit))
        if Kind.attemptsOwnObjects {
            for attempt in active where !input.creations.completed.contains(attempt.name) && !attempt.pod.metadata.isBeingDeleted {
                try create(attempt.unit)
            }
        }
        let inFlight = table.states.filter { unit, state in
            unit < table.size && state.launchedAt != nil && !activeUnits.contains(unit) && !table.isDone(unit)
        }
        var slots = settings.parallelism - active.count - inFlight.count
        for (unit, state) in inFlight.sorted(by: { $0.key < $1.key }) {
            let name = job.podName(unit: unit, attempt: table.attempt(unit))
            let due = input.creations.failed.contains(name) ? now : state.launchedAt!.addingTimeInterval(JobDecider<Kind>.createGrace)
            if due <= now { try create(unit, relaunch: true) } else { wake(at: due) }
        }
        guard let gate = dependencyGate(), queueAdmits() else { return }
        var unit = 0
        while unit < table.size, slots > 0 {
            defer { unit += 1 }
            if creates.count >= configuration.maxCreatesPerDecision {
                wake(at: now.addingTimeInterval(1))
                break
            }
            guard !table.isDone(unit), !activeUnits.contains(unit), inFlight[unit] == nil else { continue }
            if let after = table.states[unit]?.retryAfter, after > now {
                wake(at: after)
                continue
            }
            guard gate.allows(unit) else { continue }
            try create(unit, relaunch: true)
            slots -= 1
        }
        // Units beyond the slots that wait for a retry still need a wake-up.
        for (unit, state) in table.states where !table.isDone(unit) {
            if let after = state.retryAfter, after > now { wake(at: after) }
        }
    }

    /// Requests the objects of the unit's current attempt. With `relaunch` the request is
    /// noted in the unit's state (a first launch is counted and announced); without, the
    /// attempt's creation is only completed and its state left as it is, so that it renders
    /// exactly as before.
    private mutating func create(_ unit: Int, relaunch: Bool = false) throws(AttemptRenderError) {
        let attempt = table.attempt(unit)
        var state = table.state(unit)
        var objects = try Kind.render(unit: unit, attempt: attempt, state: state, in: self)
        objects.pod.metadata.annotations[SlipwayLabels.launchedAtAnnotation] = RFC3339.format(state.launchedAt ?? now)
        creates.append(.create(objects))
        wake(at: now.addingTimeInterval(JobDecider<Kind>.createGrace))
        guard relaunch else { return }
        let fresh = state.launchedAt == nil
        state.launchedAt = now
        state.retryAfter = nil
        table.states[unit] = state
        guard fresh else { return }
        status.attempts += 1
        if status.startTime == nil { status.startTime = now }
        // A unit's first attempt is what the status already says (Started, Submitted,
        // the counts): an Event would repeat it at the cost of a write. A later attempt
        // is announced with what it runs with.
        guard attempt > 0 else { return }
        let (reason, message) = Kind.startedEvent(objects, unit: unit, attempt: attempt, state: state, in: self)
        event(.normal, reason, message)
    }

    /// Records the launch of every attempt whose pod the cache shows while status does not
    /// (the status write of the decision that created it was folded into a later one, or
    /// the operator stopped between the create and that write): counted, and the job's
    /// start time taken from the earliest such pod, and the launch time from the pod's
    /// `slipway.dev/launched-at`, as if that write had been made.
    mutating func adoptUnrecordedLaunches() {
        var earliest: Date?
        for attempt in unrecordedAttempts where attempt.unit < table.size && !table.isDone(attempt.unit) {
            var state = table.state(attempt.unit)
            guard attempt.attempt == state.attempt, state.launchedAt == nil else { continue }
            state.launchedAt = attempt.pod.metadata.annotations[SlipwayLabels.launchedAtAnnotation].flatMap(RFC3339.parse) ?? now
            state.retryAfter = nil
            table.states[attempt.unit] = state
            status.attempts += 1
            let created = attempt.pod.metadata.creationTimestamp ?? now
            earliest = min(earliest ?? created, created)
        }
        if status.startTime == nil, let earliest { status.startTime = earliest }
    }
}

// MARK: - Dependencies

/// Which units the job's dependencies let start.
struct DependencyGate {
    /// Parents of NToN dependencies: unit i waits for their unit i.
    var perUnit: [DependencyState] = []

    func allows(_ unit: Int) -> Bool { perUnit.allSatisfy { $0.succeededIndexes.contains(unit) } }
}

extension JobRun {
    /// The gate, or nil while a Sequential parent has not succeeded or a parent is missing
    /// (``waitingFor`` says which). Failed parents and size mismatches are handled before.
    mutating func dependencyGate() -> DependencyGate? {
        var gate = DependencyGate()
        let namespace = job.metadata.namespace ?? ""
        for dependency in settings.dependsOn {
            let reference = JobReference(dependency, namespace: namespace)
            let parent = input.graph.state(of: reference)
            if parent.phase == .missing {
                waitingFor = "waiting for \(reference), which does not exist yet"
                return nil
            }
            switch dependency.type {
            case .sequential where parent.phase != .succeeded:
                waitingFor = "waiting for \(reference) to succeed"
                return nil
            case .sequential:
                continue
            case .nToN:
                gate.perUnit.append(parent)
                if parent.phase != .succeeded { waitingFor = "indexes wait for the same index of \(reference) to succeed" }
            }
        }
        return gate
    }
}
