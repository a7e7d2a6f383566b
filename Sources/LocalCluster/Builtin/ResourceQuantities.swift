import KubeAPI

/// Resource lists (`requests`, `limits`, `overhead`) as the API server reads them.
enum ResourceQuantities {
    /// The regular expression in the decoder's error, as the real server words it.
    static let formatMessage = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"

    /// A quantity written as a string (`"500m"`) or a JSON number (`0.5`), or nil.
    static func parse(_ value: JSONValue) -> Quantity? {
        switch value {
        case .string(let text): try? Quantity(text)
        case .number(let number): try? Quantity(number.text)
        default: nil
        }
    }

    /// The decoder's check: every value of every resource list in the pod is a quantity.
    /// A bad one is the `400 BadRequest` a real server answers before any validation.
    static func decodeErrors(pod: JSONObject) -> String? {
        guard let spec = pod["spec"]?.objectValue else { return nil }
        var lists: [JSONObject] = []
        for key in ["containers", "initContainers", "ephemeralContainers"] {
            for container in spec.objects(key) {
                for list in ["limits", "requests"] {
                    if let l = container["resources"]?[list]?.objectValue { lists.append(l) }
                }
            }
        }
        for list in ["limits", "requests"] {
            if let l = spec["resources"]?[list]?.objectValue { lists.append(l) }
        }
        if let overhead = spec["overhead"]?.objectValue { lists.append(overhead) }
        for list in lists {
            for (_, value) in list where parse(value) == nil { return formatMessage }
        }
        return nil
    }

    /// The standard resource names a container may request (`IsStandardContainerResourceName`).
    static let standardContainerResources: Set<String> = ["cpu", "memory", "ephemeral-storage"]

    /// Resources that may not be overcommitted: requests must equal limits (extended resources).
    static func isOvercommitAllowed(_ name: String) -> Bool {
        isNativeResource(name) && !name.hasPrefix("hugepages-")
    }

    /// A resource name without a domain, or in `kubernetes.io/`.
    static func isNativeResource(_ name: String) -> Bool {
        !name.contains("/") || name.contains("kubernetes.io/")
    }

    /// A fully qualified extended resource name (`example.com/gpu`), not native and not `requests.`-prefixed.
    static func isExtendedResource(_ name: String) -> Bool {
        !isNativeResource(name) && !name.hasPrefix("requests.")
    }
}
