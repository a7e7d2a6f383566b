import CEL
import Foundation
import KubeAPI

/// The checks of a CRD's `x-kubernetes-validations` rules, as apiextensions-apiserver makes
/// them: the static ones (a rule is given, messages on one line, a supported `reason`, a
/// `fieldPath` that exists), then each rule and `messageExpression` compiled against the
/// node's CEL type, its estimated cost (times how often it can run per object) against the
/// per-rule limit, and the sum over the whole schema against the CRD limit.
struct CRDRuleCheck: Sendable {
    /// The estimated cost of every rule and message expression seen so far.
    var total: UInt64 = 0
    /// The most expensive (at least 1% of the CRD limit), most expensive first, at most four.
    var mostExpensive: [(path: FieldPath, cost: UInt64)] = []

    static let supportedReasons = ["FieldValueDuplicate", "FieldValueForbidden", "FieldValueInvalid", "FieldValueRequired"]

    static func hasNewlines(_ s: String) -> Bool { s.contains("\n") || s.contains("\r") }
    /// Go's `strings.TrimSpace`.
    static func trimmed(_ s: String) -> String { s.trimmingCharacters(in: .whitespacesAndNewlines) }

    /// The rule checks that need no compiling, at `path` (`….x-kubernetes-validations`).
    static func staticErrors(_ validations: [JSONValue], node: SchemaNode, at path: FieldPath) -> [FieldError] {
        var errors: [FieldError] = []
        for (i, rule) in validations.enumerated() {
            let at = path.index(i)
            let text = rule["rule"]?.stringValue ?? ""
            let message = rule["message"]?.stringValue ?? ""
            let messageExpression = rule["messageExpression"]?.stringValue ?? ""
            let fieldPath = rule["fieldPath"]?.stringValue ?? ""
            if trimmed(text).isEmpty {
                errors.append(FieldError(.required, field: at.child("rule").description, detail: "rule is not specified"))
            } else if !message.isEmpty && trimmed(message).isEmpty {
                errors.append(FieldError(.invalid, field: at.child("message").description, value: .string(message), detail: "must be non-empty if specified"))
            } else if hasNewlines(trimmed(message)) {
                errors.append(FieldError(.invalid, field: at.child("message").description, value: .string(message), detail: "must not contain line breaks"))
            } else if hasNewlines(trimmed(text)) && trimmed(message).isEmpty {
                errors.append(FieldError(.required, field: at.child("message").description, detail: "message must be specified if rule contains line breaks"))
            }
            if !messageExpression.isEmpty && trimmed(messageExpression).isEmpty {
                errors.append(FieldError(.required, field: at.child("messageExpression").description, detail: "messageExpression must be non-empty if specified"))
            }
            if let reason = rule["reason"]?.stringValue, !supportedReasons.contains(reason) {
                errors.append(FieldError(.notSupported, field: at.child("reason").description, value: .string(reason),
                                         detail: "supported values: " + supportedReasons.map { FieldError.quote($0) }.joined(separator: ", ")))
            }
            if !fieldPath.isEmpty && trimmed(fieldPath).isEmpty {
                errors.append(FieldError(.invalid, field: at.child("fieldPath").description, value: .string(fieldPath), detail: "must be non-empty if specified"))
            }
            if hasNewlines(fieldPath) {
                errors.append(FieldError(.invalid, field: at.child("fieldPath").description, value: .string(fieldPath), detail: "must not contain line breaks"))
            }
            if !fieldPath.isEmpty, StructuralSchemaCheck.conversionError(node) == nil, !validFieldPath(fieldPath, in: node) {
                errors.append(FieldError(.invalid, field: at.child("fieldPath").description, value: .string(fieldPath), detail: "must be a valid path"))
            }
        }
        return errors
    }

    /// Whether a rule's `fieldPath` (`.a.b`, `.a['b-c']`, `.list[0]`) names a field the schema
    /// declares (any key of a map).
    static func validFieldPath(_ path: String, in root: SchemaNode) -> Bool {
        resolveFieldPath(path, in: root) != nil
    }

