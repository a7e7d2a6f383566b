import KubeAPI
import SlipwayAPI

/// Something in a submission that spark-submit (or the driver) would refuse, or that the
/// renderer could only guess at: check before rendering, and show it to the user.
public struct SparkSubmissionProblem: Sendable, Hashable, CustomStringConvertible {
    /// Where the value is, e.g. `driver.memory`.
    public var field: String
    public var value: String
    /// What is wrong and what to write instead.
    public var message: String

    public init(field: String, value: String, message: String) {
        self.field = field
        self.value = value
        self.message = message
    }

    public var description: String { "\(field): \(message) (got \"\(value)\")" }
}

extension SparkSubmitRenderer {
    /// What is wrong with `s`, empty when it renders as spark-submit would submit it.
    /// ``render(_:)`` never fails: given a submission with problems it falls back to
    /// Spark's defaults (an unreadable memory string counts as unset), which is why
    /// callers should refuse such submissions first.
    public static func problems(_ s: SparkSubmission) -> [SparkSubmissionProblem] {
        var problems: [SparkSubmissionProblem] = []
        func add(_ field: String, _ value: String, _ message: String) {
            problems.append(SparkSubmissionProblem(field: field, value: value, message: message))
        }
        if s.type.isJVM, (s.mainClass ?? "").isEmpty {
            add("mainClass", "", "\(s.type.rawValue) applications need a main class (spark-submit --class)")
        }
        if !s.type.isJVM, s.mainApplicationFile.isEmpty {
            add("mainApplicationFile", "", "\(s.type.rawValue) applications need a main file")
        }
        if s.image.isEmpty { add("image", "", "the container image is required (spark.kubernetes.container.image)") }
        if !isDNSLabelValue(s.appId) { add("appId", s.appId, "must be a label value, like spark-<32 hex digits>") }
        if !isDNSSubdomain(s.resourceNamePrefix) || s.resourceNamePrefix.count + "-driver".count > 253 {
            add("resourceNamePrefix", s.resourceNamePrefix, "must be lower-case letters, digits and '-' (see resourceNamePrefix(appName:uniqueID:))")
        }
        // Config.scala (3.5, 4.0): a DNS subdomain leaving room for "-exec-<int>" within 253.
        if let prefix = s.executorPodNamePrefix, !isDNSSubdomain(prefix) || prefix.count > 253 - 16 {
            add("executorPodNamePrefix", prefix, "must be a DNS subdomain of at most 237 characters")
        }
        for role in [SparkRole.driver, .executor] {
            let settings = s.settings(for: role)
            let name = role.rawValue
            for (field, text) in [("memory", settings.memory), ("memoryOverhead", settings.memoryOverhead)] {
                guard let text else { continue }
                do { _ = try Quantity(sparkMemory: text) } catch {
                    add("\(name).\(field)", text, "not a Spark memory size such as 512m or 2g: \(error)")
                }
            }
            if let factor = settings.memoryOverheadFactor, !(factor > 0) {
                add("\(name).memoryOverheadFactor", javaDouble(factor), "must be greater than 0")
            }
            if let cores = settings.cores, cores <= 0 { add("\(name).cores", String(cores), "must be at least 1") }
            if let instances = settings.instances, instances < 0 { add("\(name).instances", String(instances), "must not be negative") }
            let reserved = role == .driver ? driverPresetLabels : executorPresetLabels
            for key in settings.labels.keys.sorted() where reserved.contains(key) {
                add("\(name).labels", key, "\(key) is set by Spark and cannot be given")
            }
        }
        return problems
    }

    /// Kubernetes' IsDNS1123Subdomain (and Spark's pattern): at most 253 characters in all,
    /// dot-separated parts of `[a-z0-9-]` that start and end alphanumeric — no bound of 63 per
    /// part, which only DNS labels have.
    private static func isDNSSubdomain(_ text: String) -> Bool {
        !text.isEmpty && text.count <= 253 && text.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { part in
            guard let first = part.first, let last = part.last else { return false }
            let allowed = part.allSatisfy { ($0.isASCII && ($0.isLowercase || $0.isNumber)) || $0 == "-" }
            return allowed && first != "-" && last != "-"
        }
    }

    private static func isDNSLabelValue(_ text: String) -> Bool {
        guard let first = text.first, let last = text.last, text.count <= dnsLabelMaxLength else { return false }
        let allowed = text.allSatisfy { ($0.isASCII && ($0.isLetter || $0.isNumber)) || "-_.".contains($0) }
        return allowed && first.isLetterOrDigit && last.isLetterOrDigit
    }
}

extension Character {
    fileprivate var isLetterOrDigit: Bool { isASCII && (isLetter || isNumber) }
}
