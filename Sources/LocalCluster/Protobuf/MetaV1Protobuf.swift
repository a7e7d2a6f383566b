import Foundation
import KubeAPI

/// Decoders for the `k8s.io/apimachinery/pkg/apis/meta/v1` messages that objects embed:
/// `ObjectMeta`, `OwnerReference`, `ManagedFieldsEntry` and `Time`.
///
/// Each returns the JSON form: empty strings, zero numbers and empty lists or maps are
/// omitted, as `omitempty` does; a zero `Time` is omitted (its JSON form is `null`).
enum MetaV1Protobuf {
    /// `ObjectMeta`: name 1, generateName 2, namespace 3, selfLink 4, uid 5,
    /// resourceVersion 6, generation 7, creationTimestamp 8, deletionTimestamp 9,
    /// deletionGracePeriodSeconds 10, labels 11, annotations 12, ownerReferences 13,
    /// finalizers 14, managedFields 17.
    static func objectMeta(_ bytes: ArraySlice<UInt8>) throws(ProtobufDecodingError) -> JSONObject {
        var meta = JSONObject()
        var reader = ProtobufReader(bytes)
        while let field = try reader.nextField() {
            let wire = field.wireType
            switch field.number {
            case 1: meta.setNonEmpty("name", try reader.readString(wire, field: "metadata.name"))
            case 2: meta.setNonEmpty("generateName", try reader.readString(wire, field: "metadata.generateName"))
            case 3: meta.setNonEmpty("namespace", try reader.readString(wire, field: "metadata.namespace"))
            case 4: meta.setNonEmpty("selfLink", try reader.readString(wire, field: "metadata.selfLink"))
            case 5: meta.setNonEmpty("uid", try reader.readString(wire, field: "metadata.uid"))
            case 6: meta.setNonEmpty("resourceVersion", try reader.readString(wire, field: "metadata.resourceVersion"))
            case 7: meta.setNonZero("generation", try reader.readInt64(wire, field: "metadata.generation"))
            case 8: meta["creationTimestamp"] = try time(reader.readMessage(wire, field: "metadata.creationTimestamp"))
            case 9: meta["deletionTimestamp"] = try time(reader.readMessage(wire, field: "metadata.deletionTimestamp"))
            case 10:
                let seconds = try reader.readInt64(wire, field: "metadata.deletionGracePeriodSeconds")
                meta["deletionGracePeriodSeconds"] = .number(JSONNumber(seconds))
            case 11: try meta.addMapEntry("labels", stringEntry(reader.readMessage(wire, field: "metadata.labels"), field: "metadata.labels"))
            case 12:
                let entry = try reader.readMessage(wire, field: "metadata.annotations")
                try meta.addMapEntry("annotations", stringEntry(entry, field: "metadata.annotations"))
            case 13: meta.appendToList("ownerReferences", .object(try ownerReference(reader.readMessage(wire, field: "metadata.ownerReferences"))))
            case 14: meta.appendToList("finalizers", .string(try reader.readString(wire, field: "metadata.finalizers")))
            case 17: meta.appendToList("managedFields", .object(try managedFields(reader.readMessage(wire, field: "metadata.managedFields"))))
            default: try reader.skip(wire)
            }
        }
        return meta
    }

    /// `OwnerReference`: kind 1, name 3, uid 4, apiVersion 5, controller 6,
    /// blockOwnerDeletion 7 — returned in the JSON field order.
    static func ownerReference(_ bytes: ArraySlice<UInt8>) throws(ProtobufDecodingError) -> JSONObject {
        var strings: [Int: String] = [:]
        var flags: [Int: Bool] = [:]
        var reader = ProtobufReader(bytes)
        while let field = try reader.nextField() {
            switch field.number {
            case 1, 3, 4, 5: strings[field.number] = try reader.readString(field.wireType, field: "ownerReferences[\(field.number)]")
            case 6, 7: flags[field.number] = try reader.readBool(field.wireType, field: "ownerReferences[\(field.number)]")
            default: try reader.skip(field.wireType)
            }
        }
        var result = JSONObject()
        for (key, number) in [("apiVersion", 5), ("kind", 1), ("name", 3), ("uid", 4)] {
            result[key] = .string(strings[number] ?? "")
        }
        if let controller = flags[6] { result["controller"] = .bool(controller) }
        if let block = flags[7] { result["blockOwnerDeletion"] = .bool(block) }
        return result
    }