    /// Kubernetes' `ValidFieldPath`: the field names along `path` and the schema it reaches;
    /// nil when the path is malformed or leaves the schema.
    static func resolveFieldPath(_ path: String, in root: SchemaNode, allowArrayNotation: Bool = true) -> (names: [String], node: SchemaNode)? {
        var node = root
        var names: [String] = []
        var rest = Substring(path)
        guard !rest.isEmpty else { return nil }
        while !rest.isEmpty {
            let name: String
            if rest.hasPrefix(".") {
                rest = rest.dropFirst()
                let end = rest.firstIndex { $0 == "." || $0 == "[" } ?? rest.endIndex
                name = String(rest[..<end])
                rest = rest[end...]
                guard !name.isEmpty else { return nil }
            } else if rest.hasPrefix("['") {
                rest = rest.dropFirst(2)
                guard let end = rest.range(of: "']") else { return nil }
                name = String(rest[..<end.lowerBound])
                rest = rest[end.upperBound...]
            } else if allowArrayNotation, rest.hasPrefix("[") {
                guard let end = rest.firstIndex(of: "]"), Int(rest[rest.index(after: rest.startIndex)..<end]) != nil,
                      let items = node.items else { return nil }
                node = items
                rest = rest[rest.index(after: end)...]
                continue
            } else {
                return nil
            }
            if let property = node.property(name) {
                node = property
            } else if let extra = node.additionalPropertiesSchema {
                node = extra
            } else {
                return nil
            }
            names.append(name)
        }
        return (names, node)
    }

    /// Compiles the rules of one node and records their costs; returns their errors.
    mutating func compile(
        _ validations: [JSONValue], node: SchemaNode, isResourceRoot: Bool, cardinality: CRDSchemaValidation.Cardinality,
        uncorrelatable: FieldPath?, at path: FieldPath
    ) -> [FieldError] {
        guard let declType = CELDeclType.from(schema: .object(node.object), isResourceRoot: isResourceRoot) else { return [] }
        let times: UInt64 = switch cardinality {
        case .bounded(let n): n
        case .unbounded: UInt64(CELLimits.maxRequestSizeBytes / (declType.minSerializedSize + 1))
        }
        var errors: [FieldError] = []
        for (i, rule) in validations.enumerated() {
            let at = path.index(i)
            let text = rule["rule"]?.stringValue ?? ""
            guard !Self.trimmed(text).isEmpty else { continue }
            let program: CELProgram
            do {
                program = try CELProgram.compile(text, selfType: declType)
            } catch {
                observe(0, at: at.child("rule"))
                errors.append(FieldError(.invalid, field: at.child("rule").description, value: rule, detail: "compilation failed: \(error)" + Self.unsupportedNote(error)))
                continue
            }
            guard program.outputType == .bool else {
                observe(0, at: at.child("rule"))
                errors.append(FieldError(.invalid, field: at.child("rule").description, value: rule, detail: "cel expression must evaluate to a bool"))
                continue
            }
            let cost = Self.multiply(program.estimatedCost.max, times)
            if cost > CELLimits.estimatedCostLimit {
                errors.append(FieldError(.forbidden, field: at.child("rule").description, detail: Self.costMessage("estimated rule cost", cost, CELLimits.estimatedCostLimit)))
            }
            observe(cost, at: at.child("rule"))
            if let expression = rule["messageExpression"]?.stringValue, !expression.isEmpty {
                errors += compileMessageExpression(expression, rule: rule, declType: declType, at: at.child("messageExpression"))
            }
            if program.usesOldSelf, let uncorrelatable {
                errors.append(FieldError(.invalid, field: at.child("rule").description, value: .string(text),
                                         detail: "oldSelf cannot be used on the uncorrelatable portion of the schema within \(uncorrelatable)"))
            } else if !program.usesOldSelf, let optional = rule["optionalOldSelf"], optional != .null {
                errors.append(FieldError(.invalid, field: at.child("optionalOldSelf").description, value: optional, detail: "may not be set if oldSelf is not used in rule"))
            }
        }
        return errors
    }

    mutating func compileMessageExpression(_ expression: String, rule: JSONValue, declType: CELDeclType, at path: FieldPath) -> [FieldError] {
        let program: CELProgram
        do {
            program = try CELProgram.compile(expression, selfType: declType)
        } catch {
            return [FieldError(.invalid, field: path.description, value: rule, detail: "messageExpression compilation failed: \(error)" + Self.unsupportedNote(error))]
        }
        guard program.outputType == .string else {
            return [FieldError(.invalid, field: path.description, value: rule, detail: "messageExpression must evaluate to a string")]
        }
        let cost = program.estimatedCost.max
        var errors: [FieldError] = []
        if cost > CELLimits.estimatedCostLimit {
            errors.append(FieldError(.forbidden, field: path.description, detail: Self.costMessage("estimated messageExpression cost", cost, CELLimits.estimatedCostLimit)))
        }
        observe(cost, at: path)
        return errors
    }

