import Foundation
import KubeAPI
import SlipwayAPI

/// What one attempt of a SparkJob runs with (the spec's values, adapted after failures).
public struct SparkAttemptPlan: Sendable, Hashable {
    public var attempt: Int
    /// Spark form (`1g`).
    public var driverMemory: String
    public var executorMemory: String
    public var executorInstances: Int
    public var driverCapacity: Capacity
    public var executorCapacity: Capacity
    /// `spark.app.submitTime`: when the attempt was launched (recorded in status first, so a
    /// repeated submit renders the same objects).
    public var submitTime: Date

    public init(attempt: Int, driverMemory: String, executorMemory: String, executorInstances: Int,
                driverCapacity: Capacity = .unpinned, executorCapacity: Capacity = .unpinned, submitTime: Date) {
        self.attempt = attempt
        self.driverMemory = driverMemory
        self.executorMemory = executorMemory
        self.executorInstances = executorInstances
        self.driverCapacity = driverCapacity
        self.executorCapacity = executorCapacity
        self.submitTime = submitTime
    }
}

/// Everything one submit creates, in spark-submit's order: the driver pod, then the headless
/// Service and the ConfigMap (each owned by the driver pod once it exists).
public struct SparkSubmit: Sendable, Hashable {
    public var driverPod: Pod
    public var service: Service
    public var configMap: ConfigMap
    /// The executor pod template ConfigMap, when one is needed.
    public var podTemplateConfigMap: ConfigMap?

    public init(driverPod: Pod, service: Service, configMap: ConfigMap, podTemplateConfigMap: ConfigMap? = nil) {
        self.driverPod = driverPod
        self.service = service
        self.configMap = configMap
        self.podTemplateConfigMap = podTemplateConfigMap
    }

    /// The submission as an attempt's objects: the driver pod, then the Service and the
    /// ConfigMaps, which are applied owned by it (as spark-submit does: deleting the driver
    /// deletes them).
    public var objects: AttemptObjects {
        AttemptObjects(pod: driverPod, owned: [.service(service), .configMap(configMap)] + (podTemplateConfigMap.map { [.configMap($0)] } ?? []))
    }

    /// The submission that `objects` holds; nil when they are not a Spark submission.
    public init?(_ objects: AttemptObjects) {
        var service: Service?
        var configMaps: [ConfigMap] = []
        for owned in objects.owned {
            switch owned {
            case .service(let s): service = s
            case .configMap(let c): configMaps.append(c)
            }
        }
        guard let service, let configMap = configMaps.first else { return nil }
        self.init(driverPod: objects.pod, service: service, configMap: configMap, podTemplateConfigMap: configMaps.dropFirst().first)
    }
}

/// Turns a SparkJob and an attempt plan into what spark-submit would create, plus what
/// Slipway adds (docs/sparkjob.md, "What is created"):
/// - on the driver pod: Slipway's labels, a controller owner reference to the SparkJob, the
///   record-keeping finalizer, `terminationMessagePolicy: FallbackToLogsOnError` (the log's
///   tail carries the exception into status), `activeDeadlineSeconds` from
///   `timeouts.runSeconds`, and the capacity nodeSelector;
/// - in spark.properties: `spark.kubernetes.executor.podNamePrefix` (executors are named
///   after the attempt), `spark.kubernetes.executor.deleteOnTermination=false` unless set
///   (failed executors stay observable until the attempt is recorded; they belong to the
///   driver pod and go with it), and the capacity node selector of executors;
/// - with `spec.analysis`, the analysis sidecar and its event-log settings (``SparkAnalysisSidecar``).
public enum SparkJobSubmission {
    /// Spark's defaults when the spec leaves them out.
    public static let defaultMemory = "1g"
    public static let defaultExecutorInstances = 2

    /// The plan of attempt `state.attempt` from the spec and the adapted values in status;
    /// memory as spark-submit reads it (``SparkJobSpec/startingMemory(_:)``: the typed field,
    /// else `spark.<role>.memory` in sparkConf, else 1g).
    public static func plan(_ job: SparkJob, state: SparkAttemptState, capacity labels: CapacityLabels, now: Date) -> SparkAttemptPlan {
        let spec = job.spec
        return SparkAttemptPlan(
            attempt: state.attempt,
            driverMemory: state.driverMemory ?? spec.startingMemory(.driver) ?? defaultMemory,
            executorMemory: state.executorMemory ?? spec.startingMemory(.executor) ?? defaultMemory,
            executorInstances: state.executorInstances ?? initialExecutors(spec),
            driverCapacity: capacity(state.driverCapacity) ?? initialCapacity(spec.adapt.capacity?.driver),
            executorCapacity: capacity(state.executorCapacity) ?? initialCapacity(spec.adapt.capacity?.executors),
            // Whole seconds, as status records launchedAt: the first submit and any repeat of
            // it (after an operator restart) render the same spark.app.submitTime.
            submitTime: state.launchedAt ?? Date(timeIntervalSince1970: now.timeIntervalSince1970.rounded(.down)))
    }

