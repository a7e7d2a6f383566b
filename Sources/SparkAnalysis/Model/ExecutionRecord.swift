/// One SQL execution (a Dataset action): its plan's identity, its scans, and its tasks' time.
public struct ExecutionRecord: Sendable, Equatable {
    public var id: Int
    public var rootID: Int?
    public var description: String
    public var startTime: Int64
    public var endTime: Int64?
    /// Hash of the canonical physical plan: equal for the same plan run again.
    public var planHash: UInt64
    /// What the plan does, in a few words, for a reader: its top operator and what it reads.
    public var planSummary: String
    /// Whether the plan reads data from outside the application (files, tables, ranges, RDDs).
    public var readsData: Bool
    /// Whether the plan reads a cached relation.
    public var readsCache: Bool
    /// File scans, keyed by the accumulator of their "number of files read" metric.
    public var scans: [Int: ScanRecord] = [:]
    /// Values of driver-side metrics (accumulator id → value).
    public var driverMetrics: [Int: Int64] = [:]
    public var taskRunMillis: Int64 = 0
    /// Run time of the tasks that read input (the scan stages).
    public var inputTaskRunMillis: Int64 = 0

    init(_ start: SQLExecutionStart) {
        id = start.executionID
        rootID = start.rootExecutionID
        description = start.description
        startTime = start.time
        planHash = PlanCanonicalizer.hash(start.plan)
        planSummary = PlanCanonicalizer.summary(start.plan)
        let leaves = start.plan.allNodes.filter(\.children.isEmpty)
        readsCache = leaves.contains { $0.nodeName == "InMemoryTableScan" }
        readsData = leaves.contains { PlanCanonicalizer.readsData($0) }
        addScans(from: start.plan)
    }

    /// Wall-clock seconds, when the execution ended.
    public var durationSeconds: Double? { endTime.map { Double(max(0, $0 - startTime)) / 1000 } }

    mutating func addScans(from plan: SparkPlanInfo) {
        for node in plan.allNodes {
            guard let scan = ScanRecord(node), scans[scan.filesMetricID] == nil else { continue }
            scans[scan.filesMetricID] = scan
        }
    }

    mutating func record(_ updates: [AccumulatorUpdate]) {
        for update in updates { driverMetrics[update.id] = update.value }
    }

    /// Files and partitions each scan read, as its driver metrics say.
    public var scanReadings: [(scan: ScanRecord, files: Int64, partitions: Int64?)] {
        scans.values.sorted { $0.filesMetricID < $1.filesMetricID }.compactMap { scan in
            guard let files = driverMetrics[scan.filesMetricID] else { return nil }
            return (scan, files, scan.partitionsMetricID.flatMap { driverMetrics[$0] })
        }
    }
}

/// A file scan (`FileSourceScanExec`) in a plan: what it reads and the metrics that count it.
public struct ScanRecord: Sendable, Equatable {
    /// The table, when the scan reads a catalog table.
    public var table: String?
    /// The root path(s) it reads, from the plan's `Location`.
    public var location: String?
    public var format: String?
    /// The partition filters Spark pushed into the scan ("[]": none).
    public var partitionFilters: String?
    /// Partition columns: the scan's output columns that the files' schema does not hold.
    public var partitionColumns: [String]
    public var filesMetricID: Int
    public var partitionsMetricID: Int?

    /// A scan record for a file scan node; nil for any other node.
    init?(_ node: SparkPlanInfo) {
        guard let files = node.metrics.first(where: { $0.name == "number of files read" }) else { return nil }
        filesMetricID = files.accumulatorID
        partitionsMetricID = node.metrics.first { $0.name == "number of partitions read" }?.accumulatorID
        format = node.metadata["Format"]
        partitionFilters = node.metadata["PartitionFilters"]
        location = node.metadata["Location"].map(Self.paths)
        let words = node.nodeName.split(separator: " ", maxSplits: 2)
        table = words.count == 3 ? String(words[2]) : nil
        partitionColumns = Self.partitionColumns(node.simpleString, readSchema: node.metadata["ReadSchema"] ?? "")
    }

    /// What the findings name: the table, else the path.
    public var subject: String { table ?? location ?? "a file scan" }

    /// `InMemoryFileIndex(2 paths)[file:/a, file:/b]` → `file:/a, file:/b`.
    static func paths(_ location: String) -> String {
        guard let open = location.firstIndex(of: "["), location.hasSuffix("]") else { return location }
        return String(location[location.index(after: open)..<location.index(before: location.endIndex)])
    }

    /// Output columns (`[id#1L,day#2]` after the scan's name) minus the fields of `ReadSchema`.
    static func partitionColumns(_ simpleString: String, readSchema: String) -> [String] {
        guard let open = simpleString.firstIndex(of: "["),
              let close = simpleString[open...].firstIndex(of: "]") else { return [] }
        let output = simpleString[simpleString.index(after: open)..<close].split(separator: ",").map { column in
            String(column.split(separator: "#").first ?? column).trimmingCharacters(in: " ")
        }
        let fields = Set(topLevelFields(readSchema))
        return output.filter { !fields.contains($0) && !$0.isEmpty }
    }

    /// `struct<a:bigint,b:struct<c:int>>` → `["a", "b"]`.
    static func topLevelFields(_ schema: String) -> [String] {
        guard schema.hasPrefix("struct<"), schema.hasSuffix(">") else { return [] }
        var fields: [String] = []
        var depth = 0
        var current = ""
        var inName = true
        for ch in schema.dropFirst(7).dropLast() {
            switch ch {
            case "<": depth += 1
            case ">": depth -= 1
            case "," where depth == 0:
                inName = true
                current = ""
                continue
            case ":" where depth == 0 && inName:
                fields.append(current)
                inName = false
                continue
            default: break
            }
            if inName { current.append(ch) }
        }
        return fields
    }
}

extension String {
    func trimmingCharacters(in set: Character) -> String {
        var s = Substring(self)
        while s.first == set { s = s.dropFirst() }
        while s.last == set { s = s.dropLast() }
        return String(s)
    }
}

extension ApplicationModel {
    mutating func startExecution(_ start: SQLExecutionStart) {
        executions[start.executionID] = ExecutionRecord(start)
        observe(start.time)
    }
}
