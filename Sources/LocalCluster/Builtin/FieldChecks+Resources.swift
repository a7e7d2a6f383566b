import KubeAPI

extension FieldChecks {
    /// Resource names any object may quote without a domain (`IsStandardResourceName`).
    static let standardResources: Set<String> = [
        "cpu", "memory", "ephemeral-storage", "storage", "requests.cpu", "requests.memory", "requests.ephemeral-storage",
        "requests.storage", "limits.cpu", "limits.memory", "limits.ephemeral-storage", "pods", "services", "replicationcontrollers",
        "resourcequotas", "secrets", "configmaps", "persistentvolumeclaims", "services.nodeports", "services.loadbalancers",
    ]
    /// Resources counted in whole units (`IsIntegerResourceName`, besides extended resources).
    static let integerResources: Set<String> = [
        "pods", "services", "replicationcontrollers", "resourcequotas", "secrets", "configmaps", "persistentvolumeclaims",
        "services.nodeports", "services.loadbalancers",
    ]

    /// A container's `resources` (`validateResourceRequirements`): names, non-negative
    /// quantities, whole numbers for extended resources, requests no greater than limits
    /// (equal for resources that cannot be overcommitted).
    mutating func resources(_ resources: JSONObject, at path: FieldPath) {
        let limits = quantities(resources["limits"]?.objectValue, at: path.child("limits"))
        let requests = quantities(resources["requests"]?.objectValue, at: path.child("requests"))
        for (name, request) in requests {
            if let limit = limits[name] {
                if request != limit, !ResourceQuantities.isOvercommitAllowed(name) {
                    add(.invalid, path.child("requests"), .string(request.canonical), "must be equal to \(name) limit of \(limit.canonical)")
                } else if request > limit {
                    add(.invalid, path.child("requests"), .string(request.canonical), "must be less than or equal to \(name) limit of \(limit.canonical)")
                }
            } else if !ResourceQuantities.isOvercommitAllowed(name) {
                add(.required, path.child("limits"), nil, "Limit must be set for non overcommitable resources")
            }
        }
    }

    /// Checks the names and values of one resource list and returns its parsed quantities.
    mutating func quantities(_ list: JSONObject?, at path: FieldPath) -> [String: Quantity] {
        var result: [String: Quantity] = [:]
        for (name, value) in list ?? JSONObject() {
            let p = path.key(name)
            containerResourceName(name, at: p)
            guard let quantity = ResourceQuantities.parse(value) else { continue }
            result[name] = quantity
            if quantity.sign < 0 { add(.invalid, p, .string(quantity.canonical), "must be greater than or equal to 0") }
            let integer = ResourceQuantities.isExtendedResource(name) || Self.integerResources.contains(name)
            if integer, quantity.milliValue % 1000 != 0 { add(.invalid, p, .string(quantity.canonical), "must be an integer") }
        }
        return result
    }

    /// `validateContainerResourceName`.
    mutating func containerResourceName(_ name: String, at path: FieldPath) {
        let qualified = ValidationRules.qualifiedName(name)
        if !qualified.isEmpty {
            invalid(path, .string(name), qualified)
            return
        }
        let hugePages = name.hasPrefix("hugepages-")
        if !name.contains("/") {
            if !Self.standardResources.contains(name), !hugePages {
                add(.invalid, path, .string(name), "must be a standard resource type or fully qualified")
            }
            if !ResourceQuantities.standardContainerResources.contains(name), !hugePages {
                add(.invalid, path, .string(name), "must be a standard resource for containers")
            }
        } else if !ResourceQuantities.isNativeResource(name), !ResourceQuantities.isExtendedResource(name) {
            add(.invalid, path, .string(name), "doesn't follow extended resource name standard")
        }
    }
}

/// The quality-of-service class the API server records in `status.qosClass` (`GetPodQOS`).
enum PodQOS {
    static func classify(_ pod: JSONObject) -> String {
        let spec = pod["spec"]?.objectValue ?? JSONObject()
        var requests: [String: Quantity] = [:]
        var limits: [String: Quantity] = [:]
        var guaranteed = true
        for container in spec.objects("containers") + spec.objects("initContainers") {
            let resources = container["resources"]?.objectValue ?? JSONObject()
            for (name, value) in resources["requests"]?.objectValue ?? JSONObject() where ["cpu", "memory"].contains(name) {
                if let q = ResourceQuantities.parse(value), q.sign > 0 { requests[name] = (requests[name].map { $0 + q }) ?? q }
            }
            var limitsFound = Set<String>()
            for (name, value) in resources["limits"]?.objectValue ?? JSONObject() where ["cpu", "memory"].contains(name) {
                if let q = ResourceQuantities.parse(value), q.sign > 0 {
                    limitsFound.insert(name)
                    limits[name] = (limits[name].map { $0 + q }) ?? q
                }
            }
            if limitsFound.count < 2 { guaranteed = false }
        }
        if requests.isEmpty && limits.isEmpty { return "BestEffort" }
        if guaranteed, requests.count == limits.count, requests.allSatisfy({ limits[$0.key] == $0.value }) { return "Guaranteed" }
        return "Burstable"
    }
}
