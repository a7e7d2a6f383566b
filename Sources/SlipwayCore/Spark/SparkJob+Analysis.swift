import Foundation
import KubeAPI
import SlipwayAPI
import SparkAnalysis

// MARK: - Recording what the analysis sidecar found

extension SparkJob {
    /// Records the findings of the newest attempt whose analysis is over in `status.analysis`,
    /// with one `AnalysisFinding` event per finding (Warning for high). The analysis of an
    /// attempt is over when its driver container has terminated and the sidecar has too (it
    /// stops after the driver) or the pod is finished. A missing or unreadable report becomes
    /// a note: it never fails the job, never counts as an attempt. Each attempt is recorded
    /// once: `status.analysis.attempt` says which was.
    static func recordAnalysis(_ run: inout JobRun<SparkJob>) {
        guard let (attempt, sidecar) = run.attempts.reversed().lazy.compactMap({ a in analysisOver(a).map { (a, $0) } }).first else { return }
        if let recorded = run.status.analysis, recorded.attempt >= attempt.attempt { return }
        let terminated = sidecar?.state.terminated ?? sidecar?.lastState.terminated
        var analysis = SparkAnalysisStatus()
        analysis.attempt = attempt.attempt
        analysis.sparkApplicationId = attempt.pod.metadata.labels[SparkLabels.appSelector]
        switch report(from: terminated) {
        case .success(let report):
            let kept = report.findings.prefix(SparkAnalysisStatus.maxFindings)
            analysis.findings = kept.map(SparkAnalysisFinding.init)
            analysis.omittedFindings = report.omittedFindings + report.findings.count - kept.count
            analysis.notes = bounded(report.notes)
            for finding in kept {
                run.event(finding.severity == .high ? .warning : .normal, .analysisFinding, eventMessage(finding))
            }
        case .failure(let note):
            analysis.notes = bounded([note.text])
        }
        run.status.analysis = analysis
    }

    /// The sidecar's status (nil: none reported) once `attempt`'s analysis is over; nil while
    /// it is not, or when the attempt was not analysed or its driver never ran.
    static func analysisOver(_ attempt: ObservedAttempt) -> ContainerStatus?? {
        let pod = attempt.pod
        guard pod.spec.initContainers.contains(where: { $0.name == SparkAnalysisSidecar.containerName }),
              pod.status.containerStatuses.contains(where: { $0.state.terminated != nil })
        else { return nil }
        let sidecar = pod.status.initContainerStatuses.first { $0.name == SparkAnalysisSidecar.containerName }
        if sidecar?.state.terminated != nil { return .some(sidecar) }
        // A finished pod whose sidecar is still reported running is stopping it: its report
        // comes with its termination (the kubelet stops sidecars after the containers).
        if pod.status.phase?.isFinished == true, sidecar?.state.running == nil { return .some(sidecar) }
        return nil
    }

    /// The sidecar's report from its termination message, or the note saying why there is none.
    static func report(from terminated: ContainerStateTerminated?) -> Result<AnalysisReport, AnalysisNote> {
        guard let terminated else { return .failure(AnalysisNote("the analysis sidecar did not terminate: no report")) }
        let how = "exit \(terminated.exitCode)" + (terminated.reason.map { ", \($0)" } ?? "")
        guard let message = terminated.message, !message.isEmpty else {
            return .failure(AnalysisNote("the analysis sidecar left no report (\(how)); its log may say why"))
        }
        guard let report = try? JSONDecoder().decode(AnalysisReport.self, from: Data(message.utf8)) else {
            return .failure(AnalysisNote("the analysis sidecar's termination message is not a report (\(how)): \(message.prefix(80))"))
        }
        return .success(report)
    }

    /// `Skew stage 3: ~71.4 core-seconds wasted (high). Split the hot keys …`.
    static func eventMessage(_ finding: Finding) -> String {
        let waste = String(format: "%.1f", finding.wasteCoreSeconds)
        return "\(finding.kind.rawValue) \(finding.subject): ~\(waste) core-seconds wasted (\(finding.severity.rawValue)). \(finding.recommendation)"
    }

    static func bounded(_ notes: [String]) -> [String] {
        notes.prefix(SparkAnalysisStatus.maxNotes).map { note in
            note.count <= SparkAnalysisStatus.maxNoteLength ? note : String(note.prefix(SparkAnalysisStatus.maxNoteLength - 1)) + "…"
        }
    }
}

/// Why an attempt's analysis has no report.
struct AnalysisNote: Error {
    var text: String
    init(_ text: String) { self.text = text }
}
