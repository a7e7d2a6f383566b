import Foundation
import KubeAPI

/// What cluster DNS would answer for Services, computed from the store: each Service name
/// (`<svc>.<ns>.svc`, `<svc>.<ns>.svc.cluster.local`) resolves to the addresses of the pods it
/// selects — pods that have not finished and are not being deleted, and are ready unless the
/// Service has `publishNotReadyAddresses` — as the endpoints controller counts them. Local nodes have no
/// Service virtual IPs (no kube-proxy), so every Service resolves as a headless one does.
/// `kubernetes.default.svc` is the API server.
struct ServiceRecords: Sendable, Equatable {
    /// One name's addresses.
    struct Record: Sendable, Equatable {
        var service: String
        var namespace: String
        var addresses: [String]
    }

    var records: [Record]
    /// The API server's address (`kubernetes.default.svc`).
    var apiServer: String

    /// The cluster domain of every name.
    static let clusterDomain = "cluster.local"

    /// Computes the records from the Services and pods of a snapshot.
    static func compute(services: [Service], pods: [Pod], apiServer: String = NodeObject.address) -> ServiceRecords {
        let index = PodIndex(pods)
        var records: [Record] = []
        for service in services {
            let selector = service.spec.selector
            guard let name = service.metadata.name, let namespace = service.metadata.namespace, !selector.isEmpty else { continue }
            let everyPod = service.spec.publishNotReadyAddresses ?? false
            let addresses = index.candidates(namespace: namespace, selector: selector)
                .filter { pod in selector.allSatisfy { pod.metadata.labels[$0.key] == $0.value } && isServing(pod) && (everyPod || isReady(pod)) }
                .compactMap(\.status.podIP)
            records.append(Record(service: name, namespace: namespace, addresses: Array(Set(addresses)).sorted()))
        }
        records.sort { ($0.namespace, $0.service) < ($1.namespace, $1.service) }
        return ServiceRecords(records: records, apiServer: apiServer)
    }

    /// A pod that can be an endpoint: it has an address, has not finished and is not being
    /// deleted.
    static func isServing(_ pod: Pod) -> Bool {
        pod.status.podIP != nil && !(pod.status.phase?.isFinished ?? false) && pod.metadata.deletionTimestamp == nil
    }

    /// A pod whose Ready condition is true.
    static func isReady(_ pod: Pod) -> Bool {
        pod.status.conditions.contains { $0.type == "Ready" && $0.status == .true }
    }

    /// Pods by namespace and label, so each Service looks only at the pods that carry one of
    /// its selector's labels.
    private struct PodIndex {
        var byLabel: [String: [String: [Pod]]] = [:]

        init(_ pods: [Pod]) {
            for pod in pods where pod.status.podIP != nil {
                let namespace = pod.metadata.namespace ?? ""
                for (key, value) in pod.metadata.labels { byLabel[namespace, default: [:]]["\(key)=\(value)", default: []].append(pod) }
            }
        }

        func candidates(namespace: String, selector: [String: String]) -> [Pod] {
            guard let first = selector.min(by: { $0.key < $1.key }) else { return [] }
            return byLabel[namespace]?["\(first.key)=\(first.value)"] ?? []
        }
    }
}

/// The `/etc/hosts` a local node writes for each pod (the real kubelet manages a pod's
/// `/etc/hosts` too): localhost, the pod's own name — and the machine's host name, which a
/// JVM resolves for `InetAddress.getLocalHost()` — at the pod's address, the API server as
/// `kubernetes.default.svc`, and every Service with addresses (short names too for Services
/// of the pod's namespace, as its DNS search path would find them). Processes that read
/// it — a JVM given `-Djdk.net.hosts.file=` — resolve cluster names without a DNS server.
struct HostsFile: Sendable, Equatable {
    var podName: String
    var namespace: String
    var podAddress: String
    var machineHostName: String

    /// The file's text for the given records.
    func render(_ services: ServiceRecords) -> String {
        let domain = ServiceRecords.clusterDomain
        var lines = [
            "# Kubernetes-managed hosts file (slipway dev local node).",
            "127.0.0.1\tlocalhost",
            "::1\tlocalhost ip6-localhost ip6-loopback",
            "\(podAddress)\t\(([podName, machineHostName].filter { !$0.isEmpty }).uniqued().joined(separator: " "))",
            "\(services.apiServer)\tkubernetes.default.svc kubernetes.default.svc.\(domain) kubernetes.default kubernetes",
        ]
        for record in services.records {
            var names = ["\(record.service).\(record.namespace).svc", "\(record.service).\(record.namespace).svc.\(domain)"]
            if record.namespace == namespace { names += ["\(record.service).\(record.namespace)", record.service] }
            for address in record.addresses { lines.append("\(address)\t\(names.joined(separator: " "))") }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// This machine's host name, as `gethostname` reports it.
    static let machine: String = {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count) == 0 else { return "" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }()
}

extension Array where Element: Hashable {
    /// The elements in order, each once.
    fileprivate func uniqued() -> [Element] {
        var seen = Set<Element>()
        return filter { seen.insert($0).inserted }
    }
}
