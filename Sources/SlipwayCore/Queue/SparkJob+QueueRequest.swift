import Foundation
import KubeAPI
import SlipwayAPI

extension SparkJob: QueuedJobKind {
    /// The driver and its executors as the next attempt would run them (adapted memory and
    /// executor count; the maximum executors with dynamic allocation), each pod's memory
    /// with the overhead Spark adds, cpu as the pods request it.
    public func queueRequest() -> QueueRequest {
        let plan = SparkJobSubmission.plan(self, state: status.current, capacity: .karpenter, now: Date(timeIntervalSince1970: 0))
        let type = spec.type ?? .scala
        let executors = spec.dynamicAllocation.flatMap { $0.enabled ? $0.maxExecutors : nil } ?? plan.executorInstances
        let driverMiB = SparkSubmitRenderer.containerMemoryMiB(
            memory: plan.driverMemory, overhead: spec.driver.memoryOverhead, factor: nil, role: .driver, type: type,
            sparkVersion: spec.sparkVersion, sparkConf: spec.sparkConf)
        let executorMiB = SparkSubmitRenderer.containerMemoryMiB(
            memory: plan.executorMemory, overhead: spec.executor.memoryOverhead, factor: nil, role: .executor, type: type,
            sparkVersion: spec.sparkVersion, sparkConf: spec.sparkConf)
        let driverCPU = Self.cpu(spec.driver, conf: spec.sparkConf["spark.driver.cores"])
        let executorCPU = Self.cpu(spec.executor, conf: spec.sparkConf["spark.executor.cores"])
        let memory = Quantity(bytes: Int64(driverMiB + executors * executorMiB) << 20)
        var cpu = driverCPU
        for _ in 0..<max(0, executors) { cpu += executorCPU }
        return QueueRequest(pods: 1 + max(0, executors), resources: ["cpu": cpu, "memory": memory])
    }

    /// A pod's cpu request: `coreRequest`, else its cores (`cores`, the Spark setting), else 1.
    static func cpu(_ pod: SparkPodSpec, conf: String?) -> Quantity {
        if let text = pod.coreRequest, let q = try? Quantity(text) { return q }
        return Quantity(Int64(pod.cores ?? conf.flatMap(Int.init) ?? 1))
    }
}
