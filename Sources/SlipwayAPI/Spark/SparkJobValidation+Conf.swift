import Foundation
import KubeAPI

// MARK: - Pod policy through sparkConf

extension SparkJobValidation {
    /// What `spec.sparkConf` would give the driver pod the operator creates (or the executors'
    /// template) that the pod policy refuses. Spark's own keys reach the pods as directly as
    /// the typed fields do, so they are held to the same policy:
    /// `spark.kubernetes.{driver,executor}.volumes.hostPath.*` are hostPath volumes, and
    /// `spark.kubernetes.authenticate.{driver,executor}.serviceAccountName` is the pods'
    /// service account (never the operator's own, always a valid name).
    static func sparkConf(_ spec: SparkJobSpec, policy: PodPolicy, namespace: String) -> [FieldViolation] {
        var out: [FieldViolation] = []
        for (key, raw) in spec.sparkConf.sorted(by: { $0.key < $1.key }) {
            let field = "spec.sparkConf[\(key)]"
            let value = ParameterSubstitution.substituteIfDefined(raw, spec.parameters)
            if !policy.allowHostPath, isHostPathKey(key) {
                out.append(FieldViolation(
                    field: field,
                    message: "hostPath volumes are refused for jobs; use an emptyDir, a configMap or a persistent volume claim (an administrator can allow them with slipway operator --allow-host-path)"))
            }
            guard isServiceAccountKey(key) else { continue }
            if !PodPolicy.isDNS1123Subdomain(value) {
                out.append(FieldViolation(field: field, message: "\(quoted(value)) is not a valid service account name (lower-case letters, digits, '-' and '.')"))
            } else if let own = policy.operatorServiceAccount, own.namespace == namespace, own.name == value {
                out.append(FieldViolation(
                    field: field,
                    message: "\(quoted(value)) is the operator's own service account; jobs may not run with the operator's rights, so use a service account of their own"))
            }
        }
        return out
    }

    /// `spark.kubernetes.driver.volumes.hostPath.<name>.…` (and the executor's).
    static func isHostPathKey(_ key: String) -> Bool {
        ["driver", "executor"].contains { key.hasPrefix("spark.kubernetes.\($0).volumes.hostPath.") }
    }

    static func isServiceAccountKey(_ key: String) -> Bool {
        key == "spark.kubernetes.authenticate.driver.serviceAccountName" || key == "spark.kubernetes.authenticate.executor.serviceAccountName"
    }
}

// MARK: - Spark's own keys for what the typed fields set

extension SparkJobSpec {
    /// The memory `role` starts with, as spark-submit reads it: the typed field (like
    /// spark-submit's `--driver-memory` / `--executor-memory`, which beat
    /// `--conf spark.<role>.memory`: SparkSubmitArguments reads the option first and falls
    /// back to the property), else `spark.<role>.memory` in `sparkConf` (parameters
    /// substituted, in whole MiB in Spark's canonical form), else nil: Spark's default, 1g. A value Spark
    /// cannot read counts as unset here; validation refuses it.
    public func startingMemory(_ role: SparkRole) -> String? {
        if let typed = (role == .driver ? driver : executor).memory { return typed }
        guard let raw = sparkConf["spark.\(role.rawValue).memory"] else { return nil }
        let text = ParameterSubstitution.substituteIfDefined(raw, parameters)
        // Spark reads it in whole MiB, rounding down (JavaUtils.byteStringAsMb).
        guard let mebibytes = (try? Quantity(sparkMemory: text)).map({ $0.bytes >> 20 }), mebibytes > 0 else { return nil }
        return Quantity(bytes: mebibytes << 20).sparkMemoryString
    }

    /// Where ``startingMemory(_:)`` comes from, for messages: `spec.driver.memory` or
    /// `spec.sparkConf[spark.driver.memory]`.
    public func startingMemoryField(_ role: SparkRole) -> String {
        (role == .driver ? driver : executor).memory != nil ? "spec.\(role.rawValue).memory" : "spec.sparkConf[spark.\(role.rawValue).memory]"
    }
}

extension SparkJobValidation {
    /// `sparkConf` keys Spark reads for the typed settings must hold what Spark accepts
    /// (spark-submit would fail on them; the operator must not quietly use its default
    /// instead), and the pod template files spark-submit would read from the submitting
    /// machine are refused: Slipway renders the pods itself from `spec.<role>.template`.
    static func sparkConfSettings(_ spec: SparkJobSpec) -> [FieldViolation] {
        var out: [FieldViolation] = []
        for (key, raw) in spec.sparkConf.sorted(by: { $0.key < $1.key }) {
            let field = "spec.sparkConf[\(key)]"
            let value = ParameterSubstitution.substituteIfDefined(raw, spec.parameters)
            guard !value.contains("$(params.") else { continue }  // reported as an undefined parameter
            for role in SparkRole.allCases {
                let spark = "spark.\(role.rawValue)."
                switch key {
                case spark + "memory", spark + "memoryOverhead":
                    guard let size = try? Quantity(sparkMemory: value), size.bytes > 0 else {
                        out.append(FieldViolation(
                            field: field, message: "\(quoted(value)) is not a Spark memory size; write a whole number and k, m, g or t, e.g. 512m or 2g"))
                        continue
                    }
                case spark + "cores":
                    if (Int(value.trimmingCharacters(in: .whitespaces)) ?? 0) < 1 {
                        out.append(FieldViolation(field: field, message: "\(quoted(value)) is not a number of cores; write a whole number of at least 1"))
                    }
                case spark + "memoryOverheadFactor":
                    if !((Double(value.trimmingCharacters(in: .whitespaces)) ?? 0) > 0) {
                        out.append(FieldViolation(field: field, message: "\(quoted(value)) is not a factor greater than 0, e.g. 0.1"))
                    }
                case "spark.kubernetes.\(role.rawValue).podTemplateFile":
                    out.append(FieldViolation(
                        field: field,
                        message: "Slipway renders the \(role.rawValue) pod itself and reads no template file; give the pod template as spec.\(role.rawValue).template"))
                default:
                    continue
                }
            }
        }
        return out
    }
}
