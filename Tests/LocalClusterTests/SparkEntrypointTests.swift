import Foundation
import Testing

@testable import LocalCluster

/// What the Spark image's entrypoint becomes on a local node: the commands, the path rule and
/// the choice of distribution. Pure: a made-up file system, no JVM.
@Suite struct SparkEntrypointTests {
    static let root = "/data/node/pods/ns_drv_uid/root"
    static let home = "/tools/spark/3.5.9"

    /// Files that exist: the pod's mounts and the distribution's examples.
    static let files: Set<String> = [
        root + "/opt/spark/conf/spark.properties", root + "/opt/app/job.py", root + "/opt/app/lib.zip",
        root + "/opt/spark/pod-template/pod-spec-template.yml", root + "/var/data/spark-1",
        root + "/var/run/secrets/kubernetes.io/serviceaccount/token", root + "/var/run/secrets/kubernetes.io/serviceaccount/ca.crt",
        home + "/examples/src/main/python/pi.py", home + "/jars/extra.jar",
    ]

    static func entrypoint(properties: String = "", hosts: String? = root + "/etc/hosts") -> SparkEntrypoint {
        let files = files
        return SparkEntrypoint(
            distribution: SparkDistribution(home: URL(fileURLWithPath: home), version: "3.5.9"), javaHome: "/jdk",
            podAddress: "127.1.0.7", hostsFile: hosts,
            paths: SparkPaths(podRoot: root, sparkHome: home) { files.contains($0) }) { path in
            path == root + "/opt/spark/conf/spark.properties" ? properties : nil
        }
    }

    static let driverEnv = [
        "SPARK_DRIVER_BIND_ADDRESS": "127.1.0.7", "KUBERNETES_SERVICE_HOST": "127.0.0.1", "KUBERNETES_SERVICE_PORT": "6443",
        "SPARK_CONF_DIR": "/opt/spark/conf", "SPARK_LOCAL_DIRS": "/var/data/spark-1", "PATH": "/usr/bin",
    ]

