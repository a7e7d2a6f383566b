import Foundation

/// What the Spark image's `/opt/entrypoint.sh` runs, played with a ``SparkDistribution`` on
/// this machine, plus what a local pod needs that a container has by construction:
///
/// - `driver ARGS…`: `$SPARK_HOME/bin/spark-submit --conf spark.driver.bindAddress=<pod IP>
///   --conf spark.executorEnv.SPARK_DRIVER_POD_IP=<pod IP> --deploy-mode client ARGS…`, with
///   the paths in ARGS and `spark.properties` resolved (``SparkPaths``), the API server of
///   `KUBERNETES_SERVICE_HOST`/`_PORT` as `spark.kubernetes.driver.master`, and the pod's
///   service-account token and CA as `spark.kubernetes.authenticate.driver.mounted.*` (where
///   `spark.properties` does not set them).
/// - `executor`: `java $SPARK_JAVA_OPT_* -Xms/-Xmx$SPARK_EXECUTOR_MEMORY -cp … 
///   org.apache.spark.scheduler.cluster.k8s.KubernetesExecutorBackend --driver-url … --hostname
///   <pod IP> …` from the environment the driver gave the executor pod.
/// - anything else runs as given (the entrypoint's pass-through).
///
/// Every JVM resolves names through the pod's hosts file (`-Djdk.net.hosts.file`, so the
/// driver's Service `<svc>.<ns>.svc` resolves to the driver pod), binds the pod's own
/// address (`SPARK_LOCAL_IP`), and finds `SPARK_CONF_DIR` and `SPARK_LOCAL_DIRS` in the pod.
struct SparkEntrypoint: Sendable {
    var distribution: SparkDistribution
    var javaHome: String?
    var podAddress: String
    /// The pod's hosts file (nil: the JVM uses the machine's resolver).
    var hostsFile: String?
    var paths: SparkPaths
    /// Reads a file (the mounted `spark.properties`).
    var readFile: @Sendable (String) -> String?

    /// Where in-cluster clients find the service account.
    static let serviceAccount = "/var/run/secrets/kubernetes.io/serviceaccount"
    static let executorBackend = "org.apache.spark.scheduler.cluster.k8s.KubernetesExecutorBackend"

    /// The process for the container's `args` in `environment` (the kubelet's, with the
    /// pod's variables): its arguments and its environment.
    func command(args: [String], environment: [String: String]) throws(SparkLaunchError) -> (arguments: [String], environment: [String: String]) {
        var env = environment
        env["SPARK_HOME"] = distribution.home.path
        env["SPARK_LOCAL_IP"] = podAddress
        if let javaHome { env["JAVA_HOME"] = javaHome }
        if let dir = env["SPARK_CONF_DIR"], dir.hasPrefix("/") { env["SPARK_CONF_DIR"] = paths.resolve(dir) }
        if let dirs = env["SPARK_LOCAL_DIRS"] { env["SPARK_LOCAL_DIRS"] = dirs.split(separator: ",").map { paths.resolveValue(String($0)) }.joined(separator: ",") }
        switch args.first {
        case "driver":
            env["SPARK_SUBMIT_OPTS"] = (jvmOptions + [env["SPARK_SUBMIT_OPTS"]].compactMap { $0 }).joined(separator: " ")
            return (try driver(Array(args.dropFirst()), env), env)
        case "executor":
            return (try executor(env), env)
        default:
            return (args, env)
        }
    }

    /// Options every JVM of the pod gets: the hosts file, and no caching of failed lookups
    /// (a name asked for before its Service had endpoints resolves once it has them).
    var jvmOptions: [String] {
        guard let hostsFile else { return [] }
        return ["-Djdk.net.hosts.file=\(hostsFile)", "-Dsun.net.inetaddr.negative.ttl=0"]
    }

    // MARK: - Driver

