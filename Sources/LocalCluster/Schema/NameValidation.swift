import Foundation

/// The API server's name rules (`k8s.io/apimachinery/pkg/util/validation`), returning its
/// exact messages; an empty list means valid.
public enum NameValidation {
    static let dns1123LabelFormat = "[a-z0-9]([-a-z0-9]*[a-z0-9])?"
    static let dns1123SubdomainFormat = dns1123LabelFormat + "(\\." + dns1123LabelFormat + ")*"
    static let dns1035LabelFormat = "[a-z]([-a-z0-9]*[a-z0-9])?"

    /// RFC 1123 label (namespaces, most label-like names): at most 63 characters.
    public static func dns1123Label(_ value: String) -> [String] {
        var errors: [String] = []
        if value.count > 63 { errors.append("must be no more than 63 characters") }
        if !fullMatch(value, dns1123LabelFormat) {
            errors.append("a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '\(dns1123LabelFormat)')")
        }
        return errors
    }

    /// RFC 1123 subdomain (configmaps, secrets, pods, CRD names): at most 253 characters.
    public static func dns1123Subdomain(_ value: String) -> [String] {
        var errors: [String] = []
        if value.count > 253 { errors.append("must be no more than 253 characters") }
        if !fullMatch(value, dns1123SubdomainFormat) {
            errors.append("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '\(dns1123SubdomainFormat)')")
        }
        return errors
    }

    /// DNS-1035 label (CRD plural, singular, short names, version names): at most 63 characters.
    public static func dns1035Label(_ value: String) -> [String] {
        var errors: [String] = []
        if value.count > 63 { errors.append("must be no more than 63 characters") }
        if !fullMatch(value, dns1035LabelFormat) {
            errors.append("a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '\(dns1035LabelFormat)')")
        }
        return errors
    }

    static func fullMatch(_ value: String, _ pattern: String) -> Bool {
        guard let regex = try? NSRegularExpression(pattern: "^(?:" + pattern + ")$") else { return false }
        return regex.firstMatch(in: value, range: NSRange(value.startIndex..., in: value)) != nil
    }
}
