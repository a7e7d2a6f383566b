import Foundation
import KubeAPI
import SlipwayAPI

/// A BatchJob as a ``JobKind``: its units are the array's indexes, each attempt one pod
/// `<job>-<index>-<attempt>` rendered from the template with the index's learned memory,
/// cpu and capacity (docs/batchjob.md).
extension BatchJob: JobKind {
    public typealias UnitState = IndexState
    public typealias OutcomeDetail = Void

    public static var attemptsOwnObjects: Bool { false }
    /// Counts of the pods as they are (succeeded and failed counts change only with
    /// `succeededIndexes` and `failedIndexes`, which are not progress), and the units' launch
    /// times (a pod the cache shows is launched: the next decision records it again,
    /// ``JobRun/adoptUnrecordedLaunches()``).
    public static var progressStatusKeys: Set<String> { ["total", "pending", "running", "succeeded", "failed", "progress", "indexStates"] }

    // MARK: - Spec

    public func settings(_ configuration: DeciderConfiguration) -> JobSettings {
        let size = max(0, spec.arraySize)
        var settings = JobSettings(
            units: size, parallelism: spec.parallelism ?? size, dependsOn: spec.dependsOn, retryStrategy: spec.retryStrategy,
            attempts: spec.retryStrategy.attempts(default: configuration.defaultAttempts), suspend: spec.suspend,
            ttlSecondsAfterFinished: spec.ttlSecondsAfterFinished, startTimeouts: .from(seconds: spec.timeouts.startSeconds, defaults: configuration),
            totalSeconds: spec.timeouts.totalSeconds)
        settings.retryGeneration = spec.retryGeneration
        return settings
    }

    public func violations(_ configuration: DeciderConfiguration) -> [FieldViolation] {
        BatchJobValidation.validate(self, policy: configuration.podPolicy, maxAttempts: configuration.maxAttempts)
    }

    public static func renderProblems(in run: JobRun<BatchJob>) -> [String] {
        do throws(PodRenderError) {
            _ = try BatchJobPodRenderer.render(job: run.job, index: 0, attempt: 0, resources: nil, labels: run.labels)
            return []
        } catch {
            return [error.description]
        }
    }

    public var graphNode: JobGraphNode {
        let succeeded = IndexRanges(parsing: status.succeededIndexes ?? "") ?? IndexRanges()
        let namespace = metadata.namespace ?? ""
        return JobGraphNode(
            state: DependencyState(status, succeededIndexes: succeeded, arraySize: spec.arraySize),
            parents: spec.dependsOn.map { JobReference($0, namespace: namespace) })
    }

    // MARK: - Units

    /// The compact status form expanded: index sets, and each index's state from the
    /// grouped `indexStates`.
    public static func units(of status: BatchJobStatus, size: Int) -> UnitTable<IndexState> {
        var states: [Int: IndexState] = [:]
        for entry in status.indexStates {
            var state = entry
            state.object.removeValue(forKey: "indexes")
            for range in (IndexRanges(parsing: entry.indexes) ?? IndexRanges()).ranges {
                for index in range where index < size { states[index] = state }
            }
        }
        return UnitTable(
            size: size, succeeded: IndexRanges(parsing: status.succeededIndexes ?? "") ?? IndexRanges(),
            failed: IndexRanges(parsing: status.failedIndexes ?? "") ?? IndexRanges(), states: states)
    }

    /// Index sets, and the states of indexes not succeeded, identical states sharing one
    /// entry (in the order of their lowest index): the list stays short for any array size.
    public static func store(_ units: UnitTable<IndexState>, into status: inout BatchJobStatus) {
        status.succeededIndexes = units.succeeded.isEmpty ? nil : units.succeeded.description
        status.failedIndexes = units.failed.isEmpty ? nil : units.failed.description
        // Failed indexes group without their last failure (each says it in its own words;
        // history keeps them): a group keeps its lowest index's, so 100,000 failed indexes
        // make a handful of entries, not 100,000.
        var groups: [JSONObject: [Int]] = [:]
        var lastFailures: [JSONObject: (index: Int, text: String)] = [:]
        for (index, state) in units.states where !units.succeeded.contains(index) {
            var key = state
            key.object.removeValue(forKey: "indexes")
            if units.failed.contains(index), let text = key.lastFailure {
                key.lastFailure = nil
                if (lastFailures[key.object]?.index ?? .max) > index { lastFailures[key.object] = (index, text) }
            }
            groups[key.object, default: []].append(index)
        }
        var entries: [(first: Int, state: IndexState)] = []
        for (object, indexes) in groups {
            var entry = IndexState()
            entry.indexes = rangesText(indexes.sorted())
            for (key, value) in object { entry.object[key] = value }
            if let kept = lastFailures[object] { entry.lastFailure = kept.text }
            entries.append((indexes.min() ?? 0, entry))
        }
        status.indexStates = entries.sorted { $0.first < $1.first }.map(\.state)
    }

