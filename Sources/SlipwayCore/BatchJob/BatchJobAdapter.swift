import KubeAPI
import SlipwayAPI

/// The resources of a BatchJob index's next attempt and why they differ from the failed one's.
public struct BatchJobAdaptation: Sendable, Hashable {
    /// What the next attempt runs with.
    public var next: AttemptResources
    /// Each change, for events and the attempt history: `memory 512Mi → 1Gi after OOMKilled`.
    public var changes: [String]
    /// Set when the next attempt runs at a cap: `memory is already at the cap 4Gi
    /// (adapt.memory.max); the next OutOfMemory fails the index`.
    public var capReached: String?
    /// Set when this OutOfMemory happened at the memory cap: the index fails with this message.
    public var exhausted: String?

    /// A result with its fields.
    public init(next: AttemptResources, changes: [String] = [], capReached: String? = nil, exhausted: String? = nil) {
        self.next = next
        self.changes = changes
        self.capReached = capReached
        self.exhausted = exhausted
    }

    /// Whether the failed attempt already had the most memory allowed, so the index fails.
    public var atCap: Bool { exhausted != nil }
}

/// Derives a BatchJob index's next resources from a failure (docs/batchjob.md).
///
/// - Memory, on OutOfMemory: request and limit × `adapt.memory.factor`, rounded up to
///   whole MiB, capped at `adapt.memory.max`. An OutOfMemory at the cap is ``BatchJobAdaptation/exhausted``.
/// - CPU, on OutOfMemory or DeadlineExceeded: × `adapt.cpu.factor`, rounded up to whole
///   millicores, capped at `adapt.cpu.max`. Reaching its cap never fails the index.
/// - Capacity: pinned on-demand after a failure of a class in `onDemandAfter.classes`, or
///   once the index has failed `onDemandAfter.failures` times; never unpinned again.
public enum BatchJobAdapter {
    /// The next attempt's resources.
    /// - Parameters:
    ///   - classification: how the attempt failed.
    ///   - adaptation: `spec.adapt`.
    ///   - ran: what the failed attempt ran with.
    ///   - previousFailures: the classes of the index's earlier failed attempts (this one excluded).
    public static func adapt(
        after classification: Classification, adaptation: Adaptation, ran: AttemptResources, previousFailures: [FailureClass]
    ) -> BatchJobAdaptation {
        var result = BatchJobAdaptation(next: ran)
        guard let failureClass = classification.failureClass else { return result }
        let trigger = classification.reason == "OOMKilled" ? "OOMKilled" : failureClass.rawValue
        if failureClass == .outOfMemory, let memory = adaptation.memory {
            grow(.memory, memory, trigger: trigger, into: &result)
        }
        if failureClass == .outOfMemory || failureClass == .deadlineExceeded, let cpu = adaptation.cpu {
            grow(.cpu, cpu, trigger: trigger, into: &result)
        }
        if let rule = adaptation.capacity?.onDemandAfter, ran.capacity != .onDemand {
            let failures = previousFailures.count + 1
            let reason: String? = rule.classes.contains(failureClass) ? "after \(failureClass.rawValue)"
                : rule.failures.flatMap { failures >= $0 && $0 > 0 ? "after \(failures) failures" : nil }
            if let reason {
                result.next.capacity = .onDemand
                result.changes.append("capacity \(ran.capacity.rawValue) → on-demand \(reason)")
            }
        }
        return result
    }

    enum Resource: String { case memory, cpu }

    static func grow(_ resource: Resource, _ rule: ResourceAdaptation, trigger: String, into result: inout BatchJobAdaptation) {
        let key = resource.rawValue
        let (request, limit) = resource == .memory
            ? (result.next.memoryRequest, result.next.memoryLimit) : (result.next.cpuRequest, result.next.cpuLimit)
        guard let current = limit ?? request else { return }
        let cap = rule.max
        if let cap, current >= cap {
            let text = "\(key) is already at the cap \(cap) (adapt.\(key).max)"
            if resource == .memory { result.exhausted = text + "; the index fails" } else { result.capReached = text }
            return
        }
        let step = resource == .memory ? ResourceGrowth.memoryStep : ResourceGrowth.cpuStep
        let newRequest = request.map { ResourceGrowth.scaled($0, rule.factor, step: step, cap: cap) }
        let newLimit = limit.map { ResourceGrowth.scaled($0, rule.factor, step: step, cap: cap) }
        if resource == .memory {
            (result.next.memoryRequest, result.next.memoryLimit) = (newRequest, newLimit)
        } else {
            (result.next.cpuRequest, result.next.cpuLimit) = (newRequest, newLimit)
        }
        result.changes.append(describe(key, (request, newRequest), (limit, newLimit), trigger: trigger))
        if let cap, (newLimit ?? newRequest).map({ $0 >= cap }) == true {
            let consequence = resource == .memory ? "; the next OutOfMemory fails the index" : ""
            result.capReached = "\(key) is at the cap \(cap) (adapt.\(key).max)\(consequence)"
        }
    }

    /// `memory 512Mi → 1Gi after OOMKilled`, or request and limit separately when they differ.
    static func describe(
        _ key: String, _ request: (Quantity?, Quantity?), _ limit: (Quantity?, Quantity?), trigger: String
    ) -> String {
        switch (request, limit) {
        case ((let old?, let new?), (let oldLimit?, let newLimit?)) where old != oldLimit:
            return "\(key) request \(old) → \(new), limit \(oldLimit) → \(newLimit) after \(trigger)"
        case (_, (let old?, let new?)), ((let old?, let new?), _):
            return "\(key) \(old) → \(new) after \(trigger)"
        default:
            return "\(key) unchanged after \(trigger)"
        }
    }
}
