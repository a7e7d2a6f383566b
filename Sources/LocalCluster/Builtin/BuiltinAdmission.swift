import Foundation
import KubeAPI

/// How the real API server takes in a built-in object, step by step, for the kinds the
/// local server serves: the decoder's type checks (`400`), defaulting, the namespace
/// lifecycle (`404`/`403` before anything else), mutating admission (`403`), the registry
/// strategy's preparation (server-owned fields) and validation (`422`).
///
/// Each kind's rules live beside it (`PodDefaults`, `FieldChecks+Pod`, `ServiceRules`, …);
/// this type only runs them in the server's order.
enum BuiltinAdmission {
    /// The object as the decoder leaves it: type-checked and defaulted. Managed fields are
    /// recorded from this form, before admission adds anything.
    static func decode(_ type: ResourceType, _ object: JSONObject, old: JSONObject?) throws(Status) -> JSONObject {
        var object = object
        try decodeCheck(type, object)
        defaults(type, &object, old: old)
        return object
    }

    /// The object to store, or the error the real server answers.
    static func admit(
        _ type: ResourceType, _ object: JSONObject, old: JSONObject?, subresource: Subresource, context: inout AdmissionContext
    ) throws(Status) -> JSONObject {
        var object = object
        var name = object.meta("name")?.stringValue ?? ""
        if old == nil {
            if name.isEmpty, let prefix = object.meta("generateName")?.stringValue, !prefix.isEmpty {
                name = prefix + context.nameSuffix()
                object.setMeta("name", .string(name))
            }
            if type.namespaced, let namespace = context.namespace { object.setMeta("namespace", .string(namespace)) }
            object = object.ordered(GoFieldOrder.object)
            object["metadata"] = .object((object["metadata"]?.objectValue ?? JSONObject()).ordered(GoFieldOrder.metadata))
            try namespaceLifecycle(type, name: name, context: context)
            try mutatingAdmission(type, &object, name: name, context: &context)
            prepareForCreate(type, &object)
        } else if let old {
            // DefaultTolerationSeconds admits updates too: the two tolerations come back.
            if type == .pods, subresource == .main { object.editObject("spec") { PodAdmission.defaultTolerations(&$0) } }
            prepareForUpdate(type, &object, old: old, subresource: subresource)
        }
        guard subresource == .main else { return object }
        let errors = validate(type, object, old: old, context: &context)
        if !errors.isEmpty { throw StoreErrors.invalid(type, name: name, causes: errors.causes) }
        return object
    }

    /// The `400` answers of the decoder: values that do not fit the Go types.
    static func decodeCheck(_ type: ResourceType, _ object: JSONObject) throws(Status) {
        let message: String?
        switch type.qualifiedName {
        case ResourceType.pods.qualifiedName: message = ResourceQuantities.decodeErrors(pod: object)
        case ResourceType.configMaps.qualifiedName, ResourceType.secrets.qualifiedName: message = DataRules.decodeErrors(type, object)
        case ResourceType.leases.qualifiedName: message = LeaseRules.decodeErrors(object)
        default: message = nil
        }
        if let message {
            throw StoreErrors.badRequest("\(type.resource.kind) in version \"\(type.resource.version)\" cannot be handled as a \(type.resource.kind): \(message)")
        }
    }

    static func defaults(_ type: ResourceType, _ object: inout JSONObject, old: JSONObject?) {
        switch type.qualifiedName {
        case ResourceType.pods.qualifiedName: PodDefaults.apply(to: &object)
        case ResourceType.services.qualifiedName: ServiceRules.applyDefaults(&object)
        case ResourceType.secrets.qualifiedName: DataRules.secretDefaults(&object)
        case ResourceType.namespaces.qualifiedName: NamespaceRules.applyDefaults(&object)
        case ResourceType.events.qualifiedName: object = EventRules.canonicalCore(object)
        default: break
        }
    }

