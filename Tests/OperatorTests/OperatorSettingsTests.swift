import Foundation
import Logging
import SlipwayAPI
import SlipwayControllers
import Testing

/// `slipway operator`'s flags and `SLIPWAY_*` variables, resolved without a process.
@Suite("Operator settings from flags and environment")
struct OperatorSettingsTests {
    @Test func defaults() throws {
        let s = try OperatorSettings.resolve(flags: [:], environment: [:])
        #expect(s == OperatorSettings())
        #expect(s.workers == 16 && s.qps == 0 && s.burst == 100 && s.statusBatchSeconds == 1)
        #expect(s.operatorConfiguration(instance: "x").statusBatchWindow == .seconds(1))
        #expect(s.metricsPort == 8080 && s.healthPort == 8081 && s.bindAddress == "0.0.0.0")
        #expect(s.defaultAttempts == 3 && s.maxAttempts == 10)
        #expect(s.startFailureSeconds == 300 && s.unschedulableSeconds == 600 && s.executorStartSeconds == 600)
        #expect(s.podPolicy == .restricted)
        #expect(s.logLevel == .info && s.logFormat == .text)
        #expect(s.namespaces.isEmpty && !s.leaderElect && s.leaseName == "slipway-operator")
    }

    @Test func everyFlagHasItsVariable() {
        #expect(OperatorSettings.environmentName(of: "workers") == "SLIPWAY_WORKERS")
        #expect(OperatorSettings.environmentName(of: "allow-host-pid") == "SLIPWAY_ALLOW_HOST_PID")
        #expect(OperatorSettings.environmentName(of: "log-format") == "SLIPWAY_LOG_FORMAT")
        #expect(Set(OperatorSettings.flagNames).count == OperatorSettings.flagNames.count)
    }

    struct Good: Sendable, CustomTestStringConvertible {
        var name: String
        var flags: [String: String] = [:]
        var environment: [String: String] = [:]
        var check: @Sendable (OperatorSettings) -> Bool
        var testDescription: String { name }
    }

    static let good: [Good] = [
        Good(name: "workers from the environment", environment: ["SLIPWAY_WORKERS": "8"]) { $0.workers == 8 },
        Good(name: "a status batch window of half a second", flags: ["status-batch-seconds": "0.5"]) {
            $0.statusBatchSeconds == 0.5 && $0.operatorConfiguration(instance: "x").statusBatchWindow == .milliseconds(500)
        },
        Good(name: "no status batch window", environment: ["SLIPWAY_STATUS_BATCH_SECONDS": "0"]) { $0.operatorConfiguration(instance: "x").statusBatchWindow == .zero },
        Good(name: "a flag wins over the environment", flags: ["workers": "2"], environment: ["SLIPWAY_WORKERS": "8"]) { $0.workers == 2 },
        Good(name: "namespaces from a comma list", environment: ["SLIPWAY_NAMESPACE": "a, b,a"]) { $0.namespaces == ["a", "b"] },
        Good(name: "namespaces from repeated flags", flags: ["namespace": "team-a,team-b"], environment: ["SLIPWAY_NAMESPACE": "c"]) {
            $0.namespaces == ["team-a", "team-b"]
        },
        Good(name: "qps 0 disables the limit", flags: ["qps": "0"]) { $0.qps == 0 },
        Good(name: "fractional qps", environment: ["SLIPWAY_QPS": "12.5"]) { $0.qps == 12.5 },
        Good(name: "allow privileged", environment: ["SLIPWAY_ALLOW_PRIVILEGED": "true"]) {
            $0.podPolicy == PodPolicy(allowPrivileged: true)
        },
        Good(name: "every pod policy hole", flags: [
            "allow-host-path": "true", "allow-host-network": "true", "allow-host-pid": "true", "allow-host-ipc": "true", "allow-capabilities": "true",
            "allow-node-name": "true",
        ]) {
            $0.podPolicy == PodPolicy(allowHostPath: true, allowHostNetwork: true, allowHostPID: true, allowHostIPC: true, allowCapabilities: true, allowNodeName: true)
        },
        Good(name: "--no-allow-privileged wins over the environment", flags: ["allow-privileged": "false"], environment: ["SLIPWAY_ALLOW_PRIVILEGED": "true"]) {
            !$0.podPolicy.allowPrivileged
        },
        Good(name: "leader election", environment: ["SLIPWAY_LEADER_ELECT": "TRUE", "SLIPWAY_LEASE_NAMESPACE": "slipway-system"]) {
            $0.leaderElect && $0.leaseNamespace == "slipway-system"
        },
        Good(name: "attempts", flags: ["default-attempts": "5", "max-attempts": "10"]) { $0.defaultAttempts == 5 && $0.maxAttempts == 10 },
        Good(name: "default equal to max", environment: ["SLIPWAY_DEFAULT_ATTEMPTS": "1", "SLIPWAY_MAX_ATTEMPTS": "1"]) { $0.maxAttempts == 1 },
        Good(name: "log level and format", environment: ["SLIPWAY_LOG_LEVEL": "Debug", "SLIPWAY_LOG_FORMAT": "json"]) {
            $0.logLevel == .debug && $0.logFormat == .json
        },
        Good(name: "ports 0 pick free ones", flags: ["metrics-port": "0", "health-port": "0"]) { $0.metricsPort == 0 && $0.healthPort == 0 },
        Good(name: "bind address", environment: ["SLIPWAY_BIND_ADDRESS": "127.0.0.1"]) { $0.bindAddress == "127.0.0.1" },
        Good(name: "kubeconfig and context", environment: ["SLIPWAY_KUBECONFIG": "/k", "SLIPWAY_CONTEXT": "prod"]) {
            $0.kubeconfig == "/k" && $0.context == "prod"
        },
        Good(name: "capacity label", flags: ["capacity-label": "node.kubernetes.io/lifecycle", "spot-value": "spot-instance"]) {
            $0.capacityLabel == "node.kubernetes.io/lifecycle" && $0.spotValue == "spot-instance" && $0.onDemandValue == "on-demand"
        },
        Good(name: "spark master", flags: ["spark-master": "k8s://https://127.0.0.1:6443"]) { $0.sparkMaster == "k8s://https://127.0.0.1:6443" },
        Good(name: "event sink", environment: ["SLIPWAY_EVENT_SINK": "http://bridge.kafka:8080/events"]) { $0.eventSink?.absoluteString == "http://bridge.kafka:8080/events" },
        Good(name: "no event sink by default") { $0.eventSink == nil },
        Good(name: "in-cluster spark master by default") { $0.sparkMaster == "k8s://https://kubernetes.default.svc" },
        Good(name: "unrelated variables are ignored", environment: ["SLIPWAY_DEV_HOME": "/tmp/x", "WORKERS": "x"]) { $0 == OperatorSettings() },
    ]

