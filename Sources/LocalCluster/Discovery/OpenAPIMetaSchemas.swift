import KubeAPI

/// The `io.k8s.apimachinery.pkg.apis.meta.v1` schemas every OpenAPI v3 group-version
/// document of the real server carries (ObjectMeta, ListMeta, Status, DeleteOptions, Patch,
/// …), copied from the reference document with descriptions left out. ObjectMeta keeps the
/// `x-kubernetes-patch-*` annotations of `ownerReferences` (merge by uid) and `finalizers`
/// (merge), which `kubectl apply` reads to compute strategic merge patches.
enum OpenAPIMetaSchemas {
    static let prefix = "io.k8s.apimachinery.pkg.apis.meta.v1."

    /// Schema name → schema, in the reference document's order.
    static let all: JSONObject = {
        guard case .object(let schemas)? = try? JSON.parse(text) else { preconditionFailure("invalid meta schemas") }
        return schemas
    }()

    private static let text = #"""
    {
    "io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions": {"type":"object","properties":{"apiVersion":{"type":"string"},"dryRun":{"type":"array","items":{"type":"string"},"x-kubernetes-list-type":"atomic"},"gracePeriodSeconds":{"type":"integer","format":"int64"},"ignoreStoreReadErrorWithClusterBreakingPotential":{"type":"boolean"},"kind":{"type":"string"},"orphanDependents":{"type":"boolean"},"preconditions":{"allOf":[{"$ref":"#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.Preconditions"}]},"propagationPolicy":{"type":"string"}},"x-kubernetes-group-version-kind":[{"group":"","kind":"DeleteOptions","version":"v1"}]},
    "io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1": {"type":"object"},
    "io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta": {"type":"object","properties":{"continue":{"type":"string"},"remainingItemCount":{"type":"integer","format":"int64"},"resourceVersion":{"type":"string"},"selfLink":{"type":"string"},"shardInfo":{"allOf":[{"$ref":"#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ShardInfo"}]}}},
    "io.k8s.apimachinery.pkg.apis.meta.v1.ManagedFieldsEntry": {"type":"object","properties":{"apiVersion":{"type":"string"},"fieldsType":{"type":"string"},"fieldsV1":{"allOf":[{"$ref":"#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1"}]},"manager":{"type":"string"},"operation":{"type":"string"},"subresource":{"type":"string"},"time":{"allOf":[{"$ref":"#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.Time"}]}}},
    "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta": {"type":"object","properties":{"annotations":{"type":"object","additionalProperties":{"type":"string"}},"creationTimestamp":{"allOf":[{"$ref":"#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.Time"}]},"deletionGracePeriodSeconds":{"type":"integer","format":"int64"},"deletionTimestamp":{"allOf":[{"$ref":"#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.Time"}]},"finalizers":{"type":"array","items":{"type":"string"},"x-kubernetes-list-type":"set","x-kubernetes-patch-strategy":"merge"},"generateName":{"type":"string"},"generation":{"type":"integer","format":"int64"},"labels":{"type":"object","additionalProperties":{"type":"string"}},"managedFields":{"type":"array","items":{"$ref":"#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ManagedFieldsEntry"},"x-kubernetes-list-type":"atomic"},"name":{"type":"string"},"namespace":{"type":"string"},"ownerReferences":{"type":"array","items":{"$ref":"#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.OwnerReference"},"x-kubernetes-list-map-keys":["uid"],"x-kubernetes-list-type":"map","x-kubernetes-patch-merge-key":"uid","x-kubernetes-patch-strategy":"merge"},"resourceVersion":{"type":"string"},"selfLink":{"type":"string"},"uid":{"type":"string"}}},
    "io.k8s.apimachinery.pkg.apis.meta.v1.OwnerReference": {"type":"object","required":["apiVersion","kind","name","uid"],"properties":{"apiVersion":{"type":"string","default":""},"blockOwnerDeletion":{"type":"boolean"},"controller":{"type":"boolean"},"kind":{"type":"string","default":""},"name":{"type":"string","default":""},"uid":{"type":"string","default":""}},"x-kubernetes-map-type":"atomic"},
    "io.k8s.apimachinery.pkg.apis.meta.v1.Patch": {"type":"object"},
    "io.k8s.apimachinery.pkg.apis.meta.v1.Preconditions": {"type":"object","properties":{"resourceVersion":{"type":"string"},"uid":{"type":"string"}}},
    "io.k8s.apimachinery.pkg.apis.meta.v1.ShardInfo": {"type":"object","required":["selector"],"properties":{"selector":{"type":"string","default":""}}},
    "io.k8s.apimachinery.pkg.apis.meta.v1.Status": {"type":"object","properties":{"apiVersion":{"type":"string"},"code":{"type":"integer","format":"int32"},"details":{"allOf":[{"$ref":"#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.StatusDetails"}]},"kind":{"type":"string"},"message":{"type":"string"},"metadata":{"default":{},"allOf":[{"$ref":"#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta"}]},"reason":{"type":"string"},"status":{"type":"string"}},"x-kubernetes-group-version-kind":[{"group":"","kind":"Status","version":"v1"}]},
    "io.k8s.apimachinery.pkg.apis.meta.v1.StatusCause": {"type":"object","properties":{"field":{"type":"string"},"message":{"type":"string"},"reason":{"type":"string"}}},
    "io.k8s.apimachinery.pkg.apis.meta.v1.StatusDetails": {"type":"object","properties":{"causes":{"type":"array","items":{"$ref":"#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.StatusCause"},"x-kubernetes-list-type":"atomic"},"group":{"type":"string"},"kind":{"type":"string"},"name":{"type":"string"},"retryAfterSeconds":{"type":"integer","format":"int32"},"uid":{"type":"string"}}},
    "io.k8s.apimachinery.pkg.apis.meta.v1.Time": {"type":"string","format":"date-time"}
    }
    """#
}
