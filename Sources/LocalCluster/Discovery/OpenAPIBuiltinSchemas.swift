import KubeAPI

/// Reduced schemas of the built-in kinds. They are permissive (objects keep unknown
/// fields) but carry the real API's strategic-merge annotations on the list fields
/// `kubectl apply` patches: containers, initContainers, ephemeralContainers, volumes and
/// imagePullSecrets by name, env by name, volumeMounts by mountPath, ports by
/// containerPort (service ports by port), conditions by type. A list is either annotated
/// as in the real API or has no properties below it: kubectl then fails to find the
/// field and falls back to its compiled-in types, never to a wrong patch.
enum OpenAPIBuiltinSchemas {
    static func schema(for kind: String) -> JSONObject {
        var properties: JSONObject = [
            "apiVersion": OpenAPIKindSchemas.apiVersionProperty,
            "kind": OpenAPIKindSchemas.kindProperty,
            "metadata": OpenAPIKindSchemas.metadataProperty,
        ]
        for (key, value) in fields(of: kind) { properties[key] = value }
        return ["type": "object", "properties": .object(OpenAPIV3.sorted(properties)), "x-kubernetes-preserve-unknown-fields": true]
    }

    private static func fields(of kind: String) -> JSONObject {
        switch kind {
        case "Pod": ["spec": podSpec, "status": podStatus]
        case "ConfigMap": ["data": stringMap, "binaryData": stringMap, "immutable": boolean]
        case "Secret": ["data": stringMap, "stringData": stringMap, "type": string, "immutable": boolean]
        case "Namespace": ["spec": object(["finalizers": array(string)]), "status": object(["phase": string, "conditions": conditions])]
        case "Node": ["spec": nodeSpec, "status": nodeStatus]
        case "Service": ["spec": serviceSpec, "status": open]
        case "ServiceAccount":
            ["secrets": array(open, mergeKey: "name", strategy: "merge"), "imagePullSecrets": array(open), "automountServiceAccountToken": boolean]
        case "Lease":
            ["spec": object(["holderIdentity": string, "leaseDurationSeconds": integer, "acquireTime": string, "renewTime": string, "leaseTransitions": integer])]
        default: ["spec": open, "status": open]
        }
    }

    // MARK: - Building blocks

    static let string: JSONValue = ["type": "string"]
    static let integer: JSONValue = ["type": "integer"]
    static let boolean: JSONValue = ["type": "boolean"]
    static let open: JSONValue = ["type": "object", "x-kubernetes-preserve-unknown-fields": true]
    static let stringMap: JSONValue = ["type": "object", "additionalProperties": ["type": "string"]]
    static let quantityMap: JSONValue = ["type": "object", "additionalProperties": ["x-kubernetes-int-or-string": true]]

    static func object(_ properties: JSONObject) -> JSONValue {
        ["type": "object", "properties": .object(OpenAPIV3.sorted(properties)), "x-kubernetes-preserve-unknown-fields": true]
    }

    static func array(_ items: JSONValue, mergeKey: String? = nil, strategy: String? = nil) -> JSONValue {
        var schema: JSONObject = ["type": "array", "items": items]
        if let mergeKey { schema["x-kubernetes-patch-merge-key"] = .string(mergeKey) }
        if let strategy { schema["x-kubernetes-patch-strategy"] = .string(strategy) }
        return .object(schema)
    }

    static let conditions = array(open, mergeKey: "type", strategy: "merge")

    // MARK: - Pod

    static let container = object([
        "name": string, "image": string, "imagePullPolicy": string, "command": array(string), "args": array(string),
        "workingDir": string, "restartPolicy": string, "stdin": boolean, "tty": boolean,
        "terminationMessagePath": string, "terminationMessagePolicy": string,
        "ports": array(object(["containerPort": integer, "name": string, "protocol": string, "hostPort": integer, "hostIP": string]), mergeKey: "containerPort", strategy: "merge"),
        "env": array(object(["name": string, "value": string, "valueFrom": open]), mergeKey: "name", strategy: "merge"),
        "envFrom": array(open),
        "resources": object(["limits": quantityMap, "requests": quantityMap]),
        "volumeMounts": array(object(["name": string, "mountPath": string, "readOnly": boolean, "subPath": string]), mergeKey: "mountPath", strategy: "merge"),
        "volumeDevices": array(open, mergeKey: "devicePath", strategy: "merge"),
        "livenessProbe": open, "readinessProbe": open, "startupProbe": open, "lifecycle": open, "securityContext": open,
    ])

    static let podSpec = object([
        "containers": array(container, mergeKey: "name", strategy: "merge"),
        "initContainers": array(container, mergeKey: "name", strategy: "merge"),
        "ephemeralContainers": array(container, mergeKey: "name", strategy: "merge"),
        "volumes": array(object(["name": string]), mergeKey: "name", strategy: "merge,retainKeys"),
        "imagePullSecrets": array(object(["name": string]), mergeKey: "name", strategy: "merge"),
        "hostAliases": array(open, mergeKey: "ip", strategy: "merge"),
        "topologySpreadConstraints": array(open, mergeKey: "topologyKey", strategy: "merge"),
        "schedulingGates": array(open, mergeKey: "name", strategy: "merge"),
        "resourceClaims": array(open, mergeKey: "name", strategy: "merge,retainKeys"),
        "tolerations": array(open), "readinessGates": array(open),
        "nodeSelector": stringMap, "nodeName": string, "restartPolicy": string, "serviceAccountName": string,
        "serviceAccount": string, "terminationGracePeriodSeconds": integer, "activeDeadlineSeconds": integer,
        "dnsPolicy": string, "schedulerName": string, "priority": integer, "priorityClassName": string,
        "hostname": string, "subdomain": string, "enableServiceLinks": boolean, "preemptionPolicy": string,
        "automountServiceAccountToken": boolean, "affinity": open, "securityContext": open, "overhead": quantityMap,
    ])

    static let podStatus = object([
        "phase": string, "reason": string, "message": string, "hostIP": string, "podIP": string, "startTime": string,
        "nominatedNodeName": string, "qosClass": string, "conditions": conditions,
        "podIPs": array(object(["ip": string]), mergeKey: "ip", strategy: "merge"),
        "hostIPs": array(object(["ip": string]), mergeKey: "ip", strategy: "merge"),
        "containerStatuses": array(open), "initContainerStatuses": array(open), "ephemeralContainerStatuses": array(open),
    ])

    // MARK: - Node and Service

    static let nodeSpec = object([
        "podCIDR": string, "podCIDRs": array(string, strategy: "merge"), "providerID": string,
        "unschedulable": boolean, "taints": array(open),
    ])

    static let nodeStatus = object([
        "capacity": quantityMap, "allocatable": quantityMap, "phase": string, "conditions": conditions,
        "addresses": array(object(["type": string, "address": string]), mergeKey: "type", strategy: "merge"),
        "nodeInfo": open, "daemonEndpoints": open, "images": array(open),
    ])

    static let serviceSpec = object([
        "ports": array(object(["name": string, "port": integer, "protocol": string, "targetPort": ["x-kubernetes-int-or-string": true], "nodePort": integer]), mergeKey: "port", strategy: "merge"),
        "selector": stringMap, "type": string, "clusterIP": string, "clusterIPs": array(string),
        "externalIPs": array(string), "externalName": string, "sessionAffinity": string,
    ])
}
