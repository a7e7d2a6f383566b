import Foundation
import SlipwayControllers
import KubeTesting
import SlipwayDevTesting
import Testing
import Yams

/// The Grafana dashboard and the PrometheusRule: one dashboard file, valid JSON whose
/// queries name only metrics a running operator serves; rules that promtool accepts, whose
/// every alert has a runbook in docs/operate.md.
@Suite("Dashboard and alerts", .serialized)
struct ObservabilityKitTests {
    static let dashboardPath = "dashboards/slipway.json"

    static func dashboard() throws -> [String: Any] {
        let data = try Data(contentsOf: Repository.url(dashboardPath))
        guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else { throw ChartError("\(dashboardPath) is not a JSON object") }
        return object
    }

    /// The dashboard's panels (rows included) and their queries.
    static func panels(_ dashboard: [String: Any]) -> [[String: Any]] { dashboard["panels"] as? [[String: Any]] ?? [] }

    static func expressions(_ dashboard: [String: Any]) -> [String] {
        panels(dashboard).flatMap { ($0["targets"] as? [[String: Any]] ?? []).compactMap { $0["expr"] as? String } }
    }

    /// The PrometheusRule rendered with the rules on.
    static func rule(_ sets: [String] = []) async throws -> Manifest {
        try await Helm.locate().render(["metrics.prometheusRule.enabled=true"] + sets).one("PrometheusRule")
    }

    static func alerts(_ rule: Manifest) -> [[String: Any]] {
        (rule["spec", "groups"] as? [[String: Any]] ?? []).flatMap { $0["rules"] as? [[String: Any]] ?? [] }
    }

    /// Names of Slipway's and the process' metrics in PromQL text (series suffixes kept:
    /// `_bucket`, `_count` are names the scrape has too).
    static func metricNames(_ promql: String) -> Set<String> {
        Set(promql.matches(of: /\b((?:slipway|process)_[a-zA-Z0-9_]+)/).map { String($0.output.1) })
    }

    @Test func theChartShipsTheRepositorysDashboardUnchanged() async throws {
        let top = try Data(contentsOf: Repository.url(Self.dashboardPath))
        let inChart = try Data(contentsOf: Repository.url("charts/slipway/dashboards/slipway.json"))
        #expect(top == inChart, "charts/slipway/dashboards/slipway.json differs from dashboards/slipway.json: copy it over (cp dashboards/slipway.json charts/slipway/dashboards/)")
        let helm = try Helm.locate()
        #expect(try await helm.render().all("ConfigMap").isEmpty, "no dashboard unless asked for")
        let map = try await helm.render(["metrics.dashboard.enabled=true", "metrics.dashboard.annotations.grafana_folder=Slipway", "metrics.dashboard.labels.team=ops"]).one("ConfigMap")
        #expect(map.name == "slipway-dashboard" && map.namespace == "slipway-system")
        #expect(map["metadata", "labels", "grafana_dashboard"] as? String == "1", "the sidecar's label")
        #expect(map["metadata", "labels", "team"] as? String == "ops" && map["metadata", "annotations", "grafana_folder"] as? String == "Slipway")
        let served = map["data", "slipway.json"] as? String ?? ""
        #expect(Data((served + "\n").utf8) == top, "the ConfigMap holds the file as it is")
        let elsewhere = try await helm.render(["metrics.dashboard.enabled=true", "metrics.dashboard.namespace=monitoring", "metrics.dashboard.sidecarLabel=dash", "metrics.dashboard.sidecarLabelValue=yes"]).one("ConfigMap")
        #expect(elsewhere.namespace == "monitoring" && elsewhere["metadata", "labels", "dash"] as? String == "yes")
    }

