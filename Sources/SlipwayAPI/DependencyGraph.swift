/// Cycle detection over `dependsOn` edges. Finding the edges needs the other jobs of the
/// namespace, so the controller collects them; this is the pure part.
public enum DependencyGraph {
    /// A cycle among `edges` (job name → the names it depends on), or nil when there is none.
    ///
    /// The cycle is returned as the path that closes it, starting and ending with the same
    /// name (`["a", "b", "a"]`); a job depending on itself is `["a", "a"]`. Deterministic:
    /// names are visited in sorted order.
    public static func findCycle(edges: [String: [String]]) -> [String]? {
        var state: [String: Bool] = [:]   // false: on the current path, true: finished
        var path: [String] = []
        for start in edges.keys.sorted() where state[start] == nil {
            if let cycle = visit(start, edges, &state, &path) { return cycle }
        }
        return nil
    }

    private static func visit(_ node: String, _ edges: [String: [String]], _ state: inout [String: Bool], _ path: inout [String]) -> [String]? {
        state[node] = false
        path.append(node)
        for next in (edges[node] ?? []).sorted() {
            switch state[next] {
            case false?:
                let start = path.lastIndex(of: next)!
                return Array(path[start...]) + [next]
            case nil:
                if let cycle = visit(next, edges, &state, &path) { return cycle }
            case true?:
                continue
            }
        }
        path.removeLast()
        state[node] = true
        return nil
    }
}
