import KubeAPI
import Testing

@Suite("Quantity")
struct QuantityTests {
    @Test(arguments: [
        // decimal SI
        ("0", "0"), ("1", "1"), ("+1", "1"), ("-1", "-1"), ("500m", "500m"), ("0.5", "500m"), ("1000m", "1"),
        ("1500m", "1500m"), ("0.1", "100m"), (".5", "500m"), ("5.", "5"), ("1000", "1k"), ("1k", "1k"),
        ("1.5k", "1500"), ("1M", "1M"), ("1G", "1G"), ("1T", "1T"), ("1P", "1P"), ("1E", "1E"), ("1n", "1n"),
        ("1u", "1u"), ("0.0000000001", "1n"), ("-0.0000000001", "-1n"), ("1.5n", "2n"), ("0.000001", "1u"),
        ("007", "7"), ("-0", "0"), ("100Mi", "100Mi"),
        // binary SI
        ("1Ki", "1Ki"), ("1024", "1024"), ("1Mi", "1Mi"), ("1536Mi", "1536Mi"), ("1.5Gi", "1536Mi"),
        ("2048Mi", "2Gi"), ("0.5Ki", "512"), ("1.1Ki", "1126400m"), ("1Ei", "1Ei"), ("1023Ki", "1023Ki"),
        ("1048576Ki", "1Gi"), ("-1Gi", "-1Gi"), ("0Ki", "0"), ("0.5Mi", "512Ki"), ("15896196Ki", "15896196Ki"),
        // decimal exponent
        ("1e3", "1e3"), ("1E3", "1e3"), ("1e+3", "1e3"), ("1.5e3", "1500"), ("1e-3", "1e-3"), ("12e2", "1200"),
        ("1e6", "1e6"), ("100e-3", "100e-3"), ("1e0", "1"), ("-5e-1", "-500e-3"),
    ])
    func parsesAndFormatsCanonically(_ text: String, _ canonical: String) throws {
        let q = try Quantity(text)
        #expect(q.canonical == canonical)
        #expect(q.description == canonical)
        // The canonical form parses back to the same value.
        #expect(try Quantity(canonical) == q)
    }

    @Test(arguments: [
        ("1Ki", Quantity.Format.binarySI), ("1", .decimalSI), ("500m", .decimalSI), ("1e3", .decimalExponent),
        ("0.5Ki", .binarySI), ("0.0001Ki", .decimalSI),
    ])
    func remembersTheFormat(_ text: String, _ format: Quantity.Format) throws {
        #expect(try Quantity(text).format == format)
    }

    @Test(arguments: [
        ("", QuantityError.invalidFormat(text: "")),
        ("abc", .invalidFormat(text: "abc")),
        ("1K", .unknownSuffix(text: "1K", suffix: "K")),
        ("1ki", .unknownSuffix(text: "1ki", suffix: "ki")),
        ("1e", .unknownSuffix(text: "1e", suffix: "e")),
        ("1 Gi", .invalidFormat(text: "1 Gi")),
        ("1.2.3", .invalidFormat(text: "1.2.3")),
        ("--1", .invalidFormat(text: "--1")),
        (".", .invalidFormat(text: ".")),
        ("1m5", .invalidFormat(text: "1m5")),
        ("Gi", .invalidFormat(text: "Gi")),
        ("99999999999999999999", .outOfRange(text: "99999999999999999999")),
        ("8Ei", .outOfRange(text: "8Ei")),
    ])
    func rejectsInvalidText(_ text: String, _ error: QuantityError) {
        #expect(throws: error) { try Quantity(text) }
    }

    @Test func errorsSayWhatIsExpected() {
        #expect(QuantityError.unknownSuffix(text: "1K", suffix: "K").description.contains("Ki Mi Gi"))
        #expect(QuantityError.invalidFormat(text: "x").description.contains("\"x\""))
    }

