import Foundation
import KubeAPI
import SlipwayAPI
@testable import SlipwayCore

/// A job's pods as the API server keeps them in a decider test: a decision's actions are
/// applied to them as the controller performs them (creates get a UID and the time, deletes
/// wait for Slipway's finalizer, a pod's deletion takes the pods it owns along).
struct TestPods {
    var pods: [String: Pod] = [:]
    private var nextUID = 0

    /// Applies the actions at `now`; returns the events they record and whether the job is deleted.
    mutating func apply(_ actions: [JobAction], now: Date) -> (events: [(reason: String, message: String)], jobDeleted: Bool) {
        var events: [(reason: String, message: String)] = []
        var jobDeleted = false
        for action in actions {
            switch action {
            case .create(let objects):
                var pod = objects.pod
                guard let name = pod.metadata.name, pods[name] == nil else { continue }
                nextUID += 1
                pod.metadata.uid = "pod-uid-\(nextUID)"
                pod.metadata.creationTimestamp = now
                pod.status.phase = .pending
                pods[name] = pod
            case .deletePod(let name, let uid):
                guard pods[name]?.metadata.uid == uid else { continue }
                pods[name]?.metadata.deletionTimestamp = now
                dropIfGone(name)
            case .releasePod(let name, let uid):
                guard pods[name]?.metadata.uid == uid else { continue }
                pods[name]?.metadata.finalizers.removeAll { $0 == SlipwayLabels.recordFinalizer }
                dropIfGone(name)
            case .event(_, let reason, let message):
                events.append((reason.rawValue, message))
            case .deleteJob:
                jobDeleted = true
            }
        }
        return (events, jobDeleted)
    }

    /// A deleted pod without finalizers leaves the store, and the pods it owns with it.
    mutating func dropIfGone(_ name: String) {
        guard let pod = pods[name], pod.metadata.isBeingDeleted, pod.metadata.finalizers.isEmpty else { return }
        pods[name] = nil
        for (other, child) in pods where child.metadata.ownerReferences.contains(where: { $0.uid == pod.metadata.uid }) { pods[other] = nil }
    }

    /// The pods in name order (as a cache lists them).
    var sorted: [Pod] { pods.values.sorted { ($0.metadata.name ?? "") < ($1.metadata.name ?? "") } }
}
