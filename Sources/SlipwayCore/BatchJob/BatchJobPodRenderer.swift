import Foundation
import KubeAPI
import SlipwayAPI

/// Renders the pod of one attempt of one index of a ``BatchJob``.
///
/// The user's `spec.template` is kept untouched except for what Slipway must set:
/// - the deterministic name `<job>-<index>-<attempt>` (a retried create can only ever
///   meet its own pod), the job's namespace, Slipway's labels and the array-index
///   annotation, a controller owner reference and the record-keeping finalizer (the
///   pod and its exit code stay until the attempt is recorded in status);
/// - `restartPolicy: Never`: retries are Slipway's, not the kubelet's — an in-place restart
///   would hide the exit code, and the next attempt may need other resources or nodes;
/// - `activeDeadlineSeconds` from `timeouts.attemptSeconds`;
/// - on the main container (`spec.container`, else the first): the index in
///   `SLIPWAY_ARRAY_INDEX`, `JOB_COMPLETION_INDEX` (Kubernetes Indexed Jobs) and
///   `AWS_BATCH_JOB_ARRAY_INDEX` (AWS Batch), the attempt in `SLIPWAY_ATTEMPT`,
///   `terminationMessagePolicy: FallbackToLogsOnError` unless set (the log tail becomes
///   the termination message, so the exception reaches status), and the attempt's memory
///   and cpu;
/// - a nodeSelector on the capacity label when the attempt is pinned to spot or on-demand;
/// - `$(params.NAME)` replaced in every container's command, args and env values.
public enum BatchJobPodRenderer {
    /// Environment variables carrying the array index.
    public static let indexVariables = ["SLIPWAY_ARRAY_INDEX", "JOB_COMPLETION_INDEX", "AWS_BATCH_JOB_ARRAY_INDEX"]
    /// The environment variable carrying the attempt number (0-based).
    public static let attemptVariable = "SLIPWAY_ATTEMPT"

    /// The pod of attempt `attempt` of index `index`.
    /// - Parameters:
    ///   - resources: what this attempt runs with; nil keeps the template's resources and capacity.
    ///   - labels: the node label (and its values) that tells spot from on-demand.
    /// - Throws: ``PodRenderError`` for a missing parameter or main container.
    public static func render(
        job: BatchJob, index: Int, attempt: Int, resources: AttemptResources?, labels: CapacityLabels = .karpenter
    ) throws(PodRenderError) -> Pod {
        let template = job.spec.template
        var pod = Pod(name: SlipwayLabels.podName(job: job.metadata.name ?? "", index: index, attempt: attempt),
                      namespace: job.metadata.namespace)
        pod.metadata = metadata(job: job, template: template.metadata, name: pod.metadata.name ?? "", index: index, attempt: attempt)
        var spec = template.spec
        spec.restartPolicy = .never
        if let seconds = job.spec.timeouts.attemptSeconds { spec.activeDeadlineSeconds = Int64(seconds) }
        try prepareContainers(&spec, job: job, index: index, attempt: attempt, resources: resources)
        if let value = resources.flatMap({ labels.value(for: $0.capacity) }) {
            var selector = spec.nodeSelector
            selector[labels.key] = value
            spec.nodeSelector = selector
        }
        pod.spec = spec
        return pod
    }

    // MARK: - Metadata

    private static func metadata(job: BatchJob, template: ObjectMeta, name: String, index: Int, attempt: Int) -> ObjectMeta {
        var meta = ObjectMeta()
        meta.name = name
        meta.namespace = job.metadata.namespace
        var labels = template.labels
        labels[SlipwayLabels.jobName] = SlipwayLabels.jobNameValue(job.metadata.name ?? "")
        labels[SlipwayLabels.jobUID] = job.metadata.uid ?? ""
        labels[SlipwayLabels.index] = String(index)
        labels[SlipwayLabels.attempt] = String(attempt)
        meta.labels = labels
        var annotations = template.annotations
        annotations[SlipwayLabels.arrayIndexAnnotation] = String(index)
        meta.annotations = annotations
        meta.ownerReferences = [OwnerReference(controller: job)]
        meta.finalizers = template.finalizers.filter { $0 != SlipwayLabels.recordFinalizer } + [SlipwayLabels.recordFinalizer]
        return meta
    }

    // MARK: - Containers

    private static func prepareContainers(_ spec: inout PodSpec, job: BatchJob, index: Int, attempt: Int, resources: AttemptResources?) throws(PodRenderError) {
        var containers = spec.containers
        guard !containers.isEmpty else { throw .noContainers }
        let mainIndex: Int
        if let name = job.spec.container {
            guard let found = containers.firstIndex(where: { $0.name == name }) else { throw .missingContainer(name: name) }
            mainIndex = found
        } else {
            mainIndex = 0
        }
        let parameters = job.spec.parameters
        for i in containers.indices { try substituteParameters(in: &containers[i], parameters: parameters) }
        prepareMain(&containers[mainIndex], index: index, attempt: attempt, resources: resources)
        spec.containers = containers
        if !spec.initContainers.isEmpty {
            var initContainers = spec.initContainers
            for i in initContainers.indices { try substituteParameters(in: &initContainers[i], parameters: parameters) }
            spec.initContainers = initContainers
        }
    }

    private static func prepareMain(_ container: inout Container, index: Int, attempt: Int, resources: AttemptResources?) {
        let ours = indexVariables.map { EnvVar(name: $0, value: String(index)) } + [EnvVar(name: attemptVariable, value: String(attempt))]
        let names = Set(ours.map(\.name))
        container.env = ours + container.env.filter { !names.contains($0.name) }
        if container.terminationMessagePolicy == nil { container.terminationMessagePolicy = .fallbackToLogsOnError }
        resources?.apply(to: &container)
    }
}