    @Test func theDashboardIsValidAndCoversWhatOperatorsAsk() throws {
        let dashboard = try Self.dashboard()
        #expect(dashboard["uid"] as? String == "slipway-operator" && dashboard["title"] as? String == "Slipway")
        let variables = (dashboard["templating"] as? [String: Any])?["list"] as? [[String: Any]] ?? []
        #expect(variables.map { $0["name"] as? String } == ["datasource", "job"], "a data source picker and the job filter")
        let panels = Self.panels(dashboard)
        let ids = panels.compactMap { $0["id"] as? Int }
        #expect(ids.count == panels.count && Set(ids).count == ids.count, "every panel has a unique id")
        for panel in panels where panel["type"] as? String != "row" {
            let title = panel["title"] as? String ?? "?"
            let targets = panel["targets"] as? [[String: Any]] ?? []
            #expect(!targets.isEmpty && targets.allSatisfy { !($0["expr"] as? String ?? "").isEmpty }, "\(title) has a query each")
            #expect((panel["datasource"] as? [String: Any])?["uid"] as? String == "${datasource}", "\(title) uses the picked data source")
            #expect(targets.allSatisfy { ($0["expr"] as? String ?? "").contains(#"job=~"$job""#) }, "\(title) filters by $job")
            let grid = panel["gridPos"] as? [String: Int] ?? [:]
            #expect((grid["x"] ?? -1) >= 0 && (grid["x"] ?? 0) + (grid["w"] ?? 0) <= 24 && (grid["h"] ?? 0) > 0, "\(title) fits the 24-column grid")
        }
        // What the issue asks the dashboard to cover, by the metrics that answer it.
        let used = Self.metricNames(Self.expressions(dashboard).joined(separator: "\n"))
        for (topic, metric) in [
            ("submissions", "slipway_submission_latency_seconds_count"), ("phases", "slipway_jobs"), ("retries by class", "slipway_retries_total"),
            ("adaptations", "slipway_adaptations_total"), ("queue usage", "slipway_queue_usage"),
            ("queue wait", "slipway_queue_admission_wait_seconds_bucket"), ("pod start wait", "slipway_queue_wait_seconds_bucket"),
            ("reconcile latency", "slipway_reconcile_duration_seconds_bucket"), ("API latency", "slipway_api_request_duration_seconds_bucket"),
            ("job events", "slipway_events_delivered_total"),
        ] {
            #expect(used.contains(metric), "the dashboard shows no \(topic) (\(metric))")
        }
    }

    @Test func promtoolAcceptsTheRules() async throws {
        guard let promtool = locateTool("promtool") else {
            Issue.record("promtool not found at .tools/bin/promtool or on PATH: run scripts/setup.sh (it takes promtool from Debian's prometheus package)")
            return
        }
        #expect(try await Helm.locate().render().all("PrometheusRule").isEmpty, "no rules unless asked for")
        for sets in [[], ["metrics.prometheusRule.selector=job=\"slipway\"", "metrics.prometheusRule.reconcileErrorRatio=0.25", "metrics.prometheusRule.labels.release=prom"]] {
            let rule = try await Self.rule(sets)
            #expect(rule.apiVersion == "monitoring.coreos.com/v1" && rule.namespace == "slipway-system")
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("slipway-rules-\(UUID().uuidString).yaml")
            defer { try? FileManager.default.removeItem(at: file) }
            try Yams.dump(object: ["groups": rule["spec", "groups"] ?? []]).write(to: file, atomically: true, encoding: .utf8)
            let process = Process()
            process.executableURL = promtool
            process.arguments = ["check", "rules", file.path]
            let result = try await runToEnd(process)
            #expect(result.status == 0 && result.out.contains("SUCCESS: 9 rules found"), "\(sets): \(result)")
        }
        let custom = try await Self.rule(["metrics.prometheusRule.selector=job=\"slipway\"", "metrics.prometheusRule.labels.release=prom"])
        #expect(custom["metadata", "labels", "release"] as? String == "prom")
        #expect(Self.alerts(custom).allSatisfy { ($0["expr"] as? String ?? "").contains(#"{job="slipway""#) }, "every alert uses the selector")
    }

