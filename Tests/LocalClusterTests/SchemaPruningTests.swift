import KubeAPI
import Testing

@testable import LocalCluster

@Suite struct SchemaPruningTests {
    /// (object spec, pruned spec, unknown field paths)
    static let pruneCases: [(String, String, [String])] = [
        (#"{"size":2,"colour":"red"}"#, #"{"size":2}"#, ["spec.colour"]),
        (#"{"size":2,"extra":{"anything":{"x":1}}}"#, #"{"size":2,"extra":{"anything":{"x":1}}}"#, []),
        (#"{"settings":{"a":"1","b":"2"}}"#, #"{"settings":{"a":"1","b":"2"}}"#, []),
        (#"{"size":1,"z":1,"a":{"b":1}}"#, #"{"size":1}"#, ["spec.a", "spec.z"]),
    ]

    @Test(arguments: pruneCases)
    func prunesUnknownFields(spec: String, expected: String, unknown: [String]) {
        let result = SchemaPruner(schema: gadgetSchema)!.prune(gadgetWithSpec(spec))
        #expect(result.object["spec"] == parse(expected))
        #expect(result.unknownFields == unknown)
        #expect(result.object["apiVersion"] == "reference.example.com/v1")
        #expect(result.object[path: ["metadata", "name"]] == "g")
    }

    @Test func prunesInsideArraysStatusRootAndMetadata() {
        let object = parse(#"""
        {"apiVersion":"reference.example.com/v1","kind":"Gadget","metadata":{"name":"g","bogus":1},"top":1,
         "spec":{"size":1},"status":{"conditions":[{"type":"Ready","status":"True","extra":"x"}]}}
        """#)
        let result = SchemaPruner(schema: gadgetSchema)!.prune(object)
        #expect(result.unknownFields == ["metadata.bogus", "status.conditions[0].extra", "top"])
        #expect(result.object == parse(#"""
        {"apiVersion":"reference.example.com/v1","kind":"Gadget","metadata":{"name":"g"},
         "spec":{"size":1},"status":{"conditions":[{"type":"Ready","status":"True"}]}}
        """#))
    }

    @Test func keepsEmbeddedResourceHeader() {
        let schema = parse(#"{"type":"object","properties":{"spec":{"type":"object","properties":{"template":{"type":"object","x-kubernetes-embedded-resource":true,"properties":{"spec":{"type":"object"}}}}}}}"#)
        let object = parse(#"{"spec":{"template":{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","junk":1},"spec":{},"other":1}}}"#)
        let result = SchemaPruner(schema: schema)!.prune(object)
        #expect(result.unknownFields == ["spec.template.metadata.junk", "spec.template.other"])
        #expect(result.object[path: ["spec", "template"]] == parse(#"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":{}}"#))
    }

    /// 04-validation-errors/010 (Strict → 400) and 025 (Warn → Warning header).
    @Test func strictAndWarnTexts() {
        let status = SchemaPruner.strictError(kind: "Gadget", version: "v1", unknownFields: ["spec.colour"])
        #expect(status.code == 400 && status.reason == "BadRequest")
        #expect(status.message == #"Gadget in version "v1" cannot be handled as a Gadget: strict decoding error: unknown field "spec.colour""#)
        let two = SchemaPruner.strictError(kind: "Gadget", version: "v1", unknownFields: ["spec.a", "spec.b"])
        #expect(two.message?.hasSuffix(#"strict decoding error: unknown field "spec.a", unknown field "spec.b""#) == true)
        #expect(SchemaPruner.warnings(unknownFields: ["spec.colour"]) == [#"unknown field "spec.colour""#])
    }

    /// (schema properties of spec, input spec, defaulted spec)
    static let defaultCases: [(String, String, String)] = [
        (#"{"mode":{"type":"string","default":"Safe"},"size":{"type":"integer"}}"#, #"{"size":2}"#, #"{"size":2,"mode":"Safe"}"#),
        (#"{"mode":{"type":"string","default":"Safe"}}"#, #"{"mode":"Fast"}"#, #"{"mode":"Fast"}"#),
        (#"{"mode":{"type":"string","default":"Safe"}}"#, #"{"mode":null}"#, #"{"mode":"Safe"}"#),
        (#"{"mode":{"type":"string","nullable":true,"default":"Safe"}}"#, #"{"mode":null}"#, #"{"mode":null}"#),
        (#"{"mode":{"type":"string"}}"#, #"{"mode":null}"#, "{}"),
        (#"{"o":{"type":"object","default":{},"properties":{"a":{"type":"integer","default":1}}}}"#, "{}", #"{"o":{"a":1}}"#),
        (#"{"l":{"type":"array","items":{"type":"object","properties":{"p":{"type":"integer","default":80}}}}}"#,
         #"{"l":[{},{"p":1}]}"#, #"{"l":[{"p":80},{"p":1}]}"#),
        (#"{"m":{"type":"object","additionalProperties":{"type":"object","properties":{"k":{"type":"string","default":"v"}}}}}"#,
         #"{"m":{"x":{}}}"#, #"{"m":{"x":{"k":"v"}}}"#),
    ]

    @Test(arguments: defaultCases)
    func appliesDefaults(properties: String, spec: String, expected: String) {
        let schema = parse(#"{"type":"object","properties":{"spec":{"type":"object","properties":"# + properties + "}}}")
        let result = SchemaDefaulter(schema: schema)!.apply(parse(#"{"spec":"# + spec + "}"))
        #expect(result["spec"] == parse(expected))
    }

    /// 04-validation-errors/025: `{"colour":"red","size":2}` is stored as `{"mode":"Safe","size":2}`.
    @Test func pipelineMatchesRecordedWarnCreate() {
        let outcome = SchemaPipeline(schema: gadgetSchema)!.process(gadgetWithSpec(#"{"colour":"red","size":2}"#))
        #expect(outcome.unknownFields == ["spec.colour"])
        #expect(outcome.errors.isEmpty)
        #expect(outcome.object["spec"] == parse(#"{"size":2,"mode":"Safe"}"#))
    }

    /// (plural, object, expected `field: message` lines)
    static let builtinCases: [(String, String, [String])] = [
        ("pods", #"{"metadata":{"name":"p"},"spec":{}}"#, ["spec.containers: Required value"]),
        ("pods", #"{"metadata":{"name":"p"},"spec":{"containers":[{"name":"c"}]}}"#, ["spec.containers[0].image: Required value"]),
        ("pods", #"{"metadata":{"name":"p"},"spec":{"containers":[{"name":"c","image":"busybox"},{"image":"x"}]}}"#, ["spec.containers[1].name: Required value"]),
        ("pods", #"{"metadata":{"name":"p"},"spec":{"containers":[{"name":"c","image":"busybox"}]}}"#, []),
        ("configmaps", #"{"metadata":{"name":"Bad_Name"}}"#,
         [#"metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"#]),
        ("configmaps", #"{"metadata":{"name":"app.config-1"}}"#, []),
        ("namespaces", #"{"metadata":{"name":"a.b"}}"#, [#"metadata.name: Invalid value: "a.b": must not contain dots"#]),
        ("namespaces", #"{"metadata":{"name":"A_b"}}"#,
         [#"metadata.name: Invalid value: "A_b": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"#]),
        ("namespaces", #"{"metadata":{"name":"demo"}}"#, []),
    ]

    @Test(arguments: builtinCases)
    func builtinValidation(plural: String, object: String, expected: [String]) {
        #expect(lines(BuiltinValidation.validate(parse(object), plural: plural)) == expected)
    }
}
