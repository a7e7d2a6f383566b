import KubeAPI

// MARK: - Parameters and resources

extension BatchJobValidation {
    /// Every `$(params.NAME)` in command, args and env values names a defined parameter.
    static func parameters(_ spec: BatchJobSpec) -> [FieldViolation] {
        let defined = Set(spec.parameters.keys)
        var out: [FieldViolation] = []
        for (list, containers) in containerLists(spec.template.spec) {
            for (i, c) in containers.enumerated() {
                let path = "spec.template.spec.\(list)[\(i)]"
                var texts: [(String, String)] = []
                texts += c.command.enumerated().map { ("\(path).command[\($0)]", $1) }
                texts += c.args.enumerated().map { ("\(path).args[\($0)]", $1) }
                texts += c.env.enumerated().compactMap { k, e in e.value.map { ("\(path).env[\(k)].value", $0) } }
                for (field, text) in texts {
                    for name in parameterReferences(in: text) where !defined.contains(name) {
                        out.append(FieldViolation(field: field, message: "references undefined parameter \(quoted(name)); define it in spec.parameters"))
                    }
                }
            }
        }
        return out
    }

    /// The names referenced as `$(params.NAME)` in `text`, in order; `$$(…)` is an escaped
    /// literal, as in Kubernetes' own `$(VAR)` expansion.
    public static func parameterReferences(in text: String) -> [String] {
        var names: [String] = []
        var rest = Substring(text)
        while let dollar = rest.firstIndex(of: "$") {
            let after = rest[rest.index(after: dollar)...]
            if after.hasPrefix("$") { rest = after.dropFirst(); continue }
            guard after.hasPrefix("(params."), let close = after.firstIndex(of: ")") else { rest = after; continue }
            names.append(String(after[after.index(after.startIndex, offsetBy: 8)..<close]))
            rest = after[after.index(after: close)...]
        }
        return names
    }

    static func containerLists(_ pod: PodSpec) -> [(String, [Container])] {
        [("initContainers", pod.initContainers), ("containers", pod.containers)]
    }

    // MARK: - Resources and adaptation

    /// Container resources parse as quantities; each `adapt` cap is set, parses, and is not
    /// below the main container's request or limit.
    static func adaptation(_ spec: BatchJobSpec) -> [FieldViolation] {
        var out = containerResources(spec.template.spec)
        let containers = spec.template.spec.containers
        let main = spec.container.flatMap { name in containers.first { $0.name == name } } ?? containers.first
        for resource in ["memory", "cpu"] {
            guard let adapt = spec.adapt.object[resource]?.objectValue else { continue }
            out += cap(ResourceAdaptation(object: adapt), resource: resource, main: main)
        }
        return out
    }

    static func cap(_ adapt: ResourceAdaptation, resource: String, main: Container?) -> [FieldViolation] {
        let path = "spec.adapt.\(resource)"
        if adapt.factor < 1 {
            return [FieldViolation(field: "\(path).factor", message: "must be at least 1; resources only grow between attempts")]
        }
        guard let raw = adapt.object["max"] else {
            return [FieldViolation(field: "\(path).max", message: "is required: caps are mandatory; set the largest \(resource) an attempt may get")]
        }
        guard let max = Quantity(json: raw) else {
            return [FieldViolation(field: "\(path).max", message: "\(JSON.string(raw)) is not a quantity; write e.g. \(resource == "memory" ? "4Gi" : "2 or 500m")")]
        }
        var out: [FieldViolation] = []
        for kind in ["requests", "limits"] {
            guard let current = main?.resources.object[kind]?[resource].flatMap(Quantity.init(json:)), current > max else { continue }
            out.append(FieldViolation(field: "\(path).max", message: "\(max) is below the main container's \(resource) \(kind == "requests" ? "request" : "limit") \(current); raise the cap to at least \(current)"))
        }
        return out
    }

    static func containerResources(_ pod: PodSpec) -> [FieldViolation] {
        var out: [FieldViolation] = []
        for (list, containers) in containerLists(pod) {
            for (i, c) in containers.enumerated() {
                for kind in ["requests", "limits"] {
                    for (name, value) in c.resources.object[kind]?.objectValue ?? JSONObject() where Quantity(json: value) == nil {
                        out.append(FieldViolation(field: "spec.template.spec.\(list)[\(i)].resources.\(kind).\(name)",
                                                  message: "\(JSON.string(value)) is not a quantity; write e.g. 512Mi or 500m"))
                    }
                }
            }
        }
        return out
    }
}
