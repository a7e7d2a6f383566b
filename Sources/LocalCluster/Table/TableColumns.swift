/// Column definitions of the built-in kinds, as the real server's printers declare them
/// (descriptions are the API field docs; long ones shortened where not recorded).
enum TableColumns {
    static let nameDescription = "Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names"
    static let creationTimestampDescription = "CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata"
    static let addressesDescription = "List of addresses reachable to the node. Queried from cloud provider, if available. More info: https://kubernetes.io/docs/reference/node/node-status/#addresses Note: This field is declared as mergeable, but the merge key is not sufficiently unique, which can cause data corruption when it is merged. Callers should instead use a full-replacement patch. See https://pr.k8s.io/79391 for an example. Consumers should assume that addresses can change during the lifetime of a Node. However, there are some exceptions where this may not be possible, such as Pods that inherit a Node's address in its own status or consumers of the downward API (status.hostIP)."

    static let name = TableColumn(name: "Name", format: "name", description: nameDescription)
    static let age = TableColumn(name: "Age", description: creationTimestampDescription)

    static let pod: [TableColumn] = [
        name,
        TableColumn(name: "Ready", description: "The aggregate readiness state of this pod for accepting traffic."),
        TableColumn(name: "Status", description: "The aggregate status of the containers in this pod."),
        TableColumn(name: "Restarts", description: "The number of times the containers in this pod have been restarted and when the last container in this pod has restarted."),
        age,
        TableColumn(name: "IP", description: "podIP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.", priority: 1),
        TableColumn(name: "Node", description: "NodeName indicates in which node this pod is scheduled. If empty, this pod is a candidate for scheduling by the scheduler defined in schedulerName. Once this field is set, the kubelet for this node becomes responsible for the lifecycle of this pod. This field should not be used to express a desire for the pod to be scheduled on a specific node. https://kubernetes.io/docs/concepts/scheduling-eviction/assign-pod-node/#nodename", priority: 1),
        TableColumn(name: "Nominated Node", description: "nominatedNodeName is set only when this pod preempts other pods on the node, but it cannot be scheduled right away as preemption victims receive their graceful termination periods. This field does not guarantee that the pod will be scheduled on this node. Scheduler may decide to place the pod elsewhere if other nodes become available sooner. Scheduler may also decide to give the resources on this node to a higher priority pod that is created after preemption. As a result, this field may be different than PodSpec.nodeName when the pod is scheduled.", priority: 1),
        TableColumn(name: "Readiness Gates", description: "If specified, all readiness gates will be evaluated for pod readiness. A pod is ready when all its containers are ready AND all conditions specified in the readiness gates have status equal to \"True\" More info: https://git.k8s.io/enhancements/keps/sig-network/580-pod-readiness-gates", priority: 1),
    ]

    static let node: [TableColumn] = [
        name,
        TableColumn(name: "Status", description: "The status of the node"),
        TableColumn(name: "Roles", description: "The roles of the node"),
        age,
        TableColumn(name: "Version", description: "Kubelet Version reported by the node."),
        TableColumn(name: "Internal-IP", description: addressesDescription, priority: 1),
        TableColumn(name: "External-IP", description: addressesDescription, priority: 1),
        TableColumn(name: "OS-Image", description: "OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).", priority: 1),
        TableColumn(name: "Kernel-Version", description: "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64).", priority: 1),
        TableColumn(name: "Container-Runtime", description: "ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2).", priority: 1),
    ]

    static let namespace: [TableColumn] = [name, TableColumn(name: "Status", description: "The status of the namespace"), age]

    static let configMap: [TableColumn] = [
        name,
        TableColumn(name: "Data", description: "Data contains the configuration data. Each key must consist of alphanumeric characters, '-', '_' or '.'. Values with non-UTF-8 byte sequences must use the BinaryData field. The keys stored in Data must not overlap with the keys in the BinaryData field, this is enforced during validation process."),
        age,
    ]

    static let secret: [TableColumn] = [
        name,
        TableColumn(name: "Type", description: "Used to facilitate programmatic handling of secret data. More info: https://kubernetes.io/docs/concepts/configuration/secret/#secret-types"),
        TableColumn(name: "Data", description: "Data contains the secret data. Each key must consist of alphanumeric characters, '-', '_' or '.'. The serialized form of the secret data is a base64 encoded string, representing the arbitrary (possibly non-string) data value here. Described in https://tools.ietf.org/html/rfc4648#section-4"),
        age,
    ]

    static let service: [TableColumn] = [
        name,
        TableColumn(name: "Type", description: "type determines how the Service is exposed. Defaults to ClusterIP. Valid options are ExternalName, ClusterIP, NodePort, and LoadBalancer."),
        TableColumn(name: "Cluster-IP", description: "clusterIP is the IP address of the service and is usually assigned randomly."),
        TableColumn(name: "External-IP", description: "externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service."),
        TableColumn(name: "Port(s)", description: "The list of ports that are exposed by this service. More info: https://kubernetes.io/docs/concepts/services-networking/service/#virtual-ips-and-service-proxies"),
        age,
        TableColumn(name: "Selector", description: "Route service traffic to pods with label keys and values matching this selector.", priority: 1),
    ]

    static let serviceAccount: [TableColumn] = [
        name,
        TableColumn(name: "Secrets", description: "Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use."),
        age,
    ]

    static let event: [TableColumn] = [
        TableColumn(name: "Last Seen", description: "The time at which the most recent occurrence of this event was recorded."),
        TableColumn(name: "Type", description: "Type of this event (Normal, Warning), new types could be added in the future"),
        TableColumn(name: "Reason", description: "This should be a short, machine understandable string that gives the reason for the transition into the object's current status."),
        TableColumn(name: "Object", description: "The object that this event is about."),
        TableColumn(name: "Subobject", description: "If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement, such as desiredState.manifest.containers[2]. For example, if the object reference is to a container within a pod, this would take on a value like: \"spec.containers{name}\" (where \"name\" refers to the name of the container that triggered the event) or if no container name is specified \"spec.containers[2]\" (container with index 2 in this pod). This syntax is chosen only to have some well-defined way of referencing a part of an object.", priority: 1),
        TableColumn(name: "Source", description: "The component reporting this event. Should be a short machine understandable string.", priority: 1),
        TableColumn(name: "Message", description: "A human-readable description of the status of this operation."),
        TableColumn(name: "First Seen", description: "The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)", priority: 1),
        TableColumn(name: "Count", description: "The number of times this event has occurred.", priority: 1),
        TableColumn(name: "Name", format: "name", description: nameDescription, priority: 1),
    ]

    static let lease: [TableColumn] = [
        name,
        TableColumn(name: "Holder", description: "holderIdentity contains the identity of the holder of a current lease. If Coordinated Leader Election is used, the holder identity must be equal to the elected LeaseCandidate.metadata.name field."),
        age,
    ]

    static let customResourceDefinition: [TableColumn] = [
        name, TableColumn(name: "Created At", type: "date", description: creationTimestampDescription),
    ]
}
