import KubeAPI

// MARK: - Names Spark derives from the application name

extension SparkSubmitRenderer {
    /// The longest Kubernetes DNS label, which bounds label values and Service names.
    public static let dnsLabelMaxLength = 63

    /// The `spark-app-name` label Spark derives from `spark.app.name`
    /// (KubernetesConf.getAppNameLabel, 3.5 and 4.0): trim, lower-case, every character
    /// other than `a-z 0-9 -` becomes `-`, runs of `-` collapse, cut to 63 characters, then
    /// one leading and one trailing `-` are dropped. "Big_Job.Name" → "big-job-name".
    public static func appNameLabel(_ appName: String) -> String {
        var label = String(sanitized(appName).prefix(dnsLabelMaxLength))
        if label.hasPrefix("-") { label.removeFirst() }
        if label.hasSuffix("-") { label.removeLast() }
        return label
    }

    /// The resource name prefix spark-submit draws (KubernetesConf.getResourceNamePrefix,
    /// 3.5 and 4.0): "<appName>-<uniqueID>" trimmed, lower-cased, sanitised as for the label
    /// (without the length cut), one leading `-` dropped, a leading digit replaced by `x`.
    /// Spark's `uniqueID` is 16 hex digits from the clock and a random number.
    public static func resourceNamePrefix(appName: String, uniqueID: String) -> String {
        var prefix = sanitized("\(appName)-\(uniqueID)")
        if prefix.hasPrefix("-") { prefix.removeFirst() }
        if let first = prefix.first, first.isASCII, first.isNumber { prefix = "x" + prefix.dropFirst() }
        return prefix
    }

    /// The driver Service's name (DriverServiceFeatureStep, 3.5 and 4.0):
    /// "<prefix>-driver-svc" when that fits in 63 characters. Otherwise Spark uses
    /// "spark-<new uniqueID>-driver-svc"; here the ID is the prefix's own trailing 16 hex
    /// digits (a Spark-drawn prefix ends with them), or a stable hash of the prefix.
    public static func driverServiceName(resourceNamePrefix prefix: String) -> String {
        let preferred = "\(prefix)-driver-svc"
        if preferred.count <= dnsLabelMaxLength { return preferred }
        let tail = prefix.suffix(16)
        let id = tail.count == 16 && tail.allSatisfy(\.isHexDigit) && tail == tail.lowercased()
            ? String(tail) : stableHexID(prefix)
        return "spark-\(id)-driver-svc"
    }

    /// Java's `trim` (drops characters up to U+0020 at both ends), `toLowerCase(ROOT)`,
    /// `[^a-z0-9\-]` → `-`, `-+` → `-`.
    private static func sanitized(_ text: String) -> String {
        let scalars = text.unicodeScalars
        guard let start = scalars.firstIndex(where: { $0.value > 0x20 }),
            let end = scalars.lastIndex(where: { $0.value > 0x20 })
        else { return "" }
        var result = ""
        for scalar in String(scalars[start...end]).lowercased().unicodeScalars {
            let keep = ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) || scalar == "-"
            let next: Character = keep ? Character(scalar) : "-"
            if next == "-", result.last == "-" { continue }
            result.append(next)
        }
        return result
    }

    /// 16 lower-case hex digits of FNV-1a over the UTF-8 of `text`.
    private static func stableHexID(_ text: String) -> String { BoundedName.stableHash(text, digits: 16) }
}
