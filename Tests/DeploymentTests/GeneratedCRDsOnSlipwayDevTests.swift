import Foundation
import KubeTesting
import SlipwayDevTesting
import Testing

/// The generated CRDs — `crds/`, the chart's `crds/` and the two in manifests/install.yaml —
/// pass slipway dev's CRD validation, which applies the real apiextensions rules (and is
/// checked against the real server's answers by the conformance corpus, section A), through
/// the real kubectl. So a CRD that no real cluster would install cannot be generated again
/// unnoticed: the `x-kubernetes-preserve-unknown-fields: false` the generator once emitted on
/// `status` is refused here with the real server's message.
@Suite("Generated CRDs on slipway dev")
struct GeneratedCRDsOnSlipwayDevTests {
    static let created = """
        customresourcedefinition.apiextensions.k8s.io/batchjobs.slipway.dev created (server dry run)
        customresourcedefinition.apiextensions.k8s.io/jobqueues.slipway.dev created (server dry run)
        customresourcedefinition.apiextensions.k8s.io/jobschedules.slipway.dev created (server dry run)
        customresourcedefinition.apiextensions.k8s.io/sparkjobs.slipway.dev created (server dry run)

        """

    @Test(arguments: ["crds", "charts/slipway/crds"])
    func theGeneratedCRDsPassAServerDryRun(directory: String) async throws {
        try await withDevCluster { _, kubectl in
            let r = try await kubectl.run(["apply", "--dry-run=server", "-f", Repository.url(directory).path])
            #expect(r.status == 0 && r.out == Self.created, "\(r)")
        }
    }

    @Test func theCRDsOfInstallYamlPassAServerDryRun() async throws {
        let crds = InstallOnSlipwayDevTests.documents(try Repository.read("manifests/install.yaml"), kinds: ["CustomResourceDefinition"])
        try await withDevCluster { _, kubectl in
            let r = try await kubectl.run(["apply", "--dry-run=server", "-f", "-"], input: crds)
            #expect(r.status == 0 && r.out == Self.created, "\(r)")
        }
    }

    /// The CRD as the generator wrote it before the fix is refused, with the answer the
    /// issue recorded from a real kube-apiserver v1.36.2.
    @Test func theOldPreserveUnknownFieldsFalseOnStatusIsRefused() async throws {
        let current = try Repository.read("crds/slipway.dev_batchjobs.yaml")
        let statusEnd = "            type: object\n        required:\n        - spec\n"
        #expect(current.contains(statusEnd), "the status schema ends as expected")
        let old = current.replacingOccurrences(
            of: statusEnd, with: "            type: object\n            x-kubernetes-preserve-unknown-fields: false\n        required:\n        - spec\n")
        try await withDevCluster { _, kubectl in
            let r = try await kubectl.run(["apply", "--dry-run=server", "-f", "-"], input: old)
            #expect(r.status != 0, "\(r)")
            #expect(r.err.contains(#"The CustomResourceDefinition "batchjobs.slipway.dev" is invalid: spec.validation.openAPIV3Schema.properties[status].x-kubernetes-preserve-unknown-fields: Invalid value: false: must be true or undefined"#), "\(r)")
        }
    }

    /// A small CRD whose spec has these properties (YAML lines indented for `properties:`).
    static func widgetCRD(_ properties: String, specRules: String = "") -> String {
        """
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata:
          name: widgets.example.com
        spec:
          group: example.com
          scope: Namespaced
          names: {plural: widgets, singular: widget, kind: Widget, listKind: WidgetList}
          versions:
          - name: v1
            served: true
            storage: true
            schema:
              openAPIV3Schema:
                type: object
                properties:
                  spec:
                    type: object
        \(specRules)
                    properties:
        \(properties)
        """
    }

    @Test func kubectlShowsUnrecognizedFormatsAsWarningsAndRulesThatDoNotCompileAsErrors() async throws {
        try await withDevCluster { _, kubectl in
            let zip = Self.widgetCRD("                  zip: {type: string, format: zipcode}")
            var r = try await kubectl.run(["apply", "-f", "-"], input: zip)
            #expect(r.status == 0 && r.out.contains("customresourcedefinition.apiextensions.k8s.io/widgets.example.com created"), "\(r)")
            #expect(r.err.contains(#"Warning: unrecognized format "zipcode""#), "\(r)")
            let broken = Self.widgetCRD("                  size: {type: integer}", specRules: "            x-kubernetes-validations: [{rule: 'self.size >'}]")
            r = try await kubectl.run(["apply", "-f", "-"], input: broken)
            #expect(r.status != 0, "\(r)")
            #expect(r.err.contains("spec.validation.openAPIV3Schema.properties[spec].x-kubernetes-validations[0].rule: Invalid value") && r.err.contains("compilation failed: ERROR: <input>:1:12: Syntax error"), "\(r)")
        }
    }
}
