extension AnalysisReport {
    /// The report for a terminal: the application, then each finding ranked by waste.
    public var text: String {
        var lines: [String] = []
        let app = application
        var head = "Application \(app.name ?? "?")"
        if let id = app.id { head += " (\(id))" }
        if let version = app.sparkVersion { head += ", Spark \(version)" }
        lines.append(head)
        lines.append("  \(format(app.durationSeconds)) s, \(app.executors) executor\(app.executors == 1 ? "" : "s"), "
            + "\(format(app.coreSeconds)) core-seconds held, \(format(app.taskCoreSeconds)) in tasks"
            + (app.complete ? "" : " (log incomplete)"))
        lines.append("")
        if findings.isEmpty {
            lines.append("No findings.")
        } else {
            lines.append("\(findings.count) finding\(findings.count == 1 ? "" : "s"), ranked by estimated waste:")
            for (i, f) in findings.enumerated() {
                lines.append("")
                lines.append("\(i + 1). [\(f.severity.rawValue)] \(f.kind.rawValue): \(f.subject)")
                lines.append("   \(f.summary)")
                let evidence = f.evidence.keys.sorted().map { "\($0)=\(number(f.evidence[$0]!))" }.joined(separator: " ")
                lines.append("   evidence: \(evidence)")
                lines.append("   waste: ~\(format(f.wasteCoreSeconds)) core-seconds")
                lines.append("   → \(f.recommendation)")
            }
        }
        if omittedFindings > 0 { lines.append("(\(omittedFindings) lower-ranked findings left out)") }
        for note in notes { lines.append("note: \(note)") }
        return lines.joined(separator: "\n") + "\n"
    }

    private func number(_ x: Double) -> String {
        x == x.rounded() && abs(x) < 1e15 ? String(Int64(x)) : String(x)
    }
}
