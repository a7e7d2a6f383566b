import Foundation
import KubeAPI
import Logging
import SlipwayAPI
import SlipwayCore

/// Everything `slipway operator` is told at start, from its flags and the environment.
///
/// Every flag `--some-flag` can also be set by the environment variable
/// `SLIPWAY_SOME_FLAG` (``environmentName(of:)``); a flag on the command line wins. Lists
/// (`--namespace`) are comma-separated in the environment; booleans are `true` or `false`.
/// ``resolve(flags:environment:)`` is pure: it reads no process state, so the whole table
/// of good and bad inputs is a unit test. A bad value fails the start with a message that
/// names the flag or variable and what it accepts.
public struct OperatorSettings: Sendable, Hashable {
    public var kubeconfig: String?
    public var context: String?
    /// Namespaces to watch; empty means all.
    public var namespaces: [String] = []
    /// Reconciles at once. Each holds at most one API request in flight, so this bounds the
    /// operator's concurrency toward the server: 16 is a small share of the seats API
    /// Priority and Fairness gives a service account's workload-low level.
    public var workers = 16
    /// Client-side rate limit; 0 (the default) disables it and leaves fairness to the
    /// server's API Priority and Fairness (GA since Kubernetes 1.29, the oldest Slipway
    /// supports), as controller-runtime does since it dropped its 20/30 default.
    public var qps: Double = 0
    public var burst = 100
    /// Seconds a status write that changes only progress may wait to be folded into the
    /// next (``OperatorConfiguration/statusBatchWindow``); 0 writes every change at once.
    public var statusBatchSeconds: Double = 1
    public var leaderElect = false
    /// nil: the kubeconfig's or service account's namespace.
    public var leaseNamespace: String?
    public var leaseName = "slipway-operator"
    public var capacityLabel = "karpenter.sh/capacity-type"
    public var spotValue = "spot"
    public var onDemandValue = "on-demand"
    public var installCRDs = false
    /// Counted attempts of a job that does not say (`retryStrategy.attempts` unset).
    public var defaultAttempts = RetryStrategy.defaultAttempts
    /// The most counted attempts a job may ask for.
    public var maxAttempts = RetryStrategy.defaultMaxAttempts
    /// Seconds a container may fail to start (image pull, configuration errors) before the
    /// attempt is a StartFailure, for a job that does not set its own start timeout.
    public var startFailureSeconds = Int(DeciderConfiguration.defaultStartFailureTimeout.components.seconds)
    /// Seconds a pod may stay unschedulable before the attempt is Unschedulable, for a job
    /// that does not set its own start timeout.
    public var unschedulableSeconds = Int(DeciderConfiguration.defaultUnschedulableTimeout.components.seconds)
    /// Seconds after a SparkJob's driver runs within which its minimum executors must run,
    /// for a job that does not set `timeouts.executorStartSeconds`.
    public var executorStartSeconds = Int(DeciderConfiguration.defaultExecutorStartTimeout.components.seconds)
    /// The Kubernetes API server as Spark drivers reach it (`spark.master`): in a cluster its
    /// Service; beside `slipway dev --no-operator`, the dev server's URL.
    public var sparkMaster = DeciderConfiguration.inClusterSparkMaster
    /// Where job events go (an HTTP endpoint taking CloudEvents); nil: no event sink.
    public var eventSink: URL?
    /// Whether SparkJobs that do not say are analysed, the sidecar's image and the size
    /// limit of its event-log volume (docs/analysis.md).
    public var analysis = SparkAnalysisDefaults()
    public var podPolicy = PodPolicy.restricted
    public var logLevel = Logger.Level.info
    public var logFormat = LogFormat.text
    /// 0 picks a free port.
    public var metricsPort = 8080
    /// 0 picks a free port.
    public var healthPort = 8081
    /// Where the metrics and health servers listen.
    public var bindAddress = "0.0.0.0"
    /// Where the web view listens (docs/web.md); nil: no web view (the default).
    public var webAddress: WebAddress?

    public init() {}

