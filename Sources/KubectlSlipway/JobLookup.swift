import Foundation
import KubeAPI
import KubeClient
import SlipwayAPI
import SlipwayCore
import SlipwayPlugin

/// A job of either kind, as found by name.
enum AnyJob {
    case batch(BatchJob)
    case spark(SparkJob)

    var kind: JobKindName {
        switch self {
        case .batch: .batchJob
        case .spark: .sparkJob
        }
    }

    var metadata: ObjectMeta {
        switch self {
        case .batch(let j): j.metadata
        case .spark(let j): j.metadata
        }
    }

    var json: JSONValue {
        switch self {
        case .batch(let j): j.json
        case .spark(let j): j.json
        }
    }

    var phase: JobPhase? {
        switch self {
        case .batch(let j): j.status.phase
        case .spark(let j): j.status.phase
        }
    }

    var conditions: [Condition] {
        switch self {
        case .batch(let j): j.status.conditions
        case .spark(let j): j.status.conditions
        }
    }

    /// `batchjob/six`.
    var reference: String { "\(kind.lowercased)/\(metadata.name ?? "")" }

    /// The next `spec.retryGeneration`: past both the spec's and the last one acted on.
    var nextRetryGeneration: Int {
        switch self {
        case .batch(let j): max(j.spec.retryGeneration, j.status.retryGeneration) + 1
        case .spark(let j): max(j.spec.retryGeneration, j.status.retryGeneration) + 1
        }
    }
}

extension KubernetesClient {
    /// The job `target` names in `namespace`: of its kind, or looked up as both kinds.
    func job(_ target: JobTarget, namespace: String) async throws -> AnyJob {
        let kinds = target.kind.map { [$0] } ?? JobKindName.allCases
        var found: [AnyJob] = [], unserved: [JobKindName] = []
        for kind in kinds {
            do {
                switch kind {
                case .batchJob: found.append(.batch(try await get(BatchJob.self, name: target.name, namespace: namespace)))
                case .sparkJob: found.append(.spark(try await get(SparkJob.self, name: target.name, namespace: namespace)))
                }
            } catch KubeError.notFound(let status) {
                // An object that is not there names itself in the answer; a resource the
                // server does not serve does not (its CRD is not installed).
                if status.details?.name == nil { unserved.append(kind) }
            }
        }
        if found.isEmpty, !unserved.isEmpty, unserved.count == kinds.count {
            let names = unserved.map { "\($0.resource.plural).\($0.resource.group)" }.joined(separator: ", ")
            throw PluginError("the cluster serves no \(names): install Slipway's CRDs first (docs/install.md)")
        }
        let kind = try target.resolve(found: found.map(\.kind), namespace: namespace)
        return found.first { $0.kind == kind }!
    }

    /// A job's pods (finished ones too, while they exist) and their warning events.
    func pods(of job: AnyJob, namespace: String) async throws -> JobPods {
        let name = job.metadata.name ?? ""
        var pods: [Pod]
        switch job {
        case .batch:
            pods = try await listAll(Pod.self, namespace: namespace, options: ListOptions(labelSelector: "\(SlipwayLabels.jobName)=\(SlipwayLabels.jobNameValue(name))")).items
        case .spark(let spark):
            pods = try await listAll(Pod.self, namespace: namespace, options: ListOptions(labelSelector: "\(SparkLabels.jobName)=\(SlipwayLabels.jobNameValue(name))")).items
            // Executors carry Spark's labels; an application id of the job's attempts finds them.
            var apps = Set(pods.compactMap { $0.metadata.labels[SparkLabels.appSelector] })
            apps.formUnion(spark.status.history.compactMap(\.sparkApplicationId))
            if let app = spark.status.sparkApplicationId { apps.insert(app) }
            let known = Set(pods.compactMap(\.metadata.name))
            if !apps.isEmpty {
                let selector = "\(SparkLabels.role)=executor,\(SparkLabels.appSelector) in (\(apps.sorted().joined(separator: ",")))"
                let executors = try await listAll(Pod.self, namespace: namespace, options: ListOptions(labelSelector: selector)).items
                pods += executors.filter { !known.contains($0.metadata.name ?? "") }
            }
        }
        let names = Set(pods.compactMap(\.metadata.name))
        // The pods' warnings: one list of the namespace's pod warnings (a real API server and
        // slipway dev both select events by these fields), kept for the job's pods.
        let warnings = ListOptions(fieldSelector: "involvedObject.kind=Pod,type=Warning")
        let events = names.isEmpty ? [] : try await listAll(Event.self, namespace: namespace, options: warnings).items.filter {
            names.contains($0.involvedObject.name ?? "")
        }
        return JobPods(pods: pods, events: events)
    }
}

/// The namespace the flags or the context name.
extension ClusterOptions {
    func namespace(of client: KubernetesClient) -> String { namespace ?? client.defaultNamespace }
}