    @Test(arguments: [
        ("1Gi", "1G", 1), ("500m", "1", -1), ("1e3", "1k", 0), ("-1", "0", -1), ("1Ei", "1n", 1),
        ("1024", "1Ki", 0), ("0.5", "500m", 0), ("-2", "-1", -1), ("1n", "0", 1), ("7Ei", "1000P", 1),
    ])
    func compares(_ a: String, _ b: String, _ order: Int) throws {
        let x = try Quantity(a)
        let y = try Quantity(b)
        #expect((x < y) == (order < 0))
        #expect((x > y) == (order > 0))
        #expect((x == y) == (order == 0))
        if order == 0 { #expect(x.hashValue == y.hashValue) }
    }

    @Test(arguments: [
        ("1Gi", "512Mi", "1536Mi"), ("500m", "500m", "1"), ("1", "500m", "1500m"), ("0", "1Gi", "1Gi"),
        ("1Mi", "1", "1048577"), ("1e3", "1", "1001"), ("1n", "1n", "2n"),
    ])
    func adds(_ a: String, _ b: String, _ sum: String) throws {
        #expect((try Quantity(a) + Quantity(b)).canonical == sum)
    }

    @Test func subtracts() throws {
        #expect((try Quantity("100m") - Quantity("1")).canonical == "-900m")
        #expect((try Quantity("2Gi") - Quantity("512Mi")).canonical == "1536Mi")
        var q: Quantity = "1Gi"
        q -= "1Gi"
        #expect(q.isZero)
        #expect(q.canonical == "0")
    }

    @Test func addsAcrossEighteenOrdersOfMagnitudeByRoundingUp() throws {
        let sum = try Quantity("7Ei") + Quantity("1n")
        #expect(sum > Quantity("7Ei"))
        #expect(sum.bytes == 8_070_450_532_247_928_833)
    }

    @Test(arguments: [
        ("512Mi", 1.5, "1", "768Mi"),
        ("1Gi", 1.5, "1", "1536Mi"),
        ("1Gi", 1.1, "1Mi", "1127Mi"),
        ("1Gi", 1.1, "1", "1181116007"),
        ("500m", 1.5, "1m", "750m"),
        ("1", 1.3, "1m", "1300m"),
        ("100m", 0.333, "1m", "34m"),
        ("-1", 1.5, "1", "-2"),
        ("1Gi", 0, "1", "0"),
        ("1408Mi", 1.5, "1Mi", "2112Mi"),
        ("4", 2, "1", "8"),
        ("1Gi", 1e-5, "1", "10738"),
    ])
    func multipliesRoundingUp(_ q: String, _ factor: Double, _ granularity: String, _ result: String) throws {
        let product = try Quantity(q).multiplied(by: factor, roundingUpTo: Quantity(granularity))
        #expect(product.canonical == result)
    }

    @Test func multiplyRejectsBadArguments() throws {
        let q: Quantity = "1Gi"
        #expect(throws: QuantityError.self) { try q.multiplied(by: .infinity) }
        #expect(throws: QuantityError.self) { try q.multiplied(by: 1.5, roundingUpTo: "0") }
        #expect(throws: QuantityError.self) { try q.multiplied(by: 1e30) }
    }

    @Test func roundsUpToAMultiple() throws {
        #expect(try Quantity("1.2Gi").roundedUp(toMultipleOf: "1Gi").canonical == "2Gi")
        #expect(try Quantity("1536Ki").roundedUp(toMultipleOf: "1Mi").canonical == "2Mi")
        #expect(try Quantity("2Mi").roundedUp(toMultipleOf: "1Mi").canonical == "2Mi")
        #expect(try Quantity("1.5n").roundedUp(toMultipleOf: "1m").canonical == "1m")
    }

    @Test func accessors() throws {
        #expect(try Quantity("1.5Gi").bytes == 1_610_612_736)
        #expect(try Quantity("500m").milliValue == 500)
        #expect(try Quantity("500m").value == 1)
        #expect(try Quantity("1").milliValue == 1000)
        #expect(try Quantity("1n").value == 1)
        #expect(try Quantity("-1n").value == -1)
        #expect(try Quantity("1Ki").bytes == 1024)
        #expect(try Quantity("1E").value == 1_000_000_000_000_000_000)
        #expect(try Quantity("10E").value == .max)
        #expect(try Quantity("1.5").doubleValue == 1.5)
        #expect(try Quantity("1u").scaledValue(scale: -9) == 1000)
        #expect(Quantity(bytes: 1 << 30).canonical == "1Gi")
        #expect(Quantity(milli: 2500).canonical == "2500m")
        #expect(Quantity(3).canonical == "3")
    }

    @Test func json() throws {
        #expect(Quantity(json: 2) == Quantity(2))
        #expect(Quantity(json: .number(JSONNumber(text: "0.5")))?.canonical == "500m")
        #expect(Quantity(json: "1.5Gi")?.json == "1536Mi")
        #expect(Quantity(json: true) == nil)
        #expect(Quantity(json: "1K") == nil)
    }
}
