import KubeAPI
import KubeClient
import KubeRuntime

/// Wraps a reconciler to report every reconcile — its result and how long it took — as
/// `slipway_reconcile_*{controller}`. The runtime's `Controller` stays metrics-free.
struct MeteredReconciler<Inner: Reconciler>: Reconciler {
    let controller: String
    let inner: Inner
    let metrics: SlipwayMetrics

    func reconcile(_ key: ObjectKey) async throws -> ReconcileResult {
        let started = ContinuousClock.now
        do {
            let result = try await inner.reconcile(key)
            let kind: SlipwayMetrics.ReconcileResult = result.requeueAfter != nil ? .requeueAfter : result.requeue ? .requeue : .success
            metrics.recordReconcile(controller: controller, result: kind, seconds: (ContinuousClock.now - started).seconds)
            return result
        } catch {
            metrics.recordReconcile(controller: controller, result: .error, seconds: (ContinuousClock.now - started).seconds)
            throw error
        }
    }
}