    @Test func theDriverRunsSparkSubmitInClientModeAgainstTheLocalAPIServer() throws {
        let properties = "spark.kubernetes.executor.podTemplateFile=/opt/spark/pod-template/pod-spec-template.yml\nspark.submit.pyFiles=local\\:///opt/app/lib.zip,https\\://x/y.zip\nspark.app.name=job\n"
        let args = ["driver", "--properties-file", "/opt/spark/conf/spark.properties", "--class", "org.apache.spark.deploy.PythonRunner",
                    "local:///opt/app/job.py", "/opt/app/job.py", "--flag"]
        let (command, env) = try Self.entrypoint(properties: properties).command(args: args, environment: Self.driverEnv)
        let r = Self.root
        #expect(command == [
            Self.home + "/bin/spark-submit", "--conf", "spark.driver.bindAddress=127.1.0.7",
            "--conf", "spark.executorEnv.SPARK_DRIVER_POD_IP=127.1.0.7", "--deploy-mode", "client",
            "--conf", "spark.kubernetes.executor.podTemplateFile=\(r)/opt/spark/pod-template/pod-spec-template.yml",
            "--conf", "spark.submit.pyFiles=local://\(r)/opt/app/lib.zip,https://x/y.zip",
            "--conf", "spark.kubernetes.driver.master=https://127.0.0.1:6443",
            "--conf", "spark.kubernetes.authenticate.driver.mounted.oauthTokenFile=\(r)/var/run/secrets/kubernetes.io/serviceaccount/token",
            "--conf", "spark.kubernetes.authenticate.driver.mounted.caCertFile=\(r)/var/run/secrets/kubernetes.io/serviceaccount/ca.crt",
            "--properties-file", "\(r)/opt/spark/conf/spark.properties", "--class", "org.apache.spark.deploy.PythonRunner",
            "local://\(r)/opt/app/job.py", "/opt/app/job.py", "--flag",
        ], "the application's own arguments stay as written")
        #expect(env["SPARK_HOME"] == Self.home)
        #expect(env["SPARK_LOCAL_IP"] == "127.1.0.7")
        #expect(env["JAVA_HOME"] == "/jdk")
        #expect(env["SPARK_CONF_DIR"] == "\(r)/opt/spark/conf")
        #expect(env["SPARK_LOCAL_DIRS"] == "\(r)/var/data/spark-1")
        #expect(env["SPARK_SUBMIT_OPTS"] == "-Djdk.net.hosts.file=\(r)/etc/hosts -Dsun.net.inetaddr.negative.ttl=0")
        #expect(env["PATH"] == "/usr/bin")
    }

    @Test func keysThePropertiesSetAreNotOverridden() throws {
        let properties = "spark.kubernetes.driver.master=https://api:443\nspark.kubernetes.authenticate.driver.mounted.oauthTokenFile=/opt/app/job.py\n"
        let (command, _) = try Self.entrypoint(properties: properties, hosts: nil)
            .command(args: ["driver", "--properties-file", "/opt/spark/conf/spark.properties", "local:///opt/spark/examples/src/main/python/pi.py", "10"],
                     environment: Self.driverEnv)
        let confs = zip(command, command.dropFirst()).filter { $0.0 == "--conf" }.map(\.1)
        #expect(!confs.contains { $0.hasPrefix("spark.kubernetes.driver.master=") })
        #expect(confs.contains("spark.kubernetes.authenticate.driver.mounted.oauthTokenFile=\(Self.root)/opt/app/job.py"), "\(confs)")
        #expect(confs.contains { $0.hasPrefix("spark.kubernetes.authenticate.driver.mounted.caCertFile=") })
        #expect(command.suffix(2) == ["local://\(Self.home)/examples/src/main/python/pi.py", "10"], "/opt/spark is the distribution")
    }

    @Test func theExecutorRunsTheBackendWithTheEnvironmentTheDriverGave() throws {
        let env = [
            "SPARK_DRIVER_URL": "spark://CoarseGrainedScheduler@job-driver-svc.ns.svc:7078", "SPARK_EXECUTOR_ID": "2",
            "SPARK_EXECUTOR_CORES": "1", "SPARK_EXECUTOR_MEMORY": "512m", "SPARK_APPLICATION_ID": "spark-abc",
            "SPARK_EXECUTOR_POD_IP": "127.1.0.7", "SPARK_EXECUTOR_POD_NAME": "job-exec-2", "SPARK_RESOURCE_PROFILE_ID": "0",
            "SPARK_CONF_DIR": "/opt/spark/conf", "SPARK_JAVA_OPT_10": "-Dten", "SPARK_JAVA_OPT_2": "-Dtwo", "SPARK_JAVA_OPT_0": "-Dzero",
        ]
        let (command, out) = try Self.entrypoint().command(args: ["executor"], environment: env)
        let r = Self.root
        #expect(command == [
            "/jdk/bin/java", "-Dzero", "-Dtwo", "-Dten", "-Djdk.net.hosts.file=\(r)/etc/hosts", "-Dsun.net.inetaddr.negative.ttl=0",
            "-Xms512m", "-Xmx512m", "-cp", "\(r)/opt/spark/conf:\(Self.home)/jars/*:\(r)",
            "org.apache.spark.scheduler.cluster.k8s.KubernetesExecutorBackend",
            "--driver-url", "spark://CoarseGrainedScheduler@job-driver-svc.ns.svc:7078", "--executor-id", "2", "--cores", "1",
            "--app-id", "spark-abc", "--hostname", "127.1.0.7", "--resourceProfileId", "0", "--podName", "job-exec-2",
        ])
        #expect(out["SPARK_LOCAL_IP"] == "127.1.0.7")
    }

    @Test func missingPiecesAreNamed() {
        #expect(throws: SparkLaunchError("executor: SPARK_DRIVER_URL is not set (the Spark driver sets it on the executor pods it creates)")) {
            try Self.entrypoint().command(args: ["executor"], environment: [:])
        }
        #expect(throws: SparkLaunchError("driver: SPARK_DRIVER_BIND_ADDRESS is not set (spark-submit sets it from status.podIP on the driver pod)")) {
            try Self.entrypoint().command(args: ["driver", "app.py"], environment: [:])
        }
        #expect(throws: SparkLaunchError.self) {
            try Self.entrypoint().command(args: ["driver", "--properties-file", "/etc/none.properties", "app.py"], environment: Self.driverEnv)
        }
    }

    @Test func otherArgumentsRunAsGiven() throws {
        let (command, env) = try Self.entrypoint().command(args: ["/bin/sh", "-c", "echo hi"], environment: [:])
        #expect(command == ["/bin/sh", "-c", "echo hi"])
        #expect(env["SPARK_HOME"] == Self.home)
    }

    @Test(arguments: [
        ("/opt/app/job.py", root + "/opt/app/job.py"),
        ("/opt/spark/examples/src/main/python/pi.py", home + "/examples/src/main/python/pi.py"),
        ("/opt/spark/conf/spark.properties", root + "/opt/spark/conf/spark.properties"),
        ("/opt/spark/jars/missing.jar", root + "/opt/spark/jars/missing.jar"),
        ("/etc/passwd", root + "/etc/passwd"),
    ])
    func pathsResolveToThePodThenTheDistribution(path: String, expected: String) {
        let files = Self.files
        #expect(SparkPaths(podRoot: Self.root, sparkHome: Self.home) { files.contains($0) }.resolve(path) == expected)
    }

    @Test func valuesKeepTheirSchemeAndFragment() {
        let files = Self.files
        let paths = SparkPaths(podRoot: Self.root, sparkHome: Self.home) { files.contains($0) }
        #expect(paths.resolveValue("local:///opt/app/lib.zip#deps") == "local://\(Self.root)/opt/app/lib.zip#deps")
        #expect(paths.resolveValue("s3a://bucket/x.jar") == "s3a://bucket/x.jar")
        #expect(paths.resolveValue("relative.py") == "relative.py")
        #expect(paths.resolveList("local:///opt/app/job.py,,/opt/spark/jars/extra.jar")
                == "local://\(Self.root)/opt/app/job.py,,\(Self.home)/jars/extra.jar")
        #expect(paths.overrides([("spark.kubernetes.executor.volumes.hostPath.x.mount.path", "/opt/app"), ("spark.jars", "")]).isEmpty,
                "only the keys naming files the driver reads")
    }

    /// The event log Spark writes (the analysis sidecar's emptyDir) is the pod's directory.
    @Test func theEventLogDirIsThePods() {
        let files = Self.files
        let paths = SparkPaths(podRoot: Self.root, sparkHome: Self.home) { files.contains($0) }
        let resolved = paths.overrides([("spark.eventLog.dir", "file:///var/run/slipway/events")])
        #expect(resolved.map(\.value) == ["file://\(Self.root)/var/run/slipway/events"])
        #expect(paths.overrides([("spark.eventLog.dir", "s3a://history/logs")]).isEmpty)
    }

    @Test(arguments: [
        ("apache/spark:3.5.9", "3.5.9"), ("apache/spark:3.5.9-scala2.12-java17-python3-ubuntu", "3.5.9"),
        ("ghcr.io/apache/spark:4.0.5@sha256:abc", "4.0.5"), ("localhost:5000/spark:4.0", "4.0"),
    ])
    func imageTagsNameTheirSparkVersion(image: String, version: String) {
        #expect(SparkRuntime.version(ofImage: image) == version)
    }

    @Test func aDistributionIsPickedByVersionThenLineElseRefusedWithWhatThereIs() throws {
        let d35 = SparkDistribution(home: URL(fileURLWithPath: "/s/3.5.9"), version: "3.5.9")
        let d40 = SparkDistribution(home: URL(fileURLWithPath: "/s/4.0.5"), version: "4.0.5")
        let runtime = SparkRuntime(distributions: [d35, d40], javaHome: nil)
        #expect(try runtime.distribution(image: "apache/spark:4.0.5", labels: [:]) == d40)
        #expect(try runtime.distribution(image: "apache/spark:3.5.1", labels: [:]) == d35)
        #expect(try runtime.distribution(image: "apache/spark:latest", labels: ["spark-version": "4.0.0"]) == d40)
        #expect(throws: SparkLaunchError(
            "no Spark distribution on this node plays image \"apache/spark:3.4.1\" (Spark 3.4.1): slipway dev has Spark 3.5.9, 4.0.5 (--spark-home DIR, or scripts/setup.sh for .tools/spark)")) {
            try runtime.distribution(image: "apache/spark:3.4.1", labels: [:])
        }
        #expect(try SparkRuntime(distributions: [d35], javaHome: nil).distribution(image: "spark:latest", labels: [:]) == d35)
        #expect(runtime.plays("apache/spark:3.5.9") && !runtime.plays("busybox"))
    }

    @Test func aDistributionDirectoryIsReadOrRefused() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("spark-dist-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("bin"), withIntermediateDirectories: true)
        #expect(throws: SparkDistributionError.self) { try SparkDistribution.load(dir) }
        FileManager.default.createFile(atPath: dir.appendingPathComponent("bin/spark-submit").path, contents: Data(), attributes: [.posixPermissions: 0o755])
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("jars"), withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: dir.appendingPathComponent("jars/spark-core_2.13-4.0.5.jar").path, contents: Data())
        #expect(try SparkDistribution.load(dir).version == "4.0.5")
        #expect(SparkDistribution.coreVersion("spark-core_2.12-3.5.9.jar") == "3.5.9")
        #expect(SparkDistribution.coreVersion("spark-core-tests.jar") == nil)
    }
}
