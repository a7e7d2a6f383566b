/// Names and label values derived from user-chosen names, kept within Kubernetes' limits for
/// every valid input: a label value is at most 63 characters, an object name (DNS subdomain)
/// at most 253. A derived value that would be longer is cut and given a stable hash of the
/// whole, so two long names that share a prefix still derive different values (as the
/// Kubernetes Job controller and Spark shorten the names they derive).
public enum BoundedName {
    /// The longest label value (and DNS label).
    public static let labelMaxLength = 63
    /// The longest object name (DNS subdomain).
    public static let nameMaxLength = 253
    /// Hex digits of the hash a shortened value ends with.
    public static let hashLength = 10

    /// `value` when it is a label value of at most 63 characters, else its first characters
    /// and `-<hash>`: alphanumeric at both ends, so a valid object name always gives a valid
    /// label value.
    public static func labelValue(_ value: String) -> String {
        fit(value, suffix: "", maxLength: labelMaxLength)
    }

    /// `base + suffix` when that fits in `maxLength` characters, else `base` cut so that
    /// `<cut>-<hash of base><suffix>` fits. `suffix` itself is kept whole (e.g. `-3-0`), so
    /// what a caller parses from the end survives. The cut drops trailing characters other
    /// than letters and digits, which a DNS label must not end with before the `-`.
    public static func fit(_ base: String, suffix: String, maxLength: Int) -> String {
        if base.count + suffix.count <= maxLength { return base + suffix }
        let hash = stableHash(base)
        let room = max(0, maxLength - suffix.count - hash.count - 1)
        var cut = String(base.prefix(room))
        while let last = cut.last, !(last.isASCII && (last.isLetter || last.isNumber)) { cut.removeLast() }
        return cut.isEmpty ? hash + suffix : "\(cut)-\(hash)\(suffix)"
    }

    /// The first `digits` (at most 16) lower-case hex digits of FNV-1a (64 bit) over the
    /// UTF-8 of `text`: stable across processes and versions, which a derived name must be.
    public static func stableHash(_ text: String, digits: Int = hashLength) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return String((String(repeating: "0", count: 16 - hex.count) + hex).prefix(digits))
    }
}
