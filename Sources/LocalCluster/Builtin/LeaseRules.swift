import KubeAPI

/// Leases (`coordination.k8s.io/v1`): positive durations, non-negative transitions, and
/// times in `MicroTime` form (`2006-01-02T15:04:05.000000Z07:00`, six fraction digits).
enum LeaseRules {
    static let microTimeLayout = "2006-01-02T15:04:05.000000Z07:00"

    /// The decoder's `400` for a time that is not a MicroTime.
    static func decodeErrors(_ lease: JSONObject) -> String? {
        for field in ["acquireTime", "renewTime"] {
            guard let text = lease["spec"]?[field]?.stringValue else { continue }
            if let problem = microTimeProblem(text) { return "parsing time \"\(text)\" as \"\(microTimeLayout)\": cannot parse \(problem)" }
        }
        return nil
    }

    /// What Go's `time.Parse` would say it cannot parse (`"yesterday" as "2006"`), or nil.
    static func microTimeProblem(_ text: String) -> String? {
        let elements: [(String, (Character) -> Bool, Int)] = [
            ("2006", \.isNumber, 4), ("-", { $0 == "-" }, 1), ("01", \.isNumber, 2), ("-", { $0 == "-" }, 1), ("02", \.isNumber, 2),
            ("T", { $0 == "T" }, 1), ("15", \.isNumber, 2), (":", { $0 == ":" }, 1), ("04", \.isNumber, 2), (":", { $0 == ":" }, 1),
            ("05", \.isNumber, 2), (".", { $0 == "." }, 1), ("000000", \.isNumber, 6),
        ]
        var rest = Substring(text)
        for (layout, accepts, count) in elements {
            let head = rest.prefix(count)
            guard head.count == count, head.allSatisfy({ $0.isASCII && accepts($0) }) else {
                let shown = layout == "." || layout == "000000" ? ".000000" : layout
                return "\"\(rest)\" as \"\(shown)\""
            }
            rest = rest.dropFirst(count)
        }
        if rest == "Z" { return nil }
        let offset = rest.dropFirst()
        if rest.count == 6, rest.first == "+" || rest.first == "-", offset.prefix(2).allSatisfy(\.isNumber), offset.dropFirst(2).first == ":",
            offset.suffix(2).allSatisfy(\.isNumber)
        {
            return nil
        }
        return "\"\(rest)\" as \"Z07:00\""
    }

    /// `strategy` and `preferredHolder` belong to coordinated leader election, a feature a
    /// default server has off: they are dropped, as the real strategy drops disabled fields.
    static func dropDisabledFields(_ lease: inout JSONObject) {
        lease.editObjectIfPresent("spec") { spec in
            spec.removeValue(forKey: "strategy")
            spec.removeValue(forKey: "preferredHolder")
        }
    }

    /// `ValidateLeaseSpec`.
    static func validate(_ lease: JSONObject) -> [FieldError] {
        var errors: [FieldError] = []
        let spec = lease["spec"]?.objectValue ?? JSONObject()
        if let duration = spec["leaseDurationSeconds"]?.numberValue?.int64, duration <= 0 {
            errors.append(FieldError(.invalid, field: "spec.leaseDurationSeconds", value: .number(JSONNumber(duration)), detail: "must be greater than 0"))
        }
        if let transitions = spec["leaseTransitions"]?.numberValue?.int64, transitions < 0 {
            errors.append(FieldError(.invalid, field: "spec.leaseTransitions", value: .number(JSONNumber(transitions)), detail: "must be greater than or equal to 0"))
        }
        return errors
    }
}
