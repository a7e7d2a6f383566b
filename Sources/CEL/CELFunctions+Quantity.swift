import KubeAPI

extension CELFunctions {
    static func quantity(_ v: CELValue) -> Quantity? { if case .quantity(let q) = v { q } else { nil } }

    /// Kubernetes' quantity library (`quantity('1Gi')`, `isQuantity`, comparisons, arithmetic).
    static let quantities: [CELOverload] = [
        f("quantity", "string_to_quantity", [.string], .quantity) { a in
            guard let s = str(a[0]) else { return bad("quantity") }
            do { return .quantity(try Quantity(s)) } catch { return .error(CELEvalError("quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'")) }
        },
        f("isQuantity", "is_quantity_string", [.string], .bool) { a in
            guard let s = str(a[0]) else { return bad("isQuantity") }
            return .bool((try? Quantity(s)) != nil)
        },
        f("sign", "quantity_sign", [.quantity], .int, member: true) { a in quantity(a[0]).map { .int(Int64($0.sign)) } ?? bad("sign") },
        f("isInteger", "quantity_is_integer", [.quantity], .bool, member: true) { a in
            quantity(a[0]).map { .bool(Quantity($0.value) == $0) } ?? bad("isInteger")
        },
        f("asInteger", "quantity_get_int", [.quantity], .int, member: true) { a in
            guard let q = quantity(a[0]) else { return bad("asInteger") }
            guard Quantity(q.value) == q else { return .error(CELEvalError("cannot convert value to integer")) }
            return .int(q.value)
        },
        f("asApproximateFloat", "quantity_get_float", [.quantity], .double, member: true) { a in quantity(a[0]).map { .double($0.doubleValue) } ?? bad("asApproximateFloat") },
        f("compareTo", "quantity_compare_to", [.quantity, .quantity], .int, member: true) { a in
            guard let x = quantity(a[0]), let y = quantity(a[1]) else { return bad("compareTo") }
            return .int(x < y ? -1 : (y < x ? 1 : 0))
        },
        f("isGreaterThan", "quantity_is_greater_than", [.quantity, .quantity], .bool, member: true) { a in
            guard let x = quantity(a[0]), let y = quantity(a[1]) else { return bad("isGreaterThan") }
            return .bool(y < x)
        },
        f("isLessThan", "quantity_is_less_than", [.quantity, .quantity], .bool, member: true) { a in
            guard let x = quantity(a[0]), let y = quantity(a[1]) else { return bad("isLessThan") }
            return .bool(x < y)
        },
        f("add", "quantity_add", [.quantity, .quantity], .quantity, member: true) { a in
            guard let x = quantity(a[0]), let y = quantity(a[1]) else { return bad("add") }
            return .quantity(x + y)
        },
        f("add", "quantity_add_int", [.quantity, .int], .quantity, member: true) { a in
            guard let x = quantity(a[0]), case .int(let i) = a[1] else { return bad("add") }
            return .quantity(x + Quantity(i))
        },
        f("sub", "quantity_sub", [.quantity, .quantity], .quantity, member: true) { a in
            guard let x = quantity(a[0]), let y = quantity(a[1]) else { return bad("sub") }
            return .quantity(x - y)
        },
        f("sub", "quantity_sub_int", [.quantity, .int], .quantity, member: true) { a in
            guard let x = quantity(a[0]), case .int(let i) = a[1] else { return bad("sub") }
            return .quantity(x - Quantity(i))
        },
    ]
}
