import Foundation
import KubeAPI
import Testing

@testable import LocalCluster

@Suite("Built-in kind Tables against the wire reference")
struct TableBuiltinTests {
    static func date(_ text: String) -> Date { RFC3339.parse(text)! }

    @Test func podTableEqualsReference() throws {
        let reference = try #require(Reference.body("11-run-pod/014-GET-api_v1_namespaces_demo_pods_p1.json"))
        let pod = try #require(Reference.body("11-run-pod/004-GET-api_v1_namespaces_demo_pods_p1.json")?.objectValue)
        let ours = TableRenderer.table(
            for: BuiltinResources.pods, objects: [pod], listMeta: reference["metadata"]!.objectValue!, now: Self.date("2026-11-22T10:43:31Z"))
        #expect(ours["columnDefinitions"] == reference["columnDefinitions"])
        #expect(ours["rows"]?.element(0)?["cells"] == reference["rows"]?.element(0)?["cells"])
        #expect(ours["rows"]?.element(0)?["conditions"] == reference["rows"]?.element(0)?["conditions"])
        #expect(Reference.shapeDifferences(ours, reference) == [])
    }

    @Test func eventTableEqualsReference() throws {
        let reference = try #require(Reference.body("10-describe-events/010-GET-api_v1_namespaces_demo_events.json"))
        let list = try #require(Reference.body("10-describe-events/008-GET-api_v1_namespaces_demo_events.json"))
        let events = (list["items"]?.arrayValue ?? []).compactMap(\.objectValue)
        let ours = TableRenderer.table(
            for: BuiltinResources.events, objects: events, listMeta: reference["metadata"]!.objectValue!, now: Self.date("2026-11-22T10:43:14Z"))
        #expect(ours["columnDefinitions"] == reference["columnDefinitions"])
        #expect(ours["rows"]?.arrayValue?.map { $0["cells"] } == reference["rows"]?.arrayValue?.map { $0["cells"] })
    }

    @Test func nodeTableEqualsReference() throws {
        let reference = try #require(Reference.body("11-run-pod/020-GET-api_v1_nodes.json"))
        let nodes: [JSONObject] = (reference["rows"]?.arrayValue ?? []).map { row in
            let cells = row["cells"]!
            return [
                "metadata": row["object"]!["metadata"]!,
                "status": [
                    "conditions": [["type": "MemoryPressure", "status": "False"], ["type": "Ready", "status": "True"]],
                    "addresses": [["type": "InternalIP", "address": cells.element(5)!], ["type": "Hostname", "address": cells.element(0)!]],
                    "nodeInfo": ["kubeletVersion": cells.element(4)!, "osImage": cells.element(7)!, "kernelVersion": cells.element(8)!, "containerRuntimeVersion": cells.element(9)!],
                ],
            ]
        }
        let ours = TableRenderer.table(
            for: BuiltinResources.nodes, objects: nodes, listMeta: reference["metadata"]!.objectValue!, now: Self.date("2026-11-22T10:43:32Z"))
        #expect(ours == reference)
        let empty = try #require(Reference.body("01-version-discovery/007-GET-api_v1_nodes.json"))
        #expect(TableRenderer.table(for: BuiltinResources.nodes, objects: [], listMeta: empty["metadata"]!.objectValue!, now: t0) == empty)
    }

    @Test(arguments: [
        ("12-delete-gc/015-GET-api_v1_namespaces_demo_configmaps.json", "2026-11-22T10:44:57Z"),
        ("05-get-output/024-GET-api_v1_namespaces_demo.json", "2026-11-22T10:42:54Z"),
    ])
    func configMapAndNamespaceTablesEqualReference(file: String, now: String) throws {
        let reference = try #require(Reference.body(file))
        let namespaces = file.hasSuffix("demo.json")
        let objects: [JSONObject] = (reference["rows"]?.arrayValue ?? []).map { row in
            var object: JSONObject = ["metadata": row["object"]!["metadata"]!]
            if namespaces {
                object["status"] = ["phase": row["cells"]!.element(1)!]
            } else {
                let count = row["cells"]!.element(1)!.numberValue!.int!
                object["data"] = .object(JSONObject(.init(uniqueKeysWithValues: (0..<count).map { ("k\($0)", JSONValue.string("v")) })))
            }
            return object
        }
        let served = namespaces ? BuiltinResources.namespaces : BuiltinResources.configMaps
        let ours = TableRenderer.table(for: served, objects: objects, listMeta: reference["metadata"]!.objectValue!, now: Self.date(now))
        #expect(ours == reference)
    }

    @Test func otherBuiltinRows() {
        let now = Self.date("2026-11-22T12:00:00Z")
        let created = "2026-11-22T11:00:00Z"
        let cases: [(ServedResource, String, [JSONValue])] = [
            (BuiltinResources.secrets, #"{"metadata":{"name":"s","creationTimestamp":"\#(created)"},"type":"Opaque","data":{"a":"eA==","b":"eQ=="}}"#, ["s", "Opaque", 2, "60m"]),
            (BuiltinResources.serviceAccounts, #"{"metadata":{"name":"default","creationTimestamp":"\#(created)"}}"#, ["default", 0, "60m"]),
            (BuiltinResources.leases, #"{"metadata":{"name":"l","creationTimestamp":"\#(created)"},"spec":{"holderIdentity":"me"}}"#, ["l", "me", "60m"]),
            (BuiltinResources.services, #"{"metadata":{"name":"web","creationTimestamp":"\#(created)"},"spec":{"type":"NodePort","clusterIP":"10.0.0.5","clusterIPs":["10.0.0.5"],"ports":[{"port":80,"protocol":"TCP","nodePort":30080},{"port":53,"protocol":"UDP"}],"selector":{"b":"2","a":"1"}}}"#,
             ["web", "NodePort", "10.0.0.5", "<none>", "80:30080/TCP,53/UDP", "60m", "a=1,b=2"]),
            (BuiltinResources.services, #"{"metadata":{"name":"lb","creationTimestamp":"\#(created)"},"spec":{"type":"LoadBalancer","clusterIP":"10.0.0.6"}}"#,
             ["lb", "LoadBalancer", "10.0.0.6", "<pending>", "<none>", "60m", "<none>"]),
            (BuiltinResources.customResourceDefinitions, #"{"metadata":{"name":"gadgets.reference.example.com","creationTimestamp":"\#(created)"}}"#, ["gadgets.reference.example.com", .string(created)]),
            (BuiltinResources.nodes, #"{"metadata":{"name":"n","creationTimestamp":"\#(created)","labels":{"node-role.kubernetes.io/control-plane":"","kubernetes.io/role":"worker"}},"spec":{"unschedulable":true},"status":{"conditions":[{"type":"Ready","status":"False"}]}}"#,
             ["n", "NotReady,SchedulingDisabled", "control-plane,worker", "60m", "", "<none>", "<none>", "<unknown>", "<unknown>", "<unknown>"]),
        ]
        for (served, json, cells) in cases {
            let row = TableRenderer.row(for: served, object: obj(json), now: now)
            #expect(row["cells"] == .array(cells), "\(served.plural)")
            #expect(TableRenderer.columns(for: served).count == cells.count, "\(served.plural)")
        }
    }
}
