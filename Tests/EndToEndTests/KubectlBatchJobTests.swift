import Foundation
import LocalCluster
import KubeTesting
import SlipwayDevTesting
import Testing

/// BatchJobs on `slipway dev` with the operator in-process, driven by the real kubectl.
@Suite("kubectl BatchJobs on slipway dev", .serialized)
struct KubectlBatchJobTests {
    static let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../manifests/examples").standardized

    static func example(_ name: String) -> String { examples.appendingPathComponent(name).path }

    @Test func theHelloArrayExampleSucceeds() async throws {
        try await withSlipwayDev { _, _, kubectl in
            var r = try await kubectl.run(["apply", "-f", Self.example("hello-array.yaml")])
            #expect(r.status == 0, "\(r)")
            r = try await kubectl.run(["wait", "--for=condition=Succeeded", "batchjob/hello-array", "--timeout=60s"])
            #expect(r.status == 0, "\(r)")
            r = try await kubectl.run(["get", "batchjobs"])
            #expect(r.out.range(of: #"hello-array\s+Succeeded\s+3/3\s+3"#, options: .regularExpression) != nil, "\(r)")
            r = try await kubectl.run(["logs", "hello-array-2-0"])
            #expect(r.out == "hello from index 2\n", "\(r)")
            r = try await kubectl.run(["get", "pods", "-l", "slipway.dev/job-name=hello-array", "-o", "name"])
            #expect(r.out.split(separator: "\n").count == 3, "\(r)")
        }
    }

    @Test func anOOMKilledAttemptIsRetriedWithMoreMemory() async throws {
        try await withSlipwayDev { _, _, kubectl in
            try await kubectl.require(["apply", "-f", Self.example("oom-adapt.yaml")])
            var r = try await kubectl.run(["wait", "--for=condition=Succeeded", "batchjob/oom-adapt", "--timeout=120s"])
            #expect(r.status == 0, "\(r)")
            r = try await kubectl.run([
                "get", "batchjob", "oom-adapt", "-o", #"jsonpath={range .status.history[*]}{.memory} {.exitCode} {.reason};{end}"#,
            ])
            #expect(r.out == "100Mi 137 OOMKilled;200Mi 0 ;", "\(r)")
            r = try await kubectl.run(["get", "events", "--field-selector", "involvedObject.name=oom-adapt"])
            #expect(r.out.contains("memory 100Mi → 200Mi"), "\(r)")
        }
    }

