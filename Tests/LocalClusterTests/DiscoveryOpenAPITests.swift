import Foundation
import KubeAPI
import Testing

@testable import LocalCluster

@Suite("OpenAPI v3 documents against the wire reference")
struct DiscoveryOpenAPITests {
    let registry = Reference.registry

    @Test func indexListsEveryGroupVersionWithItsDocumentHash() throws {
        let index = OpenAPIV3.index(registry)
        let paths = try #require(index["paths"]?.objectValue)
        #expect(Array(paths.keys) == [
            "api/v1", "apis/apiextensions.k8s.io/v1", "apis/coordination.k8s.io/v1", "apis/events.k8s.io/v1", "apis/reference.example.com/v1",
            "apis/scheduling.k8s.io/v1",
        ])
        let document = try #require(OpenAPIV3.document(registry, group: "reference.example.com", version: "v1"))
        let url = paths["apis/reference.example.com/v1"]?["serverRelativeURL"]?.stringValue
        #expect(url == "/openapi/v3/apis/reference.example.com/v1?hash=\(OpenAPIV3.hash(of: document))")
        #expect(OpenAPIV3.index(registry) == index, "stable")
        // Same shape as the real index entries.
        let reference = try #require(Reference.body("02-crd-apply-wait/002-GET-openapi_v3.json"))
        #expect(Reference.shapeDifferences(.object(paths)["api/v1"]!, reference["paths"]!["api/v1"]!) == [])
    }

    @Test func hashChangesWithTheRegistry() throws {
        let before = OpenAPIV3.index(registry)["paths"]?["apis/reference.example.com/v1"]
        var changed = registry
        var gadgets = Reference.gadgets
        gadgets.shortNames = ["gdx"]
        gadgets.schema = ["type": "object"]
        changed.setCustomResources([gadgets], forCRD: "gadgets.reference.example.com")
        #expect(OpenAPIV3.index(changed)["paths"]?["apis/reference.example.com/v1"] != before)
        #expect(OpenAPIV3.document(registry, group: "nope.example.com", version: "v1") == nil)
    }

    @Test func customResourceDocumentMatchesReference() throws {
        let reference = try #require(Reference.body("03-apply-gadget/012-GET-openapi_v3_apis_reference.example.com_v1.json"))
        let ours = try #require(OpenAPIV3.document(registry, group: "reference.example.com", version: "v1"))
        #expect(ours["openapi"] == reference["openapi"])
        #expect(ours["info"] == reference["info"])
        let refPaths = try #require(reference["paths"]?.objectValue)
        let ourPaths = try #require(ours["paths"]?.objectValue)
        #expect(Array(ourPaths.keys) == Array(refPaths.keys))
        for (path, item) in ourPaths {
            let refItem = try #require(refPaths[path])
            #expect(Array(item.objectValue!.keys) == Array(refItem.objectValue!.keys), "\(path)")
            for (method, op) in item.objectValue! where method != "parameters" {
                let refOp = try #require(refItem[method])
                for key in ["tags", "description", "operationId", "x-kubernetes-action", "x-kubernetes-group-version-kind"] {
                    #expect(op[key] == refOp[key], "\(method) \(path) \(key)")
                }
                #expect(names(op["parameters"]) == names(refOp["parameters"]), "\(method) \(path)")
                #expect(op["requestBody"] == refOp["requestBody"], "\(method) \(path)")
                #expect(Reference.shapeDifferences(op["responses"]!, refOp["responses"]!) == [], "\(method) \(path)")
            }
            #expect(names(item["parameters"]) == names(refItem["parameters"]), "\(path)")
        }
        let schemas = try #require(ours["components"]?["schemas"]?.objectValue)
        let refSchemas = try #require(reference["components"]?["schemas"]?.objectValue)
        #expect(Array(schemas.keys) == Array(refSchemas.keys))
        #expect(schemas["com.example.reference.v1.Gadget"] == refSchemas["com.example.reference.v1.Gadget"])
        #expect(schemas["com.example.reference.v1.GadgetList"] == refSchemas["com.example.reference.v1.GadgetList"])
        let meta = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
        #expect(Reference.shapeDifferences(schemas[meta]!, refSchemas[meta]!, ignoring: ["description"]) == [])
    }

    private func names(_ parameters: JSONValue?) -> [String] {
        (parameters?.arrayValue ?? []).compactMap { $0["name"]?.stringValue }
    }

    /// kubectl's check (`gvkSupportsPatchOpenAPIV3` / field validation): a PATCH with the
    /// kind's GVK and a `fieldValidation` parameter; built-ins also offer strategic merge.
    @Test(arguments: [("", "v1", "ConfigMap"), ("", "v1", "Pod"), ("", "v1", "Namespace"), ("coordination.k8s.io", "v1", "Lease"),
                      ("apiextensions.k8s.io", "v1", "CustomResourceDefinition"), ("reference.example.com", "v1", "Gadget")])
    func patchOperationsCarryGVKAndFieldValidation(group: String, version: String, kind: String) throws {
        let document = try #require(OpenAPIV3.document(registry, group: group, version: version))
        let patches = document["paths"]!.objectValue!.compactMap { $0.value["patch"] }
            .filter { $0["x-kubernetes-group-version-kind"] == ["group": .string(group), "version": .string(version), "kind": .string(kind)] }
        #expect(!patches.isEmpty)
        for patch in patches {
            #expect(patch["parameters"]?.arrayValue?.contains { $0["name"] == "fieldValidation" } == true)
            let types = patch["requestBody"]?["content"]?.objectValue?.keys.map { $0 } ?? []
            #expect(types.contains("application/strategic-merge-patch+json") == (group != "reference.example.com"))
        }
        let custom = group == "reference.example.com"
        let schemaName = OpenAPIV3.schemaName(group: group, version: version, kind: kind, custom: custom)
        let schema = try #require(document["components"]?["schemas"]?[schemaName])
        #expect(schema["x-kubernetes-group-version-kind"] == [["group": .string(group), "kind": .string(kind), "version": .string(version)]])
    }

    @Test(arguments: [
        (["spec", "containers"], "name", "merge"), (["spec", "initContainers"], "name", "merge"),
        (["spec", "volumes"], "name", "merge,retainKeys"), (["spec", "imagePullSecrets"], "name", "merge"),
        (["spec", "containers", "env"], "name", "merge"), (["spec", "containers", "volumeMounts"], "mountPath", "merge"),
        (["spec", "containers", "ports"], "containerPort", "merge"), (["status", "conditions"], "type", "merge"),
    ])
    func podListsCarryStrategicMergeAnnotations(path: [String], key: String, strategy: String) throws {
        let document = try #require(OpenAPIV3.document(registry, group: "", version: "v1"))
        var schema = try #require(document["components"]?["schemas"]?["io.k8s.api.core.v1.Pod"])
        for (i, field) in path.enumerated() {
            schema = try #require(schema["properties"]?[field], "\(field)")
            if i < path.count - 1, let items = schema["items"] { schema = items }
        }
        #expect(schema["x-kubernetes-patch-merge-key"]?.stringValue == key)
        #expect(schema["x-kubernetes-patch-strategy"]?.stringValue == strategy)
    }

    @Test func objectMetaAnnotatesOwnerReferencesAndFinalizers() throws {
        let document = try #require(OpenAPIV3.document(registry, group: "", version: "v1"))
        let meta = try #require(document["components"]?["schemas"]?["io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"]?["properties"])
        #expect(meta["ownerReferences"]?["x-kubernetes-patch-merge-key"] == "uid")
        #expect(meta["ownerReferences"]?["x-kubernetes-patch-strategy"] == "merge")
        #expect(meta["finalizers"]?["x-kubernetes-patch-strategy"] == "merge")
        #expect(document["info"]?["title"] == "Kubernetes")
        #expect(document["paths"]?["/api/v1/namespaces/{namespace}/pods/{name}/log"]?["get"] != nil)
    }
}
