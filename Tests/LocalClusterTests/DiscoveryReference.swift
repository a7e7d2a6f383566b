import Foundation
import KubeAPI
import Testing

@testable import LocalCluster

/// Access to the kube-apiserver wire reference (`../shared/reference/kube-api` beside the
/// clone) and the reference situation: the built-in registry plus the Gadget CRD of
/// `02-crd-apply-wait/crd.yaml`.
enum Reference {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("../shared/reference/kube-api").standardizedFileURL

    /// The record `folder/file`, following `_same_as` links. Records a test issue when the
    /// reference is missing.
    static func record(_ name: String) -> JSONValue? {
        let url = root.appendingPathComponent(name)
        guard let data = try? Data(contentsOf: url), let value = try? JSON.parse(data) else {
            Issue.record("wire reference missing or unreadable: \(url.path) (expected ../shared/reference beside the clone)")
            return nil
        }
        if let same = value["response"]?["body"]?["_same_as"]?.stringValue, let target = record(same) {
            var copy = value
            copy["response"] = value["response"].map { response in
                var r = response
                r["body"] = target["response"]?["body"]
                return r
            }
            return copy
        }
        return value
    }

    /// The recorded response body of `folder/file`.
    static func body(_ name: String) -> JSONValue? { record(name)?["response"]?["body"] }

    /// The Gadget schema of crd.yaml (as JSON).
    static let gadgetSchema = parse(#"""
    {"type":"object","description":"Gadget is a reference custom resource.","properties":{
      "spec":{"type":"object","required":["size"],"properties":{
        "size":{"type":"integer","minimum":1,"maximum":10,"description":"Required integer between 1 and 10."},
        "mode":{"type":"string","enum":["Safe","Fast"],"default":"Safe"},
        "serial":{"type":"string","pattern":"^[A-Z]{2}-[0-9]{4}$"},
        "settings":{"type":"object","description":"Free-form string map (additionalProperties).","additionalProperties":{"type":"string"}},
        "port":{"x-kubernetes-int-or-string":true,"description":"Port number or name."},
        "extra":{"type":"object","x-kubernetes-preserve-unknown-fields":true}}},
      "status":{"type":"object","properties":{
        "phase":{"type":"string"},
        "observedGeneration":{"type":"integer","format":"int64"},
        "conditions":{"type":"array","x-kubernetes-list-type":"map","x-kubernetes-list-map-keys":["type"],
          "items":{"type":"object","required":["type","status"],"properties":{
            "type":{"type":"string"},"status":{"type":"string","enum":["True","False","Unknown"]},
            "reason":{"type":"string"},"message":{"type":"string"},
            "lastTransitionTime":{"type":"string","format":"date-time"}}}}}}}}
    """#)

    /// `gadgets.reference.example.com`, served as the real server serves it (CR verbs in
    /// the CRD handler's order).
    static let gadgets = ServedResource(
        type: ResourceType(
            APIResource(group: "reference.example.com", version: "v1", kind: "Gadget", plural: "gadgets", namespaced: true),
            hasStatusSubresource: true, isCustom: true),
        singular: "gadget", shortNames: ["gd"], categories: ["reference"],
        verbs: ["delete", "deletecollection", "get", "list", "patch", "create", "update", "watch"], subresources: ["status"],
        printerColumns: [
            PrinterColumn(name: "Size", type: "integer", description: "Requested size", jsonPath: ".spec.size"),
            PrinterColumn(name: "Phase", type: "string", description: "Observed phase (shown only with -o wide)", priority: 1, jsonPath: ".status.phase"),
        ],
        schema: gadgetSchema, crdName: "gadgets.reference.example.com")

    static var registry: ResourceRegistry {
        var registry = ResourceRegistry()
        registry.setCustomResources([gadgets], forCRD: "gadgets.reference.example.com")
        return registry
    }

    /// Paths where `ours` and `reference` differ in shape (object keys, array lengths,
    /// value kinds), ignoring the keys in `ignoring`.
    static func shapeDifferences(_ ours: JSONValue, _ reference: JSONValue, path: String = "$", ignoring: Set<String> = []) -> [String] {
        switch (ours, reference) {
        case (.object(let a), .object(let b)):
            let ka = Set(a.keys).subtracting(ignoring), kb = Set(b.keys).subtracting(ignoring)
            var diffs = ka.symmetricDifference(kb).sorted().map { "\(path).\($0): only in \(ka.contains($0) ? "ours" : "reference")" }
            for key in ka.intersection(kb).sorted() {
                diffs += shapeDifferences(a[key]!, b[key]!, path: "\(path).\(key)", ignoring: ignoring)
            }
            return diffs
        case (.array(let a), .array(let b)):
            guard a.count == b.count else { return ["\(path): \(a.count) items, reference \(b.count)"] }
            return zip(a, b).enumerated().flatMap { shapeDifferences($1.0, $1.1, path: "\(path)[\($0)]", ignoring: ignoring) }
        case (.null, .null), (.bool, .bool), (.number, .number), (.string, .string): return []
        default: return ["\(path): \(ours) vs reference \(reference)"]
        }
    }
}

extension JSONValue {
    /// The `index`th element of an array value.
    func element(_ index: Int) -> JSONValue? {
        guard let items = arrayValue, items.indices.contains(index) else { return nil }
        return items[index]
    }
}
