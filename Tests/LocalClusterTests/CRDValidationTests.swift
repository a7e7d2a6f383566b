import KubeAPI
import Testing

@testable import LocalCluster

/// The apiextensions rules ``CRDValidation`` applies, one at a time (the conformance corpus,
/// section A, checks them against the real server's answers).
@Suite struct CRDValidationTests {
    /// A one-version CRD with the status subresource and this schema (JSON text).
    func crd(_ schema: String, version: String = "") -> JSONValue {
        parse(#"{"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition","metadata":{"name":"widgets.example.com"},"spec":{"group":"example.com","scope":"Namespaced","names":{"plural":"widgets","singular":"widget","kind":"Widget","listKind":"WidgetList"},"versions":[{"name":"v1","served":true,"storage":true,"subresources":{"status":{}},"schema":{"openAPIV3Schema":"# + schema + "}" + version + "}]}}")
    }

    /// A schema whose spec has these properties (JSON text).
    func spec(_ properties: String, _ extra: String = "") -> String {
        #"{"type":"object","properties":{"spec":{"type":"object","properties":"# + properties + extra + "}}}"
    }

    /// The (field, reason) of each error, as the corpus compares them.
    func causes(_ crd: JSONValue, old: JSONValue? = nil) -> Set<String> {
        Set(CRDValidation(CRDDefinition.applyingDefaults(to: crd), old: old).validate().map { "\($0.field) \($0.kind.rawValue)" })
    }

    static let root = "spec.validation.openAPIV3Schema"

    @Test func preserveUnknownFieldsMustBeTrueOrUndefined() {
        #expect(causes(crd(#"{"type":"object","x-kubernetes-preserve-unknown-fields":false}"#)) == ["\(Self.root).x-kubernetes-preserve-unknown-fields FieldValueInvalid"])
        #expect(causes(crd(#"{"type":"object","properties":{"status":{"type":"object","x-kubernetes-preserve-unknown-fields":false,"properties":{"a":{"type":"string"}}}}}"#))
                == ["\(Self.root).properties[status].x-kubernetes-preserve-unknown-fields FieldValueInvalid"])
        #expect(causes(crd(#"{"type":"object","x-kubernetes-preserve-unknown-fields":true,"properties":{"a":{"type":"string"}}}"#)).isEmpty)
        #expect(causes(crd(spec(#"{"any":{"x-kubernetes-preserve-unknown-fields":true}}"#))).isEmpty)
    }

    @Test func schemasSharedByAllVersionsAreReportedAtTheTopLevel() {
        let schema = #"{"type":"object","properties":{"a":{}}}"#
        #expect(causes(crd(schema)) == ["\(Self.root).properties[a].type FieldValueRequired"])
        var two = crd(schema)
        var versions = two["spec"]!["versions"]!.arrayValue!
        var v2 = versions[0]
        v2["name"] = "v2"; v2["storage"] = false
        v2["schema"] = ["openAPIV3Schema": ["type": "object"]]
        versions.append(v2)
        two["spec"]?["versions"] = .array(versions)
        #expect(causes(two) == ["spec.versions[0].schema.openAPIV3Schema.properties[a].type FieldValueRequired"], "\(two)")
    }

