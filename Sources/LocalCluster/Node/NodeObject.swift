import Foundation
import KubeAPI

/// The Node objects a local kubelet registers and keeps up to date.
enum NodeObject {
    /// The kubelet version the simulated nodes report.
    static let kubeletVersion = "v1.36.0-slipway"
    /// The address every simulated node and pod has.
    static let address = "127.0.0.1"

    /// The Node as the kubelet registers it: labels, taints, capacity, conditions, addresses
    /// and nodeInfo.
    static func make(_ config: NodeConfiguration, now: Date) -> JSONObject {
        var labels = config.labels
        labels["kubernetes.io/hostname"] = config.name
        labels["kubernetes.io/os"] = "linux"
        labels["kubernetes.io/arch"] = architecture
        labels["beta.kubernetes.io/os"] = "linux"
        labels["beta.kubernetes.io/arch"] = architecture
        var node = Node()
        node.object["apiVersion"] = "v1"
        node.object["kind"] = "Node"
        node.metadata.name = config.name
        node.metadata.labels = labels
        node.metadata.annotations = ["node.alpha.kubernetes.io/ttl": "0"]
        node.spec.taints = config.taints
        node.object["status"] = .object(status(config, ready: true, now: now))
        return node.object
    }

    /// The node's status: capacity = allocatable, the four conditions, addresses and nodeInfo.
    static func status(_ config: NodeConfiguration, ready: Bool, now: Date, previous: NodeStatus? = nil) -> JSONObject {
        var status = NodeStatus()
        let resources: [String: Quantity] = [
            "cpu": config.cpu, "memory": config.memory, "pods": Quantity(Int64(config.pods)),
            "ephemeral-storage": Quantity(bytes: 100 << 30),
        ]
        status.capacity = resources
        status.allocatable = resources
        status.conditions = conditions(ready: ready, now: now, previous: previous)
        status.addresses = [NodeAddress(type: "InternalIP", address: address), NodeAddress(type: "Hostname", address: config.name)]
        status.object["daemonEndpoints"] = ["kubeletEndpoint": ["Port": 10250]]
        status.object["nodeInfo"] = [
            "machineID": .string(machineID(config.name)), "systemUUID": .string(machineID(config.name)),
            "bootID": .string(machineID("boot-" + config.name)), "kernelVersion": .string(kernelVersion),
            "osImage": "Slipway local node", "containerRuntimeVersion": "slipway://0.1.0",
            "kubeletVersion": .string(kubeletVersion), "operatingSystem": "linux", "architecture": .string(architecture),
        ]
        return status.object
    }

    private static func conditions(ready: Bool, now: Date, previous: NodeStatus?) -> [NodeCondition] {
        let specs: [(String, String, String, String)] = [
            ("MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
            ("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
            ("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
            ready ? ("Ready", "True", "KubeletReady", "kubelet is posting ready status")
                : ("Ready", "False", "KubeletNotReady", "node is shutting down"),
        ]
        return specs.map { type, status, reason, message in
            var condition = NodeCondition()
            condition.object["type"] = .string(type)
            condition.object["status"] = .string(status)
            condition.lastHeartbeatTime = now
            let old = previous?.condition(type)
            condition.lastTransitionTime = old?.status.rawValue == status ? (old?.lastTransitionTime ?? now) : now
            condition.reason = reason
            condition.message = message
            return condition
        }
    }

    /// `amd64` or `arm64`, as Go names the host's architecture.
    static let architecture: String = {
        #if arch(arm64)
        return "arm64"
        #else
        return "amd64"
        #endif
    }()

    private static let kernelVersion: String = {
        var info = utsname()
        uname(&info)
        return withUnsafeBytes(of: &info.release) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
    }()

    private static func machineID(_ seed: String) -> String {
        var hash: UInt64 = 1469598103934665603
        for byte in seed.utf8 { hash = (hash ^ UInt64(byte)) &* 1099511628211 }
        return String(format: "%016llx%016llx", hash, hash ^ 0x5bd1e995)
    }
}