    /// The flags, in the order of `--help` and docs/operate.md.
    public static let flagNames: [String] = [
        "kubeconfig", "context", "namespace", "workers", "qps", "burst", "status-batch-seconds", "leader-elect", "lease-namespace", "lease-name",
        "capacity-label", "spot-value", "on-demand-value", "install-crds", "default-attempts", "max-attempts",
        "start-failure-seconds", "unschedulable-seconds", "executor-start-seconds", "spark-master", "event-sink",
        "analysis", "analysis-image", "analysis-events-size-limit",
        "allow-privileged", "allow-host-path", "allow-host-network", "allow-host-pid", "allow-host-ipc", "allow-capabilities",
        "allow-node-name",
        "log-level", "log-format", "metrics-port", "health-port", "bind-address", "web-address",
    ]

    /// `--lease-name` → `SLIPWAY_LEASE_NAME`.
    public static func environmentName(of flag: String) -> String {
        "SLIPWAY_" + flag.uppercased().replacingOccurrences(of: "-", with: "_")
    }

    /// The settings from `flags` (flag name without dashes → its value as typed; a
    /// repeated flag's values joined by commas; a boolean flag `true` or `false`) over
    /// `environment`, over the defaults.
    public static func resolve(flags: [String: String], environment: [String: String]) throws(OperatorSettingsError) -> OperatorSettings {
        let input = Input(flags: flags, environment: environment)
        var s = OperatorSettings()
        s.kubeconfig = input.raw("kubeconfig")?.value
        s.context = input.raw("context")?.value
        s.namespaces = try input.list("namespace") { name in isDNS1123Label(name) ? nil : "is not a namespace name (lowercase letters, digits and '-')" }
        s.workers = try input.integer("workers", min: 1) ?? s.workers
        s.qps = try input.number("qps", atLeast: 0) ?? s.qps
        s.burst = try input.integer("burst", min: 1) ?? s.burst
        s.statusBatchSeconds = try input.number("status-batch-seconds", atLeast: 0) ?? s.statusBatchSeconds
        if s.statusBatchSeconds > 60, let source = input.raw("status-batch-seconds") {
            throw input.fail(source, "is more than 60 seconds; status would lag too far behind the pods (1 is the default, 0 writes every change at once)")
        }
        s.leaderElect = try input.boolean("leader-elect") ?? s.leaderElect
        s.leaseNamespace = try input.string("lease-namespace") { isDNS1123Label($0) ? nil : "is not a namespace name (lowercase letters, digits and '-')" }
        s.leaseName = try input.string("lease-name") { PodPolicy.isDNS1123Subdomain($0) ? nil : "is not a Lease name (lowercase letters, digits, '-' and '.')" } ?? s.leaseName
        s.capacityLabel = try input.string("capacity-label") { $0.isEmpty ? "must not be empty" : nil } ?? s.capacityLabel
        s.spotValue = try input.string("spot-value") { $0.isEmpty ? "must not be empty" : nil } ?? s.spotValue
        s.onDemandValue = try input.string("on-demand-value") { $0.isEmpty ? "must not be empty" : nil } ?? s.onDemandValue
        s.installCRDs = try input.boolean("install-crds") ?? s.installCRDs
        let limit = RetryStrategy.attemptsLimit
        s.defaultAttempts = try input.integer("default-attempts", min: 1, max: limit) ?? s.defaultAttempts
        s.maxAttempts = try input.integer("max-attempts", min: 1, max: limit) ?? s.maxAttempts
        if s.defaultAttempts > s.maxAttempts {
            if let source = input.raw("default-attempts") {
                throw input.fail(source, "is more than the maximum attempts (\(s.maxAttempts)); lower --default-attempts or raise --max-attempts")
            }
            throw input.fail(input.raw("max-attempts")!, "is less than the default attempts (\(s.defaultAttempts)); raise --max-attempts or lower --default-attempts")
        }
        s.startFailureSeconds = try input.integer("start-failure-seconds", min: 1) ?? s.startFailureSeconds
        s.unschedulableSeconds = try input.integer("unschedulable-seconds", min: 1) ?? s.unschedulableSeconds
        s.executorStartSeconds = try input.integer("executor-start-seconds", min: 1) ?? s.executorStartSeconds
        s.sparkMaster = try input.string("spark-master") { master in
            let url = master.hasPrefix("k8s://") ? URL(string: String(master.dropFirst(6))) : nil
            return url?.host != nil && ["http", "https"].contains(url?.scheme ?? "") ? nil : "is not a Spark master URL like k8s://https://host:port"
        } ?? s.sparkMaster
        if let text = try input.string("event-sink", check: { text in
            let url = URL(string: text)
            return url?.host != nil && ["http", "https"].contains(url?.scheme ?? "") ? nil : "is not an http:// or https:// URL"
        }) {
            s.eventSink = URL(string: text)
        }
        s.analysis.enabled = try input.boolean("analysis") ?? s.analysis.enabled
        s.analysis.image = try input.string("analysis-image") { $0.isEmpty || $0.contains(" ") ? "is not an image name" : nil } ?? s.analysis.image
        s.analysis.eventsSizeLimit = try input.string("analysis-events-size-limit") { text in
            (try? Quantity(text)).map { $0.bytes > 0 } == true ? nil : "is not a size; write a quantity such as 1Gi or 512Mi"
        } ?? s.analysis.eventsSizeLimit
        s.podPolicy = PodPolicy(
            allowPrivileged: try input.boolean("allow-privileged") ?? false, allowHostPath: try input.boolean("allow-host-path") ?? false,
            allowHostNetwork: try input.boolean("allow-host-network") ?? false, allowHostPID: try input.boolean("allow-host-pid") ?? false,
            allowHostIPC: try input.boolean("allow-host-ipc") ?? false, allowCapabilities: try input.boolean("allow-capabilities") ?? false,
            allowNodeName: try input.boolean("allow-node-name") ?? false)
        s.logLevel = try input.choice("log-level", Logger.Level.allCases.map(\.rawValue)).flatMap(Logger.Level.init(rawValue:)) ?? s.logLevel
        s.logFormat = try input.choice("log-format", LogFormat.allCases.map(\.rawValue)).flatMap(LogFormat.init(rawValue:)) ?? s.logFormat
        s.metricsPort = try input.port("metrics-port") ?? s.metricsPort
        s.healthPort = try input.port("health-port") ?? s.healthPort
        if s.metricsPort != 0, s.metricsPort == s.healthPort {
            let source = input.raw("health-port") ?? input.raw("metrics-port")!
            throw input.fail(source, "is both the metrics and the health port; give them different ports (0 picks a free one)")
        }
        s.bindAddress = try input.string("bind-address") { $0.isEmpty ? "must not be empty; use 0.0.0.0 for every interface" : nil } ?? s.bindAddress
        if let text = try input.string("web-address", check: { WebAddress(parsing: $0) == nil ? "is not HOST:PORT, e.g. 127.0.0.1:8090 (port 0 picks a free one)" : nil }) {
            s.webAddress = WebAddress(parsing: text)
        }
        return s
    }

