import Foundation
import KubeAPI
import SlipwayAPI

/// What the next attempt of a SparkJob runs with after a failure, and why.
public struct SparkJobAdaptation: Sendable, Hashable {
    public var driverMemory: String
    public var executorMemory: String
    public var executorInstances: Int
    public var driverCapacity: Capacity
    public var executorCapacity: Capacity
    /// Each change: `executor memory 512m → 1g after OOMKilled`.
    public var changes: [String] = []
    /// What kind each change is (memory, executors, capacity), for metrics.
    public var kinds: [RecordedAttempt.Change] = []
    /// The attempt ran out of memory at the cap: the job fails with this message.
    public var exhausted: String?
    /// The next attempt runs at a cap.
    public var capReached: String?

    /// Writes the adapted values into the next attempt's state.
    func apply(to state: inout SparkAttemptState) {
        state.driverMemory = driverMemory
        state.executorMemory = executorMemory
        state.executorInstances = executorInstances
        state.driverCapacity = driverCapacity == .unpinned ? nil : driverCapacity.rawValue
        state.executorCapacity = executorCapacity == .unpinned ? nil : executorCapacity.rawValue
    }
}

/// Spark's adaptation (docs/sparkjob.md, "Retries and adaptation"), on the same rules as
/// ``BatchJobAdapter``: growth by a factor rounded up to whole MiB, capped; at the cap an
/// OutOfMemory fails the job.
/// - Driver OutOfMemory → `adapt.driverMemory`; executor OutOfMemory → `adapt.executorMemory`.
/// - An executor failure (lost, out of memory, or not started in time) → `adapt.executors`:
///   `+ step` (or `× factor`, rounded up; `+1` when neither is set), at most `max`.
/// - Executors move to on-demand after a failure of a class in
///   `adapt.capacity.executorsOnDemandAfter.classes` (default Interrupted) or once the job
///   failed `failures` times; never back.
/// - A driver interrupted off capacity other than on-demand (`adapt.capacity.driver` spot or
///   any) moves to on-demand; never back.
public enum SparkJobAdapter {
    public static func adapt(
        after classification: Classification, role: SparkRole, spec: SparkJobSpec, ran: SparkAttemptPlan, failures: Int
    ) -> SparkJobAdaptation {
        var result = SparkJobAdaptation(
            driverMemory: ran.driverMemory, executorMemory: ran.executorMemory, executorInstances: ran.executorInstances,
            driverCapacity: ran.driverCapacity, executorCapacity: ran.executorCapacity)
        guard let failureClass = classification.failureClass else { return result }
        let trigger = classification.reason == "OOMKilled" ? "OOMKilled" : (classification.reason == "ExecutorStartTimeout" ? "ExecutorStartTimeout" : failureClass.rawValue)
        let adapt = spec.adapt
        if failureClass == .outOfMemory {
            if role == .driver, let rule = adapt.driverMemory {
                var memory = result.driverMemory
                grow(&memory, rule, what: "driver memory", field: "driverMemory", trigger: trigger, into: &result)
                result.driverMemory = memory
            } else if role == .executor, let rule = adapt.executorMemory {
                var memory = result.executorMemory
                grow(&memory, rule, what: "executor memory", field: "executorMemory", trigger: trigger, into: &result)
                result.executorMemory = memory
            }
        }
        if role == .executor, let rule = adapt.executors, let max = rule.max {
            let current = ran.executorInstances
            if current >= max {
                result.capReached = "executors are at the cap \(max) (adapt.executors.max)"
            } else {
                var next = current + 1
                if let step = rule.step { next = current + step } else if let factor = rule.factor { next = Int((Double(current) * factor).rounded(.up)) }
                next = min(Swift.max(next, current + 1), max)
                result.executorInstances = next
                result.changes.append("executors \(current) → \(next) after \(trigger)")
                result.kinds.append(.executors)
            }
        }
        if role == .driver, failureClass == .interrupted, adapt.capacity != nil, ran.driverCapacity != .onDemand {
            let from = ran.driverCapacity == .unpinned ? "any" : ran.driverCapacity.rawValue
            result.driverCapacity = .onDemand
            result.changes.append("driver capacity \(from) → on-demand after Interrupted")
            result.kinds.append(.capacity)
        }
        if let capacity = adapt.capacity, ran.executorCapacity != .onDemand {
            let rule = capacity.executorsOnDemandAfter
            let classes = rule.classes.isEmpty && rule.failures == nil ? [FailureClass.interrupted] : rule.classes
            let count = failures + 1
            let reason: String? = classes.contains(failureClass) ? "after \(failureClass.rawValue)"
                : rule.failures.flatMap { count >= $0 ? "after \(count) failed attempt\(count == 1 ? "" : "s")" : nil }
            if let reason {
                let from = ran.executorCapacity == .unpinned ? "any" : ran.executorCapacity.rawValue
                result.executorCapacity = .onDemand
                result.changes.append("executor capacity \(from) → on-demand \(reason)")
                result.kinds.append(.capacity)
            }
        }
        return result
    }

    static func grow(
        _ memory: inout String, _ rule: SparkMemoryAdaptation, what: String, field: String, trigger: String, into result: inout SparkJobAdaptation
    ) {
        guard let capText = rule.max, let cap = try? Quantity(sparkMemory: capText), let current = try? Quantity(sparkMemory: memory) else { return }
        if current >= cap {
            result.exhausted = "\(what) is already at the cap \(capText) (adapt.\(field).max); the job fails"
            return
        }
        let next = ResourceGrowth.scaled(current, rule.factor, step: ResourceGrowth.memoryStep, cap: cap)
        let text = next.sparkMemoryString
        result.changes.append("\(what) \(memory) → \(text) after \(trigger)")
        result.kinds.append(.memory)
        memory = text
        if next >= cap { result.capReached = "\(what) is at the cap \(capText) (adapt.\(field).max); the next OutOfMemory fails the job" }
    }
}
