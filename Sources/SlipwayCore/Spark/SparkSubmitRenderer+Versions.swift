/// The Spark release lines whose spark-submit behaviour the renderer encodes.
///
/// Established by running the real spark-submit of pyspark 3.5.9 and 4.0.5 (PyPI) against
/// a logging stand-in API server and comparing the request bodies, and by reading Spark's
/// Kubernetes sources. What 3.5 and 4.0 submit is the same except for the switches below.
public enum SparkVersionLine: String, Sendable, Hashable, CaseIterable, Comparable {
    case v3_5 = "3.5"
    case v4_0 = "4.0"

    /// The newest line encoded: what an unknown version is rendered as.
    public static let newest: SparkVersionLine = .v4_0

    /// The line of a version string ("4.0.5" → 4.0). A version whose major.minor is not
    /// encoded (3.4, 4.1, garbage) is rendered as ``newest``: newer releases change
    /// submission rarely, and an operator must render something.
    public init(sparkVersion: String) {
        let parts = sparkVersion.split(separator: ".", maxSplits: 2).prefix(2)
        self = SparkVersionLine(rawValue: parts.joined(separator: ".")) ?? .newest
    }

    public static func < (lhs: SparkVersionLine, rhs: SparkVersionLine) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }

    /// `spark.driver.minMemoryOverhead` / `spark.executor.minMemoryOverhead` (default 384m)
    /// exist from 4.0 (SPARK-47208; core `config/package.scala`, read by
    /// BasicDriverFeatureStep and BasicExecutorFeatureStep). 3.5 uses a fixed 384 MiB floor
    /// and ignores the keys (run: 8g driver with 1000m → 9192Mi on 4.0.5, 9011Mi on 3.5.9).
    public var hasMinMemoryOverheadKeys: Bool { self >= .v4_0 }

    /// From 4.0, MountVolumesFeatureStep reads `mount.subPathExpr` and writes
    /// `subPathExpr` (empty when unset) on every mount it adds; 3.5 writes neither.
    public var supportsSubPathExpr: Bool { self >= .v4_0 }

    /// From 4.0, `volumes.hostPath.<name>.options.type` sets the hostPath type;
    /// 3.5 ignores the option and always writes `type: ""`.
    public var supportsHostPathType: Bool { self >= .v4_0 }

    /// From 4.0, driver label values get `{{APP_ID}}` / `{{EXECUTOR_ID}}` substituted as
    /// annotation values always were (KubernetesConf.scala); 3.5 writes them verbatim.
    public var substitutesIDsInLabels: Bool { self >= .v4_0 }
}
