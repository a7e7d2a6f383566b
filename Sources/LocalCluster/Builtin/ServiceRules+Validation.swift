import KubeAPI

extension ServiceRules {
    /// `ValidateService`, and on update `ValidateServiceUpdate`'s immutable first cluster IP.
    static func validate(_ service: JSONObject, old: JSONObject?) -> [FieldError] {
        let spec = service["spec"]?.objectValue ?? JSONObject()
        let path = FieldPath("spec")
        var v = FieldChecks()
        let type = spec.string("type")
        let ports = spec.objects("ports")
        if ports.isEmpty, !isHeadless(spec), type != "ExternalName" { v.add(.required, path.child("ports")) }
        switch type {
        case "LoadBalancer", "NodePort":
            if isHeadless(spec) {
                v.add(.invalid, path.child("clusterIPs").index(0), "None", "may not be set to 'None' for \(type) services")
            }
        case "ExternalName":
            if !(spec["clusterIPs"]?.arrayValue ?? []).isEmpty { v.add(.forbidden, path.child("clusterIPs"), nil, "may not be set for ExternalName services") }
            var name = spec.string("externalName")
            if name.hasSuffix(".") { name.removeLast() }
            if name.isEmpty {
                v.add(.required, path.child("externalName"))
            } else {
                v.invalid(path.child("externalName"), .string(name), NameValidation.dns1123Subdomain(name))
            }
        default: break
        }
        var names = Set<String>()
        var seen = Set<String>()
        for (i, port) in ports.enumerated() {
            let p = path.child("ports").index(i)
            servicePort(port, at: p, requireName: ports.count > 1, names: &names, into: &v)
            if type == "ClusterIP", (port["nodePort"]?.numberValue?.int64 ?? 0) != 0 {
                v.add(.forbidden, p.child("nodePort"), nil, "may not be used when `type` is 'ClusterIP'")
            }
            let key = "\(port.string("protocol"))/\(port["port"]?.numberValue?.int64 ?? 0)"
            if seen.contains(key) {
                v.add(.duplicate, p, .object(["port": port["port"] ?? 0, "protocol": .string(port.string("protocol"))]))
            }
            seen.insert(key)
        }
        v.labelMap(spec["selector"]?.objectValue, at: path.child("selector"))
        v.notSupported(path.child("sessionAffinity"), spec.string("sessionAffinity"), ["ClientIP", "None"])
        v.notSupported(path.child("type"), type, types)
        if let old, let oldIPs = old["spec"]?["clusterIPs"]?.arrayValue, let first = oldIPs.first,
            type != "ExternalName", old["spec"]?["type"]?.stringValue != "ExternalName",
            spec["clusterIPs"]?.arrayValue?.first != first
        {
            v.add(.invalid, path.child("clusterIPs").index(0), spec["clusterIPs"] ?? .null, "may not change once set")
        }
        return v.errors
    }

    /// `validateServicePort`.
    static func servicePort(_ port: JSONObject, at path: FieldPath, requireName: Bool, names: inout Set<String>, into v: inout FieldChecks) {
        let name = port.string("name")
        if name.isEmpty {
            if requireName { v.add(.required, path.child("name")) }
        } else {
            v.invalid(path.child("name"), .string(name), NameValidation.dns1123Label(name))
            if names.contains(name) { v.add(.duplicate, path.child("name"), .string(name)) }
            names.insert(name)
        }
        let number = port["port"]?.numberValue?.int64 ?? 0
        v.invalid(path.child("port"), .number(JSONNumber(number)), ValidationRules.portNumber(number))
        v.notSupported(path.child("protocol"), port.string("protocol"), ["SCTP", "TCP", "UDP"])
        v.port(port["targetPort"], at: path.child("targetPort"))
    }
}
