import KubeAPI

/// The `Warning` headers a real server adds to a pod create (`pkg/api/pod/warnings.go`):
/// the checks that do not refuse the pod but point at a likely mistake.
enum PodWarnings {
    static func warnings(_ pod: JSONObject) -> [String] {
        let spec = pod["spec"]?.objectValue ?? JSONObject()
        var warnings: [String] = []
        let name = pod.meta("name")?.stringValue ?? ""
        let labelProblems = BuiltinValidation.nameMessages(name, plural: "services")
        if spec.string("hostname").isEmpty, !labelProblems.isEmpty {
            warnings.append(
                "metadata.name: this is used in the Pod's hostname, which can result in surprising behavior; a DNS label is recommended: [\(labelProblems.joined(separator: " "))]")
        }
        var seen: [String: String] = [:]
        for key in ["initContainers", "containers"] {
            for (i, container) in spec.objects(key).enumerated() {
                for (j, port) in container.objects("ports").enumerated() {
                    let here = "spec.\(key)[\(i)].ports[\(j)]"
                    let identity = [
                        port["containerPort"].map(JSON.string) ?? "", port.string("protocol"), port.string("hostIP"),
                        port["hostPort"].map(JSON.string) ?? "",
                    ].joined(separator: "/")
                    if let first = seen[identity] {
                        warnings.append("\(here): duplicate port definition with \(first)")
                    } else {
                        seen[identity] = here
                    }
                }
            }
        }
        return warnings
    }
}
