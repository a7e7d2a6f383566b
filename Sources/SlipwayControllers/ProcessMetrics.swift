import Foundation

/// The standard `process_*` metrics of this process, read at scrape time: on Linux from
/// `/proc/self/stat`, `/proc/self/fd`, `/proc/self/limits` and `/proc/stat` (as the Go and
/// Python Prometheus clients read them); elsewhere only CPU time (getrusage) and the start
/// time this process noted.
public struct ProcessMetrics: Sendable, Equatable {
    public var cpuSeconds: Double?
    public var residentBytes: Double?
    public var virtualBytes: Double?
    public var openFDs: Double?
    public var maxFDs: Double?
    public var startTimeSeconds: Double?

    /// When this module was first asked (the fallback start time where /proc is missing).
    private static let noticedStart = Date().timeIntervalSince1970

    /// The metrics now.
    public static func sample() -> ProcessMetrics {
        #if os(Linux)
        if let stat = try? String(contentsOfFile: "/proc/self/stat", encoding: .utf8),
           let system = try? String(contentsOfFile: "/proc/stat", encoding: .utf8) {
            var metrics = parse(
                stat: stat, systemStat: system, limits: try? String(contentsOfFile: "/proc/self/limits", encoding: .utf8),
                ticksPerSecond: Double(sysconf(Int32(_SC_CLK_TCK))), pageSize: Double(sysconf(Int32(_SC_PAGESIZE))))
            metrics.openFDs = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")).map { Double($0.count) }
            return metrics
        }
        #endif
        var usage = rusage()
        #if os(Linux)
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        #else
        getrusage(RUSAGE_SELF, &usage)
        #endif
        let seconds = { (t: timeval) in Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
        return ProcessMetrics(cpuSeconds: seconds(usage.ru_utime) + seconds(usage.ru_stime), startTimeSeconds: noticedStart)
    }

    public init(cpuSeconds: Double? = nil, residentBytes: Double? = nil, virtualBytes: Double? = nil, openFDs: Double? = nil, maxFDs: Double? = nil, startTimeSeconds: Double? = nil) {
        (self.cpuSeconds, self.residentBytes, self.virtualBytes) = (cpuSeconds, residentBytes, virtualBytes)
        (self.openFDs, self.maxFDs, self.startTimeSeconds) = (openFDs, maxFDs, startTimeSeconds)
    }

    /// The metrics in `/proc/self/stat` (`stat`), `/proc/stat` (`systemStat`, for the boot
    /// time) and `/proc/self/limits`; open fds are not among them.
    public static func parse(stat: String, systemStat: String, limits: String?, ticksPerSecond: Double, pageSize: Double) -> ProcessMetrics {
        var metrics = ProcessMetrics()
        // The command name in parentheses may hold spaces: fields are counted after its ')'.
        if let close = stat.lastIndex(of: ")") {
            let fields = stat[stat.index(after: close)...].split(separator: " ").map(String.init)
            // fields[0] is field 3 (state): utime 14, stime 15, starttime 22, vsize 23, rss 24.
            func field(_ number: Int) -> Double? { fields.indices.contains(number - 3) ? Double(fields[number - 3]) : nil }
            if let user = field(14), let system = field(15), ticksPerSecond > 0 { metrics.cpuSeconds = (user + system) / ticksPerSecond }
            metrics.virtualBytes = field(23)
            metrics.residentBytes = field(24).map { $0 * pageSize }
            let bootTime = systemStat.split(separator: "\n").first { $0.hasPrefix("btime ") }.flatMap { Double($0.dropFirst(6).trimmingCharacters(in: .whitespaces)) }
            if let start = field(22), let bootTime, ticksPerSecond > 0 { metrics.startTimeSeconds = bootTime + start / ticksPerSecond }
        }
        if let line = limits?.split(separator: "\n").first(where: { $0.hasPrefix("Max open files") }) {
            let numbers = line.dropFirst("Max open files".count).split(separator: " ")
            metrics.maxFDs = numbers.first.flatMap { Double($0) }
        }
        return metrics
    }

    /// The Prometheus text of the metrics known, each with its `# HELP` (from `help`) and `# TYPE`.
    public func render(help: [String: String]) -> String {
        let series: [(String, String, Double?)] = [
            ("process_cpu_seconds_total", "counter", cpuSeconds),
            ("process_resident_memory_bytes", "gauge", residentBytes),
            ("process_virtual_memory_bytes", "gauge", virtualBytes),
            ("process_open_fds", "gauge", openFDs),
            ("process_max_fds", "gauge", maxFDs),
            ("process_start_time_seconds", "gauge", startTimeSeconds),
        ]
        var text = ""
        for (name, type, value) in series {
            guard let value else { continue }
            if let line = help[name] { text += "# HELP \(name) \(line)\n" }
            text += "# TYPE \(name) \(type)\n\(name) \(Self.format(value))\n"
        }
        return text
    }

    /// A sample value: integral values without a fraction, others as Swift prints them.
    static func format(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }
}
