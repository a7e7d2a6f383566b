import Foundation
import KubeAPI
import KubeClient
import LocalCluster
import SlipwayAPI
import Synchronization

/// Samples a namespace every 100 ms for tests of queue limits (docs/queues.md): the jobs
/// with a pod that has not finished, the memory those pods request, and the BatchJobs whose
/// status records an admission and that have not finished (the queue's own accounting). The
/// largest values seen are what the limits are checked against; every phase each job was
/// seen in is kept.
public final class QueueSampler: Sendable {
    public struct Most: Sendable, CustomStringConvertible {
        /// Jobs with a pod that has not finished.
        public var jobs = 0
        /// Memory requested by the pods that have not finished, in MiB.
        public var memoryMiB: Int64 = 0
        /// BatchJobs admitted (`status.admission`) and not finished.
        public var admitted = 0
        public var samples = 0
        public var description: String { "jobs \(jobs), memory \(memoryMiB)Mi, admitted \(admitted), \(samples) samples" }
    }

    private let state = Mutex<(most: Most, phases: [String: Set<String>])>((Most(), [:]))
    private let task = Mutex<Task<Void, Never>?>(nil)
    private let client: KubernetesClient

    public init(_ cluster: DevCluster, namespace: String = "default") {
        client = KubernetesClient(configuration: cluster.clientConfiguration(userAgent: "sampler"))
        let task = Task { [self] in
            let client = self.client
            while !Task.isCancelled {
                if let pods = try? await client.list(Pod.self, namespace: namespace).items {
                    let active = pods.filter { pod in
                        pod.metadata.labels["slipway.dev/job-name"] != nil && !(pod.status.phase?.isFinished ?? false)
                            && !pod.status.containerStatuses.contains { $0.state.terminated != nil }
                    }
                    let jobs = Set(active.compactMap { $0.metadata.labels["slipway.dev/job-name"] }).count
                    let memory = active.flatMap(\.spec.containers).compactMap { $0.resources.requests["memory"]?.bytes }.reduce(0, +) >> 20
                    self.state.withLock {
                        $0.most.jobs = max($0.most.jobs, jobs)
                        $0.most.memoryMiB = max($0.most.memoryMiB, memory)
                        $0.most.samples += 1
                    }
                }
                if let jobs = try? await client.list(BatchJob.self, namespace: namespace).items {
                    let admitted = jobs.filter { job in
                        job.status.admission != nil && ![.succeeded, .failed, .skipped].contains(job.status.phase)
                    }.count
                    self.state.withLock { state in
                        state.most.admitted = max(state.most.admitted, admitted)
                        for job in jobs { state.phases[job.metadata.name ?? "", default: []].insert(job.status.phase?.rawValue ?? "") }
                    }
                }
                try? await Task.sleep(for: .milliseconds(100))
            }
        }
        self.task.withLock { $0 = task }
    }

    /// The largest values seen so far.
    public var most: Most { state.withLock { $0.most } }
    /// Every phase each job was seen in, by job name.
    public var phases: [String: Set<String>] { state.withLock { $0.phases } }

    public func stop() async {
        let task = self.task.withLock { $0 }
        task?.cancel()
        await task?.value
        try? await client.shutdown()
    }
}
