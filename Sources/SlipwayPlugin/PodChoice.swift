import Foundation
import KubeAPI
import SlipwayAPI
import SlipwayCore

/// Where `kubectl slipway logs` reads: a pod that still exists (and its container), or a
/// pod that is gone, with what the job's status recorded of how it ended.
public enum LogSource: Sendable, Hashable {
    case pod(name: String, container: String?)
    case gone(pod: String, recorded: String)
}

/// Which pod of a job `logs` means, from the job's labels and status: a BatchJob's index
/// and attempt, a SparkJob's attempt and its driver or one executor. Pure: the CLI lists
/// the pods and reads the log.
public enum PodChoice {
    /// A BatchJob's pod: `index` (default: the only index, else the first failed one) and
    /// `attempt` (default: the latest, including finished attempts while their pods exist).
    public static func batchJob(_ job: BatchJob, pods: [Pod], index: Int?, attempt: Int?) throws(PluginError) -> LogSource {
        let name = job.metadata.name ?? ""
        let size = job.spec.arraySize
        let failed = IndexRanges(parsing: job.status.failedIndexes ?? "") ?? IndexRanges()
        let chosen: Int
        if let index {
            guard (0..<size).contains(index) else {
                throw PluginError("batchjob/\(name) has indexes 0-\(size - 1); --index \(index) is not one of them")
            }
            chosen = index
        } else if size == 1 {
            chosen = 0
        } else if let first = failed.ranges.first?.lowerBound {
            chosen = first
        } else {
            throw PluginError("batchjob/\(name) has \(size) indexes and none failed; choose one with --index N")
        }
        let label = String(chosen)
        let ofIndex = pods.filter { $0.metadata.labels[SlipwayLabels.index] == label }
        let records = job.status.history.filter { $0.index == chosen }
        let known = Set(ofIndex.compactMap { $0.metadata.labels[SlipwayLabels.attempt].flatMap(Int.init) } + records.map(\.attempt))
        guard let latest = known.max() else {
            throw PluginError("index \(chosen) of batchjob/\(name) has no attempt yet; see why with kubectl slipway status batchjob/\(name)")
        }
        let wanted = attempt ?? latest
        let podName = SlipwayLabels.podName(job: name, index: chosen, attempt: wanted)
        if let pod = pods.first(where: { $0.metadata.name == podName }) {
            return .pod(name: podName, container: job.spec.container ?? pod.spec.containers.first?.name)
        }
        if let record = records.first(where: { $0.attempt == wanted }) {
            return .gone(pod: record.pod ?? podName, recorded: recorded(record))
        }
        throw PluginError(
            "index \(chosen) of batchjob/\(name) has no attempt \(wanted) (attempts seen: \(known.sorted().map(String.init).joined(separator: ", "))); choose one with --attempt")
    }

    /// What `logs` reads of a SparkJob.
    public enum SparkRoleChoice: Sendable, Hashable {
        case driver
        case executor(String)
    }

    /// A SparkJob's driver or executor pod of `attempt` (default: the latest).
    public static func sparkJob(_ job: SparkJob, pods: [Pod], attempt: Int?, role: SparkRoleChoice) throws(PluginError) -> LogSource {
        let name = job.metadata.name ?? ""
        let drivers = pods.filter { $0.metadata.labels[SparkLabels.jobName] != nil && $0.metadata.labels[SparkLabels.role] != "executor" }
        let history = job.status.history
        let known = Set(drivers.compactMap { $0.metadata.labels[SparkLabels.attempt].flatMap(Int.init) } + history.map(\.attempt))
        guard let latest = known.max() else {
            throw PluginError("sparkjob/\(name) has not submitted an attempt yet; see why with kubectl slipway status sparkjob/\(name)")
        }
        let wanted = attempt ?? latest
        let names = SparkNames(job: name, uid: job.metadata.uid ?? "", attempt: wanted)
        let driverPod = drivers.first { $0.metadata.labels[SparkLabels.attempt] == String(wanted) }
        let record = history.first { $0.attempt == wanted }
        guard driverPod != nil || record != nil else {
            throw PluginError(
                "sparkjob/\(name) has no attempt \(wanted) (attempts seen: \(known.sorted().map(String.init).joined(separator: ", "))); choose one with --attempt")
        }
        switch role {
        case .driver:
            if let driverPod { return .pod(name: driverPod.metadata.name ?? names.driverPod, container: container(SparkLabels.driverContainer, in: driverPod)) }
            return .gone(pod: record?.driverPod ?? names.driverPod, recorded: recorded(record!))
        case .executor(let id):
            let app = driverPod?.metadata.labels[SparkLabels.appSelector] ?? record?.sparkApplicationId ?? names.appId
            let executors = pods.filter { $0.metadata.labels[SparkLabels.appSelector] == app && $0.metadata.labels[SparkLabels.role] == "executor" }
            if let pod = executors.first(where: { $0.metadata.labels[SparkLabels.executorID] == id }) {
                return .pod(name: pod.metadata.name ?? "", container: container(SparkLabels.executorContainer, in: pod))
            }
            let podName = "\(names.resourcePrefix)-exec-\(id)"
            if let group = record?.executorFailures.first(where: { $0.pod == podName }) {
                let how = [group.failureClass?.rawValue, group.exitCode.map { "exit \($0)" }, group.reason].compactMap { $0 }.joined(separator: ", ")
                return .gone(pod: podName, recorded: how + (group.message.map { ": \($0)" } ?? ""))
            }
            let ids = executors.compactMap { $0.metadata.labels[SparkLabels.executorID] }.sorted { (Int($0) ?? 0) < (Int($1) ?? 0) }
            throw PluginError(
                "sparkjob/\(name) attempt \(wanted) has no executor \(id)"
                    + (ids.isEmpty ? " (its executor pods are gone or were never created)" : " (executors: \(ids.joined(separator: ", ")))"))
        }
    }

    /// `OutOfMemory, exit 137 (OOMKilled): <message>`: how a recorded attempt ended.
    public static func recorded<Record: AttemptRecordFields>(_ record: Record) -> String {
        var how: [String] = []
        if let c = record.failureClass { how.append(c.rawValue) }
        if let code = record.exitCode { how.append("exit \(code)" + (record.reason.map { " (\($0))" } ?? "")) } else if let r = record.reason {
            how.append(r)
        }
        let head = how.isEmpty ? "no termination recorded" : how.joined(separator: ", ")
        guard let message = record.message, !message.isEmpty else { return head }
        return head + ":\n" + message
    }

    /// The named container when the pod has it, else its first.
    static func container(_ preferred: String, in pod: Pod) -> String? {
        let names = pod.spec.containers.map(\.name)
        return names.contains(preferred) ? preferred : names.first
    }
}