    /// `NamespaceLifecycle`: no new objects in a namespace that is missing or being deleted.
    static func namespaceLifecycle(_ type: ResourceType, name: String, context: AdmissionContext) throws(Status) {
        guard type.namespaced, let namespace = context.namespace else { return }
        guard let ns = context.lookup(.namespaces, namespace: nil, name: namespace) else { throw StoreErrors.namespaceNotFound(namespace) }
        if ns.meta("deletionTimestamp") != nil { throw StoreErrors.namespaceTerminating(type, name: name, namespace: namespace) }
    }

    static func mutatingAdmission(_ type: ResourceType, _ object: inout JSONObject, name: String, context: inout AdmissionContext) throws(Status) {
        switch type.qualifiedName {
        case ResourceType.pods.qualifiedName: try PodAdmission.admitCreate(&object, name: name, context: context)
        case ResourceType.services.qualifiedName: try ServiceRules.allocate(&object, context: context)
        default: break
        }
    }

    /// What the registry strategies set on create: a pod's `status` (phase and QoS class)
    /// and its grace period (negative becomes 1).
    static func prepareForCreate(_ type: ResourceType, _ object: inout JSONObject) {
        switch type.qualifiedName {
        case ResourceType.pods.qualifiedName:
            object["status"] = ["phase": "Pending", "qosClass": .string(PodQOS.classify(object))]
            raiseNegativeGrace(&object)
        case ResourceType.services.qualifiedName:
            object["status"] = ["loadBalancer": [:]]
        case ResourceType.namespaces.qualifiedName:
            NamespaceRules.prepareForCreate(&object)
        case ResourceType.leases.qualifiedName:
            LeaseRules.dropDisabledFields(&object)
        default: break
        }
        object = object.ordered(GoFieldOrder.object)
    }

    static func prepareForUpdate(_ type: ResourceType, _ object: inout JSONObject, old: JSONObject, subresource: Subresource) {
        guard subresource == .main else { return }
        switch type.qualifiedName {
        case ResourceType.pods.qualifiedName:
            raiseNegativeGrace(&object)
        case ResourceType.namespaces.qualifiedName:
            // The phase is the server's: it follows deletion, never the client.
            object["status"] = old["status"]
            object["spec"] = old["spec"]
        case ResourceType.services.qualifiedName:
            ServiceRules.keepAllocations(&object, old: old)
        case ResourceType.leases.qualifiedName:
            LeaseRules.dropDisabledFields(&object)
        default: break
        }
    }

    static func raiseNegativeGrace(_ pod: inout JSONObject) {
        pod.editObject("spec") { spec in
            if let grace = spec["terminationGracePeriodSeconds"]?.numberValue?.int64, grace < 0 { spec["terminationGracePeriodSeconds"] = 1 }
        }
    }

    static func validate(_ type: ResourceType, _ object: JSONObject, old: JSONObject?, context: inout AdmissionContext) -> [FieldError] {
        var errors = BuiltinValidation.nameErrors(.object(object), plural: type.resource.plural)
        errors += ObjectMetaValidation.validate(object, core: type.resource.group.isEmpty, checkName: false)
        switch type.qualifiedName {
        case ResourceType.pods.qualifiedName:
            errors += old.map { FieldChecks.validatePodUpdate(object, old: $0) } ?? FieldChecks.validatePod(object)
            if old == nil { context.warnings += PodWarnings.warnings(object) }
        case ResourceType.services.qualifiedName: errors += ServiceRules.validate(object, old: old)
        case ResourceType.configMaps.qualifiedName: errors += DataRules.validateConfigMap(object, old: old)
        case ResourceType.secrets.qualifiedName: errors += DataRules.validateSecret(object, old: old)
        case ResourceType.events.qualifiedName: errors += EventRules.validate(object, old: old, strict: context.strictEvents)
        case ResourceType.leases.qualifiedName: errors += LeaseRules.validate(object)
        case ResourceType.namespaces.qualifiedName: errors += NamespaceRules.validate(object)
        default: break
        }
        return errors
    }
}