    @Test(arguments: good)
    func accepts(_ row: Good) throws {
        let settings = try OperatorSettings.resolve(flags: row.flags, environment: row.environment)
        #expect(row.check(settings), "\(settings)")
    }

    struct Bad: Sendable, CustomTestStringConvertible {
        var flags: [String: String] = [:]
        var environment: [String: String] = [:]
        var message: String
        var testDescription: String { message }
    }

    static let bad: [Bad] = [
        Bad(environment: ["SLIPWAY_WORKERS": "abc"], message: #"SLIPWAY_WORKERS: "abc" is not an integer"#),
        Bad(flags: ["workers": "0"], message: #"--workers: "0" must be at least 1"#),
        Bad(flags: ["qps": "-1"], message: #"--qps: "-1" must not be negative (0 disables the limit)"#),
        Bad(environment: ["SLIPWAY_QPS": "fast"], message: #"SLIPWAY_QPS: "fast" is not a number"#),
        Bad(flags: ["burst": "0"], message: #"--burst: "0" must be at least 1"#),
        Bad(flags: ["status-batch-seconds": "120"], message: #"--status-batch-seconds: "120" is more than 60 seconds"#),
        Bad(environment: ["SLIPWAY_STATUS_BATCH_SECONDS": "soon"], message: #"SLIPWAY_STATUS_BATCH_SECONDS: "soon" is not a number"#),
        Bad(environment: ["SLIPWAY_ALLOW_PRIVILEGED": "maybe"], message: #"SLIPWAY_ALLOW_PRIVILEGED: "maybe" is not a boolean; use true or false"#),
        Bad(environment: ["SLIPWAY_LOG_LEVEL": "verbose"],
            message: #"SLIPWAY_LOG_LEVEL: "verbose" is not one of trace, debug, info, notice, warning, error, critical"#),
        Bad(flags: ["log-format": "xml"], message: #"--log-format: "xml" is not one of text, json"#),
        Bad(flags: ["metrics-port": "70000"], message: #"--metrics-port: "70000" is not a port number; use 0-65535 (0 picks a free port)"#),
        Bad(environment: ["SLIPWAY_HEALTH_PORT": "http"], message: #"SLIPWAY_HEALTH_PORT: "http" is not a port number"#),
        Bad(flags: ["metrics-port": "9000", "health-port": "9000"], message: #"--health-port: "9000" is both the metrics and the health port"#),
        Bad(flags: ["health-port": "8080"], message: #"--health-port: "8080" is both the metrics and the health port"#),
        Bad(flags: ["default-attempts": "0"], message: #"--default-attempts: "0" must be between 1 and 100"#),
        Bad(environment: ["SLIPWAY_MAX_ATTEMPTS": "101"], message: #"SLIPWAY_MAX_ATTEMPTS: "101" must be between 1 and 100"#),
        Bad(flags: ["default-attempts": "5", "max-attempts": "3"], message: #"--default-attempts: "5" is more than the maximum attempts (3)"#),
        Bad(environment: ["SLIPWAY_MAX_ATTEMPTS": "2"], message: #"SLIPWAY_MAX_ATTEMPTS: "2" is less than the default attempts (3)"#),
        Bad(environment: ["SLIPWAY_NAMESPACE": "a,Team_B"], message: #"SLIPWAY_NAMESPACE: "Team_B" is not a namespace name"#),
        Bad(flags: ["lease-name": "Slipway"], message: #"--lease-name: "Slipway" is not a Lease name"#),
        Bad(flags: ["capacity-label": " "], message: #"--capacity-label: " " must not be empty"#),
        Bad(environment: ["SLIPWAY_BIND_ADDRESS": ""], message: #"SLIPWAY_BIND_ADDRESS: "" must not be empty"#),
        Bad(flags: ["spark-master": "https://127.0.0.1:6443"], message: #"--spark-master: "https://127.0.0.1:6443" is not a Spark master URL like k8s://https://host:port"#),
        Bad(environment: ["SLIPWAY_SPARK_MASTER": "k8s://nowhere"], message: #"SLIPWAY_SPARK_MASTER: "k8s://nowhere" is not a Spark master URL"#),
        Bad(flags: ["event-sink": "kafka:9092"], message: #"--event-sink: "kafka:9092" is not an http:// or https:// URL"#),
        Bad(flags: ["analysis-events-size-limit": "lots"], message: #"--analysis-events-size-limit: "lots" is not a size; write a quantity such as 1Gi or 512Mi"#),
        Bad(environment: ["SLIPWAY_ANALYSIS_IMAGE": "my image"], message: #"SLIPWAY_ANALYSIS_IMAGE: "my image" is not an image name"#),
        Bad(environment: ["SLIPWAY_ANALYSIS": "often"], message: #"SLIPWAY_ANALYSIS: "often" is not a boolean; use true or false"#),
        Bad(flags: ["workers": "abc"], environment: ["SLIPWAY_WORKERS": "2"], message: #"--workers: "abc" is not an integer"#),
    ]

    @Test(arguments: bad)
    func refuses(_ row: Bad) {
        do {
            let settings = try OperatorSettings.resolve(flags: row.flags, environment: row.environment)
            Issue.record("accepted: \(settings)")
        } catch {
            #expect(error.description.hasPrefix(row.message), "\(error.description)")
        }
    }

    @Test func docsListEveryFlagAndVariable() throws {
        let docs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../docs/operate.md").standardized
        let text = try String(contentsOf: docs, encoding: .utf8)
        for flag in OperatorSettings.flagNames {
            #expect(text.contains("`--\(flag)"), "docs/operate.md lacks --\(flag)")
            #expect(text.contains(OperatorSettings.environmentName(of: flag)), "docs/operate.md lacks \(OperatorSettings.environmentName(of: flag))")
        }
    }

    @Test func theControllersGetTheSettings() throws {
        let s = try OperatorSettings.resolve(
            flags: ["workers": "7", "default-attempts": "2", "max-attempts": "9", "allow-host-ipc": "true", "namespace": "a"],
            environment: ["SLIPWAY_SPARK_MASTER": "k8s://https://127.0.0.1:7443"])
        let configuration = s.operatorConfiguration(instance: "me")
        #expect(configuration.workers == 7 && configuration.namespaces == ["a"] && configuration.instance == "me")
        #expect(configuration.defaultAttempts == 2 && configuration.maxAttempts == 9)
        #expect(configuration.podPolicy == PodPolicy(allowHostIPC: true))
        #expect(configuration.sparkMaster == "k8s://https://127.0.0.1:7443")
        let analysis = configuration.deciderConfiguration.analysis
        #expect(!analysis.enabled && analysis.image == "ghcr.io/slipway-dev/slipway:0.1.0-dev" && analysis.eventsSizeLimit == "1Gi", "analysis is off unless asked for")
    }

    @Test func analysisSettingsReachTheDecider() throws {
        let s = try OperatorSettings.resolve(
            flags: ["analysis": "true", "analysis-image": "registry.example/slipway:1.2"],
            environment: ["SLIPWAY_ANALYSIS_EVENTS_SIZE_LIMIT": "512Mi"])
        let analysis = s.operatorConfiguration(instance: "me").deciderConfiguration.analysis
        #expect(analysis.enabled && analysis.image == "registry.example/slipway:1.2" && analysis.eventsSizeLimit == "512Mi")
    }
}
