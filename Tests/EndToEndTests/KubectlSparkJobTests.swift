import Foundation
import LocalCluster
import KubeTesting
import SlipwayDevTesting
import Testing

/// SparkJobs on `slipway dev` with the operator in-process, driven by the real kubectl. The
/// Spark image is played by the dev cluster's stand-in (`SparkStandIn`): its driver creates
/// executor pods from the rendered spark.properties, labelled as Spark labels them.
@Suite("kubectl SparkJobs on slipway dev", .serialized)
struct KubectlSparkJobTests {
    static func example(_ name: String) -> String { KubectlBatchJobTests.example(name) }

    static func jsonpath(_ kubectl: Kubectl, _ object: String, _ path: String) async throws -> String {
        try await kubectl.require(["get", object, "-o", "jsonpath=\(path)"]).out
    }

    @Test func executorOOMOnSpotIsRetriedWithMoreMemoryAndExecutorsOnDemand() async throws {
        let nodes = try NodeConfiguration.parse(flags: "name=spot,capacity=spot,cpu=8,memory=16Gi")
            + NodeConfiguration.parse(flags: "name=ondemand,capacity=on-demand,cpu=8,memory=16Gi")
        try await withSlipwayDev(nodes: nodes) { _, _, kubectl in
            var r = try await kubectl.run(["apply", "-f", Self.example("spark-oom-adapt.yaml")])
            #expect(r.status == 0, "\(r)")
            r = try await kubectl.run(["wait", "--for=condition=Succeeded", "sparkjob/spark-oom-adapt", "--timeout=120s"])
            #expect(r.status == 0, "\(r)")
            r = try await kubectl.run(["get", "sparkjob", "spark-oom-adapt", "-o", "yaml"])
            #expect(r.status == 0, "\(r)")
            let yaml = r.out
            for expected in ["phase: Succeeded", "attempts: 2", "class: OutOfMemory", "role: executor", "exitCode: 137",
                             "executorMemory: 256m", "executorMemory: 512m", "executorInstances: 3",
                             "executorCapacity: spot", "executorCapacity: on-demand",
                             "- executor memory 256m → 512m after OOMKilled", "- executors 2 → 3 after OOMKilled"] {
                #expect(yaml.contains(expected), "missing \(expected) in\n\(yaml)")
            }
            let history = try await Self.jsonpath(
                kubectl, "sparkjob/spark-oom-adapt",
                #"{range .status.history[*]}{.attempt}:{.class}:{.executorMemory}x{.executorInstances}@{.executorCapacity};{end}"#)
            #expect(history == "0:OutOfMemory:256mx2@spot;1::512mx3@on-demand;", "\(history)")
            // The second attempt's executors, found by Spark's labels, ran on the on-demand node.
            let app = try await Self.jsonpath(kubectl, "sparkjob/spark-oom-adapt", "{.status.sparkApplicationId}")
            let nodesUsed = try await kubectl.require([
                "get", "pods", "-l", "spark-role=executor,spark-app-selector=\(app)", "-o", "jsonpath={.items[*].spec.nodeName}",
            ]).out
            #expect(nodesUsed.split(separator: " ") == ["ondemand", "ondemand", "ondemand"], "\(nodesUsed)")
            r = try await kubectl.run(["describe", "sparkjob", "spark-oom-adapt"])
            for expected in ["executor memory 256m → 512m after OOMKilled", "executor capacity spot → on-demand after 1 failed attempt",
                             "AttemptFailed", "Submitted", "Completed"] {
                #expect(r.out.contains(expected), "missing \(expected) in\n\(r.out)")
            }
            r = try await kubectl.run(["get", "sparkjobs"])
            #expect(r.out.range(of: #"spark-oom-adapt\s+Succeeded\s+2\s+0"#, options: .regularExpression) != nil, "\(r)")
        }
    }

    /// On the default one-node dev cluster (on-demand only) the example's spot executors
    /// cannot be scheduled; the job says so in its message instead of just "2 pending".
    @Test func executorsThatCannotBeScheduledAreExplainedInTheMessage() async throws {
        try await withSlipwayDev { _, _, kubectl in
            let r = try await kubectl.require(["apply", "-f", Self.example("spark-oom-adapt.yaml")])
            #expect(r.status == 0, "\(r)")
            let wanted = "executor spark-oom-adapt-0-exec-1 is pending: FailedScheduling: 0/1 nodes are available: 1 node(s) didn't match Pod's node affinity/selector"
            // Both executors pending (the driver creates them one after the other), and why.
            let expected = "executors: 0 running, 2 pending, 0 failed; \(wanted)"
            var message = ""
            let explained = try await eventually(timeout: .seconds(60)) {
                message = try await Self.jsonpath(kubectl, "sparkjob/spark-oom-adapt", "{.status.message}")
                return message.contains(expected)
            }
            #expect(explained, "\(message)")
            let described = try await kubectl.require(["describe", "sparkjob", "spark-oom-adapt"])
            #expect(described.out.contains("is pending: FailedScheduling"), "\(described)")
        }
    }

    @Test(arguments: ["spark-pi", "pyspark-pi"])
    func theExamplesSucceedAndCreateWhatSparkSubmitCreates(name: String) async throws {
        try await withSlipwayDev { _, _, kubectl in
            var r = try await kubectl.run(["apply", "-f", Self.example("\(name).yaml")])
            #expect(r.status == 0, "\(r)")
            r = try await kubectl.run(["wait", "--for=condition=Succeeded", "sparkjob/\(name)", "--timeout=90s"])
            #expect(r.status == 0, "\(r)")
            let driver = "\(name)-0-driver"
            r = try await kubectl.run(["logs", driver])
            #expect(r.out.contains("Pi is roughly"), "\(r)")
            // The Service and ConfigMap are owned by the driver pod, as spark-submit makes them.
            let owners = try await kubectl.require([
                "get", "services,configmaps", "-l", "", "-o",
                #"jsonpath={range .items[?(@.metadata.ownerReferences[0].name==""# + driver + #"")]}{.kind}/{.metadata.ownerReferences[0].kind};{end}"#,
            ]).out
            #expect(owners.contains("Service/Pod;") && owners.contains("ConfigMap/Pod;"), "\(owners)")
            let args = try await Self.jsonpath(kubectl, "pod/\(driver)", "{.spec.containers[0].args}")
            #expect(args.contains(#""driver","--properties-file","/opt/spark/conf/spark.properties","--class""#), "\(args)")
            let executors = try await kubectl.require(["get", "pods", "-l", "spark-role=executor", "-o", "name"]).out
            #expect(executors.split(separator: "\n").count == 2, "\(executors)")
        }
    }

    @Test func badSparkJobsAreRefusedNamingTheField() async throws {
        try await withSlipwayDev { _, _, kubectl in
            let base = """
                apiVersion: slipway.dev/v1alpha1
                kind: SparkJob
                metadata: {name: bad}
                spec:
                  type: Python
                  sparkVersion: "4.0.5"
                  image: apache/spark:4.0.5
                  mainApplicationFile: local:///app.py
                """
            let refused: [(String, String, String)] = [
                (base.replacingOccurrences(of: "  mainApplicationFile: local:///app.py\n", with: "").replacingOccurrences(of: "  mainApplicationFile: local:///app.py", with: ""),
                 "spec.mainApplicationFile", "Required value"),
                (base + "\n  driver: {memory: 2gb}", "spec.driver.memory", "2gb"),
                (base + "\n  executor: {instances: -1}", "spec.executor.instances", "greater than or equal to 0"),
                (base.replacingOccurrences(of: "type: Python", with: "type: Go"), "spec.type", "Unsupported value: \"Go\""),
                // Cross-field rules are CEL rules on the CRD: refused at apply time too.
                (base + "\n  dynamicAllocation: {enabled: true, minExecutors: 3, maxExecutors: 1}",
                 "spec.dynamicAllocation.maxExecutors", "maxExecutors must not be below minExecutors"),
            ]
            for (manifest, field, detail) in refused {
                let r = try await kubectl.run(["apply", "-f", "-"], input: manifest)
                #expect(r.status != 0, "\(manifest) was accepted")
                #expect(r.err.contains(field) && r.err.contains(detail), "\(r)")
            }
            // What CEL cannot check (Spark memory strings are no quantities) stays an Invalid condition.
            let invalid = base + "\n  executor: {memory: 4g}\n  adapt: {executorMemory: {factor: 2, max: 2g}}"
            var r = try await kubectl.run(["apply", "-f", "-"], input: invalid)
            #expect(r.status == 0, "\(r)")
            r = try await kubectl.run(["wait", "--for=condition=Invalid", "sparkjob/bad", "--timeout=30s"])
            #expect(r.status == 0, "\(r)")
            let message = try await Self.jsonpath(kubectl, "sparkjob/bad", #"{.status.conditions[?(@.type=="Invalid")].message}"#)
            #expect(message.contains("spec.adapt.executorMemory.max: 2g is below"), "\(message)")
            r = try await kubectl.run(["get", "pods,configmaps,services", "-o", "name"])
            #expect(!r.out.contains("bad-"), "nothing is created for an invalid job: \(r.out)")
        }
    }

    /// Spark's own memory keys are honoured without the typed fields, as spark-submit reads
    /// them; a malformed value and a pod template file are refused naming the key.
    @Test func sparkConfMemoryIsHonouredAndMalformedOrTemplateFileKeysAreRefused() async throws {
        try await withSlipwayDev { _, _, kubectl in
            let base = """
                apiVersion: slipway.dev/v1alpha1
                kind: SparkJob
                metadata: {name: NAME}
                spec:
                  type: Python
                  sparkVersion: "4.0.5"
                  image: apache/spark:4.0.5
                  mainApplicationFile: local:///app.py
                  executor: {instances: 1}
                """
            let honoured = base.replacingOccurrences(of: "NAME", with: "confmem") + "\n  sparkConf: {spark.driver.memory: 3g, spark.executorEnv.STANDIN_SECONDS: \"1\"}"
            try await kubectl.require(["apply", "-f", "-"], input: honoured)
            var memory = ""
            let rendered = try await eventually(timeout: .seconds(30)) {
                memory = try await kubectl.run(["get", "pod", "confmem-0-driver", "-o", "jsonpath={.spec.containers[0].resources.requests.memory}"]).out
                return !memory.isEmpty
            }
            // 3g and Python's overhead factor 0.4: 3072 + 1228 MiB, not 1g's 1024 + 409.
            #expect(rendered && memory == "4300Mi", "driver memory request: \(memory)")
            let properties = try await kubectl.require(["get", "configmap", "-o", "jsonpath={.items[*].data.spark\\.properties}"]).out
            #expect(properties.contains("spark.driver.memory=3g"), "\(properties)")

            let refused = base.replacingOccurrences(of: "NAME", with: "confbad")
                + "\n  sparkConf: {spark.executor.memory: 512x, spark.kubernetes.driver.podTemplateFile: /tmp/driver.yaml}"
            try await kubectl.require(["apply", "-f", "-"], input: refused)
            let r = try await kubectl.run(["wait", "--for=condition=Invalid", "sparkjob/confbad", "--timeout=30s"])
            #expect(r.status == 0, "\(r)")
            let message = try await Self.jsonpath(kubectl, "sparkjob/confbad", #"{.status.conditions[?(@.type=="Invalid")].message}"#)
            #expect(message.contains(#"spec.sparkConf[spark.executor.memory]: "512x" is not a Spark memory size"#), "\(message)")
            #expect(message.contains("spec.sparkConf[spark.kubernetes.driver.podTemplateFile]") && message.contains("spec.driver.template"), "\(message)")
            let pods = try await kubectl.require(["get", "pods", "-o", "name"]).out
            #expect(!pods.contains("confbad"), "nothing is created for an invalid job: \(pods)")
        }
    }

    @Test func dependenciesWorkAcrossKinds() async throws {
        try await withSlipwayDev { _, _, kubectl in
            let manifests = """
                apiVersion: slipway.dev/v1alpha1
                kind: BatchJob
                metadata: {name: report}
                spec:
                  dependsOn: [{name: crunch, kind: SparkJob}]
                  template:
                    spec:
                      containers: [{name: main, image: busybox, command: ["sh", "-c", "echo report"]}]
                ---
                apiVersion: slipway.dev/v1alpha1
                kind: SparkJob
                metadata: {name: crunch}
                spec:
                  type: Python
                  sparkVersion: "3.5.3"
                  image: apache/spark:3.5.3
                  mainApplicationFile: local:///opt/app.py
                  executor: {instances: 1}
                  dependsOn: [{name: prepare, kind: BatchJob}]
                ---
                apiVersion: slipway.dev/v1alpha1
                kind: BatchJob
                metadata: {name: prepare}
                spec:
                  template:
                    spec:
                      containers: [{name: main, image: busybox, command: ["sh", "-c", "sleep 1; echo prepared"]}]
                """
            var r = try await kubectl.run(["apply", "-f", "-"], input: manifests)
            #expect(r.status == 0, "\(r)")
            r = try await kubectl.run(["wait", "--for=condition=Succeeded", "batchjob/report", "--timeout=90s"])
            #expect(r.status == 0, "\(r)")
            let prepared = try await Self.jsonpath(kubectl, "batchjob/prepare", "{.status.completionTime}")
            let crunchStart = try await Self.jsonpath(kubectl, "sparkjob/crunch", "{.status.startTime}")
            let crunchEnd = try await Self.jsonpath(kubectl, "sparkjob/crunch", "{.status.completionTime}")
            let reportStart = try await Self.jsonpath(kubectl, "batchjob/report", "{.status.startTime}")
            #expect(prepared <= crunchStart && crunchEnd <= reportStart, "\(prepared) \(crunchStart) \(crunchEnd) \(reportStart)")
        }
    }

    @Test func restartingTheOperatorWhileTheDriverRunsSubmitsNothingTwice() async throws {
        try await withDevCluster { cluster, kubectl in
            var embedded = try await EmbeddedOperatorHarness.start(cluster)
            let job = """
                apiVersion: slipway.dev/v1alpha1
                kind: SparkJob
                metadata: {name: steady}
                spec:
                  type: Python
                  sparkVersion: "4.0.5"
                  image: apache/spark:4.0.5
                  mainApplicationFile: local:///opt/app.py
                  sparkConf: {spark.executorEnv.STANDIN_SECONDS: "3"}
                  executor: {instances: 2}
                """
            var r = try await kubectl.run(["apply", "-f", "-"], input: job)
            #expect(r.status == 0, "\(r)")
            r = try await kubectl.run(["wait", "--for=jsonpath={.status.phase}=Running", "sparkjob/steady", "--timeout=30s"])
            #expect(r.status == 0, "\(r)")
            await embedded.stop()
            embedded = try await EmbeddedOperatorHarness.start(cluster)
            r = try await kubectl.run(["wait", "--for=condition=Succeeded", "sparkjob/steady", "--timeout=60s"])
            #expect(r.status == 0, "\(r)")
            let drivers = try await kubectl.require(["get", "pods", "-l", "spark-role=driver", "-o", "name"]).out
            #expect(drivers == "pod/steady-0-driver\n", "\(drivers)")
            let executors = try await kubectl.require(["get", "pods", "-l", "spark-role=executor", "-o", "name"]).out
            #expect(executors.split(separator: "\n").count == 2, "\(executors)")
            let status = try await Self.jsonpath(kubectl, "sparkjob/steady", "{.status.attempts}/{.status.history[*].attempt}/{.status.executors.succeeded}")
            #expect(status == "1/0/2", "\(status)")
            let services = try await kubectl.require(["get", "services,configmaps", "-o", "name"]).out
            #expect(services.split(separator: "\n").filter { $0.contains("steady") || $0.contains("spark-drv") }.count == 2, "\(services)")
            await embedded.stop()
        }
    }

    @Test func aSparkJobWaitingForASparkJobStartsWhenItSucceeds() async throws {
        try await withSlipwayDev { _, _, kubectl in
            var r = try await kubectl.run(["apply", "-f", "-"], input: KubectlDependencyTests.sparkJob("second", dependsOn: "{name: first, kind: SparkJob}"))
            #expect(r.status == 0, "\(r)")
            r = try await kubectl.run(["apply", "-f", "-"], input: KubectlDependencyTests.sparkJob("first", dependsOn: ""))
            #expect(r.status == 0, "\(r)")
            r = try await kubectl.run(["wait", "--for=condition=Succeeded", "sparkjob/second", "--timeout=60s"])
            #expect(r.status == 0, "\(r)")
            let firstDone = try await Self.jsonpath(kubectl, "sparkjob/first", "{.status.completionTime}")
            let secondStart = try await Self.jsonpath(kubectl, "sparkjob/second", "{.status.startTime}")
            #expect(firstDone <= secondStart, "\(firstDone) \(secondStart)")
        }
    }
}
