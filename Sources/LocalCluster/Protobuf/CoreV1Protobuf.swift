import KubeAPI

/// Decoders for the `k8s.io/api/core/v1` kinds that kubectl's typed client sends as
/// protobuf. Each returns the object's fields other than `kind` and `apiVersion`, in
/// the order of the JSON form.
enum CoreV1Protobuf {
    /// `ConfigMap`: metadata 1, data 2 (`map<string, string>`), binaryData 3
    /// (`map<string, bytes>`, base64 in JSON), immutable 4.
    static func configMap(_ bytes: ArraySlice<UInt8>) throws(ProtobufDecodingError) -> JSONObject {
        var object = JSONObject()
        var reader = ProtobufReader(bytes)
        while let field = try reader.nextField() {
            let wire = field.wireType
            switch field.number {
            case 1: object["metadata"] = .object(try MetaV1Protobuf.objectMeta(reader.readMessage(wire, field: "metadata")))
            case 2: object.addMapEntry("data", try MetaV1Protobuf.stringEntry(reader.readMessage(wire, field: "data"), field: "data"))
            case 3:
                let entry = try reader.readMessage(wire, field: "binaryData")
                object.addMapEntry("binaryData", try MetaV1Protobuf.bytesEntry(entry, field: "binaryData"))
            case 4: object["immutable"] = .bool(try reader.readBool(wire, field: "immutable"))
            default: try reader.skip(wire)
            }
        }
        return object.reorderedForJSON(["metadata", "immutable", "data", "binaryData"])
    }

    /// `Secret`: metadata 1, data 2 (`map<string, bytes>`, base64 in JSON), type 3,
    /// stringData 4 (`map<string, string>`), immutable 5.
    static func secret(_ bytes: ArraySlice<UInt8>) throws(ProtobufDecodingError) -> JSONObject {
        var object = JSONObject()
        var reader = ProtobufReader(bytes)
        while let field = try reader.nextField() {
            let wire = field.wireType
            switch field.number {
            case 1: object["metadata"] = .object(try MetaV1Protobuf.objectMeta(reader.readMessage(wire, field: "metadata")))
            case 2: object.addMapEntry("data", try MetaV1Protobuf.bytesEntry(reader.readMessage(wire, field: "data"), field: "data"))
            case 3: object.setNonEmpty("type", try reader.readString(wire, field: "type"))
            case 4:
                let entry = try reader.readMessage(wire, field: "stringData")
                object.addMapEntry("stringData", try MetaV1Protobuf.stringEntry(entry, field: "stringData"))
            case 5: object["immutable"] = .bool(try reader.readBool(wire, field: "immutable"))
            default: try reader.skip(wire)
            }
        }
        return object.reorderedForJSON(["metadata", "immutable", "data", "stringData", "type"])
    }

    /// `Namespace`: metadata 1, spec 2 (`finalizers` 1), status 3 (`phase` 1,
    /// `conditions` 2). `spec` and `status` appear (possibly empty) when sent, as in the
    /// JSON form, where they are not `omitempty`.
    static func namespace(_ bytes: ArraySlice<UInt8>) throws(ProtobufDecodingError) -> JSONObject {
        var object = JSONObject()
        var reader = ProtobufReader(bytes)
        while let field = try reader.nextField() {
            let wire = field.wireType
            switch field.number {
            case 1: object["metadata"] = .object(try MetaV1Protobuf.objectMeta(reader.readMessage(wire, field: "metadata")))
            case 2: object["spec"] = .object(try namespaceSpec(reader.readMessage(wire, field: "spec")))
            case 3: object["status"] = .object(try namespaceStatus(reader.readMessage(wire, field: "status")))
            default: try reader.skip(wire)
            }
        }
        return object
    }

    private static func namespaceSpec(_ bytes: ArraySlice<UInt8>) throws(ProtobufDecodingError) -> JSONObject {
        var spec = JSONObject()
        var reader = ProtobufReader(bytes)
        while let field = try reader.nextField() {
            guard field.number == 1 else { try reader.skip(field.wireType); continue }
            spec.appendToList("finalizers", .string(try reader.readString(field.wireType, field: "spec.finalizers")))
        }
        return spec
    }

    private static func namespaceStatus(_ bytes: ArraySlice<UInt8>) throws(ProtobufDecodingError) -> JSONObject {
        var status = JSONObject()
        var reader = ProtobufReader(bytes)
        while let field = try reader.nextField() {
            let wire = field.wireType
            switch field.number {
            case 1: status.setNonEmpty("phase", try reader.readString(wire, field: "status.phase"))
            case 2: status.appendToList("conditions", .object(try namespaceCondition(reader.readMessage(wire, field: "status.conditions"))))
            default: try reader.skip(wire)
            }
        }
        return status
    }

    /// `NamespaceCondition`: type 1, status 2, lastTransitionTime 4, reason 5, message 6.
    private static func namespaceCondition(_ bytes: ArraySlice<UInt8>) throws(ProtobufDecodingError) -> JSONObject {
        var condition = JSONObject()
        var reader = ProtobufReader(bytes)
        while let field = try reader.nextField() {
            let wire = field.wireType
            switch field.number {
            case 1: condition.setNonEmpty("type", try reader.readString(wire, field: "conditions.type"))
            case 2: condition.setNonEmpty("status", try reader.readString(wire, field: "conditions.status"))
            case 4: condition["lastTransitionTime"] = try MetaV1Protobuf.time(reader.readMessage(wire, field: "conditions.lastTransitionTime"))
            case 5: condition.setNonEmpty("reason", try reader.readString(wire, field: "conditions.reason"))
            case 6: condition.setNonEmpty("message", try reader.readString(wire, field: "conditions.message"))
            default: try reader.skip(wire)
            }
        }
        return condition
    }
}

extension JSONObject {
    /// The same object with `keys` (those present) first, in that order, then the rest.
    func reorderedForJSON(_ keys: [String]) -> JSONObject {
        var result = JSONObject()
        for key in keys { if let value = self[key] { result[key] = value } }
        for (key, value) in self where result[key] == nil { result[key] = value }
        return result
    }
}
