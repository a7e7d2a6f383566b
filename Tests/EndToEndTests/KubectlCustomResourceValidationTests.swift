import Foundation
import SlipwayDevTesting
import Testing

/// The real kubectl against `slipway dev` with a CRD that has CEL rules, list types and
/// defaults: what a real kube-apiserver 1.36 refuses is refused with the same message (CEL
/// rule messages, transition rules, list duplicates, metadata, unknown fields), and what it
/// warns about is warned about.
@Suite("kubectl and custom-resource validation", .serialized)
struct KubectlCustomResourceValidationTests {
    static let crd = """
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata: {name: widgets.e2e.example.com}
        spec:
          group: e2e.example.com
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
                    x-kubernetes-validations:
                    - rule: "self.minExecutors <= self.maxExecutors"
                      message: "minExecutors must not exceed maxExecutors"
                    properties:
                      minExecutors: {type: integer, default: 1}
                      maxExecutors: {type: integer, default: 4}
                      owner:
                        type: string
                        x-kubernetes-validations:
                        - {rule: "self == oldSelf", message: "owner is immutable"}
                      memory:
                        type: string
                        x-kubernetes-validations:
                        - rule: "isQuantity(self) && quantity(self).isLessThan(quantity('8Gi'))"
                          messageExpression: "'memory ' + self + ' must be a quantity below 8Gi'"
                      tags:
                        type: array
                        x-kubernetes-list-type: set
                        items: {type: string}
        """

    static func widget(_ name: String, _ spec: String, labels: String = "{}") -> String {
        """
        apiVersion: e2e.example.com/v1
        kind: Widget
        metadata: {name: \(name), labels: \(labels)}
        spec: \(spec)
        """
    }

    @Test func refusalsAndWarningsAreTheRealServers() async throws {
        try await withDevCluster { _, kubectl in
            var r = try await kubectl.run(["apply", "-f", "-"], input: Self.crd)
            #expect(r.status == 0, "\(r)")
            r = try await kubectl.run(["wait", "--for=condition=Established", "crd/widgets.e2e.example.com", "--timeout=20s"])
            #expect(r.status == 0, "\(r)")

            r = try await kubectl.run(["apply", "-f", "-"], input: Self.widget("w1", "{owner: alice, memory: 2Gi, tags: [a, b]}"))
            #expect(r.status == 0 && r.out.contains("widget.e2e.example.com/w1 created"), "\(r)")
            r = try await kubectl.run(["get", "widget", "w1", "-o", "jsonpath={.spec.minExecutors} {.spec.maxExecutors}"])
            #expect(r.out == "1 4", "defaults: \(r)")

            // A cross-field rule, with the default of maxExecutors in play.
            r = try await kubectl.run(["apply", "-f", "-"], input: Self.widget("w2", "{minExecutors: 6}"))
            #expect(r.status != 0 && r.err.contains("spec: Invalid value: minExecutors must not exceed maxExecutors"), "\(r)")
            // messageExpression.
            r = try await kubectl.run(["apply", "-f", "-"], input: Self.widget("w3", "{memory: 20Gi}"))
            #expect(r.status != 0 && r.err.contains(#"spec.memory: Invalid value: "20Gi": memory 20Gi must be a quantity below 8Gi"#), "\(r)")
            // A transition rule: only an update can break it.
            r = try await kubectl.run(["apply", "-f", "-"], input: Self.widget("w1", "{owner: bob, memory: 2Gi, tags: [a, b]}"))
            #expect(r.status != 0 && r.err.contains(#"spec.owner: Invalid value: "bob": owner is immutable"#), "\(r)")
            // x-kubernetes-list-type: set.
            r = try await kubectl.run(["apply", "-f", "-"], input: Self.widget("w4", "{tags: [a, a]}"))
            #expect(r.status != 0 && r.err.contains(#"spec.tags[1]: Duplicate value: "a""#), "\(r)")
            // Metadata.
            r = try await kubectl.run(["apply", "-f", "-"], input: Self.widget("w5", "{}", labels: "{team: \"a b\"}"))
            #expect(r.status != 0 && r.err.contains(#"metadata.labels: Invalid value: "a b""#), "\(r)")
            // Unknown fields: kubectl asks for Strict by default; with --validate=warn they are
            // pruned and reported.
            r = try await kubectl.run(["apply", "-f", "-"], input: Self.widget("w6", "{colour: red}"))
            #expect(r.status != 0 && r.err.contains(#"unknown field "spec.colour""#), "\(r)")
            r = try await kubectl.run(["apply", "--validate=warn", "-f", "-"], input: Self.widget("w6", "{colour: red}"))
            #expect(r.status == 0 && r.err.contains(#"unknown field "spec.colour""#), "\(r)")

            r = try await kubectl.run(["get", "widgets", "-o", "name"])
            #expect(r.out.split(separator: "\n").sorted() == ["widget.e2e.example.com/w1", "widget.e2e.example.com/w6"], "only the valid ones were stored: \(r)")
        }
    }

    @Test func tighteningTheSchemaKeepsStoredObjectsUpdatable() async throws {
        try await withDevCluster { _, kubectl in
            var r = try await kubectl.run(["apply", "-f", "-"], input: Self.crd)
            #expect(r.status == 0, "\(r)")
            r = try await kubectl.run(["wait", "--for=condition=Established", "crd/widgets.e2e.example.com", "--timeout=20s"])
            #expect(r.status == 0, "\(r)")
            r = try await kubectl.run(["apply", "-f", "-"], input: Self.widget("big", "{maxExecutors: 50}"))
            #expect(r.status == 0, "\(r)")

            // maxExecutors gets a maximum of 10: the stored 50 breaks it.
            let tightened = Self.crd.replacingOccurrences(of: "maxExecutors: {type: integer, default: 4}", with: "maxExecutors: {type: integer, default: 4, maximum: 10}")
            #expect(tightened != Self.crd)
            r = try await kubectl.run(["apply", "-f", "-"], input: tightened)
            #expect(r.status == 0, "\(r)")

            // An update that leaves maxExecutors alone is accepted (ratcheting) …
            r = try await kubectl.run(["label", "widget", "big", "team=data"])
            #expect(r.status == 0, "\(r)")
            r = try await kubectl.run(["patch", "widget", "big", "--type=merge", "-p", #"{"spec":{"owner":"carol"}}"#])
            #expect(r.status == 0, "\(r)")
            // … one that changes it must satisfy the new schema.
            r = try await kubectl.run(["patch", "widget", "big", "--type=merge", "-p", #"{"spec":{"maxExecutors":40}}"#])
            #expect(r.status != 0 && r.err.contains("spec.maxExecutors: Invalid value: 40: spec.maxExecutors in body should be less than or equal to 10"), "\(r)")
            r = try await kubectl.run(["patch", "widget", "big", "--type=merge", "-p", #"{"spec":{"maxExecutors":8}}"#])
            #expect(r.status == 0, "\(r)")
        }
    }
}