    /// A Kubernetes namespace name: at most 63 of `[a-z0-9-]`, starting and ending with a letter or digit.
    static func isDNS1123Label(_ name: String) -> Bool {
        name.utf8.count <= 63 && !name.contains(".") && PodPolicy.isDNS1123Subdomain(name)
    }
}

extension OperatorSettings {
    /// The controllers' configuration from these settings.
    public func operatorConfiguration(instance: String, metrics: SlipwayMetrics = .disabled, health: OperatorHealth = OperatorHealth()) -> OperatorConfiguration {
        var configuration = OperatorConfiguration(
            namespaces: namespaces, workers: workers, capacityLabel: capacityLabel, spotValue: spotValue, onDemandValue: onDemandValue,
            instance: instance, podPolicy: podPolicy, defaultAttempts: defaultAttempts, maxAttempts: maxAttempts,
            startFailureTimeout: .seconds(startFailureSeconds), unschedulableTimeout: .seconds(unschedulableSeconds),
            executorStartTimeout: .seconds(executorStartSeconds), metrics: metrics, health: health, sparkMaster: sparkMaster)
        configuration.analysis = analysis
        configuration.statusBatchWindow = .milliseconds(Int64((statusBatchSeconds * 1000).rounded()))
        return configuration
    }
}

/// A flag or environment variable with a value the operator cannot use.
public struct OperatorSettingsError: Error, Sendable, Hashable, CustomStringConvertible {
    /// `--workers` or `SLIPWAY_WORKERS`.
    public var source: String
    /// The value as given.
    public var value: String
    /// What is wrong and what is accepted.
    public var problem: String

