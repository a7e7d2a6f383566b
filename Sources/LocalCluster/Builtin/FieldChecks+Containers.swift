import Foundation
import KubeAPI

extension FieldChecks {
    /// One container (`validateContainerCommon` and friends). `names` collects the names
    /// of the containers validated so far: the pod's containers, then its init containers.
    mutating func container(_ c: JSONObject, at path: FieldPath, volumes: Set<String>, names: inout Set<String>, hostNetwork: Bool) {
        let name = c.string("name")
        if name.isEmpty {
            add(.required, path.child("name"))
        } else {
            invalid(path.child("name"), .string(name), NameValidation.dns1123Label(name))
            if names.contains(name) { add(.duplicate, path.child("name"), .string(name)) }
            names.insert(name)
        }
        let image = c.string("image")
        if image.isEmpty {
            add(.required, path.child("image"))
        } else if image.trimmingCharacters(in: .whitespaces) != image {
            add(.invalid, path.child("image"), .string(image), "must not have leading or trailing whitespace")
        }
        notSupported(path.child("imagePullPolicy"), c.string("imagePullPolicy"), ["Always", "IfNotPresent", "Never"])
        notSupported(path.child("terminationMessagePolicy"), c.string("terminationMessagePolicy"), ["File", "FallbackToLogsOnError"])
        ports(c.objects("ports"), at: path.child("ports"), hostNetwork: hostNetwork)
        for (i, env) in c.objects("env").enumerated() { self.env(env, at: path.child("env").index(i)) }
        volumeMounts(c.objects("volumeMounts"), at: path.child("volumeMounts"), volumes: volumes)
        for probe in ["livenessProbe", "readinessProbe", "startupProbe"] {
            guard let p = c[probe]?.objectValue else { continue }
            self.probe(p, at: path.child(probe), liveness: probe != "readinessProbe")
        }
        if let lifecycle = c["lifecycle"]?.objectValue {
            for hook in ["postStart", "preStop"] {
                guard let handler = lifecycle[hook]?.objectValue else { continue }
                handlers(handler, at: path.child("lifecycle").child(hook), kinds: ["exec", "httpGet", "tcpSocket", "sleep"])
            }
        }
        resources(c["resources"]?.objectValue ?? JSONObject(), at: path.child("resources"))
        if let context = c["securityContext"]?.objectValue { securityContext(context, at: path.child("securityContext")) }
    }

    mutating func ports(_ ports: [JSONObject], at path: FieldPath, hostNetwork: Bool) {
        var names = Set<String>()
        for (i, port) in ports.enumerated() {
            let p = path.index(i)
            let name = port.string("name")
            if !name.isEmpty {
                invalid(p.child("name"), .string(name), ValidationRules.portName(name))
                if names.contains(name) { add(.duplicate, p.child("name"), .string(name)) }
                names.insert(name)
            }
            let containerPort = port["containerPort"]?.numberValue?.int64 ?? 0
            if containerPort == 0 {
                add(.required, p.child("containerPort"))
            } else {
                invalid(p.child("containerPort"), .number(JSONNumber(containerPort)), ValidationRules.portNumber(containerPort))
            }
            if let hostPort = port["hostPort"]?.numberValue?.int64, hostPort != 0 {
                invalid(p.child("hostPort"), .number(JSONNumber(hostPort)), ValidationRules.portNumber(hostPort))
                if hostNetwork, hostPort != containerPort {
                    add(.invalid, p.child("hostPort"), .number(JSONNumber(hostPort)), "must match `containerPort` when `hostNetwork` is true")
                }
            }
            notSupported(p.child("protocol"), port.string("protocol"), ["SCTP", "TCP", "UDP"])
        }
    }

    mutating func env(_ env: JSONObject, at path: FieldPath) {
        let name = env.string("name")
        if name.isEmpty {
            add(.required, path.child("name"))
        } else {
            invalid(path.child("name"), .string(name), ValidationRules.environmentVariableName(name))
        }
        guard let from = env["valueFrom"]?.objectValue else { return }
        let from_ = path.child("valueFrom")
        let sources = ["fieldRef", "resourceFieldRef", "configMapKeyRef", "secretKeyRef", "fileKeyRef"].filter { from[$0] != nil }
        if sources.isEmpty {
            add(.invalid, from_, .string(""), "must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`")
        } else if sources.count > 1 {
            add(.invalid, from_, .string(""), "may not have more than one field specified at a time")
        }
        if !env.string("value").isEmpty {
            add(.invalid, from_, .string(""), "may not be specified when `value` is not empty")
        }
        if let fieldRef = from["fieldRef"]?.objectValue { self.fieldRef(fieldRef, at: from_.child("fieldRef"), allowed: Self.envFieldPaths) }
        for key in ["configMapKeyRef", "secretKeyRef"] {
            guard let ref = from[key]?.objectValue else { continue }
            let refPath = from_.child(key)
            if ref.string("name").isEmpty, key == "secretKeyRef" { add(.required, refPath.child("name")) }
            let k = ref.string("key")
            if k.isEmpty { add(.required, refPath.child("key")) } else { invalid(refPath.child("key"), .string(k), ValidationRules.configMapKey(k)) }
        }
    }