    /// Functions of the Kubernetes CEL environment for CRDs (its libraries and cel-go's
    /// extensions) that a rule may use on a real server. slipway dev's CEL lacks some of
    /// them; a rule calling one is refused (it cannot be checked here), and says so.
    static let kubernetesFunctions: Set<String> = [
        "url", "isURL", "getScheme", "getHost", "getHostname", "getPort", "getEscapedPath", "getQuery",
        "ip", "isIP", "isCanonical", "family", "isUnspecified", "isLoopback", "isLinkLocalMulticast", "isLinkLocalUnicast",
        "isGlobalUnicast", "cidr", "isCIDR", "containsIP", "containsCIDR", "masked", "prefixLength",
        "semver", "isSemver", "major", "minor", "patch", "compareTo", "format", "validate", "named", "find", "findAll",
        "greatest", "least", "ceil", "floor", "round", "trunc", "abs", "sign", "isInf", "isNaN", "isFinite",
        "bitAnd", "bitOr", "bitXor", "bitNot", "bitShiftLeft", "bitShiftRight", "sqrt", "encode", "decode",
        "quote", "reverse", "charAt", "replace", "split", "substring", "join", "indexOf", "lastIndexOf",
        "optional", "of", "none", "ofNonZeroValue", "hasValue", "value", "orValue", "or",
        "transformList", "transformMap", "transformMapEntry", "sort", "sortBy", "distinct", "flatten", "range", "slice", "first", "last",
    ]

    /// The explanation added when a rule fails to compile only because it calls a Kubernetes
    /// CEL function slipway dev does not implement.
    static func unsupportedNote(_ error: CELCompileError) -> String {
        let missing = error.issues.compactMap { issue -> String? in
            guard let match = issue.message.firstMatch(of: /undeclared reference to '([^']+)'/) else { return nil }
            let name = String(match.output.1)
            return kubernetesFunctions.contains(name) ? name : nil
        }
        guard let name = missing.first else { return "" }
        return " (slipway dev does not implement the Kubernetes CEL function '\(name)', which a real API server provides: the rule cannot be checked here)"
    }

    mutating func observe(_ cost: UInt64, at path: FieldPath) {
        total = CELEstimate.add(total, cost)
        guard cost >= CELLimits.estimatedCRDCostLimit / 100 else { return }
        mostExpensive.append((path, cost))
        mostExpensive.sort { $0.cost > $1.cost }
        if mostExpensive.count > 4 { mostExpensive.removeLast(mostExpensive.count - 4) }
    }

    /// The errors when all rules together cost more than the CRD limit.
    func totalCostErrors(root: FieldPath) -> [FieldError] {
        guard total > CELLimits.estimatedCRDCostLimit else { return [] }
        var errors = mostExpensive.map {
            FieldError(.forbidden, field: $0.path.description, detail: "contributed to estimated rule cost total exceeding cost limit for entire OpenAPIv3 schema")
        }
        errors.append(FieldError(.forbidden, field: root.description, detail: Self.costMessage(
            "x-kubernetes-validations estimated rule cost total for entire OpenAPIv3 schema", total, CELLimits.estimatedCRDCostLimit)))
        return errors
    }

    static func multiply(_ x: UInt64, _ y: UInt64) -> UInt64 { x == 0 ? 0 : CELEstimate.multiply(x, y) }

    /// `… exceeds budget by factor of 3.1x (try simplifying …)`.
    static func costMessage(_ name: String, _ cost: UInt64, _ limit: UInt64) -> String {
        let factor = Double(cost) / Double(limit)
        let text: String
        if factor > 100 {
            text = "more than 100x"
        } else if factor < 1.5 {
            text = String(format: "%fx", factor)
        } else {
            text = String(format: "%.1fx", factor)
        }
        return "\(name) exceeds budget by factor of \(text) (try simplifying the rule, or adding maxItems, maxProperties, and maxLength where arrays, maps, and strings are declared)"
    }
}
