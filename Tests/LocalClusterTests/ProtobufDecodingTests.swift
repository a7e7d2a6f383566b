import Foundation
import KubeAPI
import Testing

@testable import LocalCluster

@Suite struct ProtobufRecordedTests {
    /// `kubectl create configmap pb1|pb2|pb3 --from-literal=a=b` (17-protobuf 002, 004, 006).
    @Test(arguments: [("002", "pb1"), ("004", "pb2"), ("006", "pb3")])
    func kubectlCreateConfigMapBody(file: String, name: String) throws {
        let record = try recordedExchange("17-protobuf/\(file)-POST-api_v1_namespaces_demo_configmaps.json")
        #expect(record["request"]?["headers"]?["Content-Type"]?.stringValue == KubernetesProtobuf.mediaType)
        let body = try recordedProtobufBody(record["request"]?["body"])
        let decoded = try KubernetesProtobuf.decodeObject(body, as: .configMaps)
        #expect(decoded == obj(#"{"kind":"ConfigMap","apiVersion":"v1","metadata":{"name":"\#(name)"},"data":{"a":"b"}}"#))
        #expect(Array(decoded.keys) == ["kind", "apiVersion", "metadata", "data"])
    }

    /// The owner ConfigMap of 12-delete-gc, created with `kubectl create configmap owner --from-literal=k=v`.
    @Test func ownerConfigMapBodyFromDeleteGC() throws {
        let record = try recordedExchange("12-delete-gc/010-POST-api_v1_namespaces_demo_configmaps.json")
        let body = try recordedProtobufBody(record["request"]?["body"])
        let decoded = try KubernetesProtobuf.decodeObject(body)
        #expect(decoded == obj(#"{"kind":"ConfigMap","apiVersion":"v1","metadata":{"name":"owner"},"data":{"k":"v"}}"#))
    }

    /// The server's protobuf answer to pb1 (full ObjectMeta with uid, resourceVersion,
    /// creationTimestamp and managedFields) decodes to the JSON the server gave for pb3,
    /// apart from the name, uid and resourceVersion.
    @Test func serverProtobufAnswerMatchesItsJSONForm() throws {
        let pb1 = try recordedExchange("17-protobuf/002-POST-api_v1_namespaces_demo_configmaps.json")
        let decoded = try KubernetesProtobuf.decodeObject(recordedProtobufBody(pb1["response"]?["body"]))
        let pb3 = try recordedExchange("17-protobuf/006-POST-api_v1_namespaces_demo_configmaps.json")
        var expected = try #require(pb3["response"]?["body"]?.objectValue)
        expected.setMeta("name", "pb1")
        expected.setMeta("uid", "da67851b-1011-40ca-8ce2-decf3833bf19")
        expected.setMeta("resourceVersion", "15619")
        #expect(decoded == expected)
        #expect(JSON.string(.object(decoded)) == JSON.string(.object(expected)))
    }

    /// No other reference folder recorded a protobuf request body (namespaces and secrets
    /// are covered by the hand-built tests below).
    @Test func onlyConfigMapCreatesAreRecordedAsProtobufRequests() throws {
        let folders = try FileManager.default.contentsOfDirectory(atPath: kubeAPIReference.path).filter { $0.first?.isNumber == true }
        var kinds: Set<String> = []
        for folder in folders {
            for file in try FileManager.default.contentsOfDirectory(atPath: kubeAPIReference.appendingPathComponent(folder).path)
            where file.hasSuffix(".json") && file.contains("-POST-") {
                let record = try recordedExchange("\(folder)/\(file)")
                guard record["request"]?["body"]?["_binary"]?.boolValue == true else { continue }
                let decoded = try KubernetesProtobuf.decodeObject(recordedProtobufBody(record["request"]?["body"]))
                kinds.insert(decoded["kind"]?.stringValue ?? "")
            }
        }
        #expect(kinds == ["ConfigMap"])
    }
}

