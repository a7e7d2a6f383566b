import Foundation
import KubeAPI

/// One validation failure on one field, shaped like the API server's `field.Error`:
/// an error type, the field path, the offending value and a detail text. Rendered as a
/// `StatusCause` whose message is `Invalid value: 11: spec.size in body should be …`.
public struct FieldError: Sendable, Hashable, CustomStringConvertible {
    /// The kinds of field errors, with their `StatusCause.reason` and message prefix.
    public enum Kind: String, Sendable, Hashable {
        case invalid = "FieldValueInvalid"
        case required = "FieldValueRequired"
        case notSupported = "FieldValueNotSupported"
        case typeInvalid = "FieldValueTypeInvalid"
        case forbidden = "FieldValueForbidden"
        case tooLong = "FieldValueTooLong"
        case tooMany = "FieldValueTooMany"
        case duplicate = "FieldValueDuplicate"
        case notFound = "FieldValueNotFound"

        /// The message prefix (`Invalid value`, `Required value`, …).
        public var text: String {
            switch self {
            case .invalid: "Invalid value"
            case .required: "Required value"
            case .notSupported: "Unsupported value"
            case .typeInvalid: "Invalid value"
            case .forbidden: "Forbidden"
            case .tooLong: "Too long"
            case .tooMany: "Too many"
            case .duplicate: "Duplicate value"
            case .notFound: "Not found"
            }
        }

        /// Kinds whose message never shows the value.
        var omitsValue: Bool { self == .required || self == .forbidden || self == .tooLong }
    }

    public var kind: Kind
    /// The kube-style path: `spec.items[2].name`, `spec.versions[0].schema.openAPIV3Schema.properties[spec]`.
    public var field: String
    /// The offending value as shown after the prefix; nil when not shown.
    public var value: JSONValue?
    public var detail: String

    public init(_ kind: Kind, field: String, value: JSONValue? = nil, detail: String = "") {
        self.kind = kind
        self.field = field
        self.value = value
        self.detail = detail
    }

    /// The message without the field: `Invalid value: "bad": spec.serial in body should match '…'`.
    public var body: String {
        var s = kind.text
        if !kind.omitsValue, let value { s += ": " + FieldError.render(value) }
        if !detail.isEmpty { s += ": " + detail }
        return s
    }

    /// `field: body`, as the server joins causes into a Status message.
    public var description: String { "\(field): \(body)" }

    /// The `details.causes` entry the server returns for this error.
    public var cause: StatusCause { StatusCause(reason: kind.rawValue, message: body, field: field) }

    /// Renders a value as Go's `field.Error` does: strings quoted, numbers and booleans bare,
    /// null as `"null"`, objects and arrays as compact JSON.
    public static func render(_ value: JSONValue) -> String {
        switch value {
        case .string(let s): quote(s)
        case .number(let n): formatNumber(n)
        case .bool(let b): b ? "true" : "false"
        case .null: "\"null\""
        case .array, .object: JSON.string(value)
        }
    }

    /// Go's `%q` for the strings the API server quotes.
    public static func quote(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7f {
                    out += String(format: "\\x%02x", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    /// Go's `%v` of the number the JSON decoder produced (int64 for integers, float64 otherwise).
    public static func formatNumber(_ n: JSONNumber) -> String {
        if let i = n.int64, !n.text.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }) { return String(i) }
        guard let d = n.double else { return n.text }
        return formatDouble(d)
    }

    /// Go's `%v` of a float64: integral values without a fraction, exponent form from 1e21.
    public static func formatDouble(_ d: Double) -> String {
        if d == d.rounded(), abs(d) < 1e21 { return String(Int64(d)) }
        let text = "\(d)"
        guard let e = text.firstIndex(of: "e") else { return text }
        // Swift prints 1e+21 as "1e+21" already; normalise exponent to two digits like Go.
        let mantissa = text[..<e]
        var exponent = String(text[text.index(after: e)...])
        var sign = "+"
        if exponent.hasPrefix("-") || exponent.hasPrefix("+") { sign = String(exponent.removeFirst()) }
        if exponent.count < 2 { exponent = "0" + exponent }
        return "\(mantissa)e\(sign)\(exponent)"
    }
}

extension Array where Element == FieldError {
    /// The `details.causes` of a 422 answer, in order.
    public var causes: [StatusCause] { map(\.cause) }
}

/// Builds kube-style field paths: `spec.items[2].name`, `properties[spec]`.
public struct FieldPath: Sendable, Hashable, CustomStringConvertible {
    public private(set) var description: String

    public init(_ root: String = "") { description = root }

    /// Appends `.name` (or `name` at the root).
    public func child(_ name: String) -> FieldPath {
        FieldPath(description.isEmpty ? name : description + "." + name)
    }

    /// Appends `[index]`.
    public func index(_ i: Int) -> FieldPath { FieldPath(description + "[\(i)]") }

    /// Appends `[key]` (map keys, as Go's `Path.Key`).
    public func key(_ k: String) -> FieldPath { FieldPath(description + "[\(k)]") }
}
