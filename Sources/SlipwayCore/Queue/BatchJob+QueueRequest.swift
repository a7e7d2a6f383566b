import Foundation
import KubeAPI
import SlipwayAPI

extension BatchJob: QueuedJobKind {
    /// `parallelism` pods (fewer when fewer indexes remain), each asking what the template's
    /// containers request (limits where a request is absent, as the API server defaults
    /// them), the main container with the largest memory and cpu its remaining indexes
    /// learned (an index that ran out of memory asks for more on its retry).
    public func queueRequest() -> QueueRequest {
        let table = BatchJob.units(of: status, size: max(0, spec.arraySize))
        let remaining = max(1, table.size - table.succeeded.count - table.failed.count)
        let pods = min(max(1, spec.parallelism ?? table.size), remaining)
        var memory: Quantity?
        var cpu: Quantity?
        for (unit, state) in table.states where !table.isDone(unit) {
            if let m = state.memory, memory.map({ m > $0 }) ?? true { memory = m }
            if let c = state.cpu, cpu.map({ c > $0 }) ?? true { cpu = c }
        }
        let containers = spec.template.spec.containers
        let main = spec.container ?? containers.first?.name
        var perPod: [String: Quantity] = [:]
        for container in containers {
            var requests = container.resources.limits.merging(container.resources.requests) { _, request in request }
            if container.name == main {
                if let memory { requests["memory"] = memory }
                if let cpu { requests["cpu"] = cpu }
            }
            for (name, value) in requests { perPod[name] = (perPod[name] ?? .zero) + value }
        }
        return QueueRequest(pods: pods, resources: perPod.mapValues { q in (0..<pods).reduce(Quantity.zero) { sum, _ in sum + q } })
    }
}
