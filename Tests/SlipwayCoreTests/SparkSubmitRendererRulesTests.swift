import Foundation
import KubeAPI
import SlipwayAPI
import Testing
@testable import SlipwayCore

/// The rules behind the golden cases, one table each. Values marked "run" were observed in
/// request bodies of the real spark-submit (pyspark 4.0.5 / 3.5.9) or computed by the real
/// `ResourceProfile.getResourcesForClusterManager`; the source file named is where the rule lives.
@Suite("SparkSubmitRenderer rules")
struct SparkSubmitRendererRulesTests {
    static func submission(_ version: String = "4.0.5", _ type: SparkApplicationType = .scala, edit: (inout SparkSubmission) -> Void = { _ in }) -> SparkSubmission {
        var s = SparkSubmission(
            sparkVersion: version, type: type, appName: "app", namespace: "ns", appId: "spark-0123456789abcdef0123456789abcdef",
            resourceNamePrefix: "app-0123456789abcdef", configMapName: "spark-drv-0123456789abcdef-conf-map",
            localDirName: "spark-00000000-0000-0000-0000-000000000000", submitTime: Date(timeIntervalSince1970: 1_795_341_957),
            image: "img:1", mainApplicationFile: type.isJVM ? "local:///app.jar" : type == .python ? "local:///app.py" : "local:///app.R",
            mainClass: type.isJVM ? "a.Main" : nil)
        edit(&s)
        return s
    }

    // MARK: - Memory

    struct MemoryCase: CustomTestStringConvertible, Sendable {
        var version: String, type: SparkApplicationType, role: SparkRole
        var memory: String?, overhead: String? = nil, factor: Double? = nil, conf: [String: String] = [:]
        var expected: Int
        var note: String
        var testDescription: String { note }
    }

    @Test(arguments: [
        // BasicDriverFeatureStep (3.5, 4.0): non-JVM factor 0.4 → 1024 + 409 (the recorded 4.0 Python driver).
        MemoryCase(version: "4.0.5", type: .python, role: .driver, memory: "1g", expected: 1433, note: "1g python 4.0"),
        MemoryCase(version: "3.5.9", type: .python, role: .driver, memory: "1g", expected: 1433, note: "1g python 3.5"),
        MemoryCase(version: "4.0.5", type: .r, role: .driver, memory: nil, expected: 1433, note: "R default 1g (run)"),
        // JVM factor 0.1: 204 < 384 → the floor (run: Scala 2g driver → 2432Mi, both versions).
        MemoryCase(version: "4.0.5", type: .scala, role: .driver, memory: "2g", expected: 2432, note: "2g JVM"),
        MemoryCase(version: "3.5.9", type: .java, role: .driver, memory: "2g", expected: 2432, note: "2g JVM 3.5"),
        // 0.1 × 8192 = 819.2 → 819 (run: 9011Mi).
        MemoryCase(version: "4.0.5", type: .scala, role: .driver, memory: "8g", expected: 9011, note: "8g JVM"),
        MemoryCase(version: "4.0.5", type: .scala, role: .executor, memory: "8g", expected: 9011, note: "8g JVM executor"),
        // An explicit overhead is used as is, even below 384 (ResourceProfile run: 2048 + 100).
        MemoryCase(version: "4.0.5", type: .scala, role: .driver, memory: "4g", overhead: "1g", expected: 5120, note: "explicit 1g (run)"),
        MemoryCase(version: "3.5.9", type: .scala, role: .executor, memory: "2g", overhead: "100m", expected: 2148, note: "explicit below 384"),
        MemoryCase(version: "4.0.5", type: .python, role: .executor, memory: "2g", conf: ["spark.executor.memoryOverhead": "500m"], expected: 2548, note: "overhead from conf"),
        // Role factor beats the default (run: Python 2g driver with spark.driver.memoryOverheadFactor=0.2 → 2457Mi).
        MemoryCase(version: "4.0.5", type: .python, role: .driver, memory: "2g", factor: 0.2, expected: 2457, note: "factor override"),
        MemoryCase(version: "4.0.5", type: .scala, role: .executor, memory: "3g", factor: 0.25, expected: 3840, note: "executor factor (run)"),
        // spark.kubernetes.memoryOverheadFactor replaces the 0.4/0.1 default (runs: Python 4g at 0.2 → 4915Mi, Java 2g at 0.3 → 2662Mi).
        MemoryCase(version: "3.5.9", type: .python, role: .driver, memory: "4g", conf: ["spark.kubernetes.memoryOverheadFactor": "0.2"], expected: 4915, note: "deprecated key python"),
        MemoryCase(version: "4.0.5", type: .java, role: .driver, memory: "2g", conf: ["spark.kubernetes.memoryOverheadFactor": "0.3"], expected: 2662, note: "deprecated key JVM"),
        // 4.0 only: spark.driver.minMemoryOverhead raises the floor (run: 8192 + 1000 = 9192 on 4.0, 9011 on 3.5).
        MemoryCase(version: "4.0.5", type: .scala, role: .driver, memory: "8g", conf: ["spark.driver.minMemoryOverhead": "1000m"], expected: 9192, note: "4.0 min overhead"),
        MemoryCase(version: "3.5.9", type: .scala, role: .driver, memory: "8g", conf: ["spark.driver.minMemoryOverhead": "1000m"], expected: 9011, note: "3.5 ignores min overhead"),
        MemoryCase(version: "4.0.5", type: .scala, role: .executor, memory: "1g", conf: ["spark.executor.minMemoryOverhead": "512"], expected: 1536, note: "4.0 executor min overhead"),
        // ResourceProfile (run): PySpark memory for Python executors, off-heap when enabled.
        MemoryCase(version: "4.0.5", type: .python, role: .executor, memory: "2g", conf: ["spark.executor.pyspark.memory": "512m"], expected: 3379, note: "pyspark memory"),
        MemoryCase(version: "4.0.5", type: .scala, role: .executor, memory: "2g", conf: ["spark.executor.pyspark.memory": "512m"], expected: 2432, note: "pyspark memory ignored for JVM"),
        MemoryCase(version: "4.0.5", type: .scala, role: .executor, memory: "2g", conf: ["spark.memory.offHeap.enabled": "true", "spark.memory.offHeap.size": "1g"], expected: 3456, note: "off-heap"),
        MemoryCase(version: "4.0.5", type: .scala, role: .executor, memory: nil, conf: ["spark.memory.offHeap.size": "1g"], expected: 1408, note: "off-heap disabled"),
    ])
    func containerMemory(_ c: MemoryCase) {
        let mib = SparkSubmitRenderer.containerMemoryMiB(
            memory: c.memory, overhead: c.overhead, factor: c.factor, role: c.role, type: c.type, sparkVersion: c.version, sparkConf: c.conf)
        #expect(mib == c.expected)
    }

