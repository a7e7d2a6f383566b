/// Every threshold and assumption of the analysers, in one place (docs/analysis.md explains each).
///
/// The defaults flag what costs real money on a production cluster and stay quiet on a healthy
/// application; override them per analysis (`slipway analyze --thresholds FILE`).
public struct AnalysisThresholds: Codable, Sendable, Equatable {
    // MARK: - Duplicate plans
    /// A plan counts as repeated when its executions together spent at least this many
    /// core-seconds of task time on the runs after the first.
    public var duplicatePlanMinRepeatCoreSeconds = 5.0

    // MARK: - Partition scans
    /// A scan of a partitioned table reading more partitions than this is flagged.
    public var scanMaxPartitions = 100
    /// A scan reading more files than this is flagged (partitioned or not).
    public var scanMaxFiles = 10_000

    // MARK: - Executor memory
    /// Over-provisioned: the peak used heap of every executor stayed below this share of
    /// `spark.executor.memory`.
    public var memoryOverProvisionedBelow = 0.5
    /// Under-provisioned: an executor's peak used heap reached this share of its memory.
    public var memoryUnderProvisionedAbove = 0.95
    /// The recommended size is the peak heap plus this share of it.
    public var memoryHeadroom = 0.3
    /// Recommended sizes are rounded up to this many MiB, and never below `memoryMinimumMiB`.
    public var memoryRoundingMiB = 256
    public var memoryMinimumMiB = 1024
    /// Only a saving of at least this many MiB per executor is worth a finding.
    public var memoryMinSavingMiB = 1024
    /// The price of memory in cores: core-seconds per GiB-second (0.25 = 4 GiB per core, the
    /// shape of general-purpose cloud machines).
    public var coreSecondsPerGiBSecond = 0.25

    // MARK: - Spill
    /// A stage that spilled at least this many bytes to disk is flagged.
    public var spillMinDiskBytes: Int64 = 256 << 20
    /// Assumed cost of spilling: bytes written and read back per core-second.
    public var spillBytesPerCoreSecond: Int64 = 100 << 20

    // MARK: - Skew
    /// Stages with fewer successful tasks are not judged for skew.
    public var skewMinTasks = 4
    /// Skewed: the longest task ran at least this many times the median…
    public var skewMinRatio = 4.0
    /// …and at least this many seconds longer than the median.
    public var skewMinExcessSeconds = 10.0

    // MARK: - GC
    /// Flagged when GC took more than this share of the executors' task run time…
    public var gcMaxShare = 0.1
    /// …over at least this much task run time (core-seconds).
    public var gcMinRunCoreSeconds = 60.0
    /// The share of run time GC may take in a healthy application (the rest counts as waste).
    public var gcHealthyShare = 0.05

    // MARK: - Severity
    /// High: the waste is at least this share of the core-seconds the application held.
    public var highSeverityShare = 0.1
    /// Medium: at least this share; below it, low.
    public var mediumSeverityShare = 0.02

    public init() {}

    /// Reads the fields present over the defaults; an unknown field or a value out of range is
    /// an error naming the field, so that a typo never passes for a setting.
    public init(from decoder: any Decoder) throws {
        self.init()
        let names = try decoder.container(keyedBy: AnyKey.self).allKeys.map(\.stringValue)
        if let unknown = names.first(where: { CodingKeys(stringValue: $0) == nil }) {
            throw DecodingError.dataCorrupted(.init(codingPath: [AnyKey(stringValue: unknown)],
                                                    debugDescription: "\"\(unknown)\" is not a threshold (docs/analysis.md lists them)"))
        }
        let c = try decoder.container(keyedBy: CodingKeys.self)
        func read<T: Decodable>(_ key: CodingKeys, _ value: inout T) throws {
            if let v = try c.decodeIfPresent(T.self, forKey: key) { value = v }
        }
        try read(.duplicatePlanMinRepeatCoreSeconds, &duplicatePlanMinRepeatCoreSeconds)
        try read(.scanMaxPartitions, &scanMaxPartitions)
        try read(.scanMaxFiles, &scanMaxFiles)
        try read(.memoryOverProvisionedBelow, &memoryOverProvisionedBelow)
        try read(.memoryUnderProvisionedAbove, &memoryUnderProvisionedAbove)
        try read(.memoryHeadroom, &memoryHeadroom)
        try read(.memoryRoundingMiB, &memoryRoundingMiB)
        try read(.memoryMinimumMiB, &memoryMinimumMiB)
        try read(.memoryMinSavingMiB, &memoryMinSavingMiB)
        try read(.coreSecondsPerGiBSecond, &coreSecondsPerGiBSecond)
        try read(.spillMinDiskBytes, &spillMinDiskBytes)
        try read(.spillBytesPerCoreSecond, &spillBytesPerCoreSecond)
        try read(.skewMinTasks, &skewMinTasks)
        try read(.skewMinRatio, &skewMinRatio)
        try read(.skewMinExcessSeconds, &skewMinExcessSeconds)
        try read(.gcMaxShare, &gcMaxShare)
        try read(.gcMinRunCoreSeconds, &gcMinRunCoreSeconds)
        try read(.gcHealthyShare, &gcHealthyShare)
        try read(.highSeverityShare, &highSeverityShare)
        try read(.mediumSeverityShare, &mediumSeverityShare)
        try validate()
    }

    private func validate() throws {
        let shares: [(CodingKeys, Double)] = [
            (.memoryOverProvisionedBelow, memoryOverProvisionedBelow), (.memoryUnderProvisionedAbove, memoryUnderProvisionedAbove),
            (.gcMaxShare, gcMaxShare), (.gcHealthyShare, gcHealthyShare), (.highSeverityShare, highSeverityShare),
            (.mediumSeverityShare, mediumSeverityShare),
        ]
        let positive: [(CodingKeys, Double)] = [
            (.memoryRoundingMiB, Double(memoryRoundingMiB)), (.spillBytesPerCoreSecond, Double(spillBytesPerCoreSecond)),
            (.skewMinRatio, skewMinRatio),
        ]
        let nonNegative: [(CodingKeys, Double)] = [
            (.duplicatePlanMinRepeatCoreSeconds, duplicatePlanMinRepeatCoreSeconds), (.scanMaxPartitions, Double(scanMaxPartitions)),
            (.scanMaxFiles, Double(scanMaxFiles)), (.memoryHeadroom, memoryHeadroom), (.memoryMinimumMiB, Double(memoryMinimumMiB)),
            (.memoryMinSavingMiB, Double(memoryMinSavingMiB)), (.coreSecondsPerGiBSecond, coreSecondsPerGiBSecond),
            (.spillMinDiskBytes, Double(spillMinDiskBytes)), (.skewMinTasks, Double(skewMinTasks)),
            (.skewMinExcessSeconds, skewMinExcessSeconds), (.gcMinRunCoreSeconds, gcMinRunCoreSeconds),
        ]
        func fail(_ key: CodingKeys, _ rule: String) -> DecodingError {
            .dataCorrupted(.init(codingPath: [key], debugDescription: "\(key.stringValue) must be \(rule)"))
        }
        if let (key, _) = shares.first(where: { !(0...1).contains($0.1) }) { throw fail(key, "a share between 0 and 1") }
        if let (key, _) = positive.first(where: { !($0.1 > 0) }) { throw fail(key, "greater than 0") }
        if let (key, _) = nonNegative.first(where: { !($0.1 >= 0) }) { throw fail(key, "0 or more") }
    }
}

/// Any JSON object key, to find the ones a type does not know.
struct AnyKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
