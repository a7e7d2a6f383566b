import Foundation
import KubeAPI
import Testing

@testable import LocalCluster

@Suite("Discovery documents against the wire reference")
struct DiscoveryTests {
    @Test func versionHasTheRealServerFields() throws {
        let reference = try #require(Reference.body("01-version-discovery/001-GET-version.json"))
        let ours = Discovery.version()
        #expect(Array(ours.objectValue!.keys) == Array(reference.objectValue!.keys))
        #expect(ours["major"] == "1")
        #expect(ours["minor"] == "36")
        #expect(ours["gitVersion"] == "v1.36.0-slipway")
        #expect(ours["platform"]?.stringValue?.contains("/") == true)
    }

    /// Our entry for every resource we serve equals the reference's, except that the
    /// reference's subresources we do not serve (exec, attach, proxy, …) are left out.
    static func compareAggregated(_ ours: JSONValue, _ reference: JSONValue) -> [String] {
        var problems: [String] = []
        #expect(ours["kind"] == reference["kind"])
        #expect(ours["apiVersion"] == reference["apiVersion"])
        for item in ours["items"]?.arrayValue ?? [] {
            let name = item["metadata"]?["name"]
            guard let refItem = reference["items"]?.arrayValue?.first(where: { $0["metadata"]?["name"] == name }) else {
                problems.append("group \(String(describing: name)) missing in reference"); continue
            }
            #expect(item["metadata"] == refItem["metadata"])
            for version in item["versions"]?.arrayValue ?? [] {
                let refVersion = refItem["versions"]?.arrayValue?.first { $0["version"] == version["version"] }
                #expect(version["freshness"] == "Current")
                for resource in version["resources"]?.arrayValue ?? [] {
                    guard var expected = refVersion?["resources"]?.arrayValue?.first(where: { $0["resource"] == resource["resource"] }) else {
                        problems.append("resource \(resource["resource"]!) missing in reference"); continue
                    }
                    let ourSubs = Set((resource["subresources"]?.arrayValue ?? []).compactMap { $0["subresource"]?.stringValue })
                    if let subs = expected["subresources"]?.arrayValue {
                        let kept = subs.filter { ourSubs.contains($0["subresource"]?.stringValue ?? "") }
                        expected["subresources"] = kept.isEmpty ? nil : .array(kept)
                    }
                    if resource != expected { problems.append("\(resource["resource"]!): \(resource) != \(expected)") }
                }
            }
        }
        return problems
    }

    @Test func aggregatedCoreMatchesReference() throws {
        let reference = try #require(Reference.body("01-version-discovery/004-GET-api.json"))
        let ours = Discovery.aggregatedCore(Reference.registry)
        #expect(Self.compareAggregated(ours, reference) == [])
        let resources = ours["items"]?.element(0)?["versions"]?.element(0)?["resources"]?.arrayValue?.compactMap { $0["resource"]?.stringValue }
        #expect(resources == ["bindings", "configmaps", "events", "namespaces", "nodes", "pods", "secrets", "serviceaccounts", "services"])
    }

    @Test func aggregatedGroupsMatchReference() throws {
        let reference = try #require(Reference.body("03-apply-gadget/006-GET-apis.json"))
        let ours = Discovery.aggregatedGroups(Reference.registry)
        #expect(Self.compareAggregated(ours, reference) == [])
        let groups = ours["items"]?.arrayValue?.compactMap { $0["metadata"]?["name"]?.stringValue }
        #expect(groups == ["events.k8s.io", "apiextensions.k8s.io", "scheduling.k8s.io", "coordination.k8s.io", "reference.example.com"])
    }

