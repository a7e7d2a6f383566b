import KubeAPI

/// Which capacity an attempt is pinned to.
public enum Capacity: String, Sendable, Hashable, CaseIterable {
    /// Pinned to spot (preemptible) nodes.
    case spot
    /// Pinned to on-demand nodes: no interruptions by the provider.
    case onDemand = "on-demand"
    /// Not pinned: the template's own scheduling decides.
    case unpinned
}

/// The node label that pins capacity, and its values (operator configuration).
public struct CapacityLabels: Sendable, Hashable {
    /// The node label key, `karpenter.sh/capacity-type` by default.
    public var key: String
    /// The value on spot nodes.
    public var spot: String
    /// The value on on-demand nodes.
    public var onDemand: String

    /// A label key and its two values.
    public init(key: String = "karpenter.sh/capacity-type", spot: String = "spot", onDemand: String = "on-demand") {
        self.key = key
        self.spot = spot
        self.onDemand = onDemand
    }

    /// Karpenter's `karpenter.sh/capacity-type` = `spot` / `on-demand`, the default.
    public static let karpenter = CapacityLabels()

    /// The capacity a label value means; unpinned for a missing or other value.
    public func capacity(forValue value: String?) -> Capacity {
        switch value {
        case spot?: .spot
        case onDemand?: .onDemand
        default: .unpinned
        }
    }

    /// The label value of `capacity`; nil for unpinned.
    public func value(for capacity: Capacity) -> String? {
        switch capacity {
        case .spot: spot
        case .onDemand: onDemand
        case .unpinned: nil
        }
    }
}

/// What an attempt ran with — the main container's memory and cpu and the capacity it
/// was pinned to — so the next attempt can be derived from it (``Adapter``) and the
/// attempt history can say what each attempt had.
public struct AttemptResources: Sendable, Hashable {
    /// The main container's `resources.requests.memory`; nil when unset.
    public var memoryRequest: Quantity?
    /// The main container's `resources.limits.memory`; nil when unset.
    public var memoryLimit: Quantity?
    /// The main container's `resources.requests.cpu`; nil when unset.
    public var cpuRequest: Quantity?
    /// The main container's `resources.limits.cpu`; nil when unset.
    public var cpuLimit: Quantity?
    /// The capacity the pod is pinned to with a nodeSelector.
    public var capacity: Capacity

    /// Resources with every field given.
    public init(
        memoryRequest: Quantity? = nil, memoryLimit: Quantity? = nil, cpuRequest: Quantity? = nil,
        cpuLimit: Quantity? = nil, capacity: Capacity = .unpinned
    ) {
        self.memoryRequest = memoryRequest
        self.memoryLimit = memoryLimit
        self.cpuRequest = cpuRequest
        self.cpuLimit = cpuLimit
        self.capacity = capacity
    }

    /// The memory that bounds the container: its limit, else its request.
    public var memory: Quantity? { memoryLimit ?? memoryRequest }
    /// The cpu that bounds the container: its limit, else its request.
    public var cpu: Quantity? { cpuLimit ?? cpuRequest }

    /// The resources of `container` and the capacity `nodeSelector` pins.
    public static func read(
        from container: Container, nodeSelector: [String: String] = [:], labels: CapacityLabels = .karpenter
    ) -> AttemptResources {
        let resources = container.resources
        return AttemptResources(
            memoryRequest: resources.requests["memory"], memoryLimit: resources.limits["memory"],
            cpuRequest: resources.requests["cpu"], cpuLimit: resources.limits["cpu"],
            capacity: labels.capacity(forValue: nodeSelector[labels.key]))
    }

    /// The resources of the container `name` (nil: the first) of `spec`, and its capacity.
    public static func read(from spec: PodSpec, container name: String? = nil, labels: CapacityLabels = .karpenter) -> AttemptResources {
        let container = name.flatMap(spec.container(named:)) ?? spec.containers.first ?? Container()
        return read(from: container, nodeSelector: spec.nodeSelector, labels: labels)
    }

    /// Sets the memory and cpu requests and limits that are known; unknown ones are left as
    /// the template has them.
    public func apply(to container: inout Container) {
        var resources = container.resources
        var requests = resources.requests, limits = resources.limits
        if let memoryRequest { requests["memory"] = memoryRequest }
        if let memoryLimit { limits["memory"] = memoryLimit }
        if let cpuRequest { requests["cpu"] = cpuRequest }
        if let cpuLimit { limits["cpu"] = cpuLimit }
        if !requests.isEmpty { resources.requests = requests }
        if !limits.isEmpty { resources.limits = limits }
        container.resources = resources
    }

    /// Applies the resources to the container `name` (nil: the first) of `spec` and pins its
    /// capacity with a nodeSelector on `labels.key`. Unpinned leaves the nodeSelector as is.
    public func apply(to spec: inout PodSpec, container name: String? = nil, labels: CapacityLabels = .karpenter) {
        var containers = spec.containers
        if let index = containers.firstIndex(where: { name == nil || $0.name == name }) {
            apply(to: &containers[index])
            spec.containers = containers
        }
        if let value = labels.value(for: capacity) {
            var selector = spec.nodeSelector
            selector[labels.key] = value
            spec.nodeSelector = selector
        }
    }
}
