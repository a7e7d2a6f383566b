import Foundation

/// A Spark distribution on this machine — the layout of Apache Spark's binary download:
/// `bin/spark-submit`, `jars/`, `python/lib/pyspark.zip` and `py4j-*-src.zip`,
/// `examples/src/main/python/` — that plays the Spark image for pods (see
/// ``SparkRuntime``). `scripts/setup.sh` lays out one per pinned pyspark release from PyPI
/// in `.tools/spark/<version>/`.
public struct SparkDistribution: Sendable, Hashable, CustomStringConvertible {
    /// `SPARK_HOME`.
    public var home: URL
    /// The Spark version of its `spark-core` jar, e.g. `3.5.9`.
    public var version: String

    public init(home: URL, version: String) {
        self.home = home
        self.version = version
    }

    public var description: String { "Spark \(version) at \(home.path)" }

    /// `major.minor` of the version.
    public var line: String { Self.line(of: version) }

    static func line(of version: String) -> String { version.split(separator: ".").prefix(2).joined(separator: ".") }

    /// Reads the distribution at `home`.
    ///
    /// - Throws: what is missing, and how to get a distribution.
    public static func load(_ home: URL) throws(SparkDistributionError) -> SparkDistribution {
        let fm = FileManager.default
        let home = home.standardizedFileURL
        let submit = home.appendingPathComponent("bin/spark-submit")
        guard fm.isExecutableFile(atPath: submit.path) else {
            throw SparkDistributionError("\(home.path) is not a Spark distribution: bin/spark-submit is missing or not executable (scripts/setup.sh installs one into .tools/spark/<version>)")
        }
        let jars = (try? fm.contentsOfDirectory(atPath: home.appendingPathComponent("jars").path)) ?? []
        guard let version = jars.lazy.compactMap(coreVersion).first else {
            throw SparkDistributionError("\(home.path) is not a Spark distribution: jars/ has no spark-core_<scala>-<version>.jar")
        }
        return SparkDistribution(home: home, version: version)
    }

    /// Every distribution directly inside `directory` (`.tools/spark/*`), by version.
    public static func discover(in directory: URL) -> [SparkDistribution] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.sorted().compactMap { try? load(directory.appendingPathComponent($0)) }
    }

    /// The version in `spark-core_2.12-3.5.9.jar`.
    static func coreVersion(_ jar: String) -> String? {
        guard jar.hasPrefix("spark-core_"), jar.hasSuffix(".jar") else { return nil }
        let middle = jar.dropFirst("spark-core_".count).dropLast(".jar".count)
        guard let dash = middle.firstIndex(of: "-") else { return nil }
        let version = middle[middle.index(after: dash)...]
        return version.first?.isNumber == true ? String(version) : nil
    }
}

/// A directory that is not a usable Spark distribution.
public struct SparkDistributionError: Error, Sendable, Hashable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