    /// Field paths an env var may take from the pod (`validEnvDownwardAPIFieldPathExpressions`).
    static let envFieldPaths = [
        "metadata.name", "metadata.namespace", "metadata.uid", "spec.nodeName", "spec.serviceAccountName", "status.hostIP",
        "status.hostIPs", "status.podIP", "status.podIPs",
    ]
    /// Field paths a downward API volume may project.
    static let volumeFieldPaths = ["metadata.annotations", "metadata.labels", "metadata.name", "metadata.namespace", "metadata.uid"]

    /// `validateObjectFieldSelector`: a field path the pod's conversion knows, and that is
    /// allowed where it is used.
    mutating func fieldRef(_ ref: JSONObject, at path: FieldPath, allowed: [String]) {
        let fieldPath = ref.string("fieldPath")
        if ref.string("apiVersion").isEmpty { add(.required, path.child("apiVersion")) }
        guard !fieldPath.isEmpty else {
            add(.required, path.child("fieldPath"))
            return
        }
        let known = Self.envFieldPaths + Self.volumeFieldPaths + ["spec.schedulerName", "status.phase", "spec.restartPolicy"]
        let subscripted = fieldPath.hasPrefix("metadata.labels['") || fieldPath.hasPrefix("metadata.annotations['")
        guard known.contains(fieldPath) || subscripted else {
            add(.invalid, path.child("fieldPath"), .string(fieldPath), "error converting fieldPath: field label not supported: \(fieldPath)")
            return
        }
        if !subscripted, !allowed.contains(fieldPath) {
            notSupported(path.child("fieldPath"), fieldPath, allowed)
        }
    }

    mutating func volumeMounts(_ mounts: [JSONObject], at path: FieldPath, volumes: Set<String>) {
        var paths = Set<String>()
        for (i, mount) in mounts.enumerated() {
            let p = path.index(i)
            let name = mount.string("name")
            if name.isEmpty {
                add(.required, p.child("name"))
            } else if !volumes.contains(name) {
                add(.notFound, p.child("name"), .string(name))
            }
            let mountPath = mount.string("mountPath")
            if mountPath.isEmpty {
                add(.required, p.child("mountPath"))
            } else if paths.contains(mountPath) {
                add(.invalid, p.child("mountPath"), .string(mountPath), "must be unique")
            }
            paths.insert(mountPath)
            let subPath = mount.string("subPath")
            if !subPath.isEmpty {
                if subPath.hasPrefix("/") { add(.invalid, p.child("subPath"), .string(subPath), "must be a relative path") }
                invalid(p.child("subPath"), .string(subPath), ValidationRules.pathBacksteps(subPath))
            }
        }
    }

    mutating func probe(_ probe: JSONObject, at path: FieldPath, liveness: Bool) {
        handlers(probe, at: path, kinds: ["exec", "httpGet", "tcpSocket", "grpc"])
        for field in ["initialDelaySeconds", "timeoutSeconds", "periodSeconds", "successThreshold", "failureThreshold"] {
            guard let value = probe[field]?.numberValue?.int64, value < 0 else { continue }
            add(.invalid, path.child(field), .number(JSONNumber(value)), "must be greater than or equal to 0")
        }
        if liveness, let success = probe["successThreshold"]?.numberValue?.int64, success != 1 {
            add(.invalid, path.child("successThreshold"), .number(JSONNumber(success)), "must be 1")
        }
    }

    /// Exactly one handler: none is `Required`, a second one `Forbidden` on its field.
    mutating func handlers(_ holder: JSONObject, at path: FieldPath, kinds: [String]) {
        var found = false
        for kind in kinds where holder[kind] != nil {
            if found {
                add(.forbidden, path.child(kind), nil, "may not specify more than 1 handler type")
                continue
            }
            found = true
            let handler = holder[kind]?.objectValue ?? JSONObject()
            if kind == "httpGet" || kind == "tcpSocket" { port(handler["port"], at: path.child(kind).child("port")) }
            if kind == "httpGet" {
                notSupported(path.child(kind).child("scheme"), handler.string("scheme"), ["HTTP", "HTTPS"], required: false)
            }
        }
        if !found { add(.required, path, nil, "must specify a handler type") }
    }

    /// A port given as a number or an IANA name.
    mutating func port(_ value: JSONValue?, at path: FieldPath) {
        switch value {
        case .number(let n)?: invalid(path, .number(n), ValidationRules.portNumber(n.int64 ?? 0))
        case .string(let s)? where !s.isEmpty: invalid(path, .string(s), ValidationRules.portName(s))
        default: add(.required, path)
        }
    }
}