    private func driver(_ args: [String], _ env: [String: String]) throws(SparkLaunchError) -> [String] {
        guard let bind = env["SPARK_DRIVER_BIND_ADDRESS"], !bind.isEmpty else {
            throw SparkLaunchError("driver: SPARK_DRIVER_BIND_ADDRESS is not set (spark-submit sets it from status.podIP on the driver pod)")
        }
        var submitArgs = resolveSubmitArguments(args)
        var properties: [(key: String, value: String)] = []
        if let index = submitArgs.firstIndex(of: "--properties-file"), index + 1 < submitArgs.count {
            guard let text = readFile(submitArgs[index + 1]) else {
                throw SparkLaunchError("driver: cannot read the properties file \(args[index + 1]) (looked at \(submitArgs[index + 1]))")
            }
            properties = JavaProperties.parse(text)
        }
        let given = Set(properties.map(\.key))
        var conf = paths.overrides(properties)
        if !given.contains("spark.kubernetes.driver.master"), let host = env["KUBERNETES_SERVICE_HOST"], let port = env["KUBERNETES_SERVICE_PORT"] {
            conf.append(("spark.kubernetes.driver.master", "https://\(host.contains(":") ? "[\(host)]" : host):\(port)"))
        }
        let account = Self.serviceAccount
        for (suffix, file) in [("oauthTokenFile", "token"), ("caCertFile", "ca.crt")] {
            let key = "spark.kubernetes.authenticate.driver.mounted.\(suffix)"
            if !given.contains(key) { conf.append((key, paths.resolve("\(account)/\(file)"))) }
        }
        submitArgs.insert(contentsOf: conf.flatMap { ["--conf", "\($0.key)=\($0.value)"] }, at: 0)
        return [distribution.home.appendingPathComponent("bin/spark-submit").path,
                "--conf", "spark.driver.bindAddress=\(bind)", "--conf", "spark.executorEnv.SPARK_DRIVER_POD_IP=\(bind)",
                "--deploy-mode", "client"] + submitArgs
    }

    /// spark-submit's options that take no value.
    static let submitFlags: Set<String> = ["--verbose", "-v", "--supervise", "--help", "-h", "--version", "--kill", "--status"]
    /// spark-submit's options whose value is a path or a list of paths Spark reads.
    static let submitPathOptions: Set<String> = ["--properties-file", "--jars", "--files", "--py-files", "--archives"]

    /// The path-valued option values and the application file resolved; the application's
    /// own arguments (after its file) untouched.
    func resolveSubmitArguments(_ args: [String]) -> [String] {
        var out: [String] = []
        var index = 0
        while index < args.count {
            let arg = args[index]
            if arg.hasPrefix("-") {
                out.append(arg)
                if !Self.submitFlags.contains(arg), index + 1 < args.count {
                    let value = args[index + 1]
                    out.append(Self.submitPathOptions.contains(arg) ? paths.resolveList(value) : value)
                    index += 1
                }
                index += 1
            } else {
                return out + [paths.resolveValue(arg)] + args[(index + 1)...]
            }
        }
        return out
    }

    // MARK: - Executor

    private func executor(_ env: [String: String]) throws(SparkLaunchError) -> [String] {
        let required = ["SPARK_DRIVER_URL", "SPARK_EXECUTOR_ID", "SPARK_EXECUTOR_CORES", "SPARK_APPLICATION_ID", "SPARK_EXECUTOR_POD_IP", "SPARK_EXECUTOR_MEMORY"]
        if let missing = required.first(where: { (env[$0] ?? "").isEmpty }) {
            throw SparkLaunchError("executor: \(missing) is not set (the Spark driver sets it on the executor pods it creates)")
        }
        let javaOptions = env.keys.filter { $0.hasPrefix("SPARK_JAVA_OPT_") }
            .sorted { (Int($0.dropFirst("SPARK_JAVA_OPT_".count)) ?? .max, $0) < (Int($1.dropFirst("SPARK_JAVA_OPT_".count)) ?? .max, $1) }
            .map { env[$0]! }
        let memory = env["SPARK_EXECUTOR_MEMORY"]!
        var classpath = [env["SPARK_CONF_DIR"], env["SPARK_CLASSPATH"], distribution.home.appendingPathComponent("jars").path + "/*",
                         env["SPARK_EXTRA_CLASSPATH"], paths.podRoot, env["SPARK_DIST_CLASSPATH"]]
            .compactMap { $0 }.filter { !$0.isEmpty }
        if classpath.isEmpty { classpath = ["."] }
        var command = [javaHome.map { $0 + "/bin/java" } ?? "java"] + javaOptions + jvmOptions
        command += ["-Xms\(memory)", "-Xmx\(memory)", "-cp", classpath.joined(separator: ":"), Self.executorBackend,
                    "--driver-url", env["SPARK_DRIVER_URL"]!, "--executor-id", env["SPARK_EXECUTOR_ID"]!,
                    "--cores", env["SPARK_EXECUTOR_CORES"]!, "--app-id", env["SPARK_APPLICATION_ID"]!,
                    "--hostname", env["SPARK_EXECUTOR_POD_IP"]!, "--resourceProfileId", env["SPARK_RESOURCE_PROFILE_ID"] ?? "0"]
        if let name = env["SPARK_EXECUTOR_POD_NAME"], !name.isEmpty { command += ["--podName", name] }
        return command
    }
}