    /// The executors an attempt starts with: `executor.instances`, else dynamic allocation's
    /// initial (or minimum) executors, else Spark's default 2.
    public static func initialExecutors(_ spec: SparkJobSpec) -> Int {
        if let instances = spec.executor.instances { return instances }
        if let dynamic = spec.dynamicAllocation, dynamic.enabled {
            return dynamic.initialExecutors ?? dynamic.minExecutors ?? 0
        }
        return defaultExecutorInstances
    }

    /// The executors that must run for the attempt to count as started.
    public static func minimumExecutors(_ spec: SparkJobSpec, plan: SparkAttemptPlan) -> Int {
        if let dynamic = spec.dynamicAllocation, dynamic.enabled { return dynamic.minExecutors ?? 0 }
        return plan.executorInstances
    }

    static func capacity(_ text: String?) -> Capacity? { text.flatMap(Capacity.init(rawValue:)) }

    static func initialCapacity(_ text: String?) -> Capacity {
        guard let text, text != "any" else { return .unpinned }
        return Capacity(rawValue: text) ?? .unpinned
    }

    /// What spark-submit would refuse in the submission of attempt `plan` (named by spec field).
    public static func problems(
        _ job: SparkJob, plan: SparkAttemptPlan, capacity labels: CapacityLabels, masterURL: String, uiProxyRoot: String? = nil
    ) -> [String] {
        SparkSubmitRenderer.problems(submission(job, plan: plan, capacity: labels, masterURL: masterURL, uiProxyRoot: uiProxyRoot))
            .map { "spec.\($0.description)" }
    }

    /// The objects of one attempt; with `analysis`, its sidecar and event-log settings
    /// (``SparkAnalysisSidecar``).
    public static func render(
        _ job: SparkJob, plan: SparkAttemptPlan, capacity labels: CapacityLabels, masterURL: String, sparkUser: String = "root",
        analysis: SparkAnalysisSidecar? = nil,
        uiProxyRoot: String? = nil
    ) -> SparkSubmit {
        let name = job.metadata.name ?? ""
        let namespace = job.metadata.namespace ?? "default"
        let names = SparkNames(job: name, uid: job.metadata.uid ?? "", attempt: plan.attempt)
        let rendered = SparkSubmitRenderer.render(
            submission(job, plan: plan, capacity: labels, masterURL: masterURL, sparkUser: sparkUser, analysis: analysis, uiProxyRoot: uiProxyRoot))

        var pod = rendered.driverPod
        pod.metadata.name = names.driverPod
        pod.metadata.namespace = namespace
        var podLabels = pod.metadata.labels
        podLabels[SparkLabels.jobName] = SlipwayLabels.jobNameValue(name)
        podLabels[SlipwayLabels.jobUID] = job.metadata.uid ?? ""
        podLabels[SparkLabels.attempt] = String(plan.attempt)
        pod.metadata.labels = podLabels
        pod.metadata.ownerReferences = [OwnerReference(controller: job)]
        pod.metadata.finalizers = [SlipwayLabels.recordFinalizer]
        var podSpec = pod.spec
        if let seconds = job.spec.timeouts.runSeconds { podSpec.activeDeadlineSeconds = Int64(seconds) }
        if let value = labels.value(for: plan.driverCapacity) {
            var selector = podSpec.nodeSelector
            selector[labels.key] = value
            podSpec.nodeSelector = selector
        }
        var containers = podSpec.containers
        if let i = containers.firstIndex(where: { $0.name == SparkLabels.driverContainer }) ?? containers.indices.first,
           containers[i].terminationMessagePolicy == nil {
            containers[i].terminationMessagePolicy = .fallbackToLogsOnError
        }
        podSpec.containers = containers
        pod.spec = podSpec
        analysis?.apply(to: &pod)

        var service = rendered.service
        service.metadata.namespace = namespace
        var configMap = rendered.configMap
        configMap.metadata.namespace = namespace
        var template = rendered.podTemplateConfigMap
        template?.metadata.namespace = namespace
        return SparkSubmit(driverPod: pod, service: service, configMap: configMap, podTemplateConfigMap: template)
    }

