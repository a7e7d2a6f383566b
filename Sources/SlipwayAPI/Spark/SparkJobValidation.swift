import Foundation
import KubeAPI

/// The checks of a SparkJob that its CRD schema cannot express (cross-field rules, caps
/// against requests, parameters, pod policy). Pure; the controller reports violations in
/// the `Invalid` condition and creates nothing.
public enum SparkJobValidation {
    /// Every violation, in the order of the spec's fields; empty means valid.
    /// - Parameters:
    ///   - policy: what the driver's and executors' pods may ask for (the operator's `--allow-…` flags).
    ///   - maxAttempts: the most counted attempts a job may ask for (`--max-attempts`).
    public static func validate(_ job: SparkJob, policy: PodPolicy = .restricted, maxAttempts: Int? = nil) -> [FieldViolation] {
        let spec = job.spec
        var out: [FieldViolation] = []
        if spec.type == nil {
            let given: String = spec.object["type"]?.stringValue ?? ""
            out.append(FieldViolation(field: "spec.type", message: "\(quoted(given)) is not an application type; use Scala, Java, Python or R"))
        }
        if spec.type == .scala || spec.type == .java, (spec.mainClass ?? "").isEmpty {
            out.append(FieldViolation(field: "spec.mainClass", message: "a \(spec.type!.rawValue) application needs its main class; set spec.mainClass"))
        }
        if (spec.mainApplicationFile ?? "").isEmpty {
            out.append(FieldViolation(field: "spec.mainApplicationFile", message: "is empty; name the application's jar, .py or .R file"))
        }
        if (spec.image ?? "").isEmpty, spec.sparkConf["spark.kubernetes.container.image"] == nil {
            out.append(FieldViolation(field: "spec.image", message: "is empty; name the Spark image"))
        }
        if let problem = versionProblem(spec.sparkVersion) { out.append(FieldViolation(field: "spec.sparkVersion", message: problem)) }
        let namespace = job.metadata.namespace ?? ""
        out += role(spec.driver, "driver", policy: policy, namespace: namespace)
        out += role(spec.executor, "executor", policy: policy, namespace: namespace)
        out += sparkConf(spec, policy: policy, namespace: namespace)
        out += sparkConfSettings(spec)
        out += dynamicAllocation(spec)
        out += adaptation(spec)
        out += parameters(spec)
        out += SparkAnalysisSpec.violations(spec)
        for (i, dep) in spec.dependsOn.enumerated() {
            if dep.name.isEmpty {
                out.append(FieldViolation(field: "spec.dependsOn[\(i)].name", message: "is empty; name the job this one waits for"))
            } else if dep.kind == "SparkJob", dep.name == job.metadata.name {
                out.append(FieldViolation(field: "spec.dependsOn[\(i)].name", message: "the job depends on itself; remove this entry"))
            }
        }
        out += BatchJobValidation.attempts(spec.retryStrategy, max: maxAttempts)
        out += BatchJobValidation.rules(spec.retryStrategy.rules)
        return out
    }

    /// The Spark versions Slipway renders: 3.x and 4.x.
    static func versionProblem(_ version: String) -> String? {
        let parts = version.split(separator: ".").prefix(2).map { Int($0) }
        guard parts.count == 2, let major = parts[0], parts[1] != nil else {
            return "\(quoted(version)) is not a Spark version; write it as 4.0.5 or 3.5"
        }
        guard major == 3 || major == 4 else {
            return "Spark \(version) is not supported; Slipway renders spark-submit of Spark 3.x and 4.x"
        }
        return nil
    }

    static func role(_ role: SparkPodSpec, _ name: String, policy: PodPolicy, namespace: String) -> [FieldViolation] {
        let path = "spec.\(name)"
        var out: [FieldViolation] = []
        for (field, value) in [("memory", role.memory), ("memoryOverhead", role.memoryOverhead)] {
            guard let value else { continue }
            if let problem = memoryProblem(value) { out.append(FieldViolation(field: "\(path).\(field)", message: problem)) }
        }
        for (field, value) in [("coreRequest", role.coreRequest), ("coreLimit", role.coreLimit)] {
            guard let value, (try? Quantity(value)) == nil else { continue }
            out.append(FieldViolation(field: "\(path).\(field)", message: "\(quoted(value)) is not a cpu quantity; write 1, 500m or 1.5"))
        }
        if let instances = role.instances, instances < 0 {
            out.append(FieldViolation(field: "\(path).instances", message: "must not be negative (got \(instances))"))
        }
        if let account = role.serviceAccount, !PodPolicy.isDNS1123Subdomain(account) {
            out.append(FieldViolation(field: "\(path).serviceAccount", message: "\(quoted(account)) is not a valid service account name (lower-case letters, digits, '-' and '.')"))
        }
        let template = role.template?.objectValue ?? JSONObject()
        var spec = PodSpec(object: template["spec"]?.objectValue ?? JSONObject())
        spec.volumes = role.volumes.compactMap { $0.objectValue.map(Volume.init(object:)) } + spec.volumes
        if let account = role.serviceAccount, PodPolicy.isDNS1123Subdomain(account) { spec.serviceAccountName = account }
        let ownNamespace = template["metadata"]?.objectValue?["namespace"]?.stringValue
        out += policy.violations(spec, path: "\(path).template.spec", namespace: namespace, ownNamespace: namespace.isEmpty ? nil : ownNamespace)
        return out
    }

