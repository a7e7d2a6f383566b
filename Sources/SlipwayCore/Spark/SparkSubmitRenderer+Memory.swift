import KubeAPI
import SlipwayAPI

// MARK: - Container memory

extension SparkSubmitRenderer {
    /// Spark's floor for a computed overhead (`ResourceProfile.MEMORY_OVERHEAD_MIN_MIB`),
    /// and from 4.0 the default of `spark.{driver,executor}.minMemoryOverhead`.
    public static let minimumMemoryOverheadMiB = 384
    /// `spark.kubernetes.memoryOverheadFactor`'s default for JVM applications (Config.scala).
    public static let jvmMemoryOverheadFactor = 0.1
    /// The factor spark-submit uses for Python and R unless that key is set
    /// (`NON_JVM_MEMORY_OVERHEAD_FACTOR`, Constants.scala).
    public static let nonJVMMemoryOverheadFactor = 0.4

    /// Memory plus overhead, in MiB, of one role's container, by the rules of that Spark
    /// version. The driver pod requests (and is limited to) this for the driver; the
    /// driver requests it for each executor.
    ///
    /// - memory: `memory`, else `spark.<role>.memory` in `sparkConf`, else 1g.
    /// - overhead: an explicit `overhead` (or `spark.<role>.memoryOverhead`) is used as is,
    ///   even below 384 MiB. Otherwise `Int(factor × memory)` (truncated), at least the
    ///   minimum: 384 MiB, or from 4.0 `spark.<role>.minMemoryOverhead`.
    /// - factor: `factor`, else `spark.<role>.memoryOverheadFactor`, else the default:
    ///   `spark.kubernetes.memoryOverheadFactor` if set, else 0.4 for Python and R and 0.1
    ///   for the JVM. (BasicDriverFeatureStep computes that default and writes it to
    ///   `spark.kubernetes.memoryOverheadFactor`; executors fall back to that key.)
    /// - executors also get `spark.executor.pyspark.memory` (Python only) and
    ///   `spark.memory.offHeap.size` when `spark.memory.offHeap.enabled` is true
    ///   (`ResourceProfile.getResourcesForClusterManager`).
    ///
    /// A memory string Spark would reject counts as unset; validate submissions first.
    /// Learned from BasicDriverFeatureStep.scala, BasicExecutorFeatureStep.scala and
    /// ResourceProfile.scala, and checked against pyspark 3.5.9 and 4.0.5.
    public static func containerMemoryMiB(
        memory: String?, overhead: String?, factor: Double?, role: SparkRole, type: SparkApplicationType,
        sparkVersion: String, sparkConf: [String: String]
    ) -> Int {
        let line = SparkVersionLine(sparkVersion: sparkVersion)
        let prefix = "spark.\(role.rawValue)."
        let memoryMiB = mebibytes(memory) ?? mebibytes(sparkConf[prefix + "memory"]) ?? 1024
        var total = memoryMiB
        if let explicit = mebibytes(overhead) ?? mebibytes(sparkConf[prefix + "memoryOverhead"]) {
            total += explicit
        } else {
            let factor = factor ?? sparkConf[prefix + "memoryOverheadFactor"].flatMap(Double.init)
                ?? defaultOverheadFactor(type: type, sparkConf: sparkConf)
            let minimum = line.hasMinMemoryOverheadKeys
                ? mebibytes(sparkConf[prefix + "minMemoryOverhead"]) ?? minimumMemoryOverheadMiB
                : minimumMemoryOverheadMiB
            total += max(Int(factor * Double(memoryMiB)), minimum)
        }
        if role == .executor {
            if type == .python, let pyspark = mebibytes(sparkConf["spark.executor.pyspark.memory"]) { total += pyspark }
            if sparkConf["spark.memory.offHeap.enabled"]?.lowercased() == "true",
                let offHeap = mebibytes(sparkConf["spark.memory.offHeap.size"], defaultUnit: .bytes)
            {
                total += offHeap
            }
        }
        return total
    }

    /// The value spark-submit writes to `spark.kubernetes.memoryOverheadFactor`: the key's
    /// own value when set, else 0.4 for Python and R, 0.1 for the JVM.
    static func defaultOverheadFactor(type: SparkApplicationType, sparkConf: [String: String]) -> Double {
        if let value = sparkConf["spark.kubernetes.memoryOverheadFactor"].flatMap(Double.init) { return value }
        return type.isJVM ? jvmMemoryOverheadFactor : nonJVMMemoryOverheadFactor
    }

    /// Whole MiB of a Spark memory string, rounding down as `JavaUtils.byteStringAsMb` does.
    static func mebibytes(_ text: String?, defaultUnit: SparkMemoryUnit = .mebibytes) -> Int? {
        guard let text, let quantity = try? Quantity(sparkMemory: text, defaultUnit: defaultUnit) else { return nil }
        return Int(quantity.bytes >> 20)
    }
}

// MARK: - Java number text

extension SparkSubmitRenderer {
    /// `java.lang.Double.toString` for the values Spark writes back (overhead factors):
    /// "0.4", "1.0", "1.0E-4".
    static func javaDouble(_ value: Double) -> String {
        let magnitude = abs(value)
        if magnitude == 0 || (magnitude >= 1e-3 && magnitude < 1e7) {
            let text = "\(value)"
            return text.contains(".") ? text : text + ".0"
        }
        // Swift writes "1e-05"; Java writes "1.0E-5".
        let parts = "\(value)".split(separator: "e", maxSplits: 1)
        guard parts.count == 2, let exponent = Int(parts[1]) else { return "\(value)" }
        var mantissa = String(parts[0])
        if !mantissa.contains(".") { mantissa += ".0" }
        return "\(mantissa)E\(exponent)"
    }
}
