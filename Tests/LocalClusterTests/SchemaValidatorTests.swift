import KubeAPI
import Testing

@testable import LocalCluster

@Suite struct SchemaValidatorTests {
    /// (schema of spec.x, value of spec.x, expected `field: message` lines)
    static let keywordCases: [(String, String, [String])] = [
        (#"{"type":"integer","maximum":10}"#, "11", ["spec.x: Invalid value: 11: spec.x in body should be less than or equal to 10"]),
        (#"{"type":"integer","maximum":10,"exclusiveMaximum":true}"#, "10", ["spec.x: Invalid value: 10: spec.x in body should be less than 10"]),
        (#"{"type":"integer","minimum":1}"#, "0", ["spec.x: Invalid value: 0: spec.x in body should be greater than or equal to 1"]),
        (#"{"type":"number","minimum":1.5,"exclusiveMinimum":true}"#, "1.5", ["spec.x: Invalid value: 1.5: spec.x in body should be greater than 1.5"]),
        (#"{"type":"integer","multipleOf":5}"#, "7", ["spec.x: Invalid value: 7: spec.x in body should be a multiple of 5"]),
        (#"{"type":"string"}"#, "3", [#"spec.x: Invalid value: "integer": spec.x in body must be of type string: "integer""#]),
        (#"{"type":"integer"}"#, #""a""#, [#"spec.x: Invalid value: "string": spec.x in body must be of type integer: "string""#]),
        (#"{"type":"integer"}"#, "1.5", [#"spec.x: Invalid value: "number": spec.x in body must be of type integer: "number""#,
                                          #"<nil>: Invalid value: "": Checked value must be of type integer (default format) in spec.x"#]),
        (#"{"type":"integer"}"#, "2.0", []),
        (#"{"type":"number"}"#, "2", []),
        (#"{"type":"boolean"}"#, "{}", [#"spec.x: Invalid value: "object": spec.x in body must be of type boolean: "object""#]),
        (#"{"type":"object"}"#, "[]", [#"spec.x: Invalid value: "array": spec.x in body must be of type object: "array""#]),
        (#"{"type":"array","items":{"type":"string"}}"#, "true", [#"spec.x: Invalid value: "boolean": spec.x in body must be of type array: "boolean""#]),
        (#"{"type":"string"}"#, "null", [#"spec.x: Invalid value: "null": spec.x in body must be of type string: "null""#]),
        (#"{"type":"string","nullable":true}"#, "null", []),
        (#"{"type":"string","enum":["Safe","Fast"]}"#, #""Turbo""#, [#"spec.x: Unsupported value: "Turbo": supported values: "Safe", "Fast""#]),
        (#"{"type":"integer","enum":[1,2]}"#, "3", [#"spec.x: Unsupported value: 3: supported values: "1", "2""#]),
        (#"{"type":"string","pattern":"^[A-Z]{2}-[0-9]{4}$"}"#, #""bad""#, [#"spec.x: Invalid value: "bad": spec.x in body should match '^[A-Z]{2}-[0-9]{4}$'"#]),
        (#"{"type":"string","pattern":"[0-9]"}"#, #""ab1""#, []),
        (#"{"type":"string","maxLength":3}"#, #""abcd""#, ["spec.x: Too long: may not be more than 3 bytes"]),
        (#"{"type":"string","minLength":3}"#, #""ab""#, [#"spec.x: Invalid value: "ab": spec.x in body should be at least 3 chars long"#]),
        (#"{"type":"array","items":{"type":"string"},"minItems":2}"#, #"["a"]"#, ["spec.x: Invalid value: 1: spec.x in body should have at least 2 items"]),
        (#"{"type":"array","items":{"type":"string"},"maxItems":1}"#, #"["a","b"]"#, ["spec.x: Too many: 2: must have at most 1 items"]),
        (#"{"type":"array","items":{"type":"string"},"uniqueItems":true}"#, #"["a","a"]"#, [#"spec.x: Invalid value: "": spec.x in body shouldn't contain duplicates"#]),
        (#"{"type":"array","items":{"type":"object","required":["name"],"properties":{"name":{"type":"string"}}}}"#,
         #"[{"name":"a"},{"name":"b"},{"name":5},{}]"#,
         [#"spec.x[2].name: Invalid value: "integer": spec.x[2].name in body must be of type string: "integer""#, "spec.x[3].name: Required value"]),
        (#"{"type":"object","additionalProperties":{"type":"string"}}"#, #"{"a":"1","b":2}"#,
         [#"spec.x.b: Invalid value: "integer": spec.x.b in body must be of type string: "integer""#]),
        (#"{"type":"object","additionalProperties":false}"#, #"{"a":1}"#, [#"spec.x.a: Invalid value: "": spec.x.a in body is a forbidden property"#]),
        (#"{"x-kubernetes-int-or-string":true}"#, "8080", []),
        (#"{"x-kubernetes-int-or-string":true}"#, #""http""#, []),
        (#"{"x-kubernetes-int-or-string":true}"#, "true",
         [#"<nil>: Invalid value: "": spec.x in body must validate at least one schema (anyOf)"#,
          #"spec.x: Invalid value: "boolean": spec.x in body must be of type integer: "boolean""#]),
        (#"{"type":"object","x-kubernetes-preserve-unknown-fields":true}"#, #"{"any":{"thing":[1]}}"#, []),
        (#"{"type":"string","format":"date-time"}"#, #""2026-11-22T10:42:46Z""#, []),
        (#"{"type":"string","format":"date-time"}"#, #""yesterday""#, [#"spec.x: Invalid value: "yesterday": spec.x in body must be of type date-time: "yesterday""#]),
        (#"{"type":"integer","format":"int64"}"#, "12", []),
        (#"{"type":"object","x-kubernetes-embedded-resource":true,"x-kubernetes-preserve-unknown-fields":true}"#, #"{"metadata":{}}"#,
         ["spec.x.kind: Required value: must not be empty", "spec.x.apiVersion: Required value: must not be empty"]),
        (#"{"type":"object","x-kubernetes-embedded-resource":true,"x-kubernetes-preserve-unknown-fields":true}"#,
         #"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"}}"#, []),
        (#"{"type":"object","required":["a"],"properties":{"a":{"type":"string"}}}"#, "{}", ["spec.x.a: Required value"]),
    ]

    @Test(arguments: keywordCases)
    func keyword(schema: String, value: String, expected: [String]) {
        let full = parse(#"{"type":"object","properties":{"spec":{"type":"object","properties":{"x":"# + schema + "}}}}")
        let validator = SchemaValidator(schema: full)!
        let object = parse(#"{"apiVersion":"e.com/v1","kind":"K","metadata":{"name":"n"},"spec":{"x":"# + value + "}}")
        #expect(lines(validator.validate(object)) == expected)
    }

    @Test func recordedMaximumBody() {
        let errors = SchemaValidator(schema: gadgetSchema)!.validate(gadgetWithSpec(#"{"size":11}"#))
        #expect(errors.count == 1)
        #expect(errors[0].cause.reason == "FieldValueInvalid")
        #expect(errors[0].cause.field == "spec.size")
        #expect(errors[0].cause.message == "Invalid value: 11: spec.size in body should be less than or equal to 10")
    }

    /// 04-validation-errors/015: the same four causes, reasons and messages. The server
    /// visits properties in Go map order (a random rotation of name order); we use name order.
    @Test func recordedSeveralViolations() {
        let body = gadgetWithSpec(#"{"mode":"Turbo","serial":"bad","settings":{"count":3},"size":0}"#)
        let causes = SchemaValidator(schema: gadgetSchema)!.validate(body).causes
        let got = causes.map { [$0.reason ?? "", $0.field ?? "", $0.message ?? ""] }
        #expect(got == [
            ["FieldValueNotSupported", "spec.mode", #"Unsupported value: "Turbo": supported values: "Safe", "Fast""#],
            ["FieldValueInvalid", "spec.serial", #"Invalid value: "bad": spec.serial in body should match '^[A-Z]{2}-[0-9]{4}$'"#],
            ["FieldValueTypeInvalid", "spec.settings.count", #"Invalid value: "integer": spec.settings.count in body must be of type string: "integer""#],
            ["FieldValueInvalid", "spec.size", "Invalid value: 0: spec.size in body should be greater than or equal to 1"],
        ])
    }

    @Test func missingRequiredAndValidObjects() {
        let validator = SchemaValidator(schema: gadgetSchema)!
        #expect(lines(validator.validate(gadgetWithSpec("{}"))) == ["spec.size: Required value"])
        let ok = gadgetWithSpec(#"{"size":2,"serial":"AB-1234","settings":{"shape":"round"},"port":8080,"extra":{"anything":{"nested":[1,2]}}}"#)
        #expect(validator.validate(ok).isEmpty)
    }

    @Test func invalidStatusBodyMatchesRecording() {
        let type = ResourceType(APIResource(group: "reference.example.com", version: "v1", kind: "Gadget", plural: "gadgets", namespaced: true), isCustom: true)
        let errors = SchemaValidator(schema: gadgetSchema)!.validate(gadgetWithSpec(#"{"size":11}"#))
        let status = StoreErrors.invalid(type, name: "g-bad", causes: errors.causes)
        #expect(status.message == #"Gadget.reference.example.com "g-bad" is invalid: spec.size: Invalid value: 11: spec.size in body should be less than or equal to 10"#)
    }
}
