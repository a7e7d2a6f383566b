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

    /// The cycle that `start` is part of, following `parents` (a job name → the names it
    /// depends on) from it; only the jobs reachable from `start` are visited, so a job
    /// without dependencies costs nothing however many jobs exist. Empty when there is none.
    public static func cycle(through start: String, parents: (String) -> [String]) -> [String] {
        var edges: [String: [String]] = [:]
        var pending = [start]
        while let name = pending.popLast() {
            guard edges[name] == nil else { continue }
            let next = parents(name)
            edges[name] = next
            pending += next
        }
        return findCycle(edges: edges).flatMap { $0.contains(start) ? $0 : nil } ?? []
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
