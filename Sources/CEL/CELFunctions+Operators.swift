extension CELFunctions {
    static let overflow = CELValue.error(CELEvalError("integer overflow"))

    static func int(_ v: (Int64, Bool)) -> CELValue { v.1 ? overflow : .int(v.0) }
    static func uint(_ v: (UInt64, Bool)) -> CELValue { v.1 ? .error(CELEvalError("unsigned integer overflow")) : .uint(v.0) }

    static let operators: [CELOverload] = arithmetic + [
        f("!_", "logical_not", [.bool], .bool) { a in if case .bool(let b) = a[0] { .bool(!b) } else { .error(.noSuchOverload("!_")) } },
        f("-_", "negate_int64", [.int], .int) { a in if case .int(let i) = a[0] { int(Int64(0).subtractingReportingOverflow(i)) } else { .error(.noSuchOverload("-_")) } },
        f("-_", "negate_double", [.double], .double) { a in if case .double(let d) = a[0] { .double(-d) } else { .error(.noSuchOverload("-_")) } },
        f("_==_", "equals", [.param("A"), .param("A")], .bool) { a in CELValue.equal(a[0], a[1]) },
        f("_!=_", "not_equals", [.param("A"), .param("A")], .bool) { a in
            if case .bool(let b) = CELValue.equal(a[0], a[1]) { .bool(!b) } else { CELValue.equal(a[0], a[1]) }
        },
        f("_&&_", "logical_and", [.bool, .bool], .bool) { _ in .null },
        f("_||_", "logical_or", [.bool, .bool], .bool) { _ in .null },
        f("_?_:_", "conditional", [.bool, .param("A"), .param("A")], .param("A")) { _ in .null },
        f("@not_strictly_false", "not_strictly_false", [.bool], .bool) { _ in .null },
        f("_[_]", "index_list", [.list(.param("A")), .int], .param("A")) { a in index(a[0], a[1]) },
        f("_[_]", "index_map", [.map(.param("K"), .param("V")), .param("K")], .param("V")) { a in index(a[0], a[1]) },
        f("@in", "in_list", [.param("A"), .list(.param("A"))], .bool) { a in
            guard case .list(let items, _) = a[1] else { return .error(.noSuchOverload("@in")) }
            return .bool(items.contains { CELValue.isEqual(a[0], $0) })
        },
        f("@in", "in_map", [.param("K"), .map(.param("K"), .param("V"))], .bool) { a in
            guard let entries = a[1].mapEntries else { return .error(.noSuchOverload("@in")) }
            return .bool(entries.contains { CELValue.isEqual(a[0], $0.key) })
        },
    ] + sizes

    static func index(_ container: CELValue, _ key: CELValue) -> CELValue {
        switch container {
        case .list(let items, _):
            guard case .int(let i) = key else { return .error(.noSuchOverload("_[_]")) }
            guard i >= 0, i < items.count else { return .error(CELEvalError("index out of bounds: \(i)")) }
            return items[Int(i)]
        default:
            guard let entries = container.mapEntries else { return .error(.noSuchOverload("_[_]")) }
            return entries.first { CELValue.isEqual($0.key, key) }?.value ?? .error(CELEvalError("no such key: \(key)"))
        }
    }

    static let sizes: [CELOverload] = [(false, "size"), (true, "size")].flatMap { member, name -> [CELOverload] in
        let prefix = member ? "" : "size_"
        return [
            f(name, prefix + "string", [.string], .int, member: member) { a in if case .string(let s) = a[0] { .int(Int64(s.unicodeScalars.count)) } else { .error(.noSuchOverload("size")) } },
            f(name, prefix + "bytes", [.bytes], .int, member: member) { a in if case .bytes(let b) = a[0] { .int(Int64(b.count)) } else { .error(.noSuchOverload("size")) } },
            f(name, prefix + "list", [.list(.param("A"))], .int, member: member) { a in if case .list(let l, _) = a[0] { .int(Int64(l.count)) } else { .error(.noSuchOverload("size")) } },
            f(name, prefix + "map", [.map(.param("K"), .param("V"))], .int, member: member) { a in
                a[0].mapEntries.map { .int(Int64($0.count)) } ?? .error(.noSuchOverload("size"))
            },
        ]
    }

    static let arithmetic: [CELOverload] = [
        f("_+_", "add_int64", [.int, .int], .int) { a in binaryInt(a, { $0.addingReportingOverflow($1) }) },
        f("_+_", "add_uint64", [.uint, .uint], .uint) { a in binaryUint(a, { $0.addingReportingOverflow($1) }) },
        f("_+_", "add_double", [.double, .double], .double) { a in binaryDouble(a, +) },
        f("_+_", "add_string", [.string, .string], .string) { a in
            if case .string(let x) = a[0], case .string(let y) = a[1] { .string(x + y) } else { .error(.noSuchOverload("_+_")) }
        },
        f("_+_", "add_bytes", [.bytes, .bytes], .bytes) { a in
            if case .bytes(let x) = a[0], case .bytes(let y) = a[1] { .bytes(x + y) } else { .error(.noSuchOverload("_+_")) }
        },
        f("_+_", "add_list", [.list(.param("A")), .list(.param("A"))], .list(.param("A"))) { a in
            if case .list(let x, let d) = a[0], case .list(let y, _) = a[1] { .list(x + y, d?.listType == nil ? d : nil) } else { .error(.noSuchOverload("_+_")) }
        },
        f("_+_", "add_duration_duration", [.duration, .duration], .duration) { a in
            if case .duration(let x) = a[0], case .duration(let y) = a[1] { int(x.addingReportingOverflow(y)).asDuration } else { .error(.noSuchOverload("_+_")) }
        },
        f("_+_", "add_timestamp_duration", [.timestamp, .duration], .timestamp) { a in CELTime.shift(a[0], by: a[1], sign: 1) },
        f("_+_", "add_duration_timestamp", [.duration, .timestamp], .timestamp) { a in CELTime.shift(a[1], by: a[0], sign: 1) },
        f("_-_", "subtract_int64", [.int, .int], .int) { a in binaryInt(a, { $0.subtractingReportingOverflow($1) }) },
        f("_-_", "subtract_uint64", [.uint, .uint], .uint) { a in binaryUint(a, { $0.subtractingReportingOverflow($1) }) },
        f("_-_", "subtract_double", [.double, .double], .double) { a in binaryDouble(a, -) },
        f("_-_", "subtract_duration_duration", [.duration, .duration], .duration) { a in
            if case .duration(let x) = a[0], case .duration(let y) = a[1] { int(x.subtractingReportingOverflow(y)).asDuration } else { .error(.noSuchOverload("_-_")) }
        },
        f("_-_", "subtract_timestamp_duration", [.timestamp, .duration], .timestamp) { a in CELTime.shift(a[0], by: a[1], sign: -1) },
        f("_-_", "subtract_timestamp_timestamp", [.timestamp, .timestamp], .duration) { a in CELTime.difference(a[0], a[1]) },
        f("_*_", "multiply_int64", [.int, .int], .int) { a in binaryInt(a, { $0.multipliedReportingOverflow(by: $1) }) },
        f("_*_", "multiply_uint64", [.uint, .uint], .uint) { a in binaryUint(a, { $0.multipliedReportingOverflow(by: $1) }) },
        f("_*_", "multiply_double", [.double, .double], .double) { a in binaryDouble(a, *) },
        f("_/_", "divide_int64", [.int, .int], .int) { a in
            if case .int(0) = a[1] { return .error(CELEvalError("division by zero")) }
            return binaryInt(a, { $0.dividedReportingOverflow(by: $1) })
        },
        f("_/_", "divide_uint64", [.uint, .uint], .uint) { a in
            if case .uint(0) = a[1] { return .error(CELEvalError("division by zero")) }
            return binaryUint(a, { $0.dividedReportingOverflow(by: $1) })
        },
        f("_/_", "divide_double", [.double, .double], .double) { a in binaryDouble(a, /) },
        f("_%_", "modulo_int64", [.int, .int], .int) { a in
            if case .int(0) = a[1] { return .error(CELEvalError("modulus by zero")) }
            return binaryInt(a, { $0.remainderReportingOverflow(dividingBy: $1) })
        },
        f("_%_", "modulo_uint64", [.uint, .uint], .uint) { a in
            if case .uint(0) = a[1] { return .error(CELEvalError("modulus by zero")) }
            return binaryUint(a, { $0.remainderReportingOverflow(dividingBy: $1) })
        },
    ]

    static func binaryInt(_ a: [CELValue], _ op: (Int64, Int64) -> (partialValue: Int64, overflow: Bool)) -> CELValue {
        guard case .int(let x) = a[0], case .int(let y) = a[1] else { return .error(.noSuchOverload("int operator")) }
        let r = op(x, y)
        return int((r.partialValue, r.overflow))
    }

    static func binaryUint(_ a: [CELValue], _ op: (UInt64, UInt64) -> (partialValue: UInt64, overflow: Bool)) -> CELValue {
        guard case .uint(let x) = a[0], case .uint(let y) = a[1] else { return .error(.noSuchOverload("uint operator")) }
        let r = op(x, y)
        return uint((r.partialValue, r.overflow))
    }

    static func binaryDouble(_ a: [CELValue], _ op: (Double, Double) -> Double) -> CELValue {
        guard case .double(let x) = a[0], case .double(let y) = a[1] else { return .error(.noSuchOverload("double operator")) }
        return .double(op(x, y))
    }
}