    @Test func legacyVersionsAndGroups() throws {
        let versions = try #require(Reference.body("16-legacy-discovery/002-GET-api.json"))
        #expect(Discovery.apiVersions(Reference.registry, serverAddress: "127.0.0.1:6443") == versions)
        let groups = try #require(Reference.body("16-legacy-discovery/003-GET-apis.json"))
        let ours = Discovery.apiGroupList(Reference.registry)
        #expect(ours["kind"] == groups["kind"] && ours["apiVersion"] == groups["apiVersion"])
        for group in ours["groups"]?.arrayValue ?? [] {
            #expect(groups["groups"]?.arrayValue?.contains(group) == true, "\(group)")
        }
    }

    @Test(arguments: [
        ("16-legacy-discovery/019-GET-apis_reference.example.com_v1.json", "reference.example.com", "v1"),
        ("16-legacy-discovery/023-GET-apis_coordination.k8s.io_v1.json", "coordination.k8s.io", "v1"),
        ("16-legacy-discovery/017-GET-apis_apiextensions.k8s.io_v1.json", "apiextensions.k8s.io", "v1"),
        ("16-legacy-discovery/006-GET-api_v1.json", "", "v1"),
    ])
    func legacyResourceListsMatchReference(file: String, group: String, version: String) throws {
        let reference = try #require(Reference.body(file))
        let ours = try #require(Discovery.apiResourceList(Reference.registry, group: group, version: version))
        #expect(Array(ours.objectValue!.keys) == Array(reference.objectValue!.keys))
        #expect(ours["groupVersion"] == reference["groupVersion"])
        let refEntries = reference["resources"]?.arrayValue ?? []
        for entry in ours["resources"]?.arrayValue ?? [] {
            let expected = refEntries.first { $0["name"] == entry["name"] }
            #expect(entry == expected, "\(entry["name"]!)")
        }
    }

    @Test func unknownGroupVersionHasNoResourceList() {
        #expect(Discovery.apiResourceList(Reference.registry, group: "nope.example.com", version: "v1") == nil)
    }

    @Test(arguments: [
        ("application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json",
         DiscoveryFormat.aggregated(version: "v2")),
        ("application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json", .aggregated(version: "v2beta1")),
        ("application/json; g=apidiscovery.k8s.io; v=v2; as=APIGroupDiscoveryList", .aggregated(version: "v2")),
        ("application/json;g=apidiscovery.k8s.io;v=v1;as=APIGroupDiscoveryList,application/json", .legacy),
        ("application/json, */*", .legacy),
        ("application/json", .legacy),
        ("", .legacy),
    ])
    func negotiation(accept: String, expected: DiscoveryFormat) {
        #expect(DiscoveryFormat.negotiate(accept: accept) == expected)
    }

    @Test func contentTypes() throws {
        let reference = try #require(Reference.record("01-version-discovery/004-GET-api.json"))
        #expect(DiscoveryFormat.aggregated(version: "v2").contentType == reference["response"]?["headers"]?["Content-Type"]?.stringValue)
        #expect(DiscoveryFormat.legacy.contentType == "application/json")
        #expect(DiscoveryFormat.negotiate(accept: nil) == .legacy)
        #expect(DiscoveryFormat.aggregated(version: "v2beta1").aggregatedAPIVersion == "apidiscovery.k8s.io/v2beta1")
    }

    @Test func etagIsStableAndQuoted() {
        let a = Discovery.etag(for: Discovery.aggregatedCore(Reference.registry))
        #expect(a == Discovery.etag(for: Discovery.aggregatedCore(Reference.registry)))
        #expect(a.hasPrefix("\"") && a.hasSuffix("\"") && a.count == 66)
        #expect(a != Discovery.etag(for: Discovery.aggregatedGroups(Reference.registry)))
    }

    @Test func sha256KnownAnswers() {
        #expect(SHA256.hexDigest(Array("abc".utf8)) == "BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD")
        #expect(SHA256.hexDigest([]) == "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855")
        #expect(SHA256.base64(Array("ab".utf8)) == "YWI=")
        #expect(Reference.gadgets.storageVersionHash == "65idHUC4K68=")
    }
}
