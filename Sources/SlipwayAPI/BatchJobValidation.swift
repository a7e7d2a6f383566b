import Foundation
import KubeAPI

/// The checks of a BatchJob that its CRD schema cannot express (cross-field rules, regular
/// expressions, quantities, pod policy). Pure; the controller reports the violations in an
/// `Invalid` condition and creates no pods.
///
/// Left to the controller, because they need other objects: `dependsOn` cycles (see
/// JobGraph in SlipwayCore), that a parent exists, and that an `NToN` parent has the same
/// `arraySize`.
public enum BatchJobValidation {
    /// Every violation, in the order of the spec's fields; empty means valid.
    ///
    /// - Parameters:
    ///   - policy: what the job's pods may ask for (the operator's `--allow-…` flags).
    ///   - maxAttempts: the most `retryStrategy.attempts` a job may ask for (the operator's
    ///     `--max-attempts`); nil: only the schema's limit.
    public static func validate(_ job: BatchJob, policy: PodPolicy = .restricted, maxAttempts: Int? = nil) -> [FieldViolation] {
        let spec = job.spec
        var out: [FieldViolation] = []
        out += containers(spec)
        out += parameters(spec)
        out += policy.violations(
            spec.template.spec, path: "spec.template.spec", namespace: job.metadata.namespace ?? "",
            ownNamespace: job.metadata.namespace == nil ? nil : spec.template.metadata.namespace)
        out += dependencies(spec, name: job.metadata.name)
        out += attempts(spec.retryStrategy, max: maxAttempts)
        out += rules(spec.retryStrategy.rules)
        out += adaptation(spec)
        return out
    }

    // MARK: - Attempts

    /// `retryStrategy.attempts`, when set, is within the operator's ceiling.
    static func attempts(_ strategy: RetryStrategy, max: Int?) -> [FieldViolation] {
        guard let max, let asked = strategy.requestedAttempts, asked > max else { return [] }
        return [FieldViolation(
            field: "spec.retryStrategy.attempts",
            message: "\(asked) is more than this operator allows (at most \(max), its --max-attempts); ask for \(max) or fewer")]
    }

    // MARK: - Containers

    static func containers(_ spec: BatchJobSpec) -> [FieldViolation] {
        let containers = spec.template.spec.containers
        let path = "spec.template.spec.containers"
        guard !containers.isEmpty else {
            return [FieldViolation(field: path, message: "the pod template has no container; add one with a name and an image")]
        }
        var out: [FieldViolation] = []
        for (i, c) in containers.enumerated() where (c.image ?? "").isEmpty {
            out.append(FieldViolation(field: "\(path)[\(i)].image", message: "container \(quoted(c.name)) has no image; set one"))
        }
        if let main = spec.container, !containers.contains(where: { $0.name == main }) {
            let names = containers.map { quoted($0.name) }.joined(separator: ", ")
            out.append(FieldViolation(field: "spec.container", message: "no container named \(quoted(main)) in \(path) (have \(names)); name one of them, or leave it unset for the first"))
        }
        return out
    }

    // MARK: - Dependencies

    static func dependencies(_ spec: BatchJobSpec, name: String?) -> [FieldViolation] {
        var out: [FieldViolation] = []
        for (i, dep) in spec.dependsOn.enumerated() {
            let path = "spec.dependsOn[\(i)]"
            if dep.name.isEmpty {
                out.append(FieldViolation(field: "\(path).name", message: "is empty; name the job this one waits for"))
            } else if dep.kind == "BatchJob", dep.name == name {
                out.append(FieldViolation(field: "\(path).name", message: "the job depends on itself; remove this entry"))
            }
        }
        return out
    }

    // MARK: - Retry rules

    static func rules(_ rules: [RetryRule]) -> [FieldViolation] {
        var out: [FieldViolation] = []
        for (i, rule) in rules.enumerated() {
            let path = "spec.retryStrategy.rules[\(i)]"
            for (j, code) in rule.exitCodes.enumerated() {
                if let problem = exitCodeProblem(code) {
                    out.append(FieldViolation(field: "\(path).exitCodes[\(j)]", message: problem))
                }
            }
            if let pattern = rule.messagePattern, (try? NSRegularExpression(pattern: pattern)) == nil {
                out.append(FieldViolation(field: "\(path).messagePattern", message: "\(quoted(pattern)) is not a valid regular expression; fix or escape it"))
            }
        }
        return out
    }

    /// Why an `exitCodes` entry is wrong, or nil: a code or `low-high`, both 0…255, low ≤ high.
    static func exitCodeProblem(_ text: String) -> String? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false).map { Int($0) }
        guard (1...2).contains(parts.count), parts.allSatisfy({ $0 != nil }) else {
            return "\(quoted(text)) is not an exit code or range; write \"1\" or \"3-5\""
        }
        let values = parts.map { $0! }
        if let bad = values.first(where: { $0 > 255 }) {
            return "exit code \(bad) is out of range; exit codes are 0-255"
        }
        if values.count == 2, values[0] > values[1] {
            return "range \(quoted(text)) is reversed; write \"\(values[1])-\(values[0])\""
        }
        return nil
    }

    static func quoted(_ s: String) -> String { "\"\(s)\"" }
}