@Suite struct ProtobufHandBuiltTests {
    @Test func secretWithEveryField() throws {
        let body = ProtobufTestWriter.envelope(apiVersion: "v1", kind: "Secret") { secret in
            secret.message(1) { meta in
                meta.string(1, "s1")
                meta.string(2, "")
                meta.string(3, "demo")
                meta.int(7, 0)
                meta.message(8) { _ in }
                meta.mapEntry(11, "app", Array("web".utf8))
                meta.mapEntry(11, "tier", Array("db".utf8))
                meta.mapEntry(12, "note", Array("x".utf8))
                meta.message(13) { owner in
                    owner.string(1, "ConfigMap")
                    owner.string(3, "owner")
                    owner.string(4, "u-1")
                    owner.string(5, "v1")
                    owner.int(6, 1)
                }
                meta.string(14, "example.com/keep")
            }
            secret.mapEntry(2, "bin", [0, 1, 2, 255])
            secret.string(3, "Opaque")
            secret.mapEntry(4, "user", Array("admin".utf8))
            secret.int(5, 1)
            secret.int(99, 7)  // unknown varint
            secret.tag(98, 5); secret.bytes += [1, 2, 3, 4]  // unknown fixed32
            secret.tag(97, 1); secret.bytes += [1, 2, 3, 4, 5, 6, 7, 8]  // unknown fixed64
            secret.string(96, "unknown")
        }
        let decoded = try KubernetesProtobuf.decodeObject(body, as: .secrets)
        #expect(decoded == obj(#"""
            {"kind":"Secret","apiVersion":"v1",
             "metadata":{"name":"s1","namespace":"demo","labels":{"app":"web","tier":"db"},"annotations":{"note":"x"},
               "ownerReferences":[{"apiVersion":"v1","kind":"ConfigMap","name":"owner","uid":"u-1","controller":true}],
               "finalizers":["example.com/keep"]},
             "immutable":true,"data":{"bin":"AAEC/w=="},"stringData":{"user":"admin"},"type":"Opaque"}
            """#))
        #expect(Array(decoded.keys) == ["kind", "apiVersion", "metadata", "immutable", "data", "stringData", "type"])
    }

    /// What `kubectl create namespace ns1` sends: metadata with empty fields, empty spec and status.
    @Test func namespaceAsKubectlSendsIt() throws {
        let body = ProtobufTestWriter.envelope(apiVersion: "v1", kind: "Namespace") { ns in
            ns.message(1) { meta in
                meta.string(1, "ns1")
                for field in [2, 3, 4, 5, 6] { meta.string(field, "") }
                meta.int(7, 0)
                meta.message(8) { _ in }
            }
            ns.message(2) { _ in }
            ns.message(3) { _ in }
        }
        let decoded = try KubernetesProtobuf.decodeObject(body, as: .namespaces)
        #expect(decoded == obj(#"{"kind":"Namespace","apiVersion":"v1","metadata":{"name":"ns1"},"spec":{},"status":{}}"#))
    }

    @Test func namespaceWithSpecStatusAndTimestamps() throws {
        let body = ProtobufTestWriter.envelope(apiVersion: "v1", kind: "Namespace") { ns in
            ns.message(1) { meta in
                meta.string(1, "ns2")
                meta.string(5, "0b7c4b5e-0000-4000-8000-000000000001")
                meta.string(6, "42")
                meta.int(7, 3)
                meta.message(8) { $0.int(1, 1_790_000_000) }
                meta.message(9) { $0.int(1, 1_790_000_060); $0.int(2, 500) }
                meta.int(10, 0)
                meta.message(17) { entry in
                    entry.string(1, "kubectl-create")
                    entry.string(2, "Update")
                    entry.message(7) { $0.string(1, #"{"f:spec":{}}"#) }
                    entry.string(8, "status")
                }
            }
            ns.message(2) { $0.string(1, "kubernetes") }
            ns.message(3) { status in
                status.string(1, "Terminating")
                status.message(2) { condition in
                    condition.string(1, "NamespaceDeletionContentFailure")
                    condition.string(2, "False")
                    condition.message(4) { $0.int(1, 1_790_000_000) }
                    condition.string(5, "ContentDeleted")
                    condition.string(6, "All content successfully deleted")
                }
            }
        }
        let decoded = try KubernetesProtobuf.decodeObject(body)
        #expect(decoded == obj(#"""
            {"kind":"Namespace","apiVersion":"v1",
             "metadata":{"name":"ns2","uid":"0b7c4b5e-0000-4000-8000-000000000001","resourceVersion":"42","generation":3,
               "creationTimestamp":"2026-09-21T14:13:20Z","deletionTimestamp":"2026-09-21T14:14:20Z","deletionGracePeriodSeconds":0,
               "managedFields":[{"manager":"kubectl-create","operation":"Update","fieldsV1":{"f:spec":{}},"subresource":"status"}]},
             "spec":{"finalizers":["kubernetes"]},
             "status":{"phase":"Terminating","conditions":[{"type":"NamespaceDeletionContentFailure","status":"False",
               "lastTransitionTime":"2026-09-21T14:13:20Z","reason":"ContentDeleted","message":"All content successfully deleted"}]}}
            """#))
    }

    @Test func configMapBinaryDataAndImmutable() throws {
        let body = ProtobufTestWriter.envelope(apiVersion: "v1", kind: "ConfigMap") { cm in
            cm.message(1) { $0.string(1, "cm") }
            cm.mapEntry(3, "blob", Array("hello".utf8))
            cm.int(4, 0)
        }
        let decoded = try KubernetesProtobuf.decodeObject(body)
        #expect(decoded == obj(#"{"kind":"ConfigMap","apiVersion":"v1","metadata":{"name":"cm"},"immutable":false,"binaryData":{"blob":"aGVsbG8="}}"#))
    }

    /// The DeleteOptions client-go sends with DELETE (Helm's Secret driver on uninstall).
    @Test func deleteOptionsAsTypedClientsSendThem() throws {
        let body = ProtobufTestWriter.envelope(apiVersion: "v1", kind: "DeleteOptions") { options in
            options.int(1, 30)
            options.message(2) { $0.string(1, "uid-1"); $0.string(2, "17") }
            options.string(4, "Background")
            options.string(5, "All")
        }
        let decoded = try KubernetesProtobuf.decodeObject(body)
        #expect(decoded == obj(#"""
            {"kind":"DeleteOptions","apiVersion":"v1","gracePeriodSeconds":30,"preconditions":{"uid":"uid-1","resourceVersion":"17"},
             "propagationPolicy":"Background","dryRun":["All"]}
            """#))
        let empty = ProtobufTestWriter.envelope(apiVersion: "v1", kind: "DeleteOptions") { _ in }
        #expect(try KubernetesProtobuf.decodeObject(empty) == obj(#"{"kind":"DeleteOptions","apiVersion":"v1"}"#))
    }
}
