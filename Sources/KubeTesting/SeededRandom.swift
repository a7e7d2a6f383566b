import LocalCluster

/// A seeded generator, so that every "random" test input is the same on every run and a
/// failure can be replayed: the SplitMix64 stream of slipway dev's deterministic
/// identifiers. (Pure test targets, which do not import KubeTesting, keep their own.)
public struct SeededRandom: RandomNumberGenerator, Sendable {
    private var stream: SeededIdentifierGenerator

    public init(seed: UInt64) { stream = SeededIdentifierGenerator(seed: seed) }

    public mutating func next() -> UInt64 { stream.next() }

    /// A number in `0..<n`.
    public mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
}