extension CELValue {
    /// An int result reinterpreted as a duration in nanoseconds.
    var asDuration: CELValue { if case .int(let n) = self { .duration(n) } else { self } }
}

extension CELTime {
    static func shift(_ timestamp: CELValue, by duration: CELValue, sign: Int64) -> CELValue {
        guard case .timestamp(let s, let n) = timestamp, case .duration(let d) = duration else { return .error(.noSuchOverload("timestamp arithmetic")) }
        let total = Int64(n) + sign * (d % 1_000_000_000)
        var seconds = s + sign * (d / 1_000_000_000) + total / 1_000_000_000
        var nanos = total % 1_000_000_000
        if nanos < 0 { nanos += 1_000_000_000; seconds -= 1 }
        return .timestamp(seconds: seconds, nanos: Int32(nanos))
    }

    static func difference(_ a: CELValue, _ b: CELValue) -> CELValue {
        guard case .timestamp(let s1, let n1) = a, case .timestamp(let s2, let n2) = b else { return .error(.noSuchOverload("_-_")) }
        let (secs, o1) = (s1 - s2).multipliedReportingOverflow(by: 1_000_000_000)
        let (total, o2) = secs.addingReportingOverflow(Int64(n1) - Int64(n2))
        return o1 || o2 ? .error(CELEvalError("integer overflow")) : .duration(total)
    }
}
