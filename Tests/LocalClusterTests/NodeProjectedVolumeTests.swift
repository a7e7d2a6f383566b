import Foundation
import KubeAPI
import Testing

@testable import LocalCluster

/// The projected service-account volume the API server injects (`kube-api-access-*`) is
/// written by the local kubelet as a real one is: token, ca.crt, namespace.
@Suite(.timeLimit(.minutes(1))) struct NodeProjectedVolumeTests {
    static let volume = #"""
        ,"volumes":[{"name":"kube-api-access-x7k2p","projected":{"defaultMode":420,"sources":[
          {"serviceAccountToken":{"expirationSeconds":3607,"path":"token"}},
          {"configMap":{"name":"kube-root-ca.crt","items":[{"key":"ca.crt","path":"ca.crt"}]}},
          {"downwardAPI":{"items":[{"path":"namespace","fieldRef":{"apiVersion":"v1","fieldPath":"metadata.namespace"}}]}}]}}]
        """#
    static let mount = #","volumeMounts":[{"name":"kube-api-access-x7k2p","mountPath":"/var/run/secrets/kubernetes.io/serviceaccount","readOnly":true}]"#
    static let script = #"d="$SLIPWAY_POD_ROOT/var/run/secrets/kubernetes.io/serviceaccount"; echo "token=$(cat $d/token) ns=$(cat $d/namespace)"; cat $d/ca.crt; stat -c %a $d/token"#

    @Test func tokenCAAndNamespaceAreWrittenWithTheCAFromTheClusterWithoutKubeRootCA() async throws {
        try await withLocalNodes { store, nodes in
            await nodes.configuration.apiAccess.set(APIAccess(host: "127.0.0.1", port: 6443, token: "tok-123", caPEM: "-----BEGIN CERTIFICATE-----\nCLUSTER\n"))
            try await createPod(store, shellPod("sa", Self.script, container: Self.mount, spec: Self.volume))
            let pod = try await waitForPod(store, "sa") { $0.status.phase?.isFinished == true }
            #expect(pod.status.phase == .succeeded)
            let log = try await nodes.logs(namespace: "demo", name: "sa")
            #expect(log == "token=tok-123 ns=demo\n-----BEGIN CERTIFICATE-----\nCLUSTER\n644\n", "\(log)")
        }
    }

    @Test func aPublishedKubeRootCAIsUsedAsItIs() async throws {
        try await withLocalNodes { store, nodes in
            await nodes.configuration.apiAccess.set(APIAccess(host: "127.0.0.1", port: 6443, token: "tok", caPEM: "CLUSTER"))
            try await create(store, .configMaps, obj(#"{"metadata":{"name":"kube-root-ca.crt","namespace":"demo"},"data":{"ca.crt":"PUBLISHED"}}"#))
            try await createPod(store, shellPod("sa2", Self.script, container: Self.mount, spec: Self.volume))
            _ = try await waitForPod(store, "sa2") { $0.status.phase?.isFinished == true }
            let log = try await nodes.logs(namespace: "demo", name: "sa2")
            #expect(log.contains("PUBLISHED") && !log.contains("CLUSTER"), "\(log)")
        }
    }
}
