import KubeAPI
import LocalCluster
import SlipwayAPI
import Testing

@Suite("SparkJob semantic validation and schema")
struct SparkJobValidationTests {
    static var valid: SparkJob {
        let text = """
        {"apiVersion": "slipway.dev/v1alpha1", "kind": "SparkJob", "metadata": {"name": "pi", "namespace": "data"},
         "spec": {"type": "Scala", "sparkVersion": "3.5.3", "image": "apache/spark:3.5.3", "mainClass": "org.apache.spark.examples.SparkPi",
                  "mainApplicationFile": "local:///opt/spark/examples/jars/spark-examples.jar", "arguments": ["$(params.n)"],
                  "parameters": {"n": "100"}, "driver": {"memory": "1g", "coreLimit": "1200m"}, "executor": {"memory": "2g", "instances": 2},
                  "adapt": {"executorMemory": {"max": "8g"}, "executors": {"step": 1, "max": 4}}}}
        """
        return SparkJob(json: try! JSON.parse(text))!
    }

    @Test func aCompleteJobIsValid() {
        #expect(SparkJobValidation.validate(Self.valid).isEmpty)
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var field: String
        var message: String
        var change: @Sendable (inout SparkJob) -> Void
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "Scala without main class", field: "spec.mainClass", message: "needs its main class") { $0.spec.mainClass = nil },
        Case(name: "no application file", field: "spec.mainApplicationFile", message: "is empty") { $0.spec.mainApplicationFile = "" },
        Case(name: "malformed memory", field: "spec.driver.memory", message: #""2gb" is not a Spark memory size"#) { $0.spec.driver.memory = "2gb" },
        Case(name: "fractional memory", field: "spec.executor.memoryOverhead", message: "is not a Spark memory size") { $0.spec.executor.memoryOverhead = "1.5g" },
        Case(name: "negative executors", field: "spec.executor.instances", message: "must not be negative") { $0.spec.executor.instances = -1 },
        Case(name: "unknown type", field: "spec.type", message: #""Go" is not an application type"#) { $0.spec.object["type"] = "Go" },
        Case(name: "old Spark", field: "spec.sparkVersion", message: "Spark 2.4.8 is not supported") { $0.spec.sparkVersion = "2.4.8" },
        Case(name: "bad cpu", field: "spec.driver.coreLimit", message: "is not a cpu quantity") { $0.spec.driver.coreLimit = "lots" },
        Case(name: "max below min executors", field: "spec.dynamicAllocation.maxExecutors", message: "1 is below minExecutors 3") {
            var dynamic = SparkDynamicAllocationSpec()
            dynamic.enabled = true
            dynamic.minExecutors = 3
            dynamic.maxExecutors = 1
            $0.spec.dynamicAllocation = dynamic
        },
        Case(name: "memory cap below memory", field: "spec.adapt.executorMemory.max", message: "1g is below spec.executor.memory 2g") {
            $0.spec.adapt.executorMemory?.max = "1g"
        },
        Case(name: "executors cap below instances", field: "spec.adapt.executors.max", message: "1 is below spec.executor.instances 2") {
            $0.spec.adapt.executors?.max = 1
        },
        Case(name: "undefined parameter", field: "spec.arguments[0]", message: #"undefined parameter "n""#) { $0.spec.parameters = [:] },
        Case(name: "hostPath volume", field: "spec.executor.template.spec.volumes[0].hostPath", message: "hostPath volumes are refused") {
            $0.spec.executor.volumes = [["name": "host", "hostPath": ["path": "/"]]]
        },
        Case(name: "privileged driver", field: "spec.driver.template.spec.containers[0].securityContext.privileged", message: "privileged containers are refused") {
            $0.spec.driver.template = ["spec": ["containers": [["name": "spark-kubernetes-driver", "securityContext": ["privileged": true]]]]]
        },
        Case(name: "bad service account", field: "spec.driver.serviceAccount", message: "is not a valid service account name") {
            $0.spec.driver.serviceAccount = "Spark_Driver"
        },
        Case(name: "hostPath volume through sparkConf", field: "spec.sparkConf[spark.kubernetes.driver.volumes.hostPath.root.mount.path]",
             message: "hostPath volumes are refused") {
            $0.spec.sparkConf = ["spark.kubernetes.driver.volumes.hostPath.root.mount.path": "/host",
                                 "spark.kubernetes.driver.volumes.hostPath.root.options.path": "/"]
        },
        Case(name: "executor hostPath through sparkConf", field: "spec.sparkConf[spark.kubernetes.executor.volumes.hostPath.root.options.path]",
             message: "hostPath volumes are refused") {
            $0.spec.sparkConf = ["spark.kubernetes.executor.volumes.hostPath.root.options.path": "/"]
        },
        Case(name: "analysis with an own event log", field: "spec.analysis.enabled",
             message: "cannot be true together with spec.sparkConf[spark.eventLog.dir]: Spark writes one event log") {
            $0.spec.analysis.enabled = true
            $0.spec.sparkConf = ["spark.eventLog.dir": "s3a://history/"]
        },
        Case(name: "unknown analysis threshold", field: "spec.analysis.thresholds", message: #""skewRatio" is not a threshold"#) {
            $0.spec.analysis.thresholds = ["skewRatio": 2]
        },
        Case(name: "analysis share out of range", field: "spec.analysis.thresholds", message: "gcMaxShare must be a share between 0 and 1") {
            $0.spec.analysis.thresholds = ["gcMaxShare": 3]
        },
        Case(name: "fractional analysis count", field: "spec.analysis.thresholds", message: "scanMaxPartitions must be a whole number") {
            $0.spec.analysis.thresholds = ["scanMaxPartitions": 1.5]
        },
        Case(name: "bad service account through sparkConf", field: "spec.sparkConf[spark.kubernetes.authenticate.driver.serviceAccountName]",
             message: #""Spark_Driver" is not a valid service account name"#) {
            $0.spec.sparkConf = ["spark.kubernetes.authenticate.driver.serviceAccountName": "Spark_Driver"]
        },
        Case(name: "malformed driver memory in sparkConf", field: "spec.sparkConf[spark.driver.memory]", message: #""512x" is not a Spark memory size"#) {
            $0.spec.sparkConf = ["spark.driver.memory": "512x"]
        },
        Case(name: "malformed executor overhead in sparkConf", field: "spec.sparkConf[spark.executor.memoryOverhead]",
             message: #""lots" is not a Spark memory size"#) {
            $0.spec.sparkConf = ["spark.executor.memoryOverhead": "lots"]
        },
        Case(name: "zero executor cores in sparkConf", field: "spec.sparkConf[spark.executor.cores]", message: #""0" is not a number of cores"#) {
            $0.spec.sparkConf = ["spark.executor.cores": "0"]
        },
        Case(name: "driver pod template file in sparkConf", field: "spec.sparkConf[spark.kubernetes.driver.podTemplateFile]",
             message: "give the pod template as spec.driver.template") {
            $0.spec.sparkConf = ["spark.kubernetes.driver.podTemplateFile": "/tmp/driver.yaml"]
        },
        Case(name: "executor pod template file in sparkConf", field: "spec.sparkConf[spark.kubernetes.executor.podTemplateFile]",
             message: "give the pod template as spec.executor.template") {
            $0.spec.sparkConf = ["spark.kubernetes.executor.podTemplateFile": "/tmp/executor.yaml"]
        },
        Case(name: "memory cap below the sparkConf memory", field: "spec.adapt.executorMemory.max",
             message: "4g is below spec.sparkConf[spark.executor.memory] 6g") {
            $0.spec.executor.memory = nil
            $0.spec.sparkConf = ["spark.executor.memory": "6g"]
            $0.spec.adapt.executorMemory?.max = "4g"
        },
        Case(name: "self dependency", field: "spec.dependsOn[0].name", message: "depends on itself") {
            var dependency = Dependency()
            dependency.name = "pi"
            dependency.kind = "SparkJob"
            $0.spec.dependsOn = [dependency]
        },
    ]

    @Test(arguments: cases)
    func eachProblemNamesItsField(_ c: Case) {
        var job = Self.valid
        c.change(&job)
        let violations = SparkJobValidation.validate(job)
        #expect(violations.contains { $0.field == c.field && $0.message.contains(c.message) }, "\(violations)")
    }

    /// Spark's own keys for the typed settings are read as spark-submit reads them: the typed
    /// field wins (like `--driver-memory` over `--conf spark.driver.memory`), else the key.
    @Test func startingMemoryIsTheTypedFieldElseSparksKey() {
        var job = Self.valid
        job.spec.sparkConf = ["spark.driver.memory": "3g", "spark.executor.memory": "$(params.mem)"]
        job.spec.parameters = ["n": "100", "mem": "3072m"]
        #expect(job.spec.startingMemory(.driver) == "1g", "the typed field wins")
        job.spec.driver.memory = nil
        job.spec.executor.memory = nil
        #expect(job.spec.startingMemory(.driver) == "3g")
        #expect(job.spec.startingMemory(.executor) == "3g", "parameters substituted, Spark's canonical form")
        #expect(SparkJobValidation.validate(job).isEmpty, "\(SparkJobValidation.validate(job))")
        job.spec.sparkConf = [:]
        #expect(job.spec.startingMemory(.driver) == nil)
    }

    @Test func analysisWithoutAnEventLogDirAndKnownThresholdsIsValid() {
        var job = Self.valid
        job.spec.analysis.enabled = true
        job.spec.analysis.thresholds = ["duplicatePlanMinRepeatCoreSeconds": 0.5, "scanMaxPartitions": 10]
        #expect(SparkJobValidation.validate(job).isEmpty, "\(SparkJobValidation.validate(job))")
        // Analysis off: a History Server's event log is the job's own business.
        job.spec.analysis.enabled = false
        job.spec.sparkConf = ["spark.eventLog.dir": "s3a://history/"]
        #expect(SparkJobValidation.validate(job).isEmpty)
        // The schema names every threshold AnalysisThresholds has.
        #expect(SparkAnalysisSpec.thresholdNames.contains("duplicatePlanMinRepeatCoreSeconds") && SparkAnalysisSpec.thresholdNames.count >= 20)
    }

    @Test func theCRDIsStructuralAndServedWithPrinterColumns() throws {
        let crd = CRDDefinition(CRDGenerator.sparkJob)
        #expect(crd.validate().isEmpty, "\(crd.validate())")
        #expect(crd.name == "sparkjobs.slipway.dev" && crd.shortNames == ["sj"])
        let version = try #require(crd.versions.first)
        #expect(version.printerColumns.map(\.name) == ["Phase", "Attempts", "Executors", "Duration", "Age", "Message"])
        #expect(try CRDGenerator.files().map(\.name) == ["slipway.dev_batchjobs.yaml", "slipway.dev_sparkjobs.yaml", "slipway.dev_jobqueues.yaml", "slipway.dev_jobschedules.yaml"])
    }
}