    // MARK: - Names

    @Test(arguments: [
        // KubernetesConf.getAppNameLabel (3.5 and 4.0), values from runs.
        ("spark-pi-py", "spark-pi-py"), ("Big_Job.Name", "big-job-name"), ("my.R_App", "my-r-app"),
        ("  --Weird__Name!!--  ", "weird-name"),
        ("a-very-long-application-name-that-goes-on-and-on-beyond-sixty-three-characters-total",
         "a-very-long-application-name-that-goes-on-and-on-beyond-sixty-t"),
        ("Ünïcode Ñame", "n-code-ame"),
    ])
    func appNameLabel(_ name: String, _ label: String) {
        #expect(SparkSubmitRenderer.appNameLabel(name) == label)
    }

    @Test func resourceNamePrefixAndServiceName() {
        // KubernetesConf.getResourceNamePrefix (runs: "Big_Job.Name" → "big-job-name-1fc084a20361c703").
        #expect(SparkSubmitRenderer.resourceNamePrefix(appName: "Big_Job.Name", uniqueID: "1fc084a20361c703") == "big-job-name-1fc084a20361c703")
        #expect(SparkSubmitRenderer.resourceNamePrefix(appName: "  --Weird__Name!!--  ", uniqueID: "9eebeca2036461f8") == "weird-name-9eebeca2036461f8")
        #expect(SparkSubmitRenderer.resourceNamePrefix(appName: "9lives", uniqueID: "0000000000000001") == "xlives-0000000000000001")
        // DriverServiceFeatureStep: "<prefix>-driver-svc" up to 63 characters, else "spark-<id>-driver-svc"
        // (run: a long name gave the pod "<long prefix>-driver" and the Service "spark-6ba83fa20364d672-driver-svc").
        #expect(SparkSubmitRenderer.driverServiceName(resourceNamePrefix: "spark-pi-acece9a202b82ee7") == "spark-pi-acece9a202b82ee7-driver-svc")
        let long = "a-very-long-application-name-that-goes-on-and-on-beyond-sixty-three-characters-total-bf75caa20364c283"
        #expect(SparkSubmitRenderer.driverServiceName(resourceNamePrefix: long) == "spark-bf75caa20364c283-driver-svc")
        let odd = SparkSubmitRenderer.driverServiceName(resourceNamePrefix: String(repeating: "x", count: 60))
        #expect(odd.hasPrefix("spark-") && odd.hasSuffix("-driver-svc") && odd.count == 33)
        let s = Self.submission { $0.resourceNamePrefix = long }
        let rendered = SparkSubmitRenderer.render(s)
        #expect(rendered.service.metadata.name == "spark-bf75caa20364c283-driver-svc")
        #expect(rendered.property("spark.driver.host") == "spark-bf75caa20364c283-driver-svc.ns.svc")
        #expect(rendered.driverPod.metadata.name == long + "-driver")
    }

