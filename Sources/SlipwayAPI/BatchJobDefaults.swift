import KubeAPI

/// The defaults of a BatchJob that its schema cannot express, because they depend on other
/// fields. The API server fills in the rest (`arraySize: 1`, `retryStrategy.attempts: 3`,
/// backoff, `suspend: false`) from the CRD's schema.
public enum BatchJobDefaults {
    /// The rules that apply after the user's (first match wins, so the user's take
    /// precedence): Interrupted → Ignore, OutOfMemory → Retry, StartFailure → Fail.
    public static let defaultRules: [RetryRule] = [
        RetryRule(action: .ignore, classes: [.interrupted]),
        RetryRule(action: .retry, classes: [.outOfMemory]),
        RetryRule(action: .fail, classes: [.startFailure]),
    ]

    /// `spec` with the cross-field defaults applied; idempotent.
    ///
    /// - `container`: the first container's name;
    /// - `parallelism`: `arraySize` (all indexes at once);
    /// - `retryStrategy.rules`: ``defaultRules`` appended unless already there.
    public static func apply(to spec: BatchJobSpec) -> BatchJobSpec {
        var out = spec
        if out.container == nil, let first = spec.template.spec.containers.first, !first.name.isEmpty {
            out.container = first.name
        }
        if out.parallelism == nil { out.parallelism = spec.arraySize }
        var rules = out.retryStrategy.rules
        for rule in defaultRules where !rules.contains(rule) { rules.append(rule) }
        out.retryStrategy.rules = rules
        return out
    }
}
