import KubeAPI
import SlipwayAPI

/// The resources of the next attempt and why they differ from the failed one's.
public struct AdaptationResult: Sendable, Hashable {
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

/// Derives the next attempt's resources from a failure (DESIGN.md, "Adaptive retries").
///
/// - Memory, on OutOfMemory: request and limit × `adapt.memory.factor`, rounded up to
///   whole MiB, capped at `adapt.memory.max`. An OutOfMemory at the cap is ``AdaptationResult/exhausted``.
/// - CPU, on OutOfMemory or DeadlineExceeded: × `adapt.cpu.factor`, rounded up to whole
///   millicores, capped at `adapt.cpu.max`. Reaching its cap never fails the index.
/// - Capacity: pinned on-demand after a failure of a class in `onDemandAfter.classes`, or
///   once the index has failed `onDemandAfter.failures` times; never unpinned again.
public enum Adapter {
    /// Granularity of adapted memory.
    public static let memoryStep: Quantity = "1Mi"
    /// Granularity of adapted cpu.
    public static let cpuStep = Quantity(milli: 1)

    /// The next attempt's resources.
    /// - Parameters:
    ///   - classification: how the attempt failed.
    ///   - adaptation: `spec.adapt`.
    ///   - ran: what the failed attempt ran with.
    ///   - previousFailures: the classes of the index's earlier failed attempts (this one excluded).
    public static func adapt(
        after classification: Classification, adaptation: Adaptation, ran: AttemptResources, previousFailures: [FailureClass]
    ) -> AdaptationResult {
        var result = AdaptationResult(next: ran)
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

    static func grow(_ resource: Resource, _ rule: ResourceAdaptation, trigger: String, into result: inout AdaptationResult) {
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
        let step = resource == .memory ? memoryStep : cpuStep
        let newRequest = request.map { scaled($0, rule.factor, step: step, cap: cap) }
        let newLimit = limit.map { scaled($0, rule.factor, step: step, cap: cap) }
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

    /// `value × factor` rounded up to `step`, at most `cap`; unchanged if the product overflows.
    static func scaled(_ value: Quantity, _ factor: Double, step: Quantity, cap: Quantity?) -> Quantity {
        let product = (try? value.multiplied(by: factor, roundingUpTo: step)) ?? value
        guard let cap, product > cap else { return product }
        return cap
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
