import Foundation
import KubeAPI
import LocalCluster
import SlipwayAPI
import Testing

@Suite("Schema DSL and CRD generation")
struct SchemaRenderingTests {
    static let renderings: [(OpenAPISchema, String)] = [
        (.string(), #"{"type":"string"}"#),
        (.string(enum: ["A", "B"], pattern: "^x$", maxLength: 3), #"{"type":"string","enum":["A","B"],"pattern":"^x$","maxLength":3}"#),
        (.string(enumOf: DependencyType.self), #"{"type":"string","enum":["Sequential","NToN"]}"#),
        (.integer(minimum: 1, maximum: 100, default: 3), #"{"type":"integer","format":"int64","minimum":1,"maximum":100,"default":3}"#),
        (.number(minimum: 1, default: 2), #"{"type":"number","minimum":1,"default":2}"#),
        (.boolean(default: false), #"{"type":"boolean","default":false}"#),
        (.array(.string(), maxItems: 2), #"{"type":"array","items":{"type":"string"},"maxItems":2}"#),
        (.map(.integer()), #"{"type":"object","additionalProperties":{"type":"integer","format":"int64"}}"#),
        (.object(["a": .boolean()], required: ["a"]), #"{"type":"object","properties":{"a":{"type":"boolean"}},"required":["a"]}"#),
        (.podTemplate, #"{"type":"object","x-kubernetes-preserve-unknown-fields":true}"#),
        (OpenAPISchema.string().describe("d").defaulting("x"), #"{"type":"string","description":"d","default":"x"}"#),
    ]

    @Test(arguments: renderings)
    func nodesRenderToOpenAPI(_ schema: OpenAPISchema, _ expected: String) throws {
        let parsed = try JSON.parse(expected)
        #expect(schema.json == parsed)
    }

    @Test func quantitiesAreIntOrStringWithTheKubernetesPattern() {
        let q = OpenAPISchema.quantity.json
        #expect(q["x-kubernetes-int-or-string"] == true)
        #expect(q["pattern"]?.stringValue == OpenAPISchema.quantityPattern)
        #expect(q["type"] == nil)
    }

    @Test func enumsComeFromTheSwiftTypes() {
        let spec = BatchJob.schema.json[path: ["properties", "spec", "properties"]]
        let rule = spec?[path: ["retryStrategy", "properties", "rules", "items", "properties"]]
        #expect(rule?[path: ["action", "enum"]] == .array(RetryAction.allCases.map { .string($0.rawValue) }))
        #expect(rule?[path: ["classes", "items", "enum"]] == .array(FailureClass.allCases.map { .string($0.rawValue) }))
        let phase = BatchJob.schema.json[path: ["properties", "status", "properties", "phase", "enum"]]
        #expect(phase == .array(BatchJob.phases.map { .string($0.rawValue) }))
        // apiextensions refuses `x-kubernetes-preserve-unknown-fields: false` (true or undefined only).
        #expect(BatchJob.schema.json[path: ["properties", "status", "x-kubernetes-preserve-unknown-fields"]] == nil)
    }

    @Test func preserveUnknownFieldsOnlyOnTheEmbeddedTemplate() {
        var paths: [String] = []
        func walk(_ v: JSONValue, _ path: String) {
            guard case .object(let o) = v else { return }
            if o["x-kubernetes-preserve-unknown-fields"] == true { paths.append(path) }
            for (k, child) in o { walk(child, path + "/" + k) }
        }
        walk(BatchJob.schema.json, "")
        #expect(paths == ["/properties/spec/properties/template"])
    }

    @Test func theCRDIsAcceptedByTheAPIServersCRDValidation() throws {
        let crd = CRDDefinition(CRDGenerator.batchJob)
        #expect(crd.validate().isEmpty, "\(crd.validate())")
        #expect(crd.name == "batchjobs.slipway.dev" && crd.scope == "Namespaced" && crd.kind == "BatchJob")
        #expect(crd.shortNames == ["bj"] && crd.categories == ["all", "slipway"] && crd.singular == "batchjob")
        let version = try #require(crd.versions.first)
        #expect(version.name == "v1alpha1" && version.served && version.storage && version.hasStatusSubresource)
        #expect(version.printerColumns.map(\.name) == ["Phase", "Succeeded", "Attempts", "Duration", "Age", "Message"])
        #expect(version.printerColumns.map(\.jsonPath) == [
            ".status.phase", ".status.progress", ".status.attempts", ".status.duration", ".metadata.creationTimestamp", ".status.message",
        ])
        #expect(version.printerColumns.map(\.priority) == [0, 0, 0, 0, 0, 1], "the message only with -o wide")
    }

    @Test func yamlIsStableAndSorted() throws {
        let yaml = try CRDGenerator.yaml(CRDGenerator.batchJob)
        #expect(try CRDGenerator.yaml(CRDGenerator.batchJob) == yaml)
        #expect(yaml.hasPrefix("---\napiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n"))
        #expect(yaml.contains("\n    shortNames:\n    - bj\n"), "\(yaml)")
    }

    /// Drift check: crds/ holds exactly what the code generates.
    @Test func crdsDirectoryMatchesTheGeneratedCRDs() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        for file in try CRDGenerator.files() {
            let url = root.appendingPathComponent("crds").appendingPathComponent(file.name)
            let onDisk = try? String(contentsOf: url, encoding: .utf8)
            #expect(onDisk == file.yaml, "crds/\(file.name) is out of date: run `swift run slipway crds`")
        }
    }
}
