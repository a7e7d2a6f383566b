import KubeAPI

/// Services: defaults (`SetDefaults_Service`), the allocation of cluster IPs from
/// `10.96.0.0/12` and node ports from 30000–32767 (kept across updates, immutable once
/// set), and `ValidateService`.
enum ServiceRules {
    static let types = ["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"]
    static let nodePortRange: ClosedRange<Int64> = 30000...32767
    /// The service network: 10.96.0.0/12, as a default cluster's.
    static let networkBase: UInt32 = 10 << 24 | 96 << 16
    static let networkSize: UInt32 = 1 << 20

    static func applyDefaults(_ service: inout JSONObject) {
        service.editObject("spec") { spec in
            spec.setDefault("type", "ClusterIP")
            spec.setDefault("sessionAffinity", "None")
            if spec.string("sessionAffinity") == "None" { spec.removeValue(forKey: "sessionAffinityConfig") }
            spec.editEach("ports") { port in
                port.setDefault("protocol", "TCP")
                let target = port["targetPort"]
                if target == nil || target == .number(JSONNumber(0)) || target == .string("") { port["targetPort"] = port["port"] ?? 0 }
                port = port.ordered(["name", "protocol", "appProtocol", "port", "targetPort", "nodePort"])
            }
            let type = spec.string("type")
            if type == "NodePort" || type == "LoadBalancer" {
                spec.setDefault("externalTrafficPolicy", "Cluster")
            }
            if ["NodePort", "LoadBalancer", "ClusterIP"].contains(type) { spec.setDefault("internalTrafficPolicy", "Cluster") }
            if type == "LoadBalancer" { spec.setDefault("allocateLoadBalancerNodePorts", true) }
            spec = spec.ordered(GoFieldOrder.serviceSpec)
        }
    }

    static func isHeadless(_ spec: JSONObject) -> Bool { spec.string("clusterIP") == "None" }

    /// Gives a new service its cluster IP, IP family and node ports.
    static func allocate(_ service: inout JSONObject, context: AdmissionContext) throws(Status) {
        let name = service.meta("name")?.stringValue ?? ""
        var spec = service["spec"]?.objectValue ?? JSONObject()
        let type = spec.string("type")
        guard type != "ExternalName" else { return }
        let taken = context.serviceAllocations
        if spec.string("clusterIP").isEmpty, let first = spec["clusterIPs"]?.arrayValue?.first?.stringValue { spec["clusterIP"] = .string(first) }
        var ip = spec.string("clusterIP")
        if ip.isEmpty {
            ip = freeIP(taken.ips)
        } else if ip != "None" {
            if let problem = ipProblem(ip, taken: taken.ips) {
                throw StoreErrors.invalid(.services, name: name, causes: [
                    FieldError(.invalid, field: "spec.clusterIPs", value: .array([.string(ip)]), detail: "failed to allocate IP \(ip): \(problem)").cause,
                ])
            }
        }
        spec["clusterIP"] = .string(ip)
        spec["clusterIPs"] = [.string(ip)]
        spec.setDefault("ipFamilies", ["IPv4"])
        spec.setDefault("ipFamilyPolicy", "SingleStack")
        if type == "NodePort" || type == "LoadBalancer" { try allocateNodePorts(&spec, name: name, taken: taken.ports) }
        service["spec"] = .object(spec.ordered(GoFieldOrder.serviceSpec))
    }

    static func allocateNodePorts(_ spec: inout JSONObject, name: String, taken: Set<Int64>) throws(Status) {
        var used = taken
        var causes: [StatusCause] = []
        var index = 0
        spec.editEach("ports") { port in
            defer { index += 1 }
            if let requested = port["nodePort"]?.numberValue?.int64, requested != 0 {
                let problem = !nodePortRange.contains(requested)
                    ? "provided port is not in the valid range. The range of valid ports is 30000-32767"
                    : used.contains(requested) ? "provided port is already allocated" : nil
                if let problem {
                    causes.append(FieldError(.invalid, field: "spec.ports[\(index)].nodePort", value: .number(JSONNumber(requested)), detail: problem).cause)
                }
                used.insert(requested)
                return
            }
            let free = nodePortRange.first { !used.contains($0) } ?? nodePortRange.lowerBound
            used.insert(free)
            port["nodePort"] = .number(JSONNumber(free))
        }
        if !causes.isEmpty { throw StoreErrors.invalid(.services, name: name, causes: causes) }
    }

    /// Cluster IPs and node ports held by the services in the store.
    static func usedAllocations(_ store: ObjectStore) -> (ips: Set<String>, ports: Set<Int64>) {
        var ips = Set<String>()
        var ports = Set<Int64>()
        for service in (try? store.list(.services).items) ?? [] {
            let spec = service["spec"]?.objectValue ?? JSONObject()
            for ip in spec["clusterIPs"]?.arrayValue ?? [] { if let s = ip.stringValue { ips.insert(s) } }
            for port in spec.objects("ports") { if let n = port["nodePort"]?.numberValue?.int64 { ports.insert(n) } }
        }
        return (ips, ports)
    }

    static func freeIP(_ taken: Set<String>) -> String {
        var offset: UInt32 = 1
        while offset < networkSize - 1, taken.contains(format(networkBase + offset)) { offset += 1 }
        return format(networkBase + offset)
    }

    static func format(_ address: UInt32) -> String {
        "\(address >> 24).\(address >> 16 & 0xff).\(address >> 8 & 0xff).\(address & 0xff)"
    }

    static func parse(_ text: String) -> UInt32? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var value: UInt32 = 0
        for part in parts {
            guard let octet = UInt32(part), octet <= 255, String(octet) == part else { return nil }
            value = value << 8 | octet
        }
        return value
    }

    static func ipProblem(_ ip: String, taken: Set<String>) -> String? {
        guard let address = parse(ip), address >= networkBase, address < networkBase + networkSize else {
            return "the provided IP (\(ip)) is not in the valid range. The range of valid IPs is 10.96.0.0/12"
        }
        return taken.contains(ip) ? "provided IP is already allocated" : nil
    }

    /// An update keeps what was allocated when the client leaves it out, and a changed
    /// `clusterIP` is seen as a changed first `clusterIPs` entry.
    static func keepAllocations(_ service: inout JSONObject, old: JSONObject) {
        let oldSpec = old["spec"]?.objectValue ?? JSONObject()
        service.editObject("spec") { spec in
            if spec.string("type") != "ExternalName", oldSpec.string("type") != "ExternalName" {
                if spec.string("clusterIP").isEmpty, spec["clusterIPs"] == nil {
                    for key in ["clusterIP", "clusterIPs", "ipFamilies", "ipFamilyPolicy"] { spec[key] = oldSpec[key] }
                } else if spec.string("clusterIP") != oldSpec.string("clusterIP"), spec["clusterIPs"] == oldSpec["clusterIPs"] {
                    spec["clusterIPs"] = [.string(spec.string("clusterIP"))]
                }
                for key in ["ipFamilies", "ipFamilyPolicy"] where spec[key] == nil { spec[key] = oldSpec[key] }
            }
            let oldPorts = oldSpec.objects("ports")
            spec.editEach("ports") { port in
                guard port["nodePort"] == nil else { return }
                let match = oldPorts.first { $0["port"] == port["port"] && $0.string("protocol") == port.string("protocol") }
                if let nodePort = match?["nodePort"] { port["nodePort"] = nodePort }
            }
            spec = spec.ordered(GoFieldOrder.serviceSpec)
        }
    }
}
