import Foundation
import KubeAPI

/// Columns and cells of the built-in kinds (the kube printers' `print*` functions, wide).
enum BuiltinTables {
    typealias Cells = (cells: [JSONValue], conditions: JSONValue?)

    static func columns(group: String, kind: String) -> [TableColumn]? {
        switch (group, kind) {
        case ("", "Pod"): TableColumns.pod
        case ("", "Node"): TableColumns.node
        case ("", "Namespace"): TableColumns.namespace
        case ("", "ConfigMap"): TableColumns.configMap
        case ("", "Secret"): TableColumns.secret
        case ("", "Service"): TableColumns.service
        case ("", "ServiceAccount"): TableColumns.serviceAccount
        case ("", "Event"), ("events.k8s.io", "Event"): TableColumns.event
        case ("coordination.k8s.io", "Lease"): TableColumns.lease
        case ("apiextensions.k8s.io", "CustomResourceDefinition"): TableColumns.customResourceDefinition
        default: nil
        }
    }

    static func cells(group: String, kind: String, object o: JSONValue, now: Date) -> Cells? {
        let name = JSONValue.string(o["metadata"]?["name"]?.stringValue ?? "")
        let age = JSONValue.string(HumanDuration.since(o["metadata"]?["creationTimestamp"]?.stringValue, now: now))
        switch (group, kind) {
        case ("", "Pod"): return PodPrinter.cells(o, now: now)
        case ("", "Node"): return (NodePrinter.cells(o, now: now), nil)
        case ("", "Namespace"): return ([name, .string(o["status"]?["phase"]?.stringValue ?? ""), age], nil)
        case ("", "ConfigMap"): return ([name, count(o["data"]) + count(o["binaryData"]), age], nil)
        case ("", "Secret"): return ([name, .string(o["type"]?.stringValue ?? ""), count(o["data"]), age], nil)
        case ("", "Service"): return (ServicePrinter.cells(o, name: name, age: age), nil)
        case ("", "ServiceAccount"): return ([name, count(o["secrets"]), age], nil)
        case ("", "Event"), ("events.k8s.io", "Event"): return (EventPrinter.cells(o, now: now), nil)
        case ("coordination.k8s.io", "Lease"): return ([name, .string(o["spec"]?["holderIdentity"]?.stringValue ?? ""), age], nil)
        case ("apiextensions.k8s.io", "CustomResourceDefinition"): return ([name, o["metadata"]?["creationTimestamp"] ?? .null], nil)
        default: return nil
        }
    }

    /// The number of entries of a map or list, as an integer cell.
    static func count(_ value: JSONValue?) -> JSONValue {
        .number(JSONNumber(value?.objectValue?.count ?? value?.arrayValue?.count ?? 0))
    }
}

private func + (l: JSONValue, r: JSONValue) -> JSONValue {
    .number(JSONNumber((l.numberValue?.int ?? 0) + (r.numberValue?.int ?? 0)))
}

/// `printNode`.
enum NodePrinter {
    static func cells(_ o: JSONValue, now: Date) -> [JSONValue] {
        var status: [String] = []
        if let ready = o["status"]?["conditions"]?.arrayValue?.last(where: { $0["type"]?.stringValue == "Ready" }) {
            status.append(ready["status"]?.stringValue == "True" ? "Ready" : "NotReady")
        }
        if status.isEmpty { status.append("Unknown") }
        if o["spec"]?["unschedulable"]?.boolValue == true { status.append("SchedulingDisabled") }
        let info = o["status"]?["nodeInfo"]
        func orUnknown(_ key: String) -> JSONValue {
            let text = info?[key]?.stringValue ?? ""
            return .string(text.isEmpty ? "<unknown>" : text)
        }
        return [
            .string(o["metadata"]?["name"]?.stringValue ?? ""), .string(status.joined(separator: ",")), .string(roles(o)),
            .string(HumanDuration.since(o["metadata"]?["creationTimestamp"]?.stringValue, now: now)),
            .string(info?["kubeletVersion"]?.stringValue ?? ""),
            .string(address(o, type: "InternalIP")), .string(address(o, type: "ExternalIP")),
            orUnknown("osImage"), orUnknown("kernelVersion"), orUnknown("containerRuntimeVersion"),
        ]
    }

    /// Roles from `node-role.kubernetes.io/<role>` labels and `kubernetes.io/role`.
    static func roles(_ o: JSONValue) -> String {
        var roles = Set<String>()
        for (key, value) in o["metadata"]?["labels"]?.objectValue ?? JSONObject() {
            if key.hasPrefix("node-role.kubernetes.io/") {
                let role = String(key.dropFirst("node-role.kubernetes.io/".count))
                if !role.isEmpty { roles.insert(role) }
            } else if key == "kubernetes.io/role", let role = value.stringValue, !role.isEmpty {
                roles.insert(role)
            }
        }
        return roles.isEmpty ? "<none>" : roles.sorted().joined(separator: ",")
    }

    static func address(_ o: JSONValue, type: String) -> String {
        let match = o["status"]?["addresses"]?.arrayValue?.first { $0["type"]?.stringValue == type }
        return match?["address"]?.stringValue ?? "<none>"
    }
}

/// `printService`.
enum ServicePrinter {
    static func cells(_ o: JSONValue, name: JSONValue, age: JSONValue) -> [JSONValue] {
        let spec = o["spec"]
        let type = spec?["type"]?.stringValue ?? "ClusterIP"
        let clusterIP = spec?["clusterIPs"]?.arrayValue?.first?.stringValue ?? spec?["clusterIP"]?.stringValue ?? "<none>"
        let ports = (spec?["ports"]?.arrayValue ?? []).map { port -> String in
            let number = port["port"]?.numberValue?.text ?? "0"
            let proto = port["protocol"]?.stringValue ?? "TCP"
            if let nodePort = port["nodePort"]?.numberValue?.int, nodePort != 0 { return "\(number):\(nodePort)/\(proto)" }
            return "\(number)/\(proto)"
        }.joined(separator: ",")
        let selector = (spec?["selector"]?.objectValue ?? JSONObject()).keys.sorted().map { key in
            "\(key)=\(spec?["selector"]?[key]?.stringValue ?? "")"
        }.joined(separator: ",")
        return [
            name, .string(type), .string(clusterIP), .string(externalIP(o, type: type)),
            .string(ports.isEmpty ? "<none>" : ports), age, .string(selector.isEmpty ? "<none>" : selector),
        ]
    }

    static func externalIP(_ o: JSONValue, type: String) -> String {
        let external = (o["spec"]?["externalIPs"]?.arrayValue ?? []).compactMap(\.stringValue)
        switch type {
        case "ExternalName": return o["spec"]?["externalName"]?.stringValue ?? "<none>"
        case "LoadBalancer":
            let ingress = (o["status"]?["loadBalancer"]?["ingress"]?.arrayValue ?? []).compactMap { $0["ip"]?.stringValue ?? $0["hostname"]?.stringValue }
            let all = ingress + external
            return all.isEmpty ? "<pending>" : all.joined(separator: ",")
        default: return external.isEmpty ? "<none>" : external.joined(separator: ",")
        }
    }
}
