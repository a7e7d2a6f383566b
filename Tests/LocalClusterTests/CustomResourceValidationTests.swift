import KubeAPI
import Testing

@testable import LocalCluster

/// Metadata validation, list uniqueness, integer formats and CEL rules of custom resources
/// (``CustomResourceValidation``), with the real server's fields and messages.
@Suite struct CustomResourceValidationTests {
    static let schema = SchemaNode(parse(#"""
        {"type":"object","properties":{"spec":{"type":"object","required":["size"],
          "x-kubernetes-validations":[{"rule":"self.minReplicas <= self.maxReplicas","message":"minReplicas must not exceed maxReplicas"}],
          "properties":{
            "size":{"type":"string","enum":["small","large"]},
            "replicas":{"type":"integer","format":"int32","maximum":10},
            "minReplicas":{"type":"integer","default":1},
            "maxReplicas":{"type":"integer","default":5},
            "tags":{"type":"array","x-kubernetes-list-type":"set","items":{"type":"string"}},
            "ports":{"type":"array","x-kubernetes-list-type":"map","x-kubernetes-list-map-keys":["name"],
              "items":{"type":"object","properties":{"name":{"type":"string"},"port":{"type":"integer"}}}},
            "memory":{"type":"string","x-kubernetes-validations":[{"rule":"isQuantity(self) && quantity(self).isLessThan(quantity('10Gi'))",
              "messageExpression":"'memory ' + self + ' must be a quantity below 10Gi'"}]},
            "id":{"type":"string","x-kubernetes-validations":[{"rule":"self == oldSelf","message":"id is immutable"}]},
            "limits":{"type":"object","x-kubernetes-validations":[
              {"rule":"!has(self.cpu) || self.cpu > 0","fieldPath":".cpu","reason":"FieldValueForbidden","message":"cpu must be positive"}],
              "properties":{"cpu":{"type":"integer"}}}
          }}}}
        """#))!

    func validate(_ spec: String, old: String? = nil, metadata: String = #"{"name":"g"}"#) -> [String] {
        let object = parse(#"{"apiVersion":"e.com/v1","kind":"Gizmo","metadata":"# + metadata + #","spec":"# + spec + "}").objectValue!
        let defaulted = SchemaDefaulter(schema: Self.schema).apply(.object(object)).objectValue!
        let oldObject = old.map { parse(#"{"apiVersion":"e.com/v1","kind":"Gizmo","metadata":{"name":"g"},"spec":"# + $0 + "}").objectValue! }
        return lines(CustomResourceValidation.validate(defaulted, old: oldObject, schema: Self.schema))
    }

    static let notChecked = "<nil>: Invalid value: null: some validation rules were not checked because the object was invalid; correct the existing errors to complete validation"

    @Test func validObjectHasNoErrors() {
        #expect(validate(#"{"size":"small","tags":["a","b"],"memory":"1Gi"}"#).isEmpty)
    }

    @Test func ruleFailuresUseTheirMessages() {
        #expect(validate(#"{"size":"small","minReplicas":6,"maxReplicas":2}"#) == ["spec: Invalid value: minReplicas must not exceed maxReplicas"])
        // The default (maxReplicas 5) is what the rule sees.
        #expect(validate(#"{"size":"small","minReplicas":7}"#) == ["spec: Invalid value: minReplicas must not exceed maxReplicas"])
        #expect(validate(#"{"size":"small","memory":"20Gi"}"#) == [#"spec.memory: Invalid value: "20Gi": memory 20Gi must be a quantity below 10Gi"#])
        #expect(validate(#"{"size":"small","memory":"lots"}"#) == [#"spec.memory: Invalid value: "lots": memory lots must be a quantity below 10Gi"#])
        #expect(validate(#"{"size":"small","limits":{"cpu":0}}"#) == ["spec.limits.cpu: Forbidden: cpu must be positive"])
    }

    @Test func transitionRulesRunOnlyOnUpdates() {
        #expect(validate(#"{"size":"small","id":"one"}"#).isEmpty)
        #expect(validate(#"{"size":"small","id":"one"}"#, old: #"{"size":"small","id":"one"}"#).isEmpty)
        #expect(validate(#"{"size":"small","id":"two"}"#, old: #"{"size":"small","id":"one"}"#) == [#"spec.id: Invalid value: "two": id is immutable"#])
        // Without an old value to correlate, the transition rule does not run.
        #expect(validate(#"{"size":"small","id":"two"}"#, old: #"{"size":"small"}"#).isEmpty)
    }

    @Test func blockingErrorsSkipTheRules() {
        #expect(validate(#"{"size":"huge","minReplicas":6,"maxReplicas":2}"#)
            == [#"spec.size: Unsupported value: "huge": supported values: "small", "large""#, Self.notChecked])
        // A bound is not blocking: the rule still runs.
        #expect(validate(#"{"size":"small","replicas":20,"minReplicas":6,"maxReplicas":2}"#) == [
            "spec.replicas: Invalid value: 20: spec.replicas in body should be less than or equal to 10",
            "spec: Invalid value: minReplicas must not exceed maxReplicas",
        ])
    }

    @Test func integerFormats() {
        #expect(validate(#"{"size":"small","replicas":3000000000}"#) == [
            #"<nil>: Invalid value: "": Checked value must be of type integer with format int32 in spec.replicas"#,
            "spec.replicas: Invalid value: 3000000000: spec.replicas in body should be less than or equal to 10",
        ])
        #expect(validate(#"{"size":"small","replicas":1.0}"#).isEmpty)
        #expect(validate(#"{"size":"small","minReplicas":1000000000000000000000000,"maxReplicas":5}"#) == [
            #"spec.minReplicas: Invalid value: "number": spec.minReplicas in body must be of type integer: "number""#,
            #"<nil>: Invalid value: "": Checked value must be of type integer (default format) in spec.minReplicas"#,
            Self.notChecked,
        ])
    }

    @Test func listSetsAndMapsAreUnique() {
        #expect(validate(#"{"size":"small","tags":["a","b","a"]}"#) == [#"spec.tags[2]: Duplicate value: "a""#])
        #expect(validate(#"{"size":"small","ports":[{"name":"http","port":80},{"name":"http","port":81}]}"#)
            == [#"spec.ports[1]: Duplicate value: {"name":"http"}"#])
    }

    @Test func metadataIsValidated() {
        #expect(validate(#"{"size":"small"}"#, metadata: #"{"name":"Upper"}"#).first?.hasPrefix(#"metadata.name: Invalid value: "Upper": a lowercase RFC 1123 subdomain"#) == true)
        #expect(validate(#"{"size":"small"}"#, metadata: "{}") == ["metadata.name: Required value: name or generateName is required", Self.notChecked])
        #expect(validate(#"{"size":"small"}"#, metadata: #"{"name":"g","labels":{"a":"b c"}}"#).first?.hasPrefix(#"metadata.labels: Invalid value: "b c": a valid label"#) == true)
        let big = String(repeating: "x", count: 262_145)
        #expect(validate(#"{"size":"small"}"#, metadata: #"{"name":"g","annotations":{"a":""# + big + #""}}"#)
            == ["metadata.annotations: Too long: may not be more than 262144 bytes", Self.notChecked])
        #expect(validate(#"{"size":"small"}"#, metadata: #"{"name":"g","finalizers":["example.com/x","plain"]}"#).isEmpty)
    }

    @Test func coreKindsNeedQualifiedOrStandardFinalizers() {
        let pod = parse(#"{"metadata":{"name":"p","finalizers":["kubernetes","myfinalizer"]}}"#).objectValue!
        #expect(lines(ObjectMetaValidation.validate(pod, core: true, checkName: false))
            == [#"metadata.finalizers[1]: Invalid value: "myfinalizer": name is neither a standard finalizer name nor is it fully qualified"#])
    }

    @Test func ownerReferencesNeedTheirFieldsAndOneController() {
        let object = parse(#"""
            {"metadata":{"name":"p","ownerReferences":[
              {"apiVersion":"apps/v1","kind":"ReplicaSet","name":"a","uid":"1","controller":true},
              {"apiVersion":"apps/v1","kind":"","name":"b","uid":"2","controller":true}]}}
            """#).objectValue!
        let errors = ObjectMetaValidation.validate(object, checkName: false)
        #expect(errors.map(\.field) == ["metadata.ownerReferences.kind", "metadata.ownerReferences"])
        #expect(errors.last?.detail == #"Only one reference can have Controller set to true. Found "true" in references for ReplicaSet/a and /b"#)
    }

    @Test func rulesThatDoNotCompileAreRefused() {
        let schema = SchemaNode(parse(#"{"type":"object","properties":{"spec":{"type":"object","x-kubernetes-validations":[{"rule":"self.nope("}]}}}"#))!
        let object = parse(#"{"apiVersion":"e.com/v1","kind":"K","metadata":{"name":"n"},"spec":{}}"#).objectValue!
        let errors = CustomResourceValidation.validate(object, old: nil, schema: schema)
        #expect(errors.count == 1)
        #expect(errors.first?.detail.hasPrefix("rule compiler initialization error") == true)
    }

    @Test func duplicateKeysAreFoundWithTheirPaths() {
        let body = Array(#"{"spec":{"size":"a","size":"b","ports":[{"n":1},{"n":1,"n":2}]},"x":"\"{"}"#.utf8)
        #expect(DuplicateFields.find(in: body) == ["spec.size", "spec.ports[1].n"])
        #expect(DuplicateFields.find(in: Array(#"{"a":[1,2,{"b":"}"}],"c":null}"#.utf8)).isEmpty)
    }

    /// Rules of the shapes Slipway's own CRDs use: at the root (with `metadata.name`), with
    /// `has()`, `size()`, `all`/`exists`, string functions and quantities, on list items
    /// correlated by their keys.
    static let jobSchema = SchemaNode(parse(#"""
        {"type":"object","x-kubernetes-validations":[{"rule":"self.metadata.name.startsWith('job-')","message":"name must start with job-"}],
         "properties":{"spec":{"type":"object",
          "x-kubernetes-validations":[
            {"rule":"!has(self.dynamicAllocation) || self.dynamicAllocation.maxExecutors >= self.dynamicAllocation.minExecutors",
             "message":"maxExecutors must be at least minExecutors","fieldPath":".dynamicAllocation"},
            {"rule":"self.args.all(a, size(a) <= 8)","message":"every argument is at most 8 characters"},
            {"rule":"!has(self.args) || !self.args.exists(a, a.matches('^-'))","message":"arguments may not start with a dash"},
            {"rule":"quantity(self.memory).compareTo(quantity('512Mi')) >= 0","message":"memory must be at least 512Mi"}],
          "properties":{
            "args":{"type":"array","default":[],"items":{"type":"string"}},
            "memory":{"type":"string","default":"1Gi"},
            "dynamicAllocation":{"type":"object","properties":{"minExecutors":{"type":"integer"},"maxExecutors":{"type":"integer"}}},
            "steps":{"type":"array","x-kubernetes-list-type":"map","x-kubernetes-list-map-keys":["name"],
              "items":{"type":"object","required":["name"],"properties":{"name":{"type":"string"},
                "image":{"type":"string","x-kubernetes-validations":[{"rule":"self == oldSelf","message":"a step's image is immutable"}]}}}}
          }}}}
        """#))!

    func validateJob(_ spec: String, name: String = "job-a", old: String? = nil) -> [String] {
        func object(_ spec: String) -> JSONObject {
            let o = parse(#"{"apiVersion":"e.com/v1","kind":"Job","metadata":{"name":""# + name + #""},"spec":"# + spec + "}")
            return SchemaDefaulter(schema: Self.jobSchema).apply(o).objectValue!
        }
        return lines(CustomResourceValidation.validate(object(spec), old: old.map(object), schema: Self.jobSchema))
    }

    @Test func rulesOfSlipwayShapes() {
        #expect(validateJob("{}").isEmpty)
        // A rule at the root fails at the root, which the server names `<nil>`.
        #expect(validateJob("{}", name: "other") == ["<nil>: Invalid value: name must start with job-"])
        #expect(validateJob(#"{"dynamicAllocation":{"minExecutors":4,"maxExecutors":2}}"#)
            == ["spec.dynamicAllocation: Invalid value: maxExecutors must be at least minExecutors"])
        #expect(validateJob(#"{"args":["--verbose"]}"#) == [
            "spec: Invalid value: every argument is at most 8 characters", "spec: Invalid value: arguments may not start with a dash",
        ])
        #expect(validateJob(#"{"memory":"256Mi"}"#) == ["spec: Invalid value: memory must be at least 512Mi"])
    }

    @Test func transitionRulesFollowListMapKeys() {
        let old = #"{"steps":[{"name":"a","image":"one"},{"name":"b","image":"two"}]}"#
        // Reordered, same images: fine.
        #expect(validateJob(#"{"steps":[{"name":"b","image":"two"},{"name":"a","image":"one"}]}"#, old: old).isEmpty)
        // A new step has no old self; a changed one is refused at its new index.
        #expect(validateJob(#"{"steps":[{"name":"c","image":"x"},{"name":"a","image":"changed"}]}"#, old: old)
            == [#"spec.steps[1].image: Invalid value: "changed": a step's image is immutable"#])
    }

    @Test func updatesRatchetWhatTheyDoNotChange() {
        // Stored before the schema said maximum 10 and before the rule held.
        let old = #"{"size":"small","replicas":20,"minReplicas":6,"maxReplicas":2,"tags":["a","a"]}"#
        #expect(validate(old, old: old, metadata: #"{"name":"g","labels":{"touched":"yes"}}"#).isEmpty)
        // A rule is held against the value it sits on when that value changes.
        #expect(validate(#"{"size":"small","replicas":20,"minReplicas":6,"maxReplicas":2,"tags":["a","a"],"memory":"1Gi"}"#, old: old)
            == ["spec: Invalid value: minReplicas must not exceed maxReplicas"])
        // What changes is validated.
        #expect(validate(#"{"size":"small","replicas":30,"minReplicas":6,"maxReplicas":2,"tags":["a","a"]}"#, old: old) == [
            "spec.replicas: Invalid value: 30: spec.replicas in body should be less than or equal to 10",
            "spec: Invalid value: minReplicas must not exceed maxReplicas",
        ])
        #expect(ValidationRatcheting.parse("spec.ports[1].name") == [.name("spec"), .name("ports"), .index(1), .name("name")])
        #expect(ValidationRatcheting.parse("<nil>") == nil)
    }
}
