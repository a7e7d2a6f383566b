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