    /// What spark-submit would be given for attempt `plan`.
    static func submission(
        _ job: SparkJob, plan: SparkAttemptPlan, capacity labels: CapacityLabels, masterURL: String, sparkUser: String = "root",
        analysis: SparkAnalysisSidecar? = nil,
        uiProxyRoot: String? = nil
    ) -> SparkSubmission {
        let spec = job.spec
        let name = job.metadata.name ?? ""
        let namespace = job.metadata.namespace ?? "default"
        let names = SparkNames(job: name, uid: job.metadata.uid ?? "", attempt: plan.attempt)

        let params = spec.parameters
        // Validation refuses undefined parameters, so a failed substitution keeps the text.
        let substitute: (String) -> String = { ParameterSubstitution.substituteIfDefined($0, params) }

        var driver = roleSettings(spec.driver, substitute: substitute)
        driver.memory = plan.driverMemory
        var executor = roleSettings(spec.executor, substitute: substitute)
        executor.memory = plan.executorMemory
        executor.instances = plan.executorInstances
        if let value = labels.value(for: plan.executorCapacity) { executor.nodeSelector[labels.key] = value }

        var conf = spec.sparkConf.mapValues(substitute)
        if conf["spark.kubernetes.executor.deleteOnTermination"] == nil { conf["spark.kubernetes.executor.deleteOnTermination"] = "false" }
        analysis?.apply(to: &conf)
        // Behind the web view's proxy, the UI's links carry its prefix (as YARN's proxy does).
        if let root = uiProxyRoot, conf["spark.ui.proxyBase"] == nil { conf["spark.ui.proxyBase"] = uiProxyBase(root: root, namespace: namespace, job: name) }
        var submission = SparkSubmission(
            sparkVersion: spec.sparkVersion, type: spec.type ?? .scala, appName: name, namespace: namespace,
            appId: names.appId, resourceNamePrefix: names.resourcePrefix, configMapName: names.configMap,
            localDirName: names.localDir, submitTime: plan.submitTime, image: spec.image ?? conf["spark.kubernetes.container.image"] ?? "",
            mainApplicationFile: spec.mainApplicationFile ?? "")
        submission.executorPodNamePrefix = names.resourcePrefix
        submission.sparkUser = sparkUser
        submission.masterURL = masterURL
        submission.imagePullPolicy = spec.imagePullPolicy
        submission.imagePullSecrets = spec.imagePullSecrets
        submission.mainClass = spec.mainClass
        submission.arguments = spec.arguments.map(substitute)
        submission.sparkConf = conf
        submission.hadoopConf = spec.hadoopConf
        let deps = spec.deps
        submission.deps = SparkDependencies(
            jars: deps.jars, files: deps.files, pyFiles: deps.pyFiles, packages: deps.packages, repositories: deps.repositories,
            excludePackages: deps.excludePackages, archives: deps.archives)
        submission.driver = driver
        submission.executor = executor
        if let dynamic = spec.dynamicAllocation {
            submission.dynamicAllocation = SparkDynamicAllocation(
                enabled: dynamic.enabled, initialExecutors: dynamic.initialExecutors, minExecutors: dynamic.minExecutors,
                maxExecutors: dynamic.maxExecutors, shuffleTracking: dynamic.shuffleTracking)
        }
        submission.executorPodLabels = [SparkLabels.jobName: SlipwayLabels.jobNameValue(name), SparkLabels.attempt: String(plan.attempt)]
        return submission
    }

    /// `/spark/<namespace>/<job>`: where the web view serves the job's driver UI.
    public static func uiProxyBase(root: String, namespace: String, job: String) -> String {
        "\(root)/\(namespace)/\(job)"
    }

    static func roleSettings(_ role: SparkPodSpec, substitute: (String) -> String) -> SparkRoleSettings {
        var settings = SparkRoleSettings()
        settings.cores = role.cores
        settings.coreRequest = role.coreRequest
        settings.coreLimit = role.coreLimit
        settings.memory = role.memory
        settings.memoryOverhead = role.memoryOverhead
        settings.instances = role.instances
        settings.serviceAccount = role.serviceAccount
        settings.labels = role.labels
        settings.annotations = role.annotations
        settings.env = role.env.map { env in
            guard var object = env.objectValue, let value = object["value"]?.stringValue else { return env }
            object["value"] = .string(substitute(value))
            return .object(object)
        }
        settings.nodeSelector = role.nodeSelector
        settings.tolerations = role.tolerations
        settings.affinity = role.affinity
        settings.volumes = role.volumes
        settings.volumeMounts = role.volumeMounts
        settings.podTemplate = role.template
        return settings
    }
}
