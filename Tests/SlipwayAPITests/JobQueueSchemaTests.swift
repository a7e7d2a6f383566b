import Foundation
import KubeAPI
import LocalCluster
import SlipwayAPI
import Testing

/// The JobQueue CRD: structural, cluster-scoped, with printer columns, and a queue as a
/// platform team writes it passes the API server's prune → default → validate pipeline.
@Suite("JobQueue schema")
struct JobQueueSchemaTests {
    static let pipeline: SchemaPipeline = {
        let schema = CRDGenerator.jobQueue[path: ["spec", "versions"]]?.arrayValue?.first?[path: ["schema", "openAPIV3Schema"]]
        return SchemaPipeline(schema: schema!)!
    }()

    @Test func theCRDIsStructuralClusterScopedWithPrinterColumns() throws {
        let crd = CRDDefinition(CRDGenerator.jobQueue)
        #expect(crd.validate().isEmpty, "\(crd.validate())")
        #expect(crd.name == "jobqueues.slipway.dev" && crd.shortNames == ["jq"] && crd.scope == "Cluster")
        let version = try #require(crd.versions.first)
        #expect(version.printerColumns.map(\.name) == ["Strategy", "Pending", "Admitted", "Running", "Age"])
    }

    @Test func aQueueIsAcceptedAndDefaulted() throws {
        let queue = try JSON.parse(#"""
            {"apiVersion":"slipway.dev/v1alpha1","kind":"JobQueue","metadata":{"name":"etl"},"spec":{
              "limits":{"jobs":20,"pods":200,"resources":{"cpu":"64","memory":"256Gi","nvidia.com/gpu":4}},
              "kindLimits":{"BatchJob":{"jobs":8}},"maxQueued":1000,"dedupWindowSeconds":3600,
              "namespaceSelector":{"matchLabels":{"team":"data"}}}}
            """#)
        let outcome = Self.pipeline.process(queue)
        #expect(outcome.errors.isEmpty, "\(outcome.errors)")
        #expect(outcome.unknownFields.isEmpty, "\(outcome.unknownFields)")
        #expect(outcome.object[path: ["spec", "queueingStrategy"]] == "BestEffortFIFO")
        let spec = try #require(JobQueue(json: outcome.object)).spec
        #expect(spec.kindLimits["BatchJob"]?.jobs == 8)
        #expect(spec.limits.resources["nvidia.com/gpu"] == Quantity(4))
    }

    @Test(arguments: [
        (#"{"queueingStrategy":"Fair"}"#, "spec.queueingStrategy"),
        (#"{"maxQueued":-1}"#, "spec.maxQueued"),
        (#"{"limits":{"resources":{"memory":"lots"}}}"#, "spec.limits.resources.memory"),
    ])
    func badQueuesAreRefused(_ spec: String, _ field: String) throws {
        let queue = try JSON.parse(#"{"apiVersion":"slipway.dev/v1alpha1","kind":"JobQueue","metadata":{"name":"q"},"spec":"# + spec + "}")
        let outcome = Self.pipeline.process(queue)
        #expect(outcome.errors.contains { $0.field == field }, "\(outcome.errors)")
    }
}