    /// `ManagedFieldsEntry`: manager 1, operation 2, apiVersion 3, time 4, fieldsType 6,
    /// fieldsV1 7 (a message whose field 1 is the JSON text), subresource 8.
    static func managedFields(_ bytes: ArraySlice<UInt8>) throws(ProtobufDecodingError) -> JSONObject {
        var entry = JSONObject()
        var reader = ProtobufReader(bytes)
        while let field = try reader.nextField() {
            let wire = field.wireType
            switch field.number {
            case 1: entry.setNonEmpty("manager", try reader.readString(wire, field: "managedFields.manager"))
            case 2: entry.setNonEmpty("operation", try reader.readString(wire, field: "managedFields.operation"))
            case 3: entry.setNonEmpty("apiVersion", try reader.readString(wire, field: "managedFields.apiVersion"))
            case 4: entry["time"] = try time(reader.readMessage(wire, field: "managedFields.time"))
            case 6: entry.setNonEmpty("fieldsType", try reader.readString(wire, field: "managedFields.fieldsType"))
            case 7: entry["fieldsV1"] = try fieldsV1(reader.readMessage(wire, field: "managedFields.fieldsV1"))
            case 8: entry.setNonEmpty("subresource", try reader.readString(wire, field: "managedFields.subresource"))
            default: try reader.skip(wire)
            }
        }
        return entry
    }

    /// `FieldsV1`: field 1 holds the JSON document as bytes.
    static func fieldsV1(_ bytes: ArraySlice<UInt8>) throws(ProtobufDecodingError) -> JSONValue? {
        var reader = ProtobufReader(bytes)
        var value: JSONValue?
        while let field = try reader.nextField() {
            guard field.number == 1 else { try reader.skip(field.wireType); continue }
            let raw = try reader.readMessage(field.wireType, field: "managedFields.fieldsV1")
            do { value = try JSON.parse(raw) } catch { throw .malformed("managedFields.fieldsV1 is not JSON") }
        }
        return value
    }

    /// `Time`: seconds 1 (int64), nanos 2 (int32). The JSON form has second precision;
    /// the zero time is nil.
    static func time(_ bytes: ArraySlice<UInt8>) throws(ProtobufDecodingError) -> JSONValue? {
        var seconds: Int64 = 0
        var nanos: Int64 = 0
        var reader = ProtobufReader(bytes)
        while let field = try reader.nextField() {
            switch field.number {
            case 1: seconds = try reader.readInt64(field.wireType, field: "time.seconds")
            case 2: nanos = try reader.readInt64(field.wireType, field: "time.nanos")
            default: try reader.skip(field.wireType)
            }
        }
        if seconds == 0 && nanos == 0 { return nil }
        return Date(timeIntervalSince1970: TimeInterval(seconds)).json
    }