    @Test func junctorsMayOnlyRestrictValues() {
        #expect(causes(crd(spec("{}", #","allOf":[{"type":"object"}]"#))) == ["\(Self.root).properties[spec].allOf[0].type FieldValueForbidden"])
        #expect(causes(crd(spec(#"{"n":{"type":"integer"}}"#, #","anyOf":[{"properties":{"n":{"default":2}}}]"#)))
                == ["\(Self.root).properties[spec].anyOf[0].properties[n].default FieldValueForbidden"])
        #expect(causes(crd(spec(#"{"n":{"type":"integer"}}"#, #","oneOf":[{"required":["n"]}]"#))).isEmpty)
        #expect(causes(crd(spec(#"{"p":{"x-kubernetes-int-or-string":true,"anyOf":[{"type":"integer"},{"type":"string"}]}}"#))).isEmpty)
    }

    @Test func patternsMustBeRE2() {
        let errors = CRDValidation(CRDDefinition.applyingDefaults(to: crd(spec(#"{"n":{"type":"string","pattern":"^(?=a)b$"}}"#)))).validate()
        #expect(lines(errors) == [#"\#(Self.root).properties[spec].properties[n].pattern: Invalid value: "^(?=a)b$": must be a valid regular expression, but isn't: error parsing regexp: invalid or unsupported Perl syntax: `(?=`"#])
    }

    @Test func unsupportedKeywordsAreRefusedWithoutStructuralNoise() {
        #expect(causes(crd(spec(##"{"c":{"$ref":"#/definitions/C"}}"##))) == ["\(Self.root).properties[spec].properties[c].$ref FieldValueForbidden"])
        #expect(causes(crd(spec(#"{"t":{"type":"array","items":[{"type":"string"}]}}"#))) == ["\(Self.root).properties[spec].properties[t].items FieldValueForbidden"])
        #expect(causes(crd(spec(#"{"t":{"type":"null"}}"#)))
                == ["\(Self.root).properties[spec].properties[t].type FieldValueNotSupported", "\(Self.root).properties[spec].properties[t].type FieldValueForbidden"])
    }

    @Test func defaultsMustMatchTheirSchema() {
        let at = "\(Self.root).properties[spec].properties"
        #expect(causes(crd(spec(#"{"r":{"type":"integer","default":"one"}}"#))) == ["\(at)[r].default FieldValueTypeInvalid"])
        #expect(causes(crd(spec(#"{"r":{"type":"integer","minimum":0,"default":-1}}"#))) == ["\(at)[r].default FieldValueInvalid"])
        #expect(causes(crd(spec(#"{"m":{"type":"string","enum":["a","b"],"default":"c"}}"#))) == ["\(at)[m].default FieldValueNotSupported"])
        #expect(causes(crd(spec(#"{"o":{"type":"object","properties":{"a":{"type":"integer"}},"default":{"a":1,"b":2}}}"#))) == ["\(at)[o].default FieldValueInvalid"])
        #expect(causes(crd(spec(#"{"l":{"type":"array","items":{"type":"object","required":["p"],"properties":{"p":{"type":"integer"}}},"default":[{}]}}"#)))
                == ["\(at)[l].default.[0].p FieldValueRequired"])
        #expect(causes(crd(spec(#"{"n":{"type":"string","default":null}}"#))).isEmpty)
        // The root is a resource: its default needs apiVersion and kind; with the status
        // subresource a root default is not allowed at all.
        #expect(causes(crd(#"{"type":"object","default":{"spec":{}},"properties":{"spec":{"type":"object"}}}"#))
                == [Self.root + " FieldValueInvalid", "\(Self.root).default.apiVersion FieldValueRequired", "\(Self.root).default.kind FieldValueRequired"])
        #expect(causes(crd(#"{"type":"object","properties":{"metadata":{"type":"object","properties":{"name":{"type":"string","default":"x"}}}}}"#))
                == ["\(Self.root).properties[metadata].properties[name].default FieldValueForbidden"])
    }

    @Test func listAndMapTypes() {
        let at = "\(Self.root).properties[spec].properties[l]"
        let item = #""items":{"type":"object","required":["name"],"properties":{"name":{"type":"string"},"port":{"type":"integer"}}}"#
        #expect(causes(crd(spec(#"{"l":{"type":"array","x-kubernetes-list-type":"map","# + item + "}}"))) == ["\(at).x-kubernetes-list-map-keys FieldValueRequired"])
        #expect(causes(crd(spec(#"{"l":{"type":"array","x-kubernetes-list-type":"map","x-kubernetes-list-map-keys":["port"],"# + item + "}}")))
                == ["\(at).items.properties[port].default FieldValueRequired"])
        #expect(causes(crd(spec(#"{"l":{"type":"array","x-kubernetes-list-type":"map","x-kubernetes-list-map-keys":["id"],"# + item + "}}")))
                == ["\(at).x-kubernetes-list-map-keys FieldValueInvalid"])
        #expect(causes(crd(spec(#"{"l":{"type":"array","x-kubernetes-list-type":"set","# + item + "}}"))) == ["\(at).items.x-kubernetes-map-type FieldValueInvalid"])
        #expect(causes(crd(spec(#"{"l":{"type":"array","x-kubernetes-list-type":"bag","items":{"type":"string"}}}"#))) == ["\(at).x-kubernetes-list-type FieldValueNotSupported"])
        #expect(causes(crd(spec(#"{"l":{"type":"object","x-kubernetes-list-type":"atomic"}}"#))) == ["\(at).type FieldValueInvalid"])
        #expect(causes(crd(spec(#"{"l":{"type":"object","x-kubernetes-map-type":"deep"}}"#))) == ["\(at).x-kubernetes-map-type FieldValueNotSupported"])
    }

    @Test func printerColumnsAndScale() {
        let columns = #","additionalPrinterColumns":[{"name":"A","type":"text","jsonPath":"spec.a"},{"type":"string","jsonPath":".a","format":"currency"}]"#
        #expect(causes(crd(#"{"type":"object"}"#, version: columns)) == [
            "spec.additionalPrinterColumns[0].type FieldValueInvalid", "spec.additionalPrinterColumns[0].JSONPath FieldValueInvalid",
            "spec.additionalPrinterColumns[1].name FieldValueRequired", "spec.additionalPrinterColumns[1].format FieldValueInvalid",
        ])
        let scale = #","subresources":{"status":{},"scale":{"specReplicasPath":".status.r","labelSelectorPath":"status.s"}}"#
        #expect(causes(crd(#"{"type":"object"}"#, version: scale)) == [
            "spec.subresources.scale.specReplicasPath FieldValueInvalid", "spec.subresources.scale.statusReplicasPath FieldValueRequired",
            "spec.subresources.scale.labelSelectorPath FieldValueInvalid",
        ])
    }

    @Test func versionsConversionAndNames() {
        var c = crd(#"{"type":"object"}"#)
        c["spec"]?["conversion"] = ["strategy": "Webhook"]
        #expect(causes(c) == ["spec.conversion.webhookClientConfig FieldValueRequired", "spec.conversion.conversionReviewVersions FieldValueRequired"])
        c = crd(#"{"type":"object"}"#)
        c["spec"]?["versions"] = []
        #expect(causes(c) == ["spec.versions FieldValueInvalid", "status.storedVersions FieldValueInvalid"])
        c = crd(#"{"type":"object"}"#)
        c["spec"]?["preserveUnknownFields"] = true
        #expect(causes(c) == ["spec.preserveUnknownFields FieldValueInvalid"])
    }

    @Test func celRulesAreCompiledAndCosted() {
        let rules = { (r: String) in spec(#"{"a":{"type":"integer"}}"#, #","x-kubernetes-validations":[{"rule":"# + r + "}]") }
        let at = "\(Self.root).properties[spec].x-kubernetes-validations[0]"
        #expect(causes(crd(rules(#""self.a > 0""#))).isEmpty)
        #expect(causes(crd(rules(#""self.a >""#))) == ["\(at).rule FieldValueInvalid"])
        #expect(causes(crd(rules(#""self.b > 0""#))) == ["\(at).rule FieldValueInvalid"])
        #expect(causes(crd(rules(#""'yes'""#))) == ["\(at).rule FieldValueInvalid"])
        #expect(causes(crd(rules(#""""#))) == ["\(at).rule FieldValueRequired"])
        #expect(causes(crd(rules(#""self.a > 0","reason":"Bogus""#))) == ["\(at).reason FieldValueNotSupported"])
        #expect(causes(crd(rules(#""self.a > 0","fieldPath":".b""#))) == ["\(at).fieldPath FieldValueInvalid"])
        #expect(causes(crd(rules(#""self.a > 0","fieldPath":".a""#))).isEmpty)
        #expect(causes(crd(rules(#""self.a > 0","messageExpression":"1 + 1""#))) == ["\(at).messageExpression FieldValueInvalid"])
        let names = spec(#"{"names":{"type":"array","items":{"type":"string"},"x-kubernetes-validations":[{"rule":"self.all(x, x.matches('^[a-z]+$'))"}]}}"#)
        let rule = "\(Self.root).properties[spec].properties[names].x-kubernetes-validations[0].rule"
        #expect(causes(crd(names)) == ["\(rule) FieldValueForbidden", "\(Self.root) FieldValueForbidden"])
        let bounded = spec(#"{"names":{"type":"array","maxItems":10,"items":{"type":"string","maxLength":64},"x-kubernetes-validations":[{"rule":"self.all(x, x.matches('^[a-z]+$'))"}]}}"#)
        #expect(causes(crd(bounded)).isEmpty)
        // oldSelf needs values that can be matched between old and new objects: not in a plain list.
        let transition = spec(#"{"l":{"type":"array","items":{"type":"string","maxLength":8,"x-kubernetes-validations":[{"rule":"self == oldSelf"}]}}}"#)
        #expect(causes(crd(transition)).contains("\(Self.root).properties[spec].properties[l].items.x-kubernetes-validations[0].rule FieldValueInvalid"))
    }

    @Test func updatesKeepGroupScopeAndStoredVersions() {
        var old = CRDDefinition.applyingDefaults(to: crd(#"{"type":"object"}"#))
        old["status"] = CRDDefinition(old).establishedStatus(transitionTime: "2026-01-01T00:00:00Z")
        var new = old
        new["spec"]?["scope"] = "Cluster"
        #expect(causes(new, old: old) == ["spec.scope FieldValueInvalid"])
        new = old
        new["spec"]?["group"] = "other.example.com"
        #expect(causes(new, old: old).contains("spec.group FieldValueInvalid"))
        new = old
        var versions = new["spec"]!["versions"]!.arrayValue!
        versions[0]["name"] = "v2"
        new["spec"]?["versions"] = .array(versions)
        #expect(causes(new, old: old) == ["status.storedVersions[0] FieldValueInvalid"])
    }

    @Test func unrecognizedFormatsAreWarnings() {
        let c = CRDDefinition.applyingDefaults(to: crd(spec(#"{"z":{"type":"string","format":"zipcode"},"u":{"type":"string","format":"uuid"},"t":{"type":"string","format":"date-time"}}"#)))
        #expect(CRDValidation(c).validate().isEmpty)
        #expect(CRDValidation(c).warnings == [#"unrecognized format "zipcode""#])
        #expect(CRDValidation(c, old: c).warnings.isEmpty)
    }
}

extension CRDValidationTests {
    @Test func rulesOnIntOrStringFields() {
        let c = CRDDefinition.applyingDefaults(to: crd(spec(#"{"port":{"x-kubernetes-int-or-string":true,"x-kubernetes-validations":[{"rule":"type(self) == int ? self > 0 : self != ''"}]}}"#)))
        #expect(CRDValidation(c).validate().isEmpty, "\(CRDValidation(c).validate())")
    }
}

extension CRDValidationTests {
    @Test func selectableFields() {
        let schema = spec(#"{"color":{"type":"string"},"size":{"type":"integer"},"tags":{"type":"array","items":{"type":"string"}}}"#)
        let fields = { (paths: [String]) in #","selectableFields":["# + paths.map { #"{"jsonPath":""# + $0 + #""}"# }.joined(separator: ",") + "]" }
        #expect(causes(crd(schema, version: fields([".spec.color", ".spec.size"]))).isEmpty)
        #expect(causes(crd(schema, version: fields([".spec.tags", ".spec.nope", "", ".spec.color", ".spec['color']"]))) == [
            "spec.selectableFields[0].jsonPath FieldValueInvalid", "spec.selectableFields[1].jsonPath FieldValueInvalid",
            "spec.selectableFields[2].jsonPath FieldValueRequired", "spec.selectableFields[4].jsonPath FieldValueDuplicate",
        ])
    }
}

extension CRDValidationTests {
    /// The factors as Go prints them (`%f` below 1.5, `%.1f` up to 100).
    @Test func costMessages() {
        #expect(CRDRuleCheck.costMessage("estimated rule cost", 31_457_280, 10_000_000).hasPrefix("estimated rule cost exceeds budget by factor of 3.1x ("))
        #expect(CRDRuleCheck.costMessage("estimated rule cost", 12_000_000, 10_000_000).contains("factor of 1.200000x"))
        #expect(CRDRuleCheck.costMessage("estimated rule cost", 2_000_000_000, 10_000_000).contains("factor of more than 100x"))
    }
}

extension CRDValidationTests {
    @Test func conversionWebhooks() {
        func conversion(_ webhook: JSONValue) -> Set<String> {
            var c = crd(#"{"type":"object"}"#)
            c["spec"]?["conversion"] = ["strategy": "Webhook", "webhook": webhook]
            return causes(c)
        }
        #expect(conversion(["clientConfig": ["url": "https://conv.example.com/convert"], "conversionReviewVersions": ["v1"]]).isEmpty)
        #expect(conversion(["clientConfig": ["service": ["name": "conv", "namespace": "system", "path": "/convert"]], "conversionReviewVersions": ["v1", "v1beta1"]]).isEmpty)
        #expect(conversion(["clientConfig": ["url": "http://u@conv.example.com/?a=b"], "conversionReviewVersions": ["v2", "v2"]]) == [
            "spec.conversion.webhookClientConfig.url FieldValueInvalid", "spec.conversion.conversionReviewVersions[1] FieldValueInvalid",
            "spec.conversion.conversionReviewVersions FieldValueInvalid",
        ])
        #expect(conversion(["clientConfig": ["service": ["name": "conv", "port": 0, "path": "convert//x"]], "conversionReviewVersions": ["v1"]]) == [
            "spec.conversion.webhookClientConfig.service.namespace FieldValueRequired", "spec.conversion.webhookClientConfig.service.port FieldValueInvalid",
            "spec.conversion.webhookClientConfig.service.path FieldValueInvalid",
        ])
    }
}

extension CRDValidationTests {
    /// A rule using a Kubernetes CEL function slipway dev lacks is refused, and says why.
    @Test func rulesWithFunctionsSlipwayDevLacksAreRefusedClearly() throws {
        let c = CRDDefinition.applyingDefaults(to: crd(spec(#"{"u":{"type":"string","maxLength":64,"x-kubernetes-validations":[{"rule":"isURL(self)"}]}}"#)))
        let errors = CRDValidation(c).validate()
        try #require(errors.count == 1)
        #expect(errors[0].field == "\(Self.root).properties[spec].properties[u].x-kubernetes-validations[0].rule")
        #expect(errors[0].detail.contains("slipway dev does not implement the Kubernetes CEL function 'isURL'"), "\(errors)")
    }
}

extension CRDValidationTests {
    /// A default must pass the rules of its own node and of the nodes below it; a rule of
    /// an ancestor does not see it (`A-default-violates-cel` is accepted by the real server).
    @Test func defaultsPassTheirOwnRules() {
        let at = "\(Self.root).properties[spec].properties"
        let own = spec(#"{"w":{"type":"object","properties":{"a":{"type":"integer"},"b":{"type":"integer"}},"default":{"a":2,"b":1},"x-kubernetes-validations":[{"rule":"self.a < self.b","message":"a before b"}]}}"#)
        #expect(causes(crd(own)) == ["\(at)[w].default FieldValueInvalid"])
        let nested = spec(#"{"w":{"type":"object","default":{"n":-1},"properties":{"n":{"type":"integer","x-kubernetes-validations":[{"rule":"self >= 0","reason":"FieldValueForbidden"}]}}}}"#)
        #expect(causes(crd(nested)) == ["\(at)[w].default.n FieldValueForbidden"])
        let ancestor = spec(#"{"min":{"type":"integer","default":9},"max":{"type":"integer","default":5}}"#, #","x-kubernetes-validations":[{"rule":"self.min <= self.max"}]"#)
        #expect(causes(crd(ancestor)).isEmpty)
        let passing = spec(#"{"w":{"type":"object","properties":{"a":{"type":"integer"},"b":{"type":"integer"}},"default":{"a":1,"b":2},"x-kubernetes-validations":[{"rule":"self.a < self.b"}]}}"#)
        #expect(causes(crd(passing)).isEmpty)
    }
}
