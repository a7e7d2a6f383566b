import Foundation

/// The syntax checks of `k8s.io/apimachinery/pkg/util/validation` that the built-in kinds
/// use, each returning the real server's messages (empty when valid).
enum ValidationRules {
    static func regexError(_ message: String, _ format: String, _ examples: String...) -> String {
        let shown = examples.map { "'\($0)'" }.joined(separator: ",  or ")
        return "\(message) (e.g. \(shown), regex used for validation is '\(format)')"
    }

    static let qualifiedNameFormat = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]"
    static let labelValueFormat = "(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?"
    static let configMapKeyFormat = "[-._a-zA-Z0-9]+"

    /// `IsQualifiedName`: `[prefix/]name`, as label keys, annotation keys and finalizers are.
    static func qualifiedName(_ value: String) -> [String] {
        let parts = value.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        var name = value
        var errors: [String] = []
        switch parts.count {
        case 1: name = parts[0]
        case 2:
            name = parts[1]
            if parts[0].isEmpty {
                errors.append("prefix part must be non-empty")
            } else {
                errors += NameValidation.dns1123Subdomain(parts[0]).map { "prefix part " + $0 }
            }
        default:
            return [
                "a qualified name "
                    + regexError(
                        "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
                        qualifiedNameFormat, "MyName", "my.name", "123-abc")
                    + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"
            ]
        }
        if name.isEmpty {
            errors.append("name part must be non-empty")
        } else if name.utf8.count > 63 {
            errors.append("name part must be no more than 63 bytes")
        }
        if !NameValidation.fullMatch(name, qualifiedNameFormat) {
            errors.append(
                "name part "
                    + regexError(
                        "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
                        qualifiedNameFormat, "MyName", "my.name", "123-abc"))
        }
        return errors
    }

    /// `IsValidLabelValue`.
    static func labelValue(_ value: String) -> [String] {
        var errors: [String] = []
        if value.utf8.count > 63 { errors.append("must be no more than 63 bytes") }
        if !NameValidation.fullMatch(value, labelValueFormat) {
            errors.append(
                regexError(
                    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
                    labelValueFormat, "MyValue", "my_value", "12345"))
        }
        return errors
    }

    /// `IsValidPortName`: an IANA service name.
    static func portName(_ value: String) -> [String] {
        var errors: [String] = []
        if value.count > 15 { errors.append("must be no more than 15 characters") }
        if !NameValidation.fullMatch(value, "[-a-z0-9]+") {
            errors.append("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)")
        }
        if !value.contains(where: { $0.isASCII && $0.isLowercase }) { errors.append("must contain at least one letter (a-z)") }
        if value.contains("--") { errors.append("must not contain consecutive hyphens (-)") }
        if value.hasPrefix("-") || value.hasSuffix("-") { errors.append("must not begin or end with a hyphen (-)") }
        return errors
    }

    /// `IsValidPortNum`.
    static func portNumber(_ value: Int64) -> [String] {
        (1...65535).contains(value) ? [] : ["must be between 1 and 65535, inclusive"]
    }

    /// `IsConfigMapKey`: keys of ConfigMaps and Secrets, and of `items` in volumes.
    static func configMapKey(_ value: String) -> [String] {
        var errors: [String] = []
        if value.utf8.count > 253 { errors.append("must be no more than 253 characters") }
        if !NameValidation.fullMatch(value, configMapKeyFormat) {
            errors.append(
                regexError(
                    "a valid config key must consist of alphanumeric characters, '-', '_' or '.'", configMapKeyFormat, "key.name",
                    "KEY_NAME", "key-name"))
        }
        if value == "." { errors.append("must not be '.'") }
        if value == ".." {
            errors.append("must not be '..'")
        } else if value.hasPrefix("..") {
            errors.append("must not start with '..'")
        }
        return errors
    }

    /// `IsRelaxedEnvVarName`: printable ASCII other than `=`.
    static func environmentVariableName(_ value: String) -> [String] {
        let ok = value.unicodeScalars.allSatisfy { (32...126).contains($0.value) && $0 != "=" }
        return ok ? [] : ["a valid environment variable name must consist only of printable ASCII characters other than '='"]
    }

    /// `validatePathNoBacksteps`: no `..` element.
    static func pathBacksteps(_ path: String) -> [String] {
        path.split(separator: "/", omittingEmptySubsequences: false).contains("..") ? ["must not contain '..'"] : []
    }

    /// `InclusiveRangeError`.
    static func inclusiveRange(_ value: Int64, _ low: Int64, _ high: Int64) -> [String] {
        (low...high).contains(value) ? [] : ["must be between \(low) and \(high), inclusive"]
    }
}