    public var description: String { "\(source): \"\(value)\" \(problem)" }
}

// MARK: - Reading values

/// Flags over environment variables, each value read with the name it came from.
private struct Input {
    let flags: [String: String]
    let environment: [String: String]

    /// The value of `flag` and where it came from, or nil when neither says.
    func raw(_ flag: String) -> (name: String, value: String)? {
        if let value = flags[flag] { return ("--\(flag)", value) }
        let variable = OperatorSettings.environmentName(of: flag)
        if let value = environment[variable] { return (variable, value) }
        return nil
    }

    func fail(_ source: (name: String, value: String), _ problem: String) -> OperatorSettingsError {
        OperatorSettingsError(source: source.name, value: source.value, problem: problem)
    }

    func string(_ flag: String, check: (String) -> String?) throws(OperatorSettingsError) -> String? {
        guard let source = raw(flag) else { return nil }
        let value = source.value.trimmingCharacters(in: .whitespaces)
        if let problem = check(value) { throw fail(source, problem) }
        return value
    }

    func list(_ flag: String, check: (String) -> String?) throws(OperatorSettingsError) -> [String] {
        guard let source = raw(flag) else { return [] }
        let items = source.value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        for item in items {
            if let problem = check(item) { throw OperatorSettingsError(source: source.name, value: item, problem: problem) }
        }
        var seen = Set<String>()
        return items.filter { seen.insert($0).inserted }
    }

    func integer(_ flag: String, min: Int, max: Int? = nil) throws(OperatorSettingsError) -> Int? {
        guard let source = raw(flag) else { return nil }
        guard let value = Int(source.value.trimmingCharacters(in: .whitespaces)) else { throw fail(source, "is not an integer") }
        guard value >= min, value <= (max ?? .max) else {
            throw fail(source, max.map { "must be between \(min) and \($0)" } ?? "must be at least \(min)")
        }
        return value
    }

    func number(_ flag: String, atLeast minimum: Double) throws(OperatorSettingsError) -> Double? {
        guard let source = raw(flag) else { return nil }
        guard let value = Double(source.value.trimmingCharacters(in: .whitespaces)), value.isFinite else { throw fail(source, "is not a number") }
        guard value >= minimum else { throw fail(source, "must not be negative (0 disables the limit)") }
        return value
    }

    func port(_ flag: String) throws(OperatorSettingsError) -> Int? {
        guard let source = raw(flag) else { return nil }
        guard let value = Int(source.value.trimmingCharacters(in: .whitespaces)) else { throw fail(source, "is not a port number; use 0-65535 (0 picks a free port)") }
        guard (0...65535).contains(value) else { throw fail(source, "is not a port number; use 0-65535 (0 picks a free port)") }
        return value
    }

    func boolean(_ flag: String) throws(OperatorSettingsError) -> Bool? {
        guard let source = raw(flag) else { return nil }
        switch source.value.trimmingCharacters(in: .whitespaces).lowercased() {
        case "true", "1", "yes": return true
        case "false", "0", "no", "": return false
        default: throw fail(source, "is not a boolean; use true or false")
        }
    }

    func choice(_ flag: String, _ accepted: [String]) throws(OperatorSettingsError) -> String? {
        guard let source = raw(flag) else { return nil }
        let value = source.value.trimmingCharacters(in: .whitespaces).lowercased()
        guard accepted.contains(value) else { throw fail(source, "is not one of \(accepted.joined(separator: ", "))") }
        return value
    }
}
