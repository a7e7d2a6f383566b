import Foundation
import KubeAPI

extension PodVolumes {
    /// A projected volume: its configMap, secret and downwardAPI sources as for their own
    /// volume kinds, and `serviceAccountToken` as the cluster's token at its `path` — the
    /// API server injects such a volume (`kube-api-access-<suffix>`) into every pod, and
    /// in-cluster clients read `token`, `ca.crt` and `namespace` from it. The volume's
    /// `defaultMode` applies to every file without a mode of its own.
    ///
    /// `kube-root-ca.crt`, the ConfigMap kube-controller-manager publishes in every
    /// namespace, is read when it exists; local clusters do not publish it, so without it
    /// its `ca.crt` item is the cluster CA itself (what the published one would hold).
    func project(_ projected: JSONObject, into target: URL) throws(ContainerConfigError) {
        let mode = projected["defaultMode"]?.numberValue?.int
        for source in projected["sources"]?.arrayValue ?? [] {
            if let s = source["configMap"]?.objectValue {
                if s["name"]?.stringValue == Self.rootCAConfigMap, let access = apiAccess,
                   (try? environment.snapshot.get(.configMaps, namespace: environment.pod.metadata.namespace, name: Self.rootCAConfigMap)) == nil {
                    rootCA(s, access: access, into: target, defaultMode: mode)
                } else {
                    try keys(.configMaps, s, nameField: "name", into: target, defaultMode: mode)
                }
            }
            if let s = source["secret"]?.objectValue { try keys(.secrets, s, nameField: "name", into: target, defaultMode: mode) }
            if let s = source["downwardAPI"]?.objectValue { downward(s, into: target, defaultMode: mode) }
            if let s = source["serviceAccountToken"]?.objectValue, let access = apiAccess {
                let path = s["path"]?.stringValue ?? "token"
                write(access.token, to: target.appendingPathComponent(path), mode: mode ?? 0o644)
            }
        }
    }

    /// The ConfigMap holding the cluster's root CA in every namespace.
    static let rootCAConfigMap = "kube-root-ca.crt"

    private func rootCA(_ source: JSONObject, access: APIAccess, into target: URL, defaultMode: Int?) {
        let items = source["items"]?.arrayValue ?? [["key": "ca.crt", "path": "ca.crt"]]
        for item in items where item["key"]?.stringValue == "ca.crt" {
            let path = item["path"]?.stringValue ?? "ca.crt"
            write(access.caPEM, to: target.appendingPathComponent(path), mode: item["mode"]?.numberValue?.int ?? defaultMode ?? 0o644)
        }
    }
}
