import Foundation
import SlipwayAPI
import SlipwayControllers
import Testing

/// The flags the chart's Deployment passes are the operator's own: each name is one
/// `slipway operator` knows, and the operator's settings parser accepts the values and
/// reads them back as the values file says.
@Suite("Chart flags match slipway operator")
struct ChartFlagsTests {
    /// `--name=value` and `--flag` arguments as the settings parser takes them (a repeated
    /// flag's values joined by commas, a bare flag `true`).
    static func flags(_ args: [String]) -> [String: String] {
        var flags: [String: String] = [:]
        for arg in args.dropFirst() where arg.hasPrefix("--") {
            let body = arg.dropFirst(2)
            let (name, value) = body.firstIndex(of: "=").map { (String(body[..<$0]), String(body[body.index(after: $0)...])) } ?? (String(body), "true")
            flags[name] = flags[name].map { "\($0),\(value)" } ?? value
        }
        return flags
    }

    @Test func everyFlagWithEveryOptionOnIsAcceptedAndMeansWhatTheValuesSay() async throws {
        let helm = try Helm.locate()
        let chart = try await helm.render([
            "watchNamespaces={team-a,team-b}", "replicaCount=2", "installCRDs=true", "workers=8", "client.qps=20", "client.burst=40",
            "capacity.labelKey=node.kubernetes.io/lifecycle", "capacity.spotValue=spot-x", "capacity.onDemandValue=normal",
            "retry.defaultAttempts=4", "retry.maxAttempts=6", "timeouts.startFailureSeconds=120", "timeouts.unschedulableSeconds=900",
            "timeouts.executorStartSeconds=240", "podPolicy.allowPrivileged=true", "podPolicy.allowHostPath=true",
            "podPolicy.allowHostNetwork=true", "podPolicy.allowHostPID=true", "podPolicy.allowHostIPC=true",
            "podPolicy.allowCapabilities=true", "podPolicy.allowNodeName=true", "logLevel=debug", "logFormat=text", "metrics.port=9090", "health.port=9091",
            "eventSink.url=http://bridge.kafka:8080/events", "analysis.enabled=true", "analysis.image=registry.example/slipway:9",
            "analysis.eventsSizeLimit=2Gi",
            "web.enabled=true", "web.port=9092",
        ])
        let args = try chart.operatorArgs()
        #expect(args.first == "operator", "\(args)")
        let flags = Self.flags(args)
        for name in flags.keys {
            #expect(OperatorSettings.flagNames.contains(name), "the chart passes --\(name), which slipway operator does not know")
        }
        let settings = try OperatorSettings.resolve(flags: flags, environment: [:])
        #expect(settings.namespaces == ["team-a", "team-b"])
        #expect(settings.leaderElect && settings.installCRDs)
        #expect(settings.workers == 8 && settings.qps == 20 && settings.burst == 40)
        #expect(settings.capacityLabel == "node.kubernetes.io/lifecycle" && settings.spotValue == "spot-x" && settings.onDemandValue == "normal")
        #expect(settings.defaultAttempts == 4 && settings.maxAttempts == 6)
        #expect(settings.startFailureSeconds == 120 && settings.unschedulableSeconds == 900 && settings.executorStartSeconds == 240)
        #expect(settings.podPolicy == PodPolicy(
            allowPrivileged: true, allowHostPath: true, allowHostNetwork: true, allowHostPID: true, allowHostIPC: true, allowCapabilities: true,
            allowNodeName: true))
        #expect(settings.logLevel == .debug && settings.logFormat == .text)
        #expect(settings.metricsPort == 9090 && settings.healthPort == 9091)
        #expect(settings.eventSink?.absoluteString == "http://bridge.kafka:8080/events")
        #expect(settings.analysis.enabled && settings.analysis.image == "registry.example/slipway:9" && settings.analysis.eventsSizeLimit == "2Gi")
        #expect(settings.webAddress == WebAddress(host: "127.0.0.1", port: 9092), "the web view stays on the pod's loopback")
    }

    /// The operator's defaults, the chart's values and docs/operate.md's flag table say the
    /// same (issue 12: the CLI said 100 attempts at most, the chart 10).
    @Test func theChartTheOperatorAndTheDocsAgreeOnTheDefaults() async throws {
        let chart = try OperatorSettings.resolve(flags: Self.flags(try await Helm.locate().render().operatorArgs()), environment: [:])
        let own = OperatorSettings()
        let values: [(flag: String, operator: Int, chart: Int)] = [
            ("default-attempts", own.defaultAttempts, chart.defaultAttempts), ("max-attempts", own.maxAttempts, chart.maxAttempts),
            ("start-failure-seconds", own.startFailureSeconds, chart.startFailureSeconds),
            ("unschedulable-seconds", own.unschedulableSeconds, chart.unschedulableSeconds),
            ("executor-start-seconds", own.executorStartSeconds, chart.executorStartSeconds),
        ]
        let docs = try String(contentsOf: Repository.root.appendingPathComponent("docs/operate.md"), encoding: .utf8)
        for value in values {
            #expect(value.operator == value.chart, "--\(value.flag): the operator says \(value.operator), the chart \(value.chart)")
            let row = docs.split(separator: "\n").first { $0.hasPrefix("| `--\(value.flag) ") }
            #expect(row?.contains("| \(value.operator) |") == true, "docs/operate.md's row for --\(value.flag): \(row ?? "missing")")
        }
        #expect(own.maxAttempts == 10)
    }

    @Test func theDefaultChartRefusesEveryPodPolicyFeature() async throws {
        let settings = try OperatorSettings.resolve(flags: Self.flags(try await Helm.locate().render().operatorArgs()), environment: [:])
        #expect(settings.podPolicy == .restricted)
        #expect(settings.namespaces.isEmpty && !settings.leaderElect && !settings.installCRDs)
        #expect(settings.eventSink == nil, "no event sink unless asked for")
        // Analysis is off, and its sidecar would run the operator's own image.
        #expect(!settings.analysis.enabled && settings.analysis.eventsSizeLimit == "1Gi")
        #expect(settings.analysis.image.hasPrefix("ghcr.io/slipway-dev/slipway:"), "\(settings.analysis.image)")
        let withImage = try await Helm.locate().render(["image.repository=registry.example/ops/slipway", "image.tag=7.7"])
        #expect(Self.flags(try withImage.operatorArgs())["analysis-image"] == "registry.example/ops/slipway:7.7")
        #expect(settings.webAddress == nil, "no web view unless asked for")
    }
}
