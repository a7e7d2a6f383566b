import Foundation
import KubeAPI
import Testing

@testable import LocalCluster

let gadgets = ResourceType(
    APIResource(group: "reference.example.com", version: "v1", kind: "Gadget", plural: "gadgets", namespaced: true),
    hasStatusSubresource: true, isCustom: true)

/// A store with namespace `demo`.
func makeStore(historyLimit: Int = 1000) throws -> ObjectStore {
    var store = ObjectStore(configuration: .init(historyLimit: historyLimit))
    _ = try store.create(.namespaces, obj(#"{"metadata":{"name":"demo"}}"#), now: t0)
    return store
}

func configMap(_ name: String, labels: String = "{}", extra: String = "") -> JSONObject {
    obj(#"{"metadata":{"name":"\#(name)","namespace":"demo","labels":\#(labels)\#(extra)},"data":{"k":"v"}}"#)
}

func gadget(_ name: String, size: Int = 1) -> JSONObject {
    obj(#"{"apiVersion":"reference.example.com/v1","kind":"Gadget","metadata":{"name":"\#(name)","namespace":"demo"},"spec":{"size":\#(size)}}"#)
}

func owned(_ name: String, by owner: JSONObject, block: Bool = false) -> JSONObject {
    var o = configMap(name)
    o.metadata.ownerReferences = [OwnerReference(apiVersion: "v1", kind: "ConfigMap", name: owner.metadata.name ?? "", uid: owner.metadata.uid ?? "", blockOwnerDeletion: block)]
    return o
}

func status(of operation: () throws(Status) -> Void) -> Status? {
    do { try operation(); return nil } catch { return error }
}
