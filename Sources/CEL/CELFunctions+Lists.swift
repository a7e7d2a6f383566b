extension CELFunctions {
    static func items(_ v: CELValue) -> [CELValue]? { if case .list(let l, _) = v { l } else { nil } }

    /// Kubernetes' list library, cel-go's list extension (a subset) and the `sets` extension.
    static let lists: [CELOverload] = [
        f("isSorted", "list_is_sorted", [.list(.param("A"))], .bool, member: true) { a in
            guard let l = items(a[0]) else { return bad("isSorted") }
            for (x, y) in zip(l, l.dropFirst()) {
                guard let o = CELValue.order(x, y) else { return bad("isSorted") }
                if o > 0 { return .bool(false) }
            }
            return .bool(true)
        },
        f("sum", "list_sum", [.list(.param("A"))], .param("A"), member: true) { a in
            guard let l = items(a[0]) else { return bad("sum") }
            guard var total = l.first else { return .int(0) }
            for x in l.dropFirst() {
                let next = CELFunctions.dispatch(CELFunctions.overloads("_+_", member: false, arity: 2), [total, x])?.impl([total, x])
                guard let next, !next.isError else { return next ?? bad("sum") }
                total = next
            }
            return total
        },
        f("min", "list_min", [.list(.param("A"))], .param("A"), member: true) { a in extreme(a[0], smallest: true) },
        f("max", "list_max", [.list(.param("A"))], .param("A"), member: true) { a in extreme(a[0], smallest: false) },
        f("indexOf", "list_index_of", [.list(.param("A")), .param("A")], .int, member: true) { a in
            guard let l = items(a[0]) else { return bad("indexOf") }
            return .int(Int64(l.firstIndex { CELValue.isEqual($0, a[1]) } ?? -1))
        },
        f("lastIndexOf", "list_last_index_of", [.list(.param("A")), .param("A")], .int, member: true) { a in
            guard let l = items(a[0]) else { return bad("lastIndexOf") }
            return .int(Int64(l.lastIndex { CELValue.isEqual($0, a[1]) } ?? -1))
        },
        f("reverse", "list_reverse", [.list(.param("A"))], .list(.param("A")), member: true) { a in
            items(a[0]).map { .list($0.reversed(), nil) } ?? bad("reverse")
        },
        f("distinct", "list_distinct", [.list(.param("A"))], .list(.param("A")), member: true) { a in
            guard let l = items(a[0]) else { return bad("distinct") }
            var out: [CELValue] = []
            for x in l where !out.contains(where: { CELValue.isEqual($0, x) }) { out.append(x) }
            return .list(out, nil)
        },
        f("flatten", "list_flatten", [.list(.list(.param("A")))], .list(.param("A")), member: true) { a in
            guard let l = items(a[0]) else { return bad("flatten") }
            return .list(l.flatMap { items($0) ?? [$0] }, nil)
        },
        f("slice", "list_slice", [.list(.param("A")), .int, .int], .list(.param("A")), member: true) { a in
            guard let l = items(a[0]), let b = integer(a[1]), let e = integer(a[2]) else { return bad("slice") }
            guard b >= 0, e <= l.count, b <= e else { return .error(CELEvalError("cannot slice(\(b), \(e)), list is length \(l.count)")) }
            return .list(Array(l[b..<e]), nil)
        },
        f("sort", "list_sort", [.list(.param("A"))], .list(.param("A")), member: true) { a in
            guard let l = items(a[0]) else { return bad("sort") }
            return .list(l.sorted { (CELValue.order($0, $1) ?? 0) < 0 }, nil)
        },
        f("sets.contains", "sets_contains", [.list(.param("A")), .list(.param("A"))], .bool) { a in
            guard let x = items(a[0]), let y = items(a[1]) else { return bad("sets.contains") }
            return .bool(y.allSatisfy { e in x.contains { CELValue.isEqual($0, e) } })
        },
        f("sets.equivalent", "sets_equivalent", [.list(.param("A")), .list(.param("A"))], .bool) { a in
            guard let x = items(a[0]), let y = items(a[1]) else { return bad("sets.equivalent") }
            return .bool(y.allSatisfy { e in x.contains { CELValue.isEqual($0, e) } } && x.allSatisfy { e in y.contains { CELValue.isEqual($0, e) } })
        },
        f("sets.intersects", "sets_intersects", [.list(.param("A")), .list(.param("A"))], .bool) { a in
            guard let x = items(a[0]), let y = items(a[1]) else { return bad("sets.intersects") }
            return .bool(y.contains { e in x.contains { CELValue.isEqual($0, e) } })
        },
    ]

    static func extreme(_ list: CELValue, smallest: Bool) -> CELValue {
        guard let l = items(list) else { return bad(smallest ? "min" : "max") }
        guard var best = l.first else { return .error(CELEvalError("\(smallest ? "min" : "max")(list) called on an empty list")) }
        for x in l.dropFirst() {
            guard let o = CELValue.order(x, best) else { return bad(smallest ? "min" : "max") }
            if smallest ? o < 0 : o > 0 { best = x }
        }
        return best
    }
}