    /// `DeleteOptions`, the body client-go's typed clients send with DELETE (Helm's
    /// Secret storage driver does): gracePeriodSeconds 1, preconditions 2 (uid 1,
    /// resourceVersion 2), orphanDependents 3, propagationPolicy 4, dryRun 5 (repeated).
    /// Fields are present only when set (proto2 `optional`), as in the JSON form.
    static func deleteOptions(_ bytes: ArraySlice<UInt8>) throws(ProtobufDecodingError) -> JSONObject {
        var object = JSONObject()
        var reader = ProtobufReader(bytes)
        while let field = try reader.nextField() {
            let wire = field.wireType
            switch field.number {
            case 1: object["gracePeriodSeconds"] = .number(JSONNumber(try reader.readInt64(wire, field: "gracePeriodSeconds")))
            case 2: object["preconditions"] = .object(try preconditions(reader.readMessage(wire, field: "preconditions")))
            case 3: object["orphanDependents"] = .bool(try reader.readBool(wire, field: "orphanDependents"))
            case 4: object["propagationPolicy"] = .string(try reader.readString(wire, field: "propagationPolicy"))
            case 5: object.appendToList("dryRun", .string(try reader.readString(wire, field: "dryRun")))
            default: try reader.skip(wire)
            }
        }
        return object.reorderedForJSON(["gracePeriodSeconds", "preconditions", "orphanDependents", "propagationPolicy", "dryRun"])
    }

    /// `Preconditions`: uid 1, resourceVersion 2.
    static func preconditions(_ bytes: ArraySlice<UInt8>) throws(ProtobufDecodingError) -> JSONObject {
        var object = JSONObject()
        var reader = ProtobufReader(bytes)
        while let field = try reader.nextField() {
            switch field.number {
            case 1: object["uid"] = .string(try reader.readString(field.wireType, field: "preconditions.uid"))
            case 2: object["resourceVersion"] = .string(try reader.readString(field.wireType, field: "preconditions.resourceVersion"))
            default: try reader.skip(field.wireType)
            }
        }
        return object
    }

    /// A `map<string, string>` entry: key 1, value 2.
    static func stringEntry(_ bytes: ArraySlice<UInt8>, field: String) throws(ProtobufDecodingError) -> (String, JSONValue) {
        let (key, value) = try mapEntry(bytes, field: field)
        guard let text = String(bytes: value, encoding: .utf8) else { throw .invalidUTF8(field: "\(field)[\(key)]") }
        return (key, .string(text))
    }

    /// A `map<string, bytes>` entry, the value in base64 as the JSON form has it.
    static func bytesEntry(_ bytes: ArraySlice<UInt8>, field: String) throws(ProtobufDecodingError) -> (String, JSONValue) {
        let (key, value) = try mapEntry(bytes, field: field)
        return (key, .string(Data(value).base64EncodedString()))
    }

    private static func mapEntry(_ bytes: ArraySlice<UInt8>, field: String) throws(ProtobufDecodingError) -> (String, ArraySlice<UInt8>) {
        var key = ""
        var value: ArraySlice<UInt8> = []
        var reader = ProtobufReader(bytes)
        while let entry = try reader.nextField() {
            switch entry.number {
            case 1: key = try reader.readString(entry.wireType, field: "\(field) key")
            case 2: value = try reader.readMessage(entry.wireType, field: "\(field) value")
            default: try reader.skip(entry.wireType)
            }
        }
        return (key, value)
    }
}

extension JSONObject {
    /// Sets a string field unless it is empty (`omitempty`).
    mutating func setNonEmpty(_ key: String, _ value: String) {
        if !value.isEmpty { self[key] = .string(value) }
    }

    /// Sets an integer field unless it is zero (`omitempty`).
    mutating func setNonZero(_ key: String, _ value: Int64) {
        if value != 0 { self[key] = .number(JSONNumber(value)) }
    }

    /// Adds one entry to the map-valued field `key`, creating it when needed.
    mutating func addMapEntry(_ key: String, _ entry: (String, JSONValue)) {
        var map = self[key]?.objectValue ?? JSONObject()
        map[entry.0] = entry.1
        self[key] = .object(map)
    }

    /// Appends one element to the list-valued field `key`, creating it when needed.
    mutating func appendToList(_ key: String, _ element: JSONValue) {
        var list = self[key]?.arrayValue ?? []
        list.append(element)
        self[key] = .array(list)
    }
}
