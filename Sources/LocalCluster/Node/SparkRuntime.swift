import Foundation

/// Real Spark on local nodes: containers of Spark images (``imagePrefixes``) without a
/// `command` are played by a ``SparkDistribution`` on this machine the way the image's
/// `/opt/entrypoint.sh` plays them — `driver …` runs spark-submit in client mode with the
/// pod's mounted `spark.properties`, `executor` runs `KubernetesExecutorBackend` with the
/// environment the driver gave its pod (see ``SparkEntrypoint``). The driver then creates,
/// watches and deletes its executor pods through the local API server itself.
///
/// The distribution is picked by the image's tag (`apache/spark:3.5.9…`), else by the pod's
/// `spark-version` label: the same version, else the same `major.minor`. A pod no
/// distribution fits waits with `CreateContainerError` saying which versions there are.
public struct SparkRuntime: Sendable {
    /// The distributions that can play Spark images.
    public var distributions: [SparkDistribution]
    /// Images whose entrypoint Spark plays.
    public var imagePrefixes: [String]
    /// `JAVA_HOME` for Spark (nil: `java` from `PATH`).
    public var javaHome: String?

    public init(distributions: [SparkDistribution], imagePrefixes: [String] = SparkStandIn.imagePrefixes,
                javaHome: String? = ProcessInfo.processInfo.environment["JAVA_HOME"]) {
        self.distributions = distributions
        self.imagePrefixes = imagePrefixes
        self.javaHome = javaHome.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Whether a container of `image` is played by Spark.
    public func plays(_ image: String?) -> Bool {
        guard let image else { return false }
        return imagePrefixes.contains { image.hasPrefix($0) }
    }

    /// The distribution for a container of `image` in a pod with `labels`.
    func distribution(image: String?, labels: [String: String]) throws(SparkLaunchError) -> SparkDistribution {
        let wanted = Self.version(ofImage: image ?? "") ?? labels["spark-version"]
        if let wanted {
            if let exact = distributions.first(where: { $0.version == wanted }) { return exact }
            let line = SparkDistribution.line(of: wanted)
            if let same = distributions.last(where: { $0.line == line }) { return same }
        } else if distributions.count == 1 {
            return distributions[0]
        }
        let have = distributions.map(\.version).joined(separator: ", ")
        throw SparkLaunchError(
            "no Spark distribution on this node plays image \"\(image ?? "")\"\(wanted.map { " (Spark \($0))" } ?? ""): "
                + "slipway dev has \(have.isEmpty ? "none" : "Spark " + have) (--spark-home DIR, or scripts/setup.sh for .tools/spark)")
    }

    /// The Spark version an image tag starts with: `apache/spark:3.5.9-scala2.12-java17` → `3.5.9`.
    static func version(ofImage image: String) -> String? {
        let name = image.split(separator: "@").first.map(String.init) ?? image
        guard let slash = name.lastIndex(of: "/") ?? name.indices.first, let colon = name[slash...].lastIndex(of: ":") else { return nil }
        let tag = name[name.index(after: colon)...]
        let version = tag.prefix { $0.isNumber || $0 == "." }
        let parts = version.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count >= 2, parts.allSatisfy({ !$0.isEmpty }) else { return nil }
        return String(version)
    }
}

/// Why a Spark container cannot start: it waits with `CreateContainerError` and this message.
struct SparkLaunchError: Error, Sendable, Hashable {
    var message: String
    init(_ message: String) { self.message = message }
}
