import Foundation
import KubeAPI
import SlipwayAPI

// MARK: - Creating attempts

extension DeciderRun {
    /// Requests pods for due indexes, lowest first: not done, no pod of theirs active, past
    /// their retry time, their dependencies met, within `parallelism`. An index whose pod
    /// was requested but is not yet in the cache keeps its slot; after
    /// ``BatchJobDecider/createGrace`` it is requested again under the same name.
    mutating func createPods() throws(PodRenderError) {
        let active = activePods
        let activeIndexes = Set(active.map(\.index))
        let inFlight = table.states.filter { index, state in
            state.launchedAt != nil && !activeIndexes.contains(index) && !table.isDone(index)
        }
        var slots = (spec.parallelism ?? table.size) - active.count - inFlight.count
        for (index, state) in inFlight.sorted(by: { $0.key < $1.key }) {
            let name = SlipwayLabels.podName(job: job.metadata.name ?? "", index: index, attempt: table.nextAttempt(index))
            let due = input.failedCreates.contains(name) ? now : state.launchedAt!.addingTimeInterval(BatchJobDecider.createGrace)
            if due <= now { try create(index, fresh: false) } else { wakeups.append(due) }
        }
        guard let gate = dependencyGate() else { return }
        var index = 0
        while index < table.size, slots > 0 {
            defer { index += 1 }
            if creates.count >= input.configuration.maxCreatesPerDecision {
                wakeups.append(now.addingTimeInterval(1))
                break
            }
            guard !table.isDone(index), !activeIndexes.contains(index), inFlight[index] == nil else { continue }
            if let after = table.states[index]?.retryAfter, after > now {
                wakeups.append(after)
                continue
            }
            guard gate.allows(index) else { continue }
            try create(index, fresh: true)
            slots -= 1
        }
        // Indexes beyond the slots that wait for a retry still need a wake-up.
        for state in table.states.values { if let after = state.retryAfter, after > now { wakeups.append(after) } }
    }

    /// Requests the pod of the index's next attempt and notes the request in its state.
    private mutating func create(_ index: Int, fresh: Bool) throws(PodRenderError) {
        let attempt = table.nextAttempt(index)
        var state = table.state(index)
        let resources = attemptResources(state)
        let pod = try PodRenderer.render(
            job: job, index: index, attempt: attempt, resources: resources, capacityLabel: input.configuration.capacityLabel)
        creates.append(.createPod(pod))
        state.launchedAt = now
        state.retryAfter = nil
        table.states[index] = state
        guard fresh else { return }
        status.attempts += 1
        if status.startTime == nil { status.startTime = now }
        let ran = resources ?? templateResources
        let details = [ran.memory.map { "memory \($0)" }, ran.capacity == .unpinned ? nil : ran.capacity.rawValue].compactMap { $0 }
        let suffix = details.isEmpty ? "" : " (\(details.joined(separator: ", ")))"
        event(.normal, "AttemptStarted", "Created pod \(pod.metadata.name ?? "") for index \(index) attempt \(attempt)\(suffix)")
    }

    /// What the index's next attempt runs with; nil when the template applies unchanged.
    /// Adapted memory sets request and limit together (as adaptation raises them); adapted
    /// cpu sets the request, and the limit when the template has one.
    func attemptResources(_ state: IndexState) -> AttemptResources? {
        guard state.memory != nil || state.cpu != nil || state.capacity != nil else { return nil }
        var resources = templateResources
        if let memory = state.memory {
            resources.memoryLimit = memory
            resources.memoryRequest = memory
        }
        if let cpu = state.cpu {
            resources.cpuRequest = cpu
            if resources.cpuLimit != nil { resources.cpuLimit = cpu }
        }
        if let capacity = state.capacity.flatMap(Capacity.init(rawValue:)) { resources.capacity = capacity }
        return resources
    }
}

// MARK: - Dependencies

/// Which indexes the job's dependencies let start.
struct DependencyGate {
    /// Parents of NToN dependencies: index i waits for their index i.
    var perIndex: [DependencyState] = []

    func allows(_ index: Int) -> Bool { perIndex.allSatisfy { $0.succeededIndexes.contains(index) } }
}

extension DeciderRun {
    /// The gate, or nil while a Sequential parent has not succeeded or a parent is missing
    /// (``waitingFor`` says which). Failed parents and size mismatches are handled before.
    mutating func dependencyGate() -> DependencyGate? {
        var gate = DependencyGate()
        for dependency in spec.dependsOn {
            let parent = input.dependencies[dependency.name] ?? .missing
            let name = "\(dependency.kind) \(dependency.name)"
            if parent.phase == .missing {
                waitingFor = "waiting for \(name), which does not exist yet"
                return nil
            }
            switch dependency.type {
            case .sequential where parent.phase != .succeeded:
                waitingFor = "waiting for \(name) to succeed"
                return nil
            case .sequential:
                continue
            case .nToN:
                gate.perIndex.append(parent)
                if parent.phase != .succeeded { waitingFor = "indexes wait for the same index of \(name) to succeed" }
            }
        }
        return gate
    }
}
