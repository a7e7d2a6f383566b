extension CELFunctions {
    static func conversionError(_ what: String) -> CELValue { .error(CELEvalError(what)) }

    static let conversions: [CELOverload] = [
        f("int", "int64_to_int64", [.int], .int) { $0[0] },
        f("int", "uint64_to_int64", [.uint], .int) { a in
            guard case .uint(let u) = a[0], u <= UInt64(Int64.max) else { return conversionError("range error converting to int") }
            return .int(Int64(u))
        },
        f("int", "double_to_int64", [.double], .int) { a in
            guard case .double(let d) = a[0], d.isFinite, d > -9.223372036854775e18, d < 9.223372036854775e18 else { return conversionError("range error converting to int") }
            return .int(Int64(d))
        },
        f("int", "string_to_int64", [.string], .int) { a in
            guard case .string(let s) = a[0], let i = Int64(s) else { return conversionError("cannot convert \(a[0]) to int") }
            return .int(i)
        },
        f("int", "timestamp_to_int64", [.timestamp], .int) { a in if case .timestamp(let s, _) = a[0] { .int(s) } else { conversionError("int") } },
        f("uint", "uint64_to_uint64", [.uint], .uint) { $0[0] },
        f("uint", "int64_to_uint64", [.int], .uint) { a in
            guard case .int(let i) = a[0], i >= 0 else { return conversionError("range error converting to uint") }
            return .uint(UInt64(i))
        },
        f("uint", "double_to_uint64", [.double], .uint) { a in
            guard case .double(let d) = a[0], d.isFinite, d >= 0, d < 1.8446744073709552e19 else { return conversionError("range error converting to uint") }
            return .uint(UInt64(d))
        },
        f("uint", "string_to_uint64", [.string], .uint) { a in
            guard case .string(let s) = a[0], let u = UInt64(s) else { return conversionError("cannot convert \(a[0]) to uint") }
            return .uint(u)
        },
        f("double", "double_to_double", [.double], .double) { $0[0] },
        f("double", "int64_to_double", [.int], .double) { a in if case .int(let i) = a[0] { .double(Double(i)) } else { conversionError("double") } },
        f("double", "uint64_to_double", [.uint], .double) { a in if case .uint(let u) = a[0] { .double(Double(u)) } else { conversionError("double") } },
        f("double", "string_to_double", [.string], .double) { a in
            guard case .string(let s) = a[0], let d = Double(s) else { return conversionError("cannot convert \(a[0]) to double") }
            return .double(d)
        },
        f("string", "string_to_string", [.string], .string) { $0[0] },
        f("string", "int64_to_string", [.int], .string) { a in if case .int(let i) = a[0] { .string(String(i)) } else { conversionError("string") } },
        f("string", "uint64_to_string", [.uint], .string) { a in if case .uint(let u) = a[0] { .string(String(u)) } else { conversionError("string") } },
        f("string", "double_to_string", [.double], .string) { a in if case .double(let d) = a[0] { .string(formatDouble(d)) } else { conversionError("string") } },
        f("string", "bool_to_string", [.bool], .string) { a in if case .bool(let b) = a[0] { .string(b ? "true" : "false") } else { conversionError("string") } },
        f("string", "bytes_to_string", [.bytes], .string) { a in
            guard case .bytes(let b) = a[0], let s = String(validating: b, as: UTF8.self) else { return conversionError("invalid UTF-8 in bytes, cannot convert to string") }
            return .string(s)
        },
        f("string", "timestamp_to_string", [.timestamp], .string) { a in .string(a[0].description) },
        f("string", "duration_to_string", [.duration], .string) { a in .string(a[0].description) },
        f("bool", "bool_to_bool", [.bool], .bool) { $0[0] },
        f("bool", "string_to_bool", [.string], .bool) { a in
            guard case .string(let s) = a[0] else { return conversionError("bool") }
            if ["1", "t", "T", "TRUE", "true", "True"].contains(s) { return .bool(true) }
            if ["0", "f", "F", "FALSE", "false", "False"].contains(s) { return .bool(false) }
            return conversionError("type conversion error from 'string' to 'bool'")
        },
        f("bytes", "bytes_to_bytes", [.bytes], .bytes) { $0[0] },
        f("bytes", "string_to_bytes", [.string], .bytes) { a in if case .string(let s) = a[0] { .bytes(Array(s.utf8)) } else { conversionError("bytes") } },
        f("duration", "string_to_duration", [.string], .duration) { a in
            guard case .string(let s) = a[0], let d = CELTime.parseDuration(s) else { return conversionError("cannot convert \(a[0]) to duration") }
            return .duration(d)
        },
        f("duration", "duration_to_duration", [.duration], .duration) { $0[0] },
        f("timestamp", "string_to_timestamp", [.string], .timestamp) { a in
            guard case .string(let s) = a[0], let t = CELTime.parseTimestamp(s) else { return conversionError("cannot convert \(a[0]) to timestamp") }
            return .timestamp(seconds: t.seconds, nanos: t.nanos)
        },
        f("timestamp", "int64_to_timestamp", [.int], .timestamp) { a in if case .int(let i) = a[0] { .timestamp(seconds: i, nanos: 0) } else { conversionError("timestamp") } },
        f("timestamp", "timestamp_to_timestamp", [.timestamp], .timestamp) { $0[0] },
        f("dyn", "to_dyn", [.param("A")], .dyn) { $0[0] },
        f("type", "type", [.param("A")], .type(.param("A"))) { a in .type(a[0].type.kindOnly) },
    ]

    /// Go's shortest formatting of a float64 (`1`, `1.5`, `1e+21`).
    static func formatDouble(_ d: Double) -> String {
        if d.isNaN { return "NaN" }
        if d.isInfinite { return d > 0 ? "+Inf" : "-Inf" }
        if d == d.rounded(), abs(d) < 1e21 { return String(Int64(d)) }
        return "\(d)"
    }
}

extension CELType {
    /// The type as `type()` reports it: lists, maps and objects without their parameters.
    var kindOnly: CELType {
        switch self {
        case .list: .list(.dyn)
        case .map: .map(.dyn, .dyn)
        case .object: .map(.dyn, .dyn)
        default: self
        }
    }
}
