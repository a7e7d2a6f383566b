import KubeAPI
import Testing

@testable import LocalCluster

@Suite struct SchemaCRDTests {
    @Test func parsesReferenceCRD() throws {
        let crd = CRDDefinition(gadgetCRD)
        #expect(crd.validate().isEmpty)
        let served = crd.servedResources
        try #require(served.count == 1)
        let r = served[0]
        #expect(r.group == "reference.example.com" && r.version == "v1" && r.kind == "Gadget" && r.plural == "gadgets")
        #expect(r.singular == "gadget" && r.shortNames == ["gd"] && r.categories == ["reference"])
        #expect(r.type.namespaced && r.type.hasStatusSubresource && r.type.isCustom && r.type.tracksGeneration)
        #expect(r.subresources == ["status"])
        #expect(r.crdName == "gadgets.reference.example.com")
        #expect(r.schema == gadgetSchema)
        #expect(r.printerColumns == [
            PrinterColumn(name: "Size", type: "integer", description: "Requested size", jsonPath: ".spec.size"),
            PrinterColumn(name: "Phase", type: "string", description: "Observed phase (shown only with -o wide)", priority: 1, jsonPath: ".status.phase"),
        ])
    }

    /// 02-crd-apply-wait/005 (create answer) and 007 (established).
    @Test func statusMatchesRecording() {
        let crd = CRDDefinition(gadgetCRD)
        #expect(crd.initialStatus == parse(#"{"conditions":null,"acceptedNames":{"plural":"","kind":""},"storedVersions":["v1"]}"#))
        let expected = parse(#"""
        {"conditions":[
          {"type":"NamesAccepted","status":"True","lastTransitionTime":"2026-11-22T10:42:46Z","reason":"NoConflicts","message":"no conflicts found"},
          {"type":"Established","status":"True","lastTransitionTime":"2026-11-22T10:42:46Z","reason":"InitialNamesAccepted","message":"the initial names have been accepted"}],
         "acceptedNames":{"plural":"gadgets","singular":"gadget","shortNames":["gd"],"kind":"Gadget","listKind":"GadgetList","categories":["reference"]},
         "storedVersions":["v1"]}
        """#)
        #expect(crd.establishedStatus(transitionTime: "2026-11-22T10:42:46Z") == expected)
        #expect(JSON.string(crd.establishedStatus(transitionTime: "2026-11-22T10:42:46Z")) == JSON.string(expected))
    }

    @Test func defaultsSpec() {
        let crd = crdWithSchema(#"{"type":"object"}"#)
        let defaulted = CRDDefinition.applyingDefaults(to: crd)
        #expect(defaulted[path: ["spec", "names", "singular"]] == "widget")
        #expect(defaulted[path: ["spec", "names", "listKind"]] == "WidgetList")
        #expect(defaulted[path: ["spec", "conversion"]] == parse(#"{"strategy":"None"}"#))
    }

    /// (schema, expected `field: message` lines) for refused schemas.
    static let schemaCases: [(String, [String])] = [
        (#"{"type":"object","properties":{"spec":{"properties":{"a":{"type":"string"}}}}}"#,
         ["spec.validation.openAPIV3Schema.properties[spec].type: Required value: must not be empty for specified object fields"]),
        (#"{"properties":{"spec":{"type":"object"}}}"#,
         ["spec.validation.openAPIV3Schema.type: Required value: must not be empty at the root"]),
        (#"{"type":"object","properties":{"list":{"type":"array","items":{}}}}"#,
         ["spec.validation.openAPIV3Schema.properties[list].items.type: Required value: must not be empty for specified array items"]),
        (#"{"type":"object","properties":{"list":{"type":"array"}}}"#,
         ["spec.validation.openAPIV3Schema.properties[list].items: Required value: must be specified"]),
        (#"{"type":"object","properties":{"m":{"type":"object","properties":{"a":{"type":"string"}},"additionalProperties":{"type":"string"}}}}"#,
         ["spec.validation.openAPIV3Schema.properties[m].additionalProperties: Forbidden: additionalProperties and properties are mutual exclusive"]),
        (#"{"type":"object","additionalProperties":{"type":"string"}}"#,
         ["spec.validation.openAPIV3Schema.additionalProperties: Forbidden: must not be used at the root"]),
        (#"{"type":"object","properties":{"l":{"type":"array","items":{"type":"string"},"uniqueItems":true}}}"#,
         ["spec.validation.openAPIV3Schema.properties[l].uniqueItems: Forbidden: uniqueItems cannot be set to true since the runtime complexity becomes quadratic"]),
        (##"{"type":"object","properties":{"r":{"$ref":"#/definitions/x","type":"object"}}}"##,
         ["spec.validation.openAPIV3Schema.properties[r].$ref: Forbidden: $ref is not supported"]),
        (#"{"type":"object","properties":{"metadata":{"type":"object","properties":{"labels":{"type":"object"}}}}}"#,
         ["spec.validation.openAPIV3Schema.properties[metadata]: Forbidden: must not specify anything other than name and generateName, but metadata is implicitly specified"]),
        (#"{"type":"object","properties":{"metadata":{"type":"object","properties":{"name":{"type":"string","maxLength":10}}}}}"#, []),
        (#"{"type":"array","items":{"type":"string"}}"#,
         [#"spec.validation.openAPIV3Schema.type: Invalid value: "array": must be object at the root"#]),
        (#"{"type":"object","properties":{"p":{"x-kubernetes-int-or-string":true,"x-kubernetes-preserve-unknown-fields":true}}}"#,
         ["spec.validation.openAPIV3Schema.properties[p].x-kubernetes-preserve-unknown-fields: Invalid value: true: must be false if x-kubernetes-int-or-string is true"]),
        (#"{"type":"object","properties":{"t":{"x-kubernetes-embedded-resource":true}}}"#,
         ["spec.validation.openAPIV3Schema.properties[t].properties: Required value: must not be empty if x-kubernetes-embedded-resource is true without x-kubernetes-preserve-unknown-fields",
          "spec.validation.openAPIV3Schema.properties[t].type: Required value: must be object if x-kubernetes-embedded-resource is true"]),
        (#"{"type":"object","properties":{"b":{"properties":{"x":{"type":"string"}}},"a":{}}}"#,
         ["spec.validation.openAPIV3Schema.properties[a].type: Required value: must not be empty for specified object fields",
          "spec.validation.openAPIV3Schema.properties[b].type: Required value: must not be empty for specified object fields"]),
    ]

    @Test(arguments: schemaCases)
    func refusesNonStructuralSchemas(schema: String, expected: [String]) {
        #expect(lines(CRDDefinition(crdWithSchema(schema)).validate()) == expected)
    }

    /// `gadgetCRD` with `change` applied to its JSON.
    func gadget(_ change: (inout JSONValue) -> Void) -> CRDDefinition {
        var object = gadgetCRD
        change(&object)
        return CRDDefinition(object)
    }

    /// `gadgetCRD` with `change` applied to its `spec.versions`.
    func gadgetVersions(_ change: (inout [JSONValue]) -> Void) -> CRDDefinition {
        gadget { o in
            var versions = o["spec"]?["versions"]?.arrayValue ?? []
            change(&versions)
            o["spec"]?["versions"] = .array(versions)
        }
    }

    @Test func refusesWrongNameAndStorageVersions() {
        var crd = gadget { $0["metadata"] = ["name": "gadgets.example.com"] }
        #expect(lines(crd.validate()) == [#"metadata.name: Invalid value: "gadgets.example.com": must be spec.names.plural+"."+spec.group"#])
        crd = gadgetVersions { $0[0]["storage"] = false }
        #expect(lines(crd.validate()) == [
            #"spec.versions: Invalid value: [{"name":"v1","served":true,"storage":false}]: must have exactly one version marked as storage version"#,
            #"status.storedVersions: Invalid value: "null": must have at least one stored version"#,
        ])
        crd = gadgetVersions { versions in
            var v2 = versions[0]
            v2["name"] = "v2"
            versions.append(v2)
        }
        #expect(crd.validate().map(\.detail) == ["must have exactly one version marked as storage version", "must have the storage version v2"])
    }

    @Test func refusesMissingNamesScopeAndSchema() {
        let crd = CRDDefinition(parse(#"""
        {"metadata":{"name":".example.com"},"spec":{"group":"example.com","scope":"Global","names":{},
         "versions":[{"name":"v1","served":true,"storage":true}]}}
        """#))
        let got = lines(crd.validate())
        #expect(got.contains(#"spec.scope: Unsupported value: "Global": supported values: "Cluster", "Namespaced""#))
        #expect(got.contains("spec.versions[0].schema.openAPIV3Schema: Required value"))
        #expect(got.contains("spec.names.plural: Required value"))
        #expect(got.contains("spec.names.kind: Required value"))
        let status = crd.invalidStatus(crd.validate())
        #expect(status.code == 422 && status.reason == "Invalid")
        #expect(status.message?.hasPrefix(#"CustomResourceDefinition.apiextensions.k8s.io ".example.com" is invalid: ["#) == true)
    }

    @Test func clusterScopedAndUnservedVersions() {
        var json = gadgetCRD
        var spec = json["spec"]!.objectValue!
        spec["scope"] = "Cluster"
        var versions = spec["versions"]!.arrayValue!
        var v2 = versions[0]
        v2["name"] = "v2"; v2["served"] = false; v2["storage"] = false
        versions.append(v2)
        spec["versions"] = .array(versions)
        json["spec"] = .object(spec)
        let crd = CRDDefinition(json)
        #expect(crd.validate().isEmpty)
        #expect(crd.servedResources.map(\.version) == ["v1"])
        #expect(crd.servedResources[0].type.namespaced == false)
    }
}