    @Test func anInterruptedSpotAttemptIsRetriedOnDemandWithoutUsingAnAttempt() async throws {
        let nodes = try NodeConfiguration.parse(flags: "name=spot,capacity=spot") + NodeConfiguration.parse(flags: "name=ondemand,capacity=on-demand")
        try await withSlipwayDev(nodes: nodes) { _, _, kubectl in
            let job = """
                apiVersion: slipway.dev/v1alpha1
                kind: BatchJob
                metadata: {name: spotty}
                spec:
                  retryStrategy: {attempts: 1}
                  adapt: {capacity: {onDemandAfter: {classes: [Interrupted]}}}
                  template:
                    spec:
                      nodeSelector: {karpenter.sh/capacity-type: spot}
                      containers:
                      - {name: main, image: busybox, command: ["sh", "-c", "if [ $SLIPWAY_ATTEMPT = 0 ]; then sleep 120; fi; echo done"]}
                """
            // The first attempt outlives any wait here (the interruption ends it, however loaded
            // the machine); the retry ends at once.
            var r = try await kubectl.run(["apply", "-f", "-"], input: job)
            #expect(r.status == 0, "\(r)")
            r = try await kubectl.run(["wait", "--for=jsonpath={.status.running}=1", "batchjob/spotty", "--timeout=30s"])
            #expect(r.status == 0, "\(r)")
            r = try await kubectl.run(["create", "--raw", "/slipway/nodes/spot/interrupt", "-f", "-"], input: "{}")
            #expect(r.status == 0, "\(r)")
            r = try await kubectl.run(["wait", "--for=condition=Succeeded", "batchjob/spotty", "--timeout=60s"])
            #expect(r.status == 0, "\(r)")
            r = try await kubectl.run(["get", "batchjob", "spotty", "-o", #"jsonpath={range .status.history[*]}{.class}/{.counted}/{.capacityType};{end}"#])
            #expect(r.out.hasPrefix("Interrupted/false/spot;"), "\(r)")
            #expect(r.out.hasSuffix("/on-demand;"), "\(r)")
            r = try await kubectl.run(["get", "pod", "spotty-0-1", "-o", "jsonpath={.spec.nodeName}"])
            #expect(r.out == "ondemand", "\(r)")
        }
    }

    @Test func aPipelineRunsItsStepsInOrder() async throws {
        try await withSlipwayDev { _, _, kubectl in
            try await kubectl.require(["apply", "-f", Self.example("pipeline.yaml")])
            let r = try await kubectl.run(["wait", "--for=condition=Succeeded", "batchjob/transform", "--timeout=60s"])
            #expect(r.status == 0, "\(r)")
            let extractDone = try await kubectl.require(["get", "batchjob", "extract", "-o", "jsonpath={.status.completionTime}"]).out
            let transformStarted = try await kubectl.require(["get", "pod", "transform-0-0", "-o", "jsonpath={.metadata.creationTimestamp}"]).out
            #expect(!extractDone.isEmpty && transformStarted >= extractDone, "extract \(extractDone), transform \(transformStarted)")
        }
    }

    @Test func invalidJobsGetTheInvalidConditionWithAClearMessage() async throws {
        try await withSlipwayDev { _, _, kubectl in
            let job = """
                apiVersion: slipway.dev/v1alpha1
                kind: BatchJob
                metadata: {name: broken}
                spec:
                  template:
                    spec:
                      containers:
                      - {name: main, image: busybox, command: ["sh", "-c", "echo $(params.missing)"]}
                """
            try await kubectl.require(["apply", "-f", "-"], input: job)
            var r = try await kubectl.run(["wait", "--for=condition=Invalid", "batchjob/broken", "--timeout=30s"])
            #expect(r.status == 0, "\(r)")
            r = try await kubectl.run(["get", "batchjob", "broken", "-o", #"jsonpath={.status.conditions[?(@.type=="Invalid")].message}"#])
            #expect(r.out.contains("missing"), "\(r)")
            r = try await kubectl.run(["get", "pods", "-o", "name"])
            #expect(r.out.isEmpty, "no pod is created: \(r)")
        }
    }

    /// Templates the operator passes on but the API server refuses (duplicate container
    /// names, a negative memory request) end Failed within seconds, the condition quoting
    /// the server and naming the pod, instead of a create retried for ever.
    @Test func aPodTheServerRefusesFailsTheJobWithTheServersMessage() async throws {
        try await withSlipwayDev { _, _, kubectl in
            let jobs = """
                apiVersion: slipway.dev/v1alpha1
                kind: BatchJob
                metadata: {name: twins}
                spec:
                  arraySize: 2
                  template:
                    spec:
                      containers:
                      - {name: main, image: busybox, command: ["true"]}
                      - {name: main, image: busybox, command: ["true"]}
                ---
                apiVersion: slipway.dev/v1alpha1
                kind: BatchJob
                metadata: {name: negative}
                spec:
                  template:
                    spec:
                      containers:
                      - {name: main, image: busybox, command: ["true"], resources: {requests: {memory: "-64Mi"}}}
                """
            try await kubectl.require(["apply", "-f", "-"], input: jobs)
            var r = try await kubectl.run(["wait", "--for=condition=Failed", "batchjob/twins", "batchjob/negative", "--timeout=30s"])
            #expect(r.status == 0, "\(r)")
            let failed = #"jsonpath={.status.conditions[?(@.type=="Failed")].reason} {.status.conditions[?(@.type=="Failed")].message}"#
            r = try await kubectl.run(["get", "batchjob", "twins", "-o", failed])
            #expect(r.out.hasPrefix("CreateRefused ") && r.out.contains("twins-0-0") && r.out.contains(#"Duplicate value: "main""#), "\(r)")
            r = try await kubectl.run(["get", "batchjob", "negative", "-o", failed])
            #expect(r.out.hasPrefix("CreateRefused ") && r.out.contains("negative-0-0") && r.out.contains("must be greater than or equal to 0"), "\(r)")
            r = try await kubectl.run(["get", "batchjobs"])
            #expect(r.out.range(of: #"twins\s+Failed"#, options: .regularExpression) != nil, "\(r)")
            r = try await kubectl.run(["get", "pods", "-o", "name"])
            #expect(r.out.isEmpty, "no pod exists: \(r)")
            r = try await kubectl.run(["get", "events", "--field-selector", "involvedObject.name=twins", "-o", "jsonpath={.items[*].reason}"])
            #expect(r.out.contains("Failed"), "\(r)")
        }
    }

    /// The pod policy refuses by default what would get around it: capabilities beyond Pod
    /// Security Standards baseline and a nodeName (bypassing the scheduler and capacity
    /// pinning). The job is Invalid naming the field, and no pod is created.
    @Test func addedCapabilitiesAndNodeNameAreRefusedByThePodPolicy() async throws {
        try await withSlipwayDev { _, _, kubectl in
            let jobs = """
                apiVersion: slipway.dev/v1alpha1
                kind: BatchJob
                metadata: {name: admin}
                spec:
                  template:
                    spec:
                      containers:
                      - {name: main, image: busybox, command: ["true"], securityContext: {capabilities: {add: [CHOWN, SYS_ADMIN]}}}
                ---
                apiVersion: slipway.dev/v1alpha1
                kind: BatchJob
                metadata: {name: pinned}
                spec:
                  template:
                    spec:
                      nodeName: slipway-dev
                      containers: [{name: main, image: busybox, command: ["true"]}]
                """
            try await kubectl.require(["apply", "-f", "-"], input: jobs)
            var r = try await kubectl.run(["wait", "--for=condition=Invalid", "batchjob/admin", "batchjob/pinned", "--timeout=30s"])
            #expect(r.status == 0, "\(r)")
            let invalid = #"jsonpath={.status.conditions[?(@.type=="Invalid")].message}"#
            r = try await kubectl.run(["get", "batchjob", "admin", "-o", invalid])
            #expect(r.out.contains(#"spec.template.spec.containers[0].securityContext.capabilities.add[1]: adding capability "SYS_ADMIN" is refused"#)
                    && r.out.contains("--allow-capabilities"), "\(r)")
            r = try await kubectl.run(["get", "batchjob", "pinned", "-o", invalid])
            #expect(r.out.contains("spec.template.spec.nodeName") && r.out.contains("--allow-node-name"), "\(r)")
            r = try await kubectl.run(["get", "pods", "-o", "name"])
            #expect(r.out.isEmpty, "no pod is created: \(r)")
        }
    }

    @Test func aDependencyCycleMakesTheJobsInvalid() async throws {
        try await withSlipwayDev { _, _, kubectl in
            let jobs = ["ping": "pong", "pong": "ping"].map { name, parent in
                """
                apiVersion: slipway.dev/v1alpha1
                kind: BatchJob
                metadata: {name: \(name)}
                spec:
                  dependsOn: [{name: \(parent)}]
                  template:
                    spec:
                      containers: [{name: main, image: busybox, command: ["true"]}]
                """
            }.joined(separator: "\n---\n")
            try await kubectl.require(["apply", "-f", "-"], input: jobs)
            var r = try await kubectl.run(["wait", "--for=condition=Invalid", "batchjob/ping", "batchjob/pong", "--timeout=30s"])
            #expect(r.status == 0, "\(r)")
            r = try await kubectl.run(["get", "batchjob", "ping", "-o", #"jsonpath={.status.conditions[?(@.type=="Invalid")].message}"#])
            #expect(r.out.contains("ping") && r.out.contains("pong") && r.out.lowercased().contains("cycle"), "\(r)")
        }
    }

    @Test func anUnschedulableJobShowsTheSchedulersReason() async throws {
        try await withSlipwayDev { _, _, kubectl in
            let job = """
                apiVersion: slipway.dev/v1alpha1
                kind: BatchJob
                metadata: {name: huge}
                spec:
                  template:
                    spec:
                      containers:
                      - {name: main, image: busybox, command: ["true"], resources: {requests: {memory: 100Gi}}}
                """
            try await kubectl.require(["apply", "-f", "-"], input: job)
            let r = try await kubectl.require(["wait", "--for=jsonpath={.status.phase}=Pending", "batchjob/huge", "--timeout=30s"])
            #expect(r.status == 0, "\(r)")
            var message = ""
            let explained = try await eventually(timeout: .seconds(20)) {
                message = try await kubectl.require(["get", "batchjob", "huge", "-o", "jsonpath={.status.message}"]).out
                return message.contains("Insufficient memory")
            }
            #expect(explained, "status.message: \(message)")
        }
    }

    @Test func deletingABatchJobRemovesItsPods() async throws {
        try await withSlipwayDev { _, _, kubectl in
            try await kubectl.require(["apply", "-f", Self.example("hello-array.yaml")])
            try await kubectl.require(["wait", "--for=condition=Succeeded", "batchjob/hello-array", "--timeout=60s"])
            // The pods exist (and are owned by the job) before the delete, so their going is the delete's doing.
            let before = try await kubectl.require([
                "get", "pods", "-l", "slipway.dev/job-name=hello-array", "-o", #"jsonpath={range .items[*]}{.metadata.name}/{.metadata.ownerReferences[0].kind};{end}"#,
            ]).out
            #expect(before == "hello-array-0-0/BatchJob;hello-array-1-0/BatchJob;hello-array-2-0/BatchJob;", "\(before)")
            var r = try await kubectl.run(["delete", "batchjob", "hello-array"])
            #expect(r.status == 0, "\(r)")
            r = try await kubectl.run(["wait", "--for=delete", "pod/hello-array-0-0", "pod/hello-array-1-0", "pod/hello-array-2-0", "--timeout=30s"])
            #expect(r.status == 0, "\(r)")
        }
    }

    @Test func restartingTheOperatorMidJobLosesNothingAndDuplicatesNothing() async throws {
        try await withDevCluster { cluster, kubectl in
            var embedded = try await EmbeddedOperatorHarness.start(cluster)
            let job = """
                apiVersion: slipway.dev/v1alpha1
                kind: BatchJob
                metadata: {name: steady}
                spec:
                  arraySize: 4
                  parallelism: 2
                  template:
                    spec:
                      containers:
                      - {name: main, image: busybox, command: ["sh", "-c", "sleep 1; echo ok"]}
                """
            try await kubectl.require(["apply", "-f", "-"], input: job)
            // Mid-job: the first two pods exist. Their launch may not be written yet (progress
            // before and while they run is folded into a later write): the restarted operator
            // records it from the pods.
            try await kubectl.require(["wait", "--for=create", "pod/steady-0-0", "pod/steady-1-0", "--timeout=30s"])
            await embedded.stop()
            embedded = try await EmbeddedOperatorHarness.start(cluster)
            let r = try await kubectl.require(["wait", "--for=condition=Succeeded", "batchjob/steady", "--timeout=60s"])
            #expect(r.status == 0, "\(r)")
            let pods = try await kubectl.require(["get", "pods", "-l", "slipway.dev/job-name=steady", "-o", "name"]).out
            #expect(pods.split(separator: "\n").sorted() == ["pod/steady-0-0", "pod/steady-1-0", "pod/steady-2-0", "pod/steady-3-0"])
            let attempts = try await kubectl.require(["get", "batchjob", "steady", "-o", "jsonpath={.status.attempts}/{.status.succeededIndexes}"]).out
            #expect(attempts == "4/0-3")
            await embedded.stop()
        }
    }

    /// Issue 13: every valid job name gives valid pod names and label values. A 100-character
    /// name gave its pods a 100-character `slipway.dev/job-name` (a real server refuses label
    /// values over 63); a 250-character name made every pod name pass 253 characters.
    @Test func jobsWithNamesUpToTheLongestValidRunAndTheirPodsAreFound() async throws {
        try await withSlipwayDev { _, _, kubectl in
            let names = [String(repeating: "a", count: 100), String(repeating: "b", count: 250)]
            for name in names {
                let job = """
                    apiVersion: slipway.dev/v1alpha1
                    kind: BatchJob
                    metadata: {name: \(name)}
                    spec:
                      arraySize: 2
                      template:
                        spec:
                          containers: [{name: main, image: busybox, command: ["sh", "-c", "echo long"]}]
                    """
                try await kubectl.require(["apply", "-f", "-"], input: job)
            }
            for name in names {
                let r = try await kubectl.run(["wait", "--for=condition=Succeeded", "batchjob/\(name)", "--timeout=60s"])
                #expect(r.status == 0, "\(r)")
                let pods = try await kubectl.require([
                    "get", "pods", "-o", #"jsonpath={range .items[?(@.metadata.ownerReferences[0].name==""# + name + #"")]}{.metadata.name} {.metadata.labels.slipway\.dev/job-name};{end}"#,
                ]).out
                let entries = pods.split(separator: ";").map { $0.split(separator: " ").map(String.init) }
                #expect(entries.count == 2, "\(pods)")
                for entry in entries {
                    #expect(entry.count == 2 && entry[0].count <= 253 && entry[1].count <= 63, "\(entry)")
                }
            }
            let sparkName = String(repeating: "s", count: 253)
            let spark = """
                apiVersion: slipway.dev/v1alpha1
                kind: SparkJob
                metadata: {name: \(sparkName)}
                spec:
                  type: Python
                  sparkVersion: "3.5.3"
                  image: apache/spark:3.5.3
                  mainApplicationFile: local:///opt/app.py
                  executor: {instances: 1}
                """
            try await kubectl.require(["apply", "-f", "-"], input: spark)
            let r = try await kubectl.run(["wait", "--for=condition=Succeeded", "sparkjob/\(sparkName)", "--timeout=90s"])
            let described = try await kubectl.run(["get", "sparkjob", sparkName, "-o", "yaml"]).out
            #expect(r.status == 0, "\(r)\n\(described)")
        }
    }
}
