import ArgumentParser
import Dispatch
import Foundation
import SparkAnalysis
import SparkAnalysisFiles
import Synchronization

struct Analyze: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Find the anti-patterns in a Spark application's event log, ranked by the core-seconds they wasted.",
        discussion: """
            Reads Spark 3.5 and 4.0 event logs: a file (uncompressed, .zstd, .lz4, .snappy, .lzf), a rolling \
            log directory (eventlog_v2_*), or a spark.eventLog.dir holding one application's log. Finds duplicate \
            plans, excessive partition scans, over- and under-provisioned executor memory, spill, skew and GC \
            time (docs/analysis.md).

            With --follow it reads the log while the application writes it, until Spark marks it finished or \
            SIGTERM, then prints the findings and writes them, as JSON of at most 4096 bytes, to \
            --termination-log: what the analysis sidecar beside a SparkJob's driver runs.
            """
    )

    enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    @Argument(help: "The event log: a file, a rolling log directory, or an event-log directory.")
    var eventLog: String

    @Option(name: .shortAndLong, help: "Output format: text or json.")
    var output: OutputFormat = .text

    @Option(help: "A JSON file of thresholds to override (names and defaults in docs/analysis.md).")
    var thresholds: String?

    @Option(help: "Thresholds to override as a JSON object, inline (what the analysis sidecar is given from spec.analysis.thresholds).")
    var thresholdsJson: String?

    @Flag(help: "Follow the log while the application runs, until Spark marks it finished or SIGTERM.")
    var follow = false

    @Option(help: "With --follow: write the ranked findings here as JSON of at most 4096 bytes (a termination message).")
    var terminationLog: String?

    @Option(help: "With --follow: seconds between reads of the growing log.")
    var pollInterval: Double = 1

    @Flag(help: "With --follow: once the findings are written, stay until SIGTERM (a native sidecar that exits is restarted).")
    var hold = false

    func validate() throws {
        if thresholds != nil, thresholdsJson != nil {
            throw ValidationError("--thresholds and --thresholds-json cannot be given together")
        }
        if !follow, terminationLog != nil || hold {
            throw ValidationError("--termination-log and --hold go with --follow")
        }
        guard pollInterval > 0, pollInterval <= 3600 else {
            throw ValidationError("--poll-interval must be between 0 and 3600 seconds, not \(pollInterval)")
        }
    }

    func run() async throws {
        let limits = try loadThresholds()
        let eventLog = Self.inPod(self.eventLog)
        if !follow {
            print(render(try EventLogFiles.parse(eventLog).report(thresholds: limits)), terminator: "")
            return
        }
        let stop = StopSignal()
        let follower = EventLogFollower(path: eventLog, pollInterval: .milliseconds(Int(pollInterval * 1000)),
                                        shouldStop: { stop.requested })
        let (parser, ending) = try await follower.run()
        var report = parser.report(thresholds: limits)
        if ending == .noLog { report.notes.append("no event log appeared in \(self.eventLog) before the stop") }
        print(render(report), terminator: "")
        if let terminationLog {
            try report.boundedJSON(maxBytes: 4096).write(to: URL(fileURLWithPath: Self.terminationMessageFile(terminationLog)))
        }
        if hold {
            while !stop.requested { try await Task.sleep(for: .milliseconds(200)) }
        }
    }

    private func render(_ report: AnalysisReport) -> String {
        switch output {
        case .text: report.text
        case .json: String(decoding: report.json(pretty: true), as: UTF8.self) + "\n"
        }
    }

    /// `path` as this process finds it: on `slipway dev`'s local nodes (which set
    /// `SLIPWAY_POD_ROOT`) a pod's absolute paths (`/var/run/slipway/events`,
    /// `/dev/termination-log`) lie under the pod's root, as the Spark stand-in reads them;
    /// anywhere else, as given.
    static func inPod(_ path: String, environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        guard path.hasPrefix("/"), let root = environment["SLIPWAY_POD_ROOT"], !root.isEmpty else { return path }
        return root + path
    }

    /// Where the termination message goes: on `slipway dev`'s local nodes, this container's
    /// own file (`SLIPWAY_TERMINATION_MESSAGE_PATH`: the containers of a pod share one root
    /// there, where `/dev/termination-log` is every container's default); anywhere else, `path`.
    static func terminationMessageFile(_ path: String, environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if environment["SLIPWAY_POD_ROOT"] != nil, let own = environment["SLIPWAY_TERMINATION_MESSAGE_PATH"], !own.isEmpty { return own }
        return inPod(path, environment: environment)
    }

    private func loadThresholds() throws -> AnalysisThresholds {
        let data: Data
        let thresholds: String
        if let inline = thresholdsJson {
            data = Data(inline.utf8)
            thresholds = "--thresholds-json"
        } else if let file = self.thresholds {
            guard let contents = FileManager.default.contents(atPath: file) else {
                throw ValidationError("cannot read the thresholds file \(file)")
            }
            data = contents
            thresholds = file
        } else {
            return AnalysisThresholds()
        }
        do {
            return try JSONDecoder().decode(AnalysisThresholds.self, from: data)
        } catch DecodingError.dataCorrupted(let context) where !context.codingPath.isEmpty {
            throw ValidationError("\(thresholds): \(context.debugDescription)")
        } catch DecodingError.typeMismatch(_, let context) {
            throw ValidationError("\(thresholds): \(context.codingPath.map(\.stringValue).joined(separator: ".")) must be a number")
        } catch {
            throw ValidationError("\(thresholds) is not a JSON object of thresholds (docs/analysis.md lists them)")
        }
    }
}

/// Set once SIGTERM or SIGINT arrives: the follower then reads what is there and ends.
final class StopSignal: Sendable {
    private final class Flag: Sendable {
        let value = Atomic<Bool>(false)
    }

    private let flag = Flag()
    /// Kept so that the sources live as long as the signal; only touched in `init`.
    private nonisolated(unsafe) let sources: [any DispatchSourceSignal]

    init() {
        let flag = self.flag
        sources = [SIGTERM, SIGINT].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { flag.value.store(true, ordering: .relaxed) }
            source.resume()
            return source
        }
    }

    var requested: Bool { flag.value.load(ordering: .relaxed) }
}
