import Foundation
import KubeAPI
import LocalCluster
import Testing

/// A list-map key the applied configuration leaves out takes its schema default, as
/// structured-merge-diff does: spark-submit applies its driver Service with ports that name no
/// `protocol`, the server stores `protocol: TCP`, and applying the same Service again must find
/// the same ports instead of adding three more (which a real server would refuse as duplicates).
@Suite struct ServerSideApplyKeyDefaultTests {
    static let service: JSONObject = [
        "apiVersion": "v1", "kind": "Service", "metadata": ["name": "drv-svc", "namespace": "default"],
        "spec": ["clusterIP": "None", "ports": [["name": "driver-rpc-port", "port": 7078, "targetPort": 7078],
                                               ["name": "blockmanager", "port": 7079, "targetPort": 7079]]],
    ]

    @Test func reapplyingPortsWithoutProtocolFindsTheDefaultedLivePorts() throws {
        let t0 = Date(timeIntervalSince1970: 1_700_000_000)
        var live = try ServerSideApply.apply(
            applied: Self.service, to: nil, manager: "slipway", force: true, now: t0, apiVersion: "v1",
            schema: .builtin(kind: "Service"))
        // What the server's defaulting adds after the first apply.
        let ports = try #require(live["spec"]?["ports"]?.arrayValue)
        live["spec"]?["ports"] = .array(ports.map { port in var port = port; port["protocol"] = "TCP"; return port })
        let fields = JSON.string(.array(live["metadata"]?["managedFields"]?.arrayValue ?? []))
        #expect(fields.contains(#"k:{\"port\":7078,\"protocol\":\"TCP\"}"#), "\(fields)")

        let again = try ServerSideApply.apply(
            applied: Self.service, to: live, manager: "slipway", force: true, now: t0, apiVersion: "v1",
            schema: .builtin(kind: "Service"))
        let after = try #require(again["spec"]?["ports"]?.arrayValue)
        #expect(after.count == 2, "ports after a second apply: \(after)")
        #expect(after.map { $0["protocol"] } == [.string("TCP"), .string("TCP")])
    }
}
