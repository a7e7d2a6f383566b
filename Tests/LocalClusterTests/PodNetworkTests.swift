import Foundation
import KubeAPI
import Testing

@testable import LocalCluster

/// Each pod's own loopback address, Service records and the pods' hosts files.
@Suite(.timeLimit(.minutes(1))) struct PodNetworkTests {
    @Test func addressesAreUniqueLoopbackAndReusedAfterRelease() {
        let pool = PodAddressPool(start: 0xFC)  // 127.1.0.253 first: the allocator skips .255 and .0
        let first = (0..<5).map { pool.address(for: "pod-\($0)") }
        #expect(first == ["127.1.0.253", "127.1.0.254", "127.1.1.1", "127.1.1.2", "127.1.1.3"])
        #expect(pool.address(for: "pod-2") == "127.1.1.1", "a pod keeps its address")
        pool.release("pod-1")
        #expect(pool.count == 4)
        var seen = Set(first)
        for i in 5..<600 { #expect(seen.insert(pool.address(for: "pod-\(i)")).inserted) }
        for address in seen {
            let octets = address.split(separator: ".").compactMap { Int($0) }
            #expect(octets.count == 4 && octets[0] == 127 && octets[1] >= 1 && (1...254).contains(octets[3]), "\(address)")
        }
    }

    @Test func theAllocatorWrapsAroundAndSkipsHeldAddresses() {
        let pool = PodAddressPool(start: PodAddressPool.last - PodAddressPool.first - 1)
        #expect(pool.address(for: "a") == "127.254.255.253")
        #expect(pool.address(for: "b") == "127.254.255.254")
        #expect(pool.address(for: "c") == "127.1.0.1", "wraps to the first address")
    }

    static func pod(_ name: String, namespace: String = "demo", labels: [String: String], ip: String?, ready: Bool = true, phase: String = "Running") -> Pod {
        var pod = Pod(object: obj(#"{"metadata":{"name":"\#(name)","namespace":"\#(namespace)"},"spec":{},"status":{"phase":"\#(phase)"}}"#))
        pod.metadata.labels = labels
        pod.status.podIP = ip
        PodConditions.set(&pod.status, type: "Ready", status: ready ? .true : .false, now: Date(), observedGeneration: nil)
        return pod
    }

    static func service(_ name: String, namespace: String = "demo", selector: [String: String], notReady: Bool = false) -> Service {
        var service = Service(object: obj(#"{"metadata":{"name":"\#(name)","namespace":"\#(namespace)"},"spec":{"clusterIP":"None"}}"#))
        service.spec.selector = selector
        if notReady { service.spec.publishNotReadyAddresses = true }
        return service
    }

    @Test func servicesResolveToTheirReadyPodsInTheirNamespace() {
        let pods = [
            Self.pod("driver", labels: ["app": "x", "role": "driver"], ip: "127.1.0.5"),
            Self.pod("exec-1", labels: ["app": "x", "role": "executor"], ip: "127.1.0.6"),
            Self.pod("starting", labels: ["app": "x", "role": "driver"], ip: "127.1.0.7", ready: false),
            Self.pod("done", labels: ["app": "x", "role": "driver"], ip: "127.1.0.8", phase: "Succeeded"),
            Self.pod("other-ns", namespace: "prod", labels: ["app": "x", "role": "driver"], ip: "127.1.0.9"),
            Self.pod("no-ip", labels: ["app": "x", "role": "driver"], ip: nil),
        ]
        let services = [
            Self.service("drv-svc", selector: ["app": "x", "role": "driver"]),
            Self.service("all", selector: ["app": "x"], notReady: true),
            Self.service("none", selector: ["app": "y"]),
            Self.service("no-selector", selector: [:]),
        ]
        let records = ServiceRecords.compute(services: services, pods: pods, apiServer: "127.0.0.1").records
        #expect(records.map(\.service) == ["all", "drv-svc", "none"], "a Service without selector has no records of its own")
        #expect(records.first { $0.service == "drv-svc" }?.addresses == ["127.1.0.5"])
        #expect(records.first { $0.service == "all" }?.addresses == ["127.1.0.5", "127.1.0.6", "127.1.0.7"])
        #expect(records.first { $0.service == "none" }?.addresses == [])
    }

    @Test func aHostsFileNamesThePodTheAPIServerAndServicesShortInItsNamespace() {
        let records = ServiceRecords(records: [
            .init(service: "drv-svc", namespace: "demo", addresses: ["127.1.0.5"]),
            .init(service: "db", namespace: "prod", addresses: ["127.1.0.9", "127.1.0.10"]),
        ], apiServer: "127.0.0.1")
        let text = HostsFile(podName: "exec-1", namespace: "demo", podAddress: "127.1.0.6", machineHostName: "laptop").render(records)
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.contains("127.1.0.6\texec-1 laptop"))
        #expect(lines.contains("127.0.0.1\tlocalhost"))
        #expect(lines.contains("127.0.0.1\tkubernetes.default.svc kubernetes.default.svc.cluster.local kubernetes.default kubernetes"))
        #expect(lines.contains("127.1.0.5\tdrv-svc.demo.svc drv-svc.demo.svc.cluster.local drv-svc.demo drv-svc"))
        #expect(lines.contains("127.1.0.9\tdb.prod.svc db.prod.svc.cluster.local"))
        #expect(lines.contains("127.1.0.10\tdb.prod.svc db.prod.svc.cluster.local"))
        #expect(text.hasSuffix("\n"))
    }

    /// The kubelet gives the pod its address (status and downward API), writes its hosts
    /// file and rewrites it when a Service comes to select a ready pod.
    @Test func aRunningPodSeesItsAddressAndServicesAppearInItsHostsFile() async throws {
        try await withLocalNodes { store, nodes in
            let script = #"echo "ip=$MY_IP"; echo "hosts=$SLIPWAY_HOSTS_FILE"; while ! grep -q web.demo.svc "$SLIPWAY_HOSTS_FILE"; do sleep 0.1; done; grep web.demo.svc "$SLIPWAY_HOSTS_FILE""#
            let env = #","env":[{"name":"MY_IP","valueFrom":{"fieldRef":{"fieldPath":"status.podIP"}}}]"#
            try await createPod(store, shellPod("client", script, container: env))
            try await createPod(store, shellPod("web", "sleep 30", spec: #","hostname":"web-0""#))
            let web = try await waitForPod(store, "web") { $0.status.condition("Ready")?.status == .true }
            try await create(store, .services, obj(#"{"metadata":{"name":"web","namespace":"demo"},"spec":{"clusterIP":"None","selector":{"app":"demo"}}}"#))
            let client = try await waitForPod(store, "client", timeout: .seconds(30)) { $0.status.phase == .succeeded }
            let webIP = try #require(web.status.podIP)
            let clientIP = try #require(client.status.podIP)
            #expect(webIP != clientIP && webIP.hasPrefix("127.") && clientIP.hasPrefix("127."))
            let log = try await nodes.logs(namespace: "demo", name: "client")
            #expect(log.contains("ip=\(clientIP)\n"), "\(log)")
            #expect(log.contains("/root/etc/hosts"), "\(log)")
            // Both pods are selected (app=demo); the client was ready too while it ran.
            #expect(log.contains("\(webIP)\tweb.demo.svc web.demo.svc.cluster.local web.demo web"), "\(log)")
            let root = await nodes.root
            let hosts = try String(contentsOf: PodDirectory(root: root, namespace: "demo", name: "web", uid: web.metadata.uid ?? "").hostsFile, encoding: .utf8)
            #expect(hosts.contains("\(webIP)\tweb-0 "), "spec.hostname names the pod: \(hosts)")
        }
    }
}
