/// Where the store gets uids and `generateName` suffixes from. Injected, so that tests and
/// recorded runs are deterministic.
public protocol IdentifierGenerator: Sendable {
    /// A new uid in the 8-4-4-4-12 lower-case hex form the API server uses.
    mutating func nextUID() -> String
    /// Five characters from the API server's alphabet (no vowels, no 0/1/3), appended to
    /// `generateName`.
    mutating func nextNameSuffix() -> String
}

/// A deterministic generator (SplitMix64 over a seed): the same seed gives the same uids
/// and suffixes, which look random to a reader.
public struct SeededIdentifierGenerator: IdentifierGenerator {
    private var state: UInt64

    /// The alphabet of apimachinery's `utilrand.String` (k8s.io/apimachinery/pkg/util/rand).
    static let alphabet = Array("bcdfghjklmnpqrstvwxz2456789")

    public init(seed: UInt64 = 0x5EED) { state = seed }

    /// The next 64 bits of the stream (also the deterministic generator of the fuzz
    /// harnesses' seeded mutations).
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    public mutating func nextUID() -> String {
        let hex = hexDigits(next()) + hexDigits(next())
        let c = Array(hex)
        // Version-4 layout, as google/uuid produces.
        let parts = [String(c[0..<8]), String(c[8..<12]), "4" + String(c[13..<16]), "8" + String(c[17..<20]), String(c[20..<32])]
        return parts.joined(separator: "-")
    }

    public mutating func nextNameSuffix() -> String {
        var value = next()
        var result = ""
        for _ in 0..<5 {
            result.append(Self.alphabet[Int(value % UInt64(Self.alphabet.count))])
            value /= UInt64(Self.alphabet.count)
        }
        return result
    }

    private func hexDigits(_ value: UInt64) -> String {
        let text = String(value, radix: 16)
        return String(repeating: "0", count: 16 - text.count) + text
    }
}
