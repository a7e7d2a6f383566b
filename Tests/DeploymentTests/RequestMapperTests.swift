import Foundation
import Testing

/// The HTTP request → RBAC attributes mapping, and the rule matching, without a server.
@Suite("RBAC request mapping")
struct RequestMapperTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var method: String
        var path: String
        var query: [String: String] = [:]
        var expected: RBACRequest
        var testDescription: String { "\(method) \(path)\(query.isEmpty ? "" : "?\(query.map { "\($0)=\($1)" }.joined())")" }
    }

    static let cases: [Case] = [
        Case(method: "GET", path: "/api/v1/namespaces/default/pods", expected: .init(namespace: "default", group: "", resource: "pods", verb: "list")),
        Case(method: "GET", path: "/api/v1/namespaces/default/pods", query: ["watch": "true"], expected: .init(namespace: "default", group: "", resource: "pods", verb: "watch")),
        Case(method: "GET", path: "/api/v1/namespaces/default/pods", query: ["watch": "1"], expected: .init(namespace: "default", group: "", resource: "pods", verb: "watch")),
        Case(method: "GET", path: "/api/v1/namespaces/default/pods", query: ["watch": "false"], expected: .init(namespace: "default", group: "", resource: "pods", verb: "list")),
        Case(method: "GET", path: "/api/v1/watch/namespaces/default/pods", expected: .init(namespace: "default", group: "", resource: "pods", verb: "watch")),
        Case(method: "GET", path: "/api/v1/pods", expected: .init(group: "", resource: "pods", verb: "list")),
        Case(method: "GET", path: "/api/v1/namespaces/default/pods/p-0-0", expected: .init(namespace: "default", group: "", resource: "pods", name: "p-0-0", verb: "get")),
        Case(method: "GET", path: "/api/v1/namespaces/default/pods/p-0-0/log", expected: .init(namespace: "default", group: "", resource: "pods/log", name: "p-0-0", verb: "get")),
        Case(method: "POST", path: "/api/v1/namespaces/default/pods", expected: .init(namespace: "default", group: "", resource: "pods", verb: "create")),
        Case(method: "PUT", path: "/api/v1/namespaces/default/pods/p-0-0", expected: .init(namespace: "default", group: "", resource: "pods", name: "p-0-0", verb: "update")),
        Case(method: "DELETE", path: "/api/v1/namespaces/default/pods/p-0-0", expected: .init(namespace: "default", group: "", resource: "pods", name: "p-0-0", verb: "delete")),
        Case(method: "DELETE", path: "/api/v1/namespaces/default/pods", expected: .init(namespace: "default", group: "", resource: "pods", verb: "deletecollection")),
        Case(method: "PATCH", path: "/api/v1/namespaces/default/events/e.1", expected: .init(namespace: "default", group: "", resource: "events", name: "e.1", verb: "patch")),
        Case(method: "PUT", path: "/apis/slipway.dev/v1alpha1/namespaces/ns/batchjobs/j/status", expected: .init(namespace: "ns", group: "slipway.dev", resource: "batchjobs/status", name: "j", verb: "update")),
        Case(method: "GET", path: "/apis/slipway.dev/v1alpha1/batchjobs", query: ["watch": "true", "resourceVersion": "7"], expected: .init(group: "slipway.dev", resource: "batchjobs", verb: "watch")),
        Case(method: "GET", path: "/api/v1/nodes", expected: .init(group: "", resource: "nodes", verb: "list")),
        Case(method: "GET", path: "/api/v1/nodes/n1", expected: .init(group: "", resource: "nodes", name: "n1", verb: "get")),
        Case(method: "GET", path: "/api/v1/namespaces", expected: .init(group: "", resource: "namespaces", verb: "list")),
        Case(method: "GET", path: "/api/v1/namespaces/team-a", expected: .init(namespace: "team-a", group: "", resource: "namespaces", name: "team-a", verb: "get")),
        Case(method: "PUT", path: "/api/v1/namespaces/team-a/finalize", expected: .init(namespace: "team-a", group: "", resource: "namespaces/finalize", name: "team-a", verb: "update")),
        Case(method: "GET", path: "/apis/coordination.k8s.io/v1/namespaces/s/leases/l", expected: .init(namespace: "s", group: "coordination.k8s.io", resource: "leases", name: "l", verb: "get")),
        Case(method: "PUT", path: "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/batchjobs.slipway.dev", expected: .init(group: "apiextensions.k8s.io", resource: "customresourcedefinitions", name: "batchjobs.slipway.dev", verb: "update")),
    ]

    @Test(arguments: cases)
    func mapsLikeTheAPIServer(_ c: Case) {
        let mapped = RequestMapper.map(method: c.method, path: c.path, query: c.query.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
        #expect(mapped == .resource(c.expected))
    }

    @Test(arguments: ["/version", "/api", "/apis", "/apis/slipway.dev", "/apis/slipway.dev/v1alpha1", "/openapi/v3"])
    func discoveryPathsAreNonResourceRequests(_ path: String) {
        #expect(RequestMapper.map(method: "GET", path: path) == .nonResource(NonResourceRequest(path: path, verb: "get")))
    }

    @Test func policyRulesMatchLikeRBAC() {
        let rule = PolicyRule(apiGroups: [""], resources: ["pods", "pods/log"], verbs: ["get", "list"])
        #expect(rule.allows(RBACRequest(namespace: "a", group: "", resource: "pods", name: "p", verb: "get")))
        #expect(!rule.allows(RBACRequest(namespace: "a", group: "", resource: "pods/exec", name: "p", verb: "get")), "a subresource is its own resource")
        #expect(!rule.allows(RBACRequest(namespace: "a", group: "apps", resource: "pods", verb: "list")), "the group must match")
        #expect(!rule.allows(RBACRequest(namespace: "a", group: "", resource: "pods", verb: "watch")))
        let named = PolicyRule(apiGroups: ["coordination.k8s.io"], resources: ["leases"], resourceNames: ["l"], verbs: ["get", "create"])
        #expect(named.allows(RBACRequest(namespace: "s", group: "coordination.k8s.io", resource: "leases", name: "l", verb: "get")))
        #expect(!named.allows(RBACRequest(namespace: "s", group: "coordination.k8s.io", resource: "leases", verb: "create")), "create has no name to match resourceNames")
        let wildcard = PolicyRule(apiGroups: ["*"], resources: ["*/status"], verbs: ["*"])
        #expect(wildcard.allows(RBACRequest(group: "slipway.dev", resource: "batchjobs/status", name: "j", verb: "patch")))
        #expect(!wildcard.allows(RBACRequest(group: "slipway.dev", resource: "batchjobs", name: "j", verb: "patch")))
    }

    /// The check can fail: what the operator must never do is refused by the default chart.
    @Test func theDefaultChartRefusesWhatTheOperatorDoesNotDo() async throws {
        let policy = try RBACPolicy(chart: try await Helm.locate().render())
        let recorder = RequestRecorder()
        recorder.observe(method: "GET", path: "/api/v1/namespaces/default/pods", query: [("watch", "true")], code: 200, seconds: 0)
        recorder.observe(method: "GET", path: "/api/v1/namespaces/default/secrets", query: [], code: 200, seconds: 0)
        recorder.observe(method: "GET", path: "/api/v1/namespaces/default/pods/p/log", query: [], code: 200, seconds: 0)
        recorder.observe(method: "PATCH", path: "/api/v1/nodes/n1", query: [], code: 200, seconds: 0)
        recorder.observe(method: "DELETE", path: "/api/v1/namespaces/default/pods", query: [], code: 200, seconds: 0)
        let refused = OperatorRBACTests.refused(recorder.distinct, by: policy)
        #expect(refused == [
            "list core/secrets in default", "get core/pods/log p in default", "patch core/nodes n1 (cluster-wide)",
            "deletecollection core/pods in default",
        ])
    }
}
