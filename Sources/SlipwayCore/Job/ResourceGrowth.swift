import KubeAPI

/// How adaptation grows a resource, the same for every kind: by a factor, rounded up to a
/// whole step, never above the cap.
public enum ResourceGrowth {
    /// Granularity of adapted memory.
    public static let memoryStep: Quantity = "1Mi"
    /// Granularity of adapted cpu.
    public static let cpuStep = Quantity(milli: 1)

    /// `value × factor` rounded up to `step`, at most `cap`; unchanged if the product overflows.
    public static func scaled(_ value: Quantity, _ factor: Double, step: Quantity, cap: Quantity?) -> Quantity {
        let product = (try? value.multiplied(by: factor, roundingUpTo: step)) ?? value
        guard let cap, product > cap else { return product }
        return cap
    }
}