    @Test func everyAlertAsTheIssueAsksHasARunbookParagraph() async throws {
        let rule = try await Self.rule()
        let alerts = Self.alerts(rule)
        let names = alerts.compactMap { $0["alert"] as? String }
        #expect(names == [
            "SlipwayJobsFailing", "SlipwayQueueAdmissionWaitHigh", "SlipwayPodStartWaitHigh", "SlipwayReconcileErrors",
            "SlipwayOperatorAbsent", "SlipwayNoLeader", "SlipwayWorkqueueDepthGrowing", "SlipwayEventSinkFailing", "SlipwayEventsLost",
        ])
        let docs = try Repository.read("docs/operate.md")
        let headings = Set(docs.split(separator: "\n").filter { $0.hasPrefix("### ") }.map { $0.dropFirst(4).lowercased() })
        for alert in alerts {
            let name = alert["alert"] as? String ?? "?"
            let annotations = alert["annotations"] as? [String: String] ?? [:]
            #expect(annotations["runbook_url"] == "https://github.com/slipway-dev/slipway/blob/main/docs/operate.md#\(name.lowercased())", "\(name): \(annotations)")
            #expect(headings.contains(name.lowercased()), "docs/operate.md has no \"### \(name)\" runbook")
            #expect(annotations["summary"]?.isEmpty == false && annotations["description"]?.isEmpty == false, "\(name)")
            #expect(["warning", "critical"].contains((alert["labels"] as? [String: String])?["severity"] ?? ""), "\(name)")
            #expect((alert["expr"] as? String ?? "").contains(#"job="slipway-metrics",namespace="slipway-system""#), "\(name) reads this release's series")
        }
        let bounds = Self.alerts(try await Self.rule(["metrics.prometheusRule.jobFailuresPerHour=2", "metrics.prometheusRule.queueAdmissionWaitSeconds=60"]))
        #expect((bounds.first?["expr"] as? String ?? "").contains("> 2\n"), "\(bounds.first ?? [:])")
        #expect((bounds[1]["expr"] as? String ?? "").contains("> 60\n"))
    }

    /// The metrics the dashboard and the alerts name, against a real operator's `/metrics`
    /// after it ran jobs through a JobQueue and an OOM kill retried with more memory (with an
    /// event sink that refuses connections, so that its metrics are there too).
    @Test func everyMetricTheDashboardAndAlertsNameIsServed() async throws {
        let rule = try await Self.rule()
        let alertExpressions = Self.alerts(rule).compactMap { $0["expr"] as? String }
        let wanted = Self.metricNames((Self.expressions(try Self.dashboard()) + alertExpressions).joined(separator: "\n"))
        #expect(wanted.count >= 25, "\(wanted.sorted())")
        try await withDevCluster { cluster, kubectl in
            let op = try OperatorProcess(
                ["--kubeconfig", cluster.kubeconfigPath.path, "--metrics-port", "0", "--health-port", "0", "--bind-address", "127.0.0.1", "--install-crds",
                 "--event-sink", "http://127.0.0.1:9/"])
            defer { op.stop() }
            let metricsURL = try await op.url("metrics")
            let ready = try await op.waitUntilReady()
            #expect(ready.status == 200, "\(ready); stderr:\n\(op.stderr.suffix(3000))")
            try await kubectl.require(["apply", "-f", "-"], input: """
                apiVersion: slipway.dev/v1alpha1
                kind: JobQueue
                metadata: {name: etl}
                spec:
                  limits: {jobs: 2, resources: {cpu: "4", memory: 4Gi}}
                ---
                apiVersion: slipway.dev/v1alpha1
                kind: BatchJob
                metadata: {name: queued}
                spec:
                  queue: etl
                  template:
                    spec:
                      containers: [{name: main, image: busybox, command: ["sh", "-c", "sleep 2; echo ok"], resources: {requests: {cpu: 100m, memory: 64Mi}}}]
                """)
            try await kubectl.require(["apply", "-f", Repository.url("manifests/examples/oom-adapt.yaml").path])
            let done = try await kubectl.run(["wait", "--for=condition=Succeeded", "batchjob/queued", "batchjob/oom-adapt", "--timeout=120s"], timeout: .seconds(130))
            #expect(done.status == 0, "\(done)\noperator:\n\(op.stderr.suffix(3000))")
            let scrape = try await httpGet(metricsURL)
            #expect(scrape.status == 200)
            let served = Set(Sample.parse(scrape.body).map(\.name))
            let missing = wanted.subtracting(served)
            #expect(missing.isEmpty, "the dashboard or the alerts name metrics the operator does not serve: \(missing.sorted())\n/metrics:\n\(scrape.body.prefix(6000))")
            op.terminate()
            #expect(try await op.waitForExit(timeout: .seconds(30)) == 0)
        }
    }

    /// The alerts fire on the series that should fire them, and not on the ones that should
    /// not (a failing SparkJob whose failures are all retried; `up` while it is 1; no loss
    /// yet), by `promtool test rules` on the rendered rules (annotations are checked above).
    @Test func promtoolUnitTestsTheAlerts() async throws {
        guard let promtool = locateTool("promtool") else {
            Issue.record("promtool not found at .tools/bin/promtool or on PATH: run scripts/setup.sh")
            return
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("slipway-rule-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let groups = (try await Self.rule()["spec", "groups"] as? [[String: Any]] ?? []).map { group in
            var group = group
            group["rules"] = (group["rules"] as? [[String: Any]] ?? []).map { rule in rule.filter { $0.key != "annotations" } }
            return group
        }
        try Yams.dump(object: ["groups": groups]).write(to: directory.appendingPathComponent("rules.yaml"), atomically: true, encoding: .utf8)
        try Self.ruleTests.write(to: directory.appendingPathComponent("tests.yaml"), atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = promtool
        process.arguments = ["test", "rules", directory.appendingPathComponent("tests.yaml").path]
        let result = try await runToEnd(process)
        #expect(result.status == 0 && result.out.contains("SUCCESS"), "\(result)")
    }

    /// Series and the alerts they must (and must not) fire, for every alert of the rule.
    static let ruleTests = """
        rule_files: [rules.yaml]
        evaluation_interval: 1m
        tests:
        - interval: 1m
          input_series:
          - series: 'up{job="slipway-metrics",namespace="slipway-system"}'
            values: '1x10 0x30'
          - series: 'slipway_leader{job="slipway-metrics",namespace="slipway-system"}'
            values: '0x40'
          - series: 'slipway_attempts_total{job="slipway-metrics",namespace="slipway-system",kind="BatchJob",class="AppError"}'
            values: '0+1x120'
          - series: 'slipway_retries_total{job="slipway-metrics",namespace="slipway-system",kind="BatchJob",class="AppError"}'
            values: '0+0x120'
          - series: 'slipway_attempts_total{job="slipway-metrics",namespace="slipway-system",kind="SparkJob",class="OutOfMemory"}'
            values: '0+1x120'
          - series: 'slipway_retries_total{job="slipway-metrics",namespace="slipway-system",kind="SparkJob",class="OutOfMemory"}'
            values: '0+1x120'
          - series: 'slipway_workqueue_depth{job="slipway-metrics",namespace="slipway-system",name="batchjobs"}'
            values: '0+5x60'
          - series: 'slipway_reconcile_errors_total{job="slipway-metrics",namespace="slipway-system",controller="batchjob"}'
            values: '0+1x60'
          - series: 'slipway_reconcile_total{job="slipway-metrics",namespace="slipway-system",controller="batchjob",result="error"}'
            values: '0+1x60'
          - series: 'slipway_reconcile_total{job="slipway-metrics",namespace="slipway-system",controller="batchjob",result="success"}'
            values: '0+1x60'
          - series: 'slipway_queue_admission_wait_seconds_bucket{job="slipway-metrics",namespace="slipway-system",queue="etl",le="1800"}'
            values: '0x60'
          - series: 'slipway_queue_admission_wait_seconds_bucket{job="slipway-metrics",namespace="slipway-system",queue="etl",le="3600"}'
            values: '0+10x60'
          - series: 'slipway_queue_admission_wait_seconds_bucket{job="slipway-metrics",namespace="slipway-system",queue="etl",le="+Inf"}'
            values: '0+10x60'
          - series: 'slipway_queue_wait_seconds_bucket{job="slipway-metrics",namespace="slipway-system",kind="SparkJob",le="600"}'
            values: '0x60'
          - series: 'slipway_queue_wait_seconds_bucket{job="slipway-metrics",namespace="slipway-system",kind="SparkJob",le="1800"}'
            values: '0+4x60'
          - series: 'slipway_queue_wait_seconds_bucket{job="slipway-metrics",namespace="slipway-system",kind="SparkJob",le="+Inf"}'
            values: '0+4x60'
          - series: 'slipway_event_delivery_failures_total{job="slipway-metrics",namespace="slipway-system"}'
            values: '0+3x60'
          - series: 'slipway_events_delivered_total{job="slipway-metrics",namespace="slipway-system"}'
            values: '0x60'
          - series: 'slipway_events_pending_jobs{job="slipway-metrics",namespace="slipway-system"}'
            values: '2x60'
          - series: 'slipway_events_lost_total{job="slipway-metrics",namespace="slipway-system"}'
            values: '0 0 5x60'
          alert_rule_test:
          - eval_time: 50m
            alertname: SlipwayQueueAdmissionWaitHigh
            exp_alerts:
            - exp_labels: {severity: warning, queue: etl}
          - eval_time: 50m
            alertname: SlipwayPodStartWaitHigh
            exp_alerts:
            - exp_labels: {severity: warning, kind: SparkJob}
          - eval_time: 40m
            alertname: SlipwayEventSinkFailing
            exp_alerts:
            - exp_labels: {severity: warning}
          - eval_time: 10m
            alertname: SlipwayEventsLost
            exp_alerts:
            - exp_labels: {severity: warning}
          - eval_time: 1m
            alertname: SlipwayEventsLost
            exp_alerts: []
          - eval_time: 5m
            alertname: SlipwayOperatorAbsent
            exp_alerts: []
          - eval_time: 25m
            alertname: SlipwayOperatorAbsent
            exp_alerts:
            - exp_labels: {severity: critical}
          - eval_time: 25m
            alertname: SlipwayNoLeader
            exp_alerts:
            - exp_labels: {severity: critical}
          - eval_time: 70m
            alertname: SlipwayJobsFailing
            exp_alerts:
            - exp_labels: {severity: warning, kind: BatchJob}
          - eval_time: 50m
            alertname: SlipwayWorkqueueDepthGrowing
            exp_alerts:
            - exp_labels: {severity: warning, name: batchjobs}
          - eval_time: 40m
            alertname: SlipwayReconcileErrors
            exp_alerts:
            - exp_labels: {severity: warning, controller: batchjob}
        """
}
