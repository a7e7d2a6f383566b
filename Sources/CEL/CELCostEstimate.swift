/// A range of estimated cost (or size) that saturates instead of overflowing, as cel-go's
/// `CostEstimate` and `SizeEstimate`.
public struct CELEstimate: Sendable, Hashable {
    public var min: UInt64
    public var max: UInt64

    public init(min: UInt64, max: UInt64) {
        self.min = min
        self.max = max
    }

    public static func fixed(_ v: UInt64) -> CELEstimate { CELEstimate(min: v, max: v) }
    public static let zero = fixed(0)
    public static let unknown = CELEstimate(min: 0, max: .max)

    func adding(_ o: CELEstimate) -> CELEstimate { CELEstimate(min: Self.add(min, o.min), max: Self.add(max, o.max)) }
    func multiplied(by o: CELEstimate) -> CELEstimate { CELEstimate(min: Self.multiply(min, o.min), max: Self.multiply(max, o.max)) }
    func scaled(_ factor: Double) -> CELEstimate { CELEstimate(min: Self.scale(min, factor), max: Self.scale(max, factor)) }
    func union(_ o: CELEstimate) -> CELEstimate { CELEstimate(min: Swift.min(min, o.min), max: Swift.max(max, o.max)) }

    /// Saturating addition.
    public static func add(_ x: UInt64, _ y: UInt64) -> UInt64 { x > .max - y ? .max : x + y }
    /// Saturating multiplication.
    public static func multiply(_ x: UInt64, _ y: UInt64) -> UInt64 { y != 0 && x > .max / y ? .max : x * y }

    /// `x * factor` rounded up, saturating.
    static func scale(_ x: UInt64, _ factor: Double) -> UInt64 {
        let product = (Double(x) * factor).rounded(.up)
        return product >= 18446744073709551615.0 ? .max : UInt64(product)
    }
}

/// cel-go's cost constants.
enum CELCostFactors {
    static let stringTraversal = 0.1
    static let regexStringLength = 0.25
    static let createList: UInt64 = 10
    static let createMap: UInt64 = 30
}