    // MARK: - spark.properties text

    @Test func propertiesFileFormat() {
        // KubernetesClientUtils + java.util.Properties.store(Writer); expected lines copied from runs.
        let text = SparkSubmitRenderer.propertiesFile(
            [("spark.x.lead", "  lead and trail  "), ("spark.x.tab", "a\tb"), ("spark.x.unicode", "héllo wörld €"),
             ("spark.x.empty", ""), ("a key", "v"), ("spark.x.crlf", "a\r\nb")],
            configMapName: "spark-drv-934848a202b8390b-conf-map", date: Date(timeIntervalSince1970: 1_795_341_957))
        let expected = [
            "#Java properties built from Kubernetes config map with name: spark-drv-934848a202b8390b-conf-map",
            "#Sun Nov 22 10:05:57 UTC 2026",
            #"spark.x.lead=\  lead and trail  "#,
            #"spark.x.tab=a\tb"#,
            "spark.x.unicode=héllo wörld €",
            "spark.x.empty=",
            #"a\ key=v"#,
            #"spark.x.crlf=a\r\nb"#,
        ]
        #expect(text == expected.joined(separator: "\n") + "\n")
    }

    @Test(arguments: [
        (0.0, "Thu Jan 01 00:00:00 UTC 1970"), (1_795_341_957.9, "Sun Nov 22 10:05:57 UTC 2026"),
        (951_782_400, "Tue Feb 29 00:00:00 UTC 2000"), (-1, "Wed Dec 31 23:59:59 UTC 1969"),
    ])
    func javaDate(_ seconds: Double, _ text: String) {
        #expect(SparkSubmitRenderer.javaDateString(Date(timeIntervalSince1970: seconds)) == text)
    }

    // MARK: - Versions

    @Test(arguments: [
        ("4.0.5", SparkVersionLine.v4_0), ("4.0.0-preview2", .v4_0), ("3.5.3", .v3_5), ("3.5", .v3_5),
        ("4.1.0", .v4_0), ("3.4.1", .v4_0), ("nonsense", .v4_0),
    ])
    func versionLines(_ version: String, _ line: SparkVersionLine) {
        // Unknown lines render as the newest known (4.0).
        #expect(SparkVersionLine(sparkVersion: version) == line)
    }

    // MARK: - Problems

    @Test func renderableSubmissionsHaveNoProblems() {
        #expect(SparkSubmitRenderer.problems(Self.submission()).isEmpty)
        #expect(SparkSubmitRenderer.problems(SparkSubmitRendererGoldenTests.recordedPython40).isEmpty)
        #expect(SparkSubmitRenderer.problems(SparkSubmitRendererFeatureTests.submission(SparkSubmitRendererFeatureTests.recorded40, driverEnv: [])).isEmpty)
    }

    @Test(arguments: [
        "mainClass", "driver.memory", "executor.memoryOverhead", "executor.memoryOverheadFactor", "driver.cores",
        "executor.instances", "executor.labels", "driver.labels", "appId", "resourceNamePrefix", "executorPodNamePrefix", "image",
    ])
    func problems(_ field: String) {
        let problems = SparkSubmitRenderer.problems(Self.submission { s in
            switch field {
            case "mainClass": s.mainClass = nil
            case "driver.memory": s.driver.memory = "1.5g"  // Spark refuses fractions
            case "executor.memoryOverhead": s.executor.memoryOverhead = "lots"
            case "executor.memoryOverheadFactor": s.executor.memoryOverheadFactor = 0
            case "driver.cores": s.driver.cores = 0
            case "executor.instances": s.executor.instances = -1
            case "executor.labels": s.executor.labels = ["spark-exec-id": "1"]  // KubernetesExecutorConf refuses preset labels
            case "driver.labels": s.driver.labels = ["spark-role": "x"]
            case "appId": s.appId = "-bad-"
            case "resourceNamePrefix": s.resourceNamePrefix = "Upper_Case"
            case "executorPodNamePrefix": s.executorPodNamePrefix = String(repeating: "a", count: 238)  // Config.scala: ≤ 237
            default: s.image = ""
            }
        })
        #expect(problems.map(\.field) == [field])
    }
}