    /// `"0-2,5"` for sorted indexes, in one pass.
    static func rangesText(_ sorted: [Int]) -> String {
        var parts: [String] = []
        var i = 0
        while i < sorted.count {
            var j = i
            while j + 1 < sorted.count, sorted[j + 1] <= sorted[j] + 1 { j += 1 }
            parts.append(i == j || sorted[i] == sorted[j] ? "\(sorted[i])" : "\(sorted[i])-\(sorted[j])")
            i = j + 1
        }
        return parts.joined(separator: ",")
    }

    // MARK: - Observing

    /// The job's pods that carry an index and an attempt.
    public static func attempts(in input: JobInput<BatchJob>) -> [ObservedAttempt] {
        input.pods.compactMap { pod in
            let labels = pod.metadata.labels
            guard let index = labels[SlipwayLabels.index].flatMap(Int.init), let attempt = labels[SlipwayLabels.attempt].flatMap(Int.init)
            else { return nil }
            return ObservedAttempt(unit: index, attempt: attempt, pod: pod)
        }
    }

    /// The main container's end, or the pod stuck past its start timeouts.
    public static func outcome(of attempt: ObservedAttempt, in run: inout JobRun<BatchJob>) -> AttemptOutcome<Void>? {
        run.classify(attempt.pod, container: run.job.spec.container, startTimeouts: run.settings.startTimeouts).map { AttemptOutcome(classification: $0) }
    }

    // MARK: - Creating

    public func podName(unit: Int, attempt: Int) -> String {
        SlipwayLabels.podName(job: metadata.name ?? "", index: unit, attempt: attempt)
    }

    public static func render(unit: Int, attempt: Int, state: IndexState, in run: JobRun<BatchJob>) throws(AttemptRenderError) -> AttemptObjects {
        do throws(PodRenderError) {
            let resources = attemptResources(state, run: run)
            return AttemptObjects(pod: try BatchJobPodRenderer.render(job: run.job, index: unit, attempt: attempt, resources: resources, labels: run.labels))
        } catch {
            throw AttemptRenderError(error.description)
        }
    }

    /// `Created pod etl-0-1 for index 0 attempt 1 (memory 1Gi, on-demand)`.
    public static func startedEvent(_ objects: AttemptObjects, unit: Int, attempt: Int, state: IndexState, in run: JobRun<BatchJob>)
        -> (reason: JobEventReason, message: String) {
        let ran = attemptResources(state, run: run) ?? templateResources(run)
        let details = [ran.memory.map { "memory \($0)" }, ran.capacity == .unpinned ? nil : ran.capacity.rawValue].compactMap { $0 }
        let suffix = details.isEmpty ? "" : " (\(details.joined(separator: ", ")))"
        return (.attemptStarted, "Created pod \(objects.pod.metadata.name ?? "") for index \(unit) attempt \(attempt)\(suffix)")
    }

