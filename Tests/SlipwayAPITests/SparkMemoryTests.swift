import KubeAPI
import SlipwayAPI
import Testing

/// Spark's memory strings (`spark.driver.memory` and friends) read and written as Spark does.
@Suite("Spark memory")
struct SparkMemoryTests {
    @Test(arguments: [
        ("2g", SparkMemoryUnit.mebibytes, "2Gi"), ("512m", .mebibytes, "512Mi"), ("1536", .mebibytes, "1536Mi"),
        ("1536", .bytes, "1536"), ("1G", .mebibytes, "1Gi"), ("1gb", .mebibytes, "1Gi"), (" 4g ", .mebibytes, "4Gi"),
        ("100k", .mebibytes, "100Ki"), ("1t", .mebibytes, "1Ti"), ("1p", .mebibytes, "1Pi"), ("10b", .mebibytes, "10"),
        ("2", .gibibytes, "2Gi"), ("3MB", .bytes, "3Mi"), ("0", .mebibytes, "0"),
    ])
    func readsSparkMemory(_ text: String, _ unit: SparkMemoryUnit, _ expected: String) throws {
        #expect(try Quantity(sparkMemory: text, defaultUnit: unit).canonical == expected)
    }

    @Test(arguments: [
        ("1.5g", "fractional values are not supported"), ("abc", "not a whole number with a unit"),
        ("1x", "unknown unit \"x\""), ("-1g", "not a whole number with a unit"), ("", "not a whole number with a unit"),
        ("1 g", "not a whole number with a unit"),
    ])
    func rejectsBadSparkMemory(_ text: String, _ reason: String) {
        #expect(throws: SparkMemoryError(text: text, reason: reason)) { try Quantity(sparkMemory: text) }
    }

    @Test(arguments: [
        ("1536Mi", "1536m"), ("2Gi", "2g"), ("1Ti", "1t"), ("1.5Ki", "1536b"), ("1Pi", "1024t"), ("1k", "1000b"),
        ("1Gi", "1g"), ("0", "0"), ("1536Ki", "1536k"), ("1.5Gi", "1536m"),
    ])
    func formatsSparkMemory(_ text: String, _ spark: String) throws {
        let q = try Quantity(text)
        #expect(q.sparkMemoryString == spark)
        #expect(try Quantity(sparkMemory: spark) == q)
    }

    @Test func sparkMemoryRoundTripsThroughAdaptation() throws {
        // What an OOM retry does: executor memory 2g × 1.5, rounded up to whole MiB.
        let next = try Quantity(sparkMemory: "2g").multiplied(by: 1.5, roundingUpTo: "1Mi")
        #expect(next.sparkMemoryString == "3g")
        let odd = try Quantity(sparkMemory: "1000m").multiplied(by: 1.3, roundingUpTo: "1Mi")
        #expect(odd.sparkMemoryString == "1300m")
    }
}
