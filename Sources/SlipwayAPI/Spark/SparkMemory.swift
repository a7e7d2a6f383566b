import KubeAPI

// MARK: - Spark memory strings

/// Which of the two kinds of Spark pods something is about: the driver, which spark-submit
/// creates, or an executor, which the driver creates.
public enum SparkRole: String, Sendable, Hashable, CaseIterable {
    case driver, executor
}

/// Why a text is not a Spark memory size (the form `spark.driver.memory` takes).
public struct SparkMemoryError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The text as given.
    public var text: String
    /// What is wrong with it.
    public var reason: String

    public init(text: String, reason: String) {
        self.text = text
        self.reason = reason
    }

    public var description: String {
        "invalid Spark memory \"\(text)\": \(reason); expected a whole number with an optional unit b, k, m, g, t or p (e.g. 512m, 2g)"
    }
}

/// The unit Spark assumes for a memory setting written without one.
///
/// Spark reads `spark.driver.memory`, `spark.executor.memory` and their overheads with
/// `JavaUtils.byteStringAsMb`, so a bare `2048` there means 2048 MiB; sizes read with
/// `byteStringAsBytes` (such as `spark.driver.maxResultSize`'s bytes form) mean bytes.
public enum SparkMemoryUnit: Sendable, Hashable {
    case bytes, kibibytes, mebibytes, gibibytes, tebibytes, pebibytes

    public var bytes: Int64 {
        switch self {
        case .bytes: return 1
        case .kibibytes: return 1 << 10
        case .mebibytes: return 1 << 20
        case .gibibytes: return 1 << 30
        case .tebibytes: return 1 << 40
        case .pebibytes: return 1 << 50
        }
    }
}

extension Quantity {
    /// Reads a Spark (JVM) memory string as Spark does (`JavaUtils.byteStringAs`): a whole
    /// number and an optional unit `b`, `k`/`kb`, `m`/`mb`, `g`/`gb`, `t`/`tb`, `p`/`pb`,
    /// case-insensitive, surrounding spaces ignored. Units are binary (`1g` = 1024 MiB).
    /// Spark rejects fractions (`1.5g`) and so does this initializer.
    ///
    /// - Parameter defaultUnit: the unit of a bare number. Defaults to MiB, the unit of
    ///   `spark.driver.memory` and `spark.executor.memory`.
    /// - Returns: a binary-SI quantity of bytes: `"2g"` → `2Gi`.
    public init(sparkMemory text: String, defaultUnit: SparkMemoryUnit = .mebibytes) throws(SparkMemoryError) {
        let lower = text.lowercased().trimmingASCIIWhitespace()
        let digits = lower.prefix { $0.isASCII && $0.isNumber }
        let suffix = lower.dropFirst(digits.count)
        guard !digits.isEmpty, suffix.allSatisfy({ $0.isASCII && $0.isLetter }) else {
            if lower.contains("."), lower.first?.isNumber == true {
                throw SparkMemoryError(text: text, reason: "fractional values are not supported")
            }
            throw SparkMemoryError(text: text, reason: "not a whole number with a unit")
        }
        let unit: Int64
        switch suffix {
        case "": unit = defaultUnit.bytes
        case "b": unit = 1
        case "k", "kb": unit = 1 << 10
        case "m", "mb": unit = 1 << 20
        case "g", "gb": unit = 1 << 30
        case "t", "tb": unit = 1 << 40
        case "p", "pb": unit = 1 << 50
        default: throw SparkMemoryError(text: text, reason: "unknown unit \"\(suffix)\"")
        }
        guard let count = Int64(digits) else { throw SparkMemoryError(text: text, reason: "too large") }
        let (bytes, overflow) = count.multipliedReportingOverflow(by: unit)
        guard !overflow else { throw SparkMemoryError(text: text, reason: "too large") }
        self.init(bytes: bytes)
    }

    /// The quantity as a Spark memory string in the largest unit that is exact, lower-case:
    /// `1536Mi` → `"1536m"`, `2Gi` → `"2g"`, `1Ti` → `"1t"`, `1.5Ki` → `"1536b"`.
    /// Fractional bytes are rounded up. Spark reads driver and executor memory in whole
    /// MiB (rounding down), so round up first with `roundedUp(toMultipleOf: "1Mi")`.
    public var sparkMemoryString: String {
        let bytes = self.bytes
        for (shift, unit) in [(40, "t"), (30, "g"), (20, "m"), (10, "k")] where bytes != 0 && bytes % (Int64(1) << shift) == 0 {
            return "\(bytes >> shift)\(unit)"
        }
        return bytes == 0 ? "0" : "\(bytes)b"
    }
}

extension String {
    fileprivate func trimmingASCIIWhitespace() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let start = firstIndex(where: { !isSpace($0) }), let end = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[start...end])
    }
}
