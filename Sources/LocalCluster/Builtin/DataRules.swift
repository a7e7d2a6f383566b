import Foundation
import KubeAPI

/// ConfigMaps and Secrets: string values, base64 for bytes, keys that can be file names,
/// at most 1 MiB of data, the required keys of typed Secrets, and immutability (`type`
/// always; `data` and `binaryData` once `immutable: true`).
enum DataRules {
    static let maxSize = 1_048_576

    /// The decoder's `400`: string maps hold strings; byte maps hold standard base64.
    static func decodeErrors(_ type: ResourceType, _ object: JSONObject) -> String? {
        let kind = type.resource.kind
        let stringMaps = kind == "ConfigMap" ? ["data"] : ["stringData"]
        let byteMaps = kind == "ConfigMap" ? ["binaryData"] : ["data"]
        for field in stringMaps {
            for (_, value) in object[field]?.objectValue ?? JSONObject() {
                if let name = goTypeName(value), name != "string" {
                    return "json: cannot unmarshal \(name) into Go struct field \(kind).\(field) of type string"
                }
            }
        }
        for field in byteMaps {
            for (_, value) in object[field]?.objectValue ?? JSONObject() {
                if let name = goTypeName(value), name != "string" {
                    return "json: cannot unmarshal \(name) into Go struct field \(kind).\(field) of type []uint8"
                }
                if case .failure(let error) = GoBase64.decode(value.stringValue ?? "") { return error.message }
            }
        }
        return nil
    }

    /// How Go's JSON errors name a value's type; nil for null (decoded as empty).
    static func goTypeName(_ value: JSONValue) -> String? {
        switch value {
        case .null: nil
        case .string: "string"
        case .number: "number"
        case .bool: "bool"
        case .array: "array"
        case .object: "object"
        }
    }

    /// Secrets: `stringData` merged into `data` (base64), and `type` defaulted to `Opaque`.
    static func secretDefaults(_ secret: inout JSONObject) {
        if let strings = secret["stringData"]?.objectValue {
            secret.editObject("data") { data in
                for (key, value) in strings { data[key] = .string(Data((value.stringValue ?? "").utf8).base64EncodedString()) }
            }
            secret.removeValue(forKey: "stringData")
        }
        if secret.string("type").isEmpty { secret["type"] = "Opaque" }
        secret = secret.ordered(["kind", "apiVersion", "metadata", "immutable", "data", "type"])
    }

    static func keyErrors(_ map: JSONObject?, field: String) -> [FieldError] {
        (map ?? JSONObject()).keys.flatMap { key in
            ValidationRules.configMapKey(key).map { FieldError(.invalid, field: "\(field)[\(key)]", value: .string(key), detail: $0) }
        }
    }

    /// The size a value counts for: the bytes it stands for.
    static func size(_ value: JSONValue, base64: Bool) -> Int {
        let text = value.stringValue ?? ""
        guard base64, case .success(let bytes) = GoBase64.decode(text) else { return text.utf8.count }
        return bytes.count
    }

    /// `ValidateConfigMap` and `ValidateConfigMapUpdate`.
    static func validateConfigMap(_ map: JSONObject, old: JSONObject?) -> [FieldError] {
        let data = map["data"]?.objectValue ?? JSONObject()
        let binary = map["binaryData"]?.objectValue ?? JSONObject()
        var errors = keyErrors(data, field: "data") + keyErrors(binary, field: "binaryData")
        for key in data.keys where binary[key] != nil {
            errors.append(FieldError(.invalid, field: "data[\(key)]", value: .string(key), detail: "duplicate of key present in binaryData"))
        }
        let total = data.reduce(0) { $0 + size($1.1, base64: false) } + binary.reduce(0) { $0 + size($1.1, base64: true) }
        if total > maxSize { errors.append(FieldError(.tooLong, field: "[]", detail: "may not be more than \(maxSize) bytes")) }
        if let old { errors += immutability(map, old: old, fields: ["data", "binaryData"]) }
        return errors
    }

    /// `ValidateSecret` and `ValidateSecretUpdate`.
    static func validateSecret(_ secret: JSONObject, old: JSONObject?) -> [FieldError] {
        let data = secret["data"]?.objectValue ?? JSONObject()
        var errors = keyErrors(data, field: "data")
        if data.reduce(0, { $0 + size($1.1, base64: true) }) > maxSize {
            errors.append(FieldError(.tooLong, field: "data", detail: "may not be more than \(maxSize) bytes"))
        }
        errors += typedSecretErrors(secret, data: data)
        if let old {
            if secret.string("type") != old.string("type") {
                errors.append(FieldError(.invalid, field: "type", value: .string(secret.string("type")), detail: "field is immutable"))
            }
            errors += immutability(secret, old: old, fields: ["data"])
        }
        return errors
    }

    /// The keys each built-in Secret type requires.
    static func typedSecretErrors(_ secret: JSONObject, data: JSONObject) -> [FieldError] {
        func required(_ key: String) -> FieldError { FieldError(.required, field: "data[\(key)]") }
        switch secret.string("type") {
        case "kubernetes.io/service-account-token":
            let annotations = secret.meta("annotations")?.objectValue ?? JSONObject()
            if (annotations["kubernetes.io/service-account.name"]?.stringValue ?? "").isEmpty {
                return [FieldError(.required, field: "metadata.annotations[kubernetes.io/service-account.name]")]
            }
        case "kubernetes.io/dockercfg": return jsonPayload(data, key: ".dockercfg")
        case "kubernetes.io/dockerconfigjson": return jsonPayload(data, key: ".dockerconfigjson")
        case "kubernetes.io/basic-auth":
            if data["username"] == nil, data["password"] == nil { return [required("username"), required("password")] }
        case "kubernetes.io/ssh-auth":
            if data["ssh-privatekey"] == nil { return [required("ssh-privatekey")] }
        case "kubernetes.io/tls":
            return ["tls.crt", "tls.key"].filter { data[$0] == nil }.map(required)
        default: break
        }
        return []
    }

    /// A key whose value must be a JSON document.
    static func jsonPayload(_ data: JSONObject, key: String) -> [FieldError] {
        guard let value = data[key] else { return [FieldError(.required, field: "data[\(key)]")] }
        guard case .success(let bytes) = GoBase64.decode(value.stringValue ?? "") else { return [] }
        do {
            _ = try JSON.parse(bytes)
            return []
        } catch {
            return [FieldError(.invalid, field: "data[\(key)]", value: "<secret contents redacted>", detail: "\(error)")]
        }
    }

    /// Once `immutable` is true, it and the data fields stay as they are.
    static func immutability(_ new: JSONObject, old: JSONObject, fields: [String]) -> [FieldError] {
        guard old["immutable"]?.boolValue == true else { return [] }
        var errors: [FieldError] = []
        if new["immutable"]?.boolValue != true {
            errors.append(FieldError(.forbidden, field: "immutable", detail: "field is immutable when `immutable` is set"))
        }
        for field in fields where (new[field]?.objectValue ?? JSONObject()) != (old[field]?.objectValue ?? JSONObject()) {
            errors.append(FieldError(.forbidden, field: field, detail: "field is immutable when `immutable` is set"))
        }
        return errors
    }
}
