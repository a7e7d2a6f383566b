import Foundation

/// Where a path that a Spark pod names is on this machine. A container sees its image and
/// its volume mounts; a local pod sees the Spark distribution and `$SLIPWAY_POD_ROOT`. So an
/// absolute path `/p` (or `local:///p`) resolves to:
///
/// 1. `$SLIPWAY_POD_ROOT/p` when that exists — the pod's mounts (a ConfigMap with the
///    application, the `spark.properties` volume, emptyDirs, the service-account files);
/// 2. else, under `/opt/spark/` (the image's `SPARK_HOME`), the same path in the
///    distribution when it exists (`local:///opt/spark/examples/src/main/python/pi.py`);
/// 3. else `$SLIPWAY_POD_ROOT/p`, which does not exist: Spark reports it missing, as it
///    would in a container without that file. Nothing outside the pod and the distribution
///    is ever named.
///
/// The paths resolved are those Spark reads on the driver: the `--properties-file`, the
/// application file and the `--jars`/`--files`/`--py-files`/`--archives` values, the
/// ``fileKeys`` and ``listKeys`` of `spark.properties`, and `SPARK_CONF_DIR` and
/// `SPARK_LOCAL_DIRS`. Other values — application arguments, volume mount paths for
/// executor pods — are the pod's to interpret and stay as written.
struct SparkPaths: Sendable {
    var podRoot: String
    var sparkHome: String
    var exists: @Sendable (String) -> Bool

    /// The image's `SPARK_HOME`.
    static let imageSparkHome = "/opt/spark"

    /// `spark.properties` keys holding one path.
    static let fileKeys: Set<String> = [
        "spark.kubernetes.executor.podTemplateFile", "spark.kubernetes.driver.podTemplateFile",
        "spark.kubernetes.authenticate.driver.mounted.oauthTokenFile", "spark.kubernetes.authenticate.driver.mounted.caCertFile",
        "spark.kubernetes.authenticate.driver.mounted.clientKeyFile", "spark.kubernetes.authenticate.driver.mounted.clientCertFile",
        "spark.kubernetes.kerberos.krb5.path",
    ]
    /// `spark.properties` keys holding a comma-separated list of paths or URIs.
    static let listKeys: Set<String> = ["spark.jars", "spark.files", "spark.submit.pyFiles", "spark.archives"]
    /// `spark.properties` keys holding a directory URI Spark writes to: `file:///p` (or `/p`)
    /// is the pod's (the event log of the analysis sidecar's emptyDir, docs/analysis.md).
    static let directoryURIKeys: Set<String> = ["spark.eventLog.dir"]

    /// The machine path of the pod path `path` (absolute).
    func resolve(_ path: String) -> String {
        let inPod = podRoot + path
        if exists(inPod) { return inPod }
        if path == Self.imageSparkHome || path.hasPrefix(Self.imageSparkHome + "/") {
            let inDistribution = sparkHome + path.dropFirst(Self.imageSparkHome.count)
            if exists(inDistribution) { return inDistribution }
        }
        return inPod
    }

    /// One value: `local:///p` and `/p` resolved (scheme and `#fragment` kept); other URIs
    /// (`https:`, `s3a:`, relative paths) as they are.
    func resolveValue(_ value: String) -> String {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        let (body, fragment) = Self.splitFragment(trimmed)
        if body.hasPrefix("local:///") { return "local://" + resolve(String(body.dropFirst("local://".count))) + fragment }
        if body.hasPrefix("/") { return resolve(body) + fragment }
        return trimmed
    }

    /// A comma-separated list, each item resolved.
    func resolveList(_ value: String) -> String {
        value.split(separator: ",", omittingEmptySubsequences: false).map { resolveValue(String($0)) }.joined(separator: ",")
    }

    /// The `--conf key=value` overrides that point the properties' paths at this machine.
    func overrides(_ properties: [(key: String, value: String)]) -> [(key: String, value: String)] {
        properties.compactMap { key, value in
            let resolved = Self.fileKeys.contains(key) ? resolveValue(value) : Self.listKeys.contains(key) ? resolveList(value)
                : Self.directoryURIKeys.contains(key) ? resolveDirectoryURI(value) : value
            return resolved == value || value.isEmpty ? nil : (key, resolved)
        }
    }

    /// `file:///p` → `file://<pod root>/p`, `/p` → `<pod root>/p`; other URIs (`s3a:`, `hdfs:`) as they are.
    func resolveDirectoryURI(_ value: String) -> String {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        if trimmed.hasPrefix("file:///") { return "file://" + resolve(String(trimmed.dropFirst("file://".count))) }
        if trimmed.hasPrefix("/") { return resolve(trimmed) }
        return trimmed
    }

    private static func splitFragment(_ value: String) -> (String, String) {
        guard let hash = value.firstIndex(of: "#") else { return (value, "") }
        return (String(value[..<hash]), String(value[hash...]))
    }
}
