import KubeAPI

/// `$setElementOrder/<field>`: orders a merged list as the patch author's list, keeping the
/// items only the server has at their places relative to the server's order
/// (apimachinery's `normalizeElementOrder`).
enum ElementOrder {
    /// - Parameters:
    ///   - order: the directive's list (maps with only the merge key, or scalars);
    ///   - items: the merged list;
    ///   - serverOrder: the list before the patch;
    ///   - key: the merge key, nil for a list of scalars.
    static func apply(_ order: [JSONValue], to items: [JSONValue], serverOrder: [JSONValue], key: String?) -> [JSONValue] {
        func id(_ value: JSONValue) -> JSONValue? { key.map { value[$0] ?? .null } ?? value }
        let orderIDs = order.compactMap(id)
        let ordered = items.filter { item in id(item).map(orderIDs.contains) ?? false }
            .sorted { a, b in (orderIDs.firstIndex(of: id(a)!) ?? 0) < (orderIDs.firstIndex(of: id(b)!) ?? 0) }
        let serverIDs = serverOrder.compactMap(id)
        let serverOnly = items.filter { item in !(id(item).map(orderIDs.contains) ?? false) }
            .sorted { a, b in (serverIDs.firstIndex(of: id(a)!) ?? .max) < (serverIDs.firstIndex(of: id(b)!) ?? .max) }
        // mergeSortedSlice: take from `ordered` only when both are in the server's list and
        // the ordered item comes first there.
        var result: [JSONValue] = []
        var i = 0
        var j = 0
        while i < ordered.count || j < serverOnly.count {
            if j >= serverOnly.count {
                result.append(ordered[i]); i += 1
            } else if i >= ordered.count {
                result.append(serverOnly[j]); j += 1
            } else if let li = serverIDs.firstIndex(of: id(ordered[i])!), let ri = serverIDs.firstIndex(of: id(serverOnly[j])!), li < ri {
                result.append(ordered[i]); i += 1
            } else {
                result.append(serverOnly[j]); j += 1
            }
        }
        return result
    }
}
