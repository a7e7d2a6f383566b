import KubeAPI

/// The defaults of a BatchJob that its schema cannot express, because they depend on other
/// fields or on the operator's settings. The API server fills in the rest (`arraySize: 1`,
/// backoff, `suspend: false`) from the CRD's schema.
public enum BatchJobDefaults {
    /// `spec` with the cross-field defaults applied; idempotent.
    ///
    /// - `container`: the first container's name;
    /// - `parallelism`: `arraySize` (all indexes at once);
    /// - `retryStrategy.attempts`: `defaultAttempts` (the operator's `--default-attempts`) when unset;
    /// - `retryStrategy.rules`: ``RetryStrategy/defaultRules`` appended unless already there.
    public static func apply(to spec: BatchJobSpec, defaultAttempts: Int = RetryStrategy.defaultAttempts) -> BatchJobSpec {
        var out = withAttempts(spec, defaultAttempts: defaultAttempts)
        if out.container == nil, let first = spec.template.spec.containers.first, !first.name.isEmpty {
            out.container = first.name
        }
        if out.parallelism == nil { out.parallelism = spec.arraySize }
        var rules = out.retryStrategy.rules
        for rule in RetryStrategy.defaultRules where !rules.contains(rule) { rules.append(rule) }
        out.retryStrategy.rules = rules
        return out
    }

    /// `spec` with `retryStrategy.attempts` set to `defaultAttempts` when the job left it unset.
    public static func withAttempts(_ spec: BatchJobSpec, defaultAttempts: Int) -> BatchJobSpec {
        guard spec.retryStrategy.requestedAttempts == nil else { return spec }
        var out = spec
        out.retryStrategy.attempts = defaultAttempts
        return out
    }
}