    /// Why a Spark memory string is unusable, or nil.
    public static func memoryProblem(_ text: String) -> String? {
        guard text.range(of: SparkJob.memoryPattern, options: .regularExpression) != nil,
              let value = try? Quantity(sparkMemory: text), value.bytes > 0 else {
            return "\(quoted(text)) is not a Spark memory size; write a whole number and k, m, g or t, e.g. 512m or 2g"
        }
        return nil
    }

    static func dynamicAllocation(_ spec: SparkJobSpec) -> [FieldViolation] {
        guard let dynamic = spec.dynamicAllocation, dynamic.enabled else { return [] }
        let path = "spec.dynamicAllocation"
        var out: [FieldViolation] = []
        if let min = dynamic.minExecutors, let max = dynamic.maxExecutors, max < min {
            out.append(FieldViolation(field: "\(path).maxExecutors", message: "\(max) is below minExecutors \(min); raise maxExecutors or lower minExecutors"))
        }
        if let initial = dynamic.initialExecutors {
            if let min = dynamic.minExecutors, initial < min {
                out.append(FieldViolation(field: "\(path).initialExecutors", message: "\(initial) is below minExecutors \(min)"))
            }
            if let max = dynamic.maxExecutors, initial > max {
                out.append(FieldViolation(field: "\(path).initialExecutors", message: "\(initial) is above maxExecutors \(max)"))
            }
        }
        return out
    }

    static func adaptation(_ spec: SparkJobSpec) -> [FieldViolation] {
        var out: [FieldViolation] = []
        let memoryRules: [(String, SparkMemoryAdaptation?, String?, String)] = [
            ("driverMemory", spec.adapt.driverMemory, spec.startingMemory(.driver), spec.startingMemoryField(.driver)),
            ("executorMemory", spec.adapt.executorMemory, spec.startingMemory(.executor), spec.startingMemoryField(.executor)),
        ]
        for (name, rule, memory, memoryField) in memoryRules {
            guard let rule else { continue }
            let path = "spec.adapt.\(name).max"
            guard let max = rule.max else {
                out.append(FieldViolation(field: path, message: "is required: adaptation needs a cap"))
                continue
            }
            if let problem = memoryProblem(max) {
                out.append(FieldViolation(field: path, message: problem))
            } else if let memory, memoryProblem(memory) == nil,
                      let cap = try? Quantity(sparkMemory: max), let current = try? Quantity(sparkMemory: memory), cap < current {
                out.append(FieldViolation(field: path, message: "\(max) is below \(memoryField) \(memory); the cap must be at least the starting memory"))
            }
        }
        if let executors = spec.adapt.executors {
            if let max = executors.max, let instances = spec.executor.instances, max < instances {
                out.append(FieldViolation(field: "spec.adapt.executors.max", message: "\(max) is below spec.executor.instances \(instances)"))
            }
            if executors.max == nil {
                out.append(FieldViolation(field: "spec.adapt.executors.max", message: "is required: adaptation needs a cap"))
            }
        }
        return out
    }

    static func parameters(_ spec: SparkJobSpec) -> [FieldViolation] {
        let defined = Set(spec.parameters.keys)
        var texts: [(String, String)] = spec.arguments.enumerated().map { ("spec.arguments[\($0)]", $1) }
        texts += spec.sparkConf.sorted { $0.key < $1.key }.map { ("spec.sparkConf[\($0.key)]", $0.value) }
        for (role, pod) in [("driver", spec.driver), ("executor", spec.executor)] {
            texts += pod.env.enumerated().compactMap { i, env in env["value"]?.stringValue.map { ("spec.\(role).env[\(i)].value", $0) } }
        }
        var out: [FieldViolation] = []
        for (field, text) in texts {
            for name in BatchJobValidation.parameterReferences(in: text) where !defined.contains(name) {
                out.append(FieldViolation(field: field, message: "references undefined parameter \(quoted(name)); define it in spec.parameters"))
            }
        }
        return out
    }

    static func quoted(_ s: String) -> String { "\"\(s)\"" }
}
