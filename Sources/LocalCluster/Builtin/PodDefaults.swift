import KubeAPI

/// The defaults the real API server fills into a pod when it decodes it
/// (`pkg/apis/core/v1/defaults.go`: `SetDefaults_Pod`, `_PodSpec`, `_Container`,
/// `_Probe`, `_Volume` and the volume sources), so that what a client reads back equals
/// what a real cluster returns. Resource quantities are written in canonical form, rounded
/// up to a thousandth as `SetDefaults_ResourceList` does.
enum PodDefaults {
    /// Defaults a whole pod (spec and containers).
    static func apply(to pod: inout JSONObject) {
        pod.editObject("spec") { spec in applySpec(&spec) }
        // Condition times are Go structs without omitempty: null when unset.
        pod.editObjectIfPresent("status") { status in
            status.editEach("conditions") { condition in
                for key in ["lastProbeTime", "lastTransitionTime"] where condition[key] == nil { condition[key] = .null }
                condition = condition.ordered(["type", "observedGeneration", "status", "lastProbeTime", "lastTransitionTime", "reason", "message"])
            }
        }
    }

    static func applySpec(_ spec: inout JSONObject) {
        let hostNetwork = spec["hostNetwork"]?.boolValue == true
        for key in ["containers", "initContainers"] {
            spec.editEach(key) { container in
                applyContainer(&container, hostNetwork: hostNetwork)
                requestsFromLimits(&container)
            }
        }
        spec.editEach("ephemeralContainers") { applyContainer(&$0, hostNetwork: false) }
        spec.editEach("volumes") { applyVolume(&$0) }
        spec.setDefault("restartPolicy", "Always")
        spec.setDefault("terminationGracePeriodSeconds", 30)
        spec.setDefault("dnsPolicy", "ClusterFirst")
        spec.setDefault("securityContext", .object([:]))
        spec.setDefault("schedulerName", "default-scheduler")
        spec.setDefault("enableServiceLinks", true)
        spec = spec.ordered(GoFieldOrder.podSpec)
    }

    static func applyContainer(_ container: inout JSONObject, hostNetwork: Bool) {
        if container.string("imagePullPolicy").isEmpty {
            container["imagePullPolicy"] = .string(imageTag(container.string("image")) == "latest" ? "Always" : "IfNotPresent")
        }
        container.setDefault("terminationMessagePath", "/dev/termination-log")
        container.setDefault("terminationMessagePolicy", "File")
        container.setDefault("resources", .object([:]))
        container.editObjectIfPresent("resources") { resources in
            for key in ["limits", "requests"] { resources.editObjectIfPresent(key) { canonicalise(&$0) } }
        }
        container.editEach("ports") { port in
            port.setDefault("protocol", "TCP")
            if hostNetwork, (port["hostPort"]?.numberValue?.int64 ?? 0) == 0, let containerPort = port["containerPort"] {
                port["hostPort"] = containerPort
            }
        }
        container.editEach("env") { env in
            env.editObjectIfPresent("valueFrom") { from in from.editObjectIfPresent("fieldRef") { $0.setDefault("apiVersion", "v1") } }
        }
        for probe in ["livenessProbe", "readinessProbe", "startupProbe"] {
            container.editObjectIfPresent(probe) { applyProbe(&$0) }
        }
        container.editObjectIfPresent("lifecycle") { lifecycle in
            for hook in ["postStart", "preStop"] { lifecycle.editObjectIfPresent(hook) { applyHandler(&$0) } }
        }
        container = container.ordered(GoFieldOrder.container)
    }

    /// `SetDefaults_Pod`: a container with limits but no request for a resource requests its limit.
    static func requestsFromLimits(_ container: inout JSONObject) {
        guard let limits = container["resources"]?["limits"]?.objectValue else { return }
        container.editObject("resources") { resources in
            resources.editObject("requests") { requests in
                for (key, value) in limits where requests[key] == nil { requests[key] = value }
            }
            resources = resources.ordered(["limits", "requests", "claims"])
        }
    }

    static func applyProbe(_ probe: inout JSONObject) {
        applyHandler(&probe)
        probe.setDefault("timeoutSeconds", 1)
        probe.setDefault("periodSeconds", 10)
        probe.setDefault("successThreshold", 1)
        probe.setDefault("failureThreshold", 3)
    }

    static func applyHandler(_ handler: inout JSONObject) {
        handler.editObjectIfPresent("httpGet") { get in
            get.setDefault("path", "/")
            get.setDefault("scheme", "HTTP")
        }
    }

    static let volumeSources = [
        "hostPath", "emptyDir", "gcePersistentDisk", "awsElasticBlockStore", "gitRepo", "secret", "nfs", "iscsi", "glusterfs",
        "persistentVolumeClaim", "rbd", "flexVolume", "cinder", "cephfs", "flocker", "downwardAPI", "fc", "azureFile", "configMap",
        "vsphereVolume", "quobyte", "azureDisk", "photonPersistentDisk", "projected", "portworxVolume", "scaleIO", "storageos",
        "csi", "ephemeral", "image",
    ]

    static func applyVolume(_ volume: inout JSONObject) {
        if !volumeSources.contains(where: { volume[$0] != nil && volume[$0]?.isNull == false }) { volume["emptyDir"] = .object([:]) }
        volume.editObjectIfPresent("hostPath") { $0.setDefault("type", "") }
        for key in ["secret", "configMap", "projected"] { volume.editObjectIfPresent(key) { $0.setDefault("defaultMode", 420) } }
        volume.editObjectIfPresent("downwardAPI") { source in
            source.editEach("items") { fieldRefDefault(&$0) }
            source.setDefault("defaultMode", 420)
        }
        volume.editObjectIfPresent("projected") { projected in
            projected.editEach("sources") { source in
                source.editObjectIfPresent("serviceAccountToken") { $0.setDefault("expirationSeconds", 3600) }
                source.editObjectIfPresent("downwardAPI") { $0.editEach("items") { fieldRefDefault(&$0) } }
            }
        }
    }

    static func fieldRefDefault(_ item: inout JSONObject) {
        item.editObjectIfPresent("fieldRef") { $0.setDefault("apiVersion", "v1") }
    }

    /// The tag of an image reference, as `parsers.ParseImageName` reads it: `latest` when
    /// there is neither a tag nor a digest, "" with only a digest.
    static func imageTag(_ image: String) -> String {
        var reference = image
        if let at = reference.firstIndex(of: "@") {
            reference = String(reference[..<at])
            let lastPart = reference.split(separator: "/").last ?? ""
            return lastPart.contains(":") ? String(lastPart.split(separator: ":").last ?? "") : ""
        }
        let lastPart = reference.split(separator: "/", omittingEmptySubsequences: false).last ?? ""
        guard let colon = lastPart.lastIndex(of: ":") else { return "latest" }
        return String(lastPart[lastPart.index(after: colon)...])
    }

    /// Writes every parsable quantity of a resource list in canonical form, rounded up to
    /// a thousandth. Unparsable ones are left for the decoder's check.
    static func canonicalise(_ list: inout JSONObject) {
        for (key, value) in list {
            guard let quantity = ResourceQuantities.parse(value) else { continue }
            let rounded = (try? quantity.roundedUp(toMultipleOf: Quantity(milli: 1))) ?? quantity
            list[key] = .string(rounded.canonical)
        }
    }
}
