import KubeAPI

extension FieldChecks {
    /// `ValidateTolerations`.
    mutating func tolerations(_ tolerations: [JSONObject], at path: FieldPath) {
        for (i, t) in tolerations.enumerated() {
            let p = path.index(i)
            let key = t.string("key")
            if !key.isEmpty { invalid(p.child("key"), .string(key), ValidationRules.qualifiedName(key)) }
            let op = t.string("operator")
            if key.isEmpty, op != "Exists" {
                add(.invalid, p.child("operator"), .string(op), "operator must be Exists when `key` is empty, which means \"match all values and all keys\"")
            }
            let value = t.string("value")
            switch op {
            case "", "Equal": invalid(p.child("operator"), .string(value), ValidationRules.labelValue(value))
            case "Exists":
                if !value.isEmpty { add(.invalid, p.child("operator"), .string(value), "value must be empty when `operator` is 'Exists'") }
            default: add(.notSupported, p.child("operator"), .string(op), "supported values: \"Equal\", \"Exists\"")
            }
            let effect = t.string("effect")
            if t["tolerationSeconds"] != nil, effect != "NoExecute" {
                add(.invalid, p.child("effect"), .string(effect), "effect must be 'NoExecute' when `tolerationSeconds` is set")
            }
            if !effect.isEmpty, !["NoSchedule", "PreferNoSchedule", "NoExecute"].contains(effect) {
                add(.notSupported, p.child("effect"), .string(effect), "supported values: \"NoSchedule\", \"PreferNoSchedule\", \"NoExecute\"")
            }
        }
    }

    mutating func affinity(_ affinity: JSONObject, at path: FieldPath) {
        if let node = affinity["nodeAffinity"]?.objectValue {
            let p = path.child("nodeAffinity")
            if let required = node["requiredDuringSchedulingIgnoredDuringExecution"]?.objectValue {
                let terms = required.objects("nodeSelectorTerms")
                let termsPath = p.child("requiredDuringSchedulingIgnoredDuringExecution").child("nodeSelectorTerms")
                if terms.isEmpty { add(.required, termsPath, nil, "must have at least one node selector term") }
                for (i, term) in terms.enumerated() { nodeSelectorTerm(term, at: termsPath.index(i)) }
            }
            for (i, preferred) in node.objects("preferredDuringSchedulingIgnoredDuringExecution").enumerated() {
                let pp = p.child("preferredDuringSchedulingIgnoredDuringExecution").index(i)
                weight(preferred, at: pp.child("weight"))
                nodeSelectorTerm(preferred["preference"]?.objectValue ?? JSONObject(), at: pp.child("preference"))
            }
        }
        for kind in ["podAffinity", "podAntiAffinity"] {
            guard let pod = affinity[kind]?.objectValue else { continue }
            let p = path.child(kind)
            for (i, term) in pod.objects("requiredDuringSchedulingIgnoredDuringExecution").enumerated() {
                podAffinityTerm(term, at: p.child("requiredDuringSchedulingIgnoredDuringExecution").index(i))
            }
            for (i, weighted) in pod.objects("preferredDuringSchedulingIgnoredDuringExecution").enumerated() {
                let wp = p.child("preferredDuringSchedulingIgnoredDuringExecution").index(i)
                weight(weighted, at: wp.child("weight"))
                podAffinityTerm(weighted["podAffinityTerm"]?.objectValue ?? JSONObject(), at: wp.child("podAffinityTerm"))
            }
        }
    }

    mutating func weight(_ holder: JSONObject, at path: FieldPath) {
        let w = holder["weight"]?.numberValue?.int64 ?? 0
        if !(1...100).contains(w) { add(.invalid, path, .number(JSONNumber(w)), "must be in the range 1-100") }
    }

    mutating func nodeSelectorTerm(_ term: JSONObject, at path: FieldPath) {
        for (i, requirement) in term.objects("matchExpressions").enumerated() {
            let p = path.child("matchExpressions").index(i)
            let values = requirement["values"]?.arrayValue ?? []
            switch requirement.string("operator") {
            case "In", "NotIn":
                if values.isEmpty { add(.required, p.child("values"), nil, "must be specified when `operator` is 'In' or 'NotIn'") }
            case "Exists", "DoesNotExist":
                if !values.isEmpty { add(.forbidden, p.child("values"), nil, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'") }
            case "Gt", "Lt":
                if values.count != 1 { add(.required, p.child("values"), nil, "must be specified single value when `operator` is 'Lt' or 'Gt'") }
            case let op:
                add(.invalid, p.child("operator"), .string(op), "not a valid selector operator")
            }
            let key = requirement.string("key")
            invalid(p.child("key"), .string(key), ValidationRules.qualifiedName(key))
        }
        for (i, requirement) in term.objects("matchFields").enumerated() {
            let p = path.child("matchFields").index(i)
            if requirement.string("key") != "metadata.name" {
                add(.invalid, p.child("key"), .string(requirement.string("key")), "not a valid field selector key")
            }
        }
    }

    mutating func podAffinityTerm(_ term: JSONObject, at path: FieldPath) {
        let topologyKey = term.string("topologyKey")
        if topologyKey.isEmpty { add(.required, path.child("topologyKey"), nil, "can not be empty") }
        invalid(path.child("topologyKey"), .string(topologyKey), ValidationRules.qualifiedName(topologyKey))
        if let selector = term["labelSelector"]?.objectValue { labelSelector(selector, at: path.child("labelSelector")) }
        for (i, namespace) in (term["namespaces"]?.arrayValue ?? []).enumerated() {
            let name = namespace.stringValue ?? ""
            invalid(path.child("namespaces").index(i), .string(name), NameValidation.dns1123Label(name))
        }
    }

    /// A `metav1.LabelSelector`: label map and expressions with the four set operators.
    mutating func labelSelector(_ selector: JSONObject, at path: FieldPath) {
        labelMap(selector["matchLabels"]?.objectValue, at: path.child("matchLabels"))
        for (i, requirement) in selector.objects("matchExpressions").enumerated() {
            let p = path.child("matchExpressions").index(i)
            let values = requirement["values"]?.arrayValue ?? []
            switch requirement.string("operator") {
            case "In", "NotIn":
                if values.isEmpty { add(.required, p.child("values"), nil, "must be specified when `operator` is 'In' or 'NotIn'") }
            case "Exists", "DoesNotExist":
                if !values.isEmpty { add(.forbidden, p.child("values"), nil, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'") }
            case let op:
                add(.invalid, p.child("operator"), .string(op), "not a valid selector operator")
            }
            let key = requirement.string("key")
            invalid(p.child("key"), .string(key), ValidationRules.qualifiedName(key))
        }
    }
}