    /// What the index's next attempt runs with; nil when the template applies unchanged.
    /// Adapted memory sets request and limit together (as adaptation raises them); adapted
    /// cpu sets the request, and the limit when the template has one.
    static func attemptResources(_ state: IndexState, run: JobRun<BatchJob>) -> AttemptResources? {
        guard state.memory != nil || state.cpu != nil || state.capacity != nil else { return nil }
        var resources = templateResources(run)
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

    /// The template's resources and capacity for the main container.
    static func templateResources(_ run: JobRun<BatchJob>) -> AttemptResources {
        AttemptResources.read(from: run.job.spec.template.spec, container: run.job.spec.container, labels: run.labels)
    }

    // MARK: - Adapting

    /// ``BatchJobAdapter`` on what the pod ran with; values equal to the template's are
    /// left out of the state (nil: as the template says).
    public static func adapt(after outcome: AttemptOutcome<Void>, of attempt: ObservedAttempt, state: IndexState, in run: JobRun<BatchJob>)
        -> UnitAdaptation<IndexState> {
        let ran = AttemptResources.read(from: attempt.pod.spec, container: run.job.spec.container, labels: run.labels)
        let result = BatchJobAdapter.adapt(
            after: outcome.classification, adaptation: run.job.spec.adapt, ran: ran,
            previousFailures: Array(repeating: FailureClass.appError, count: state.failures))
        let template = templateResources(run)
        let next = result.next
        var adapted = state
        adapted.memory = next.memory == template.memory ? nil : next.memory
        adapted.cpu = next.cpu == template.cpu ? nil : next.cpu
        adapted.capacity = next.capacity == .unpinned || next.capacity == template.capacity ? nil : next.capacity.rawValue
        return UnitAdaptation(
            adapted: adapted, changes: result.changes, kinds: changes(from: ran, to: next), capReached: result.capReached,
            exhausted: result.exhausted)
    }

    /// What differs between the resources an attempt ran with and the next attempt's.
    static func changes(from ran: AttemptResources, to next: AttemptResources) -> [RecordedAttempt.Change] {
        var out: [RecordedAttempt.Change] = []
        if next.memoryRequest != ran.memoryRequest || next.memoryLimit != ran.memoryLimit { out.append(.memory) }
        if next.cpuRequest != ran.cpuRequest || next.cpuLimit != ran.cpuLimit { out.append(.cpu) }
        if next.capacity != ran.capacity { out.append(.capacity) }
        return out
    }

    // MARK: - Recording

    /// What the attempt ran with (memory, cpu, the capacity of its node) and how it ended.
    public static func record(_ attempt: ObservedAttempt, outcome: AttemptOutcome<Void>?, in run: JobRun<BatchJob>) -> AttemptRecord {
        var record = AttemptRecord()
        record.index = attempt.unit
        record.attempt = attempt.attempt
        record.pod = attempt.name
        let node = attempt.pod.spec.nodeName
        record.node = node
        let ran = AttemptResources.read(from: attempt.pod.spec, container: run.job.spec.container, labels: run.labels)
        let nodeCapacity = run.labels.capacity(forValue: node.flatMap { run.input.nodeLabels[$0]?[run.labels.key] })
        let capacity = nodeCapacity == .unpinned ? ran.capacity : nodeCapacity
        record.capacityType = capacity == .unpinned ? nil : capacity.rawValue
        record.memory = ran.memory
        record.cpu = ran.cpu
        let main = run.job.spec.container ?? attempt.pod.spec.containers.first?.name ?? ""
        run.fillRecord(&record, pod: attempt.pod, container: main, classification: outcome?.classification)
        record.events = run.attemptEvents([attempt.pod])
        return record
    }

    public static func historyLimits(_ configuration: DeciderConfiguration) -> HistoryLimits {
        HistoryLimits(perUnit: configuration.historyPerIndex, total: configuration.historyTotal)
    }

    // MARK: - Words

    public static func describeFailure(of attempt: ObservedAttempt, _ outcome: AttemptOutcome<Void>) -> String {
        "Pod \(attempt.name) (index \(attempt.unit) attempt \(attempt.attempt)) failed: \(outcome.classification.summary)"
    }

    public static func unitLabel(_ unit: Int) -> String? { "index \(unit)" }

    public static var unitFailsPhrase: String { "the index fails" }

    public static func lastFailure(_ outcome: AttemptOutcome<Void>, changes: [String]) -> String {
        (outcome.classification.failureClass?.rawValue ?? "failure") + (changes.isEmpty ? "" : " (\(changes.joined(separator: "; ")))")
    }

    public static var suspendedEventMessage: String { "Job suspended; active pods deleted" }

    public static func succeeded(in run: JobRun<BatchJob>) -> (reason: JobConditionReason, message: String) {
        (.allIndexesSucceeded, "all \(run.table.size) indexes succeeded")
    }

    /// `1 of 3 indexes failed (0); index 0: OutOfMemory: …`, naming the first failure.
    public static func failed(in run: JobRun<BatchJob>) -> (reason: JobConditionReason, message: String) {
        let table = run.table
        let first = table.failed.ranges[0].lowerBound
        let why = table.states[first]?.lastFailure.map { "; index \(first): \($0)" } ?? ""
        return (.indexesFailed, "\(table.failed.count) of \(table.size) indexes failed (\(table.failed))\(why)")
    }
}
