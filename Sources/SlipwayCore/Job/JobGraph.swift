import Foundation
import KubeAPI
import SlipwayAPI

/// A job named by kind, namespace and name: a node of the dependency graph. A BatchJob and
/// a SparkJob of the same name are different nodes.
public struct JobReference: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// `BatchJob`, `SparkJob`, … (the kind's `APIResource.kind`).
    public var kind: String
    public var namespace: String
    public var name: String

    public init(kind: String, namespace: String, name: String) {
        self.kind = kind
        self.namespace = namespace
        self.name = name
    }

    /// The job `job` of kind `Job`.
    public init<Job: KubeObject>(_ job: Job) {
        self.init(kind: Job.resource.kind, namespace: job.metadata.namespace ?? "", name: job.metadata.name ?? "")
    }

    /// The job a `dependsOn` entry of a job in `namespace` names (always in the same namespace).
    public init(_ dependency: Dependency, namespace: String) {
        self.init(kind: dependency.kind, namespace: namespace, name: dependency.name)
    }

    /// `BatchJob extract`: how messages name a job (dependencies never leave the namespace).
    public var description: String { "\(kind) \(name)" }

    public static func < (a: JobReference, b: JobReference) -> Bool {
        (a.namespace, a.kind, a.name) < (b.namespace, b.kind, b.name)
    }
}

/// What a job on the dependency path has reached, reduced to what its dependents need.
public struct DependencyState: Sendable, Hashable {
    /// The parent's progress.
    public enum Phase: String, Sendable, Hashable {
        case succeeded = "Succeeded"
        case failed = "Failed"
        /// Created and not finished (pending, running, retrying or suspended).
        case running = "Running"
        /// Not (yet) in the namespace: the child waits for it.
        case missing = "Missing"
    }

    /// How far the parent got.
    public var phase: Phase
    /// The parent's succeeded units (NToN dependencies start index i after the parent's i).
    public var succeededIndexes: IndexRanges
    /// The parent's number of units (NToN needs equal sizes).
    public var arraySize: Int

    public init(phase: Phase, succeededIndexes: IndexRanges = IndexRanges(), arraySize: Int = 1) {
        self.phase = phase
        self.succeededIndexes = succeededIndexes
        self.arraySize = arraySize
    }

    /// A parent that does not exist.
    public static let missing = DependencyState(phase: .missing)

    /// A parent's state from its status. Only its Succeeded and Failed conditions are final:
    /// an Invalid job (phase Failed) can still be fixed, so its dependents wait for it.
    public init(_ status: some JobStatusFields, succeededIndexes: IndexRanges, arraySize: Int) {
        let reduced: Phase = status.conditions.isTrue(.succeeded) ? .succeeded : status.conditions.isTrue(.failed) ? .failed : .running
        self.init(phase: reduced, succeededIndexes: succeededIndexes, arraySize: arraySize)
    }
}

/// One job of the graph: how far it got and which jobs it depends on.
public struct JobGraphNode: Sendable, Hashable {
    public var state: DependencyState
    public var parents: [JobReference]

    public init(state: DependencyState, parents: [JobReference]) {
        self.state = state
        self.parents = parents
    }
}

/// The part of the `dependsOn` graph reachable from one job, across kinds: what the job's
/// parents have reached, and whether the job sits on a cycle. The controller collects it
/// from its caches (``reachable(from:parents:lookup:)`` visits only the jobs reachable from
/// the start, so a job without dependencies costs nothing however many jobs exist); the
/// decision reads it.
public struct JobGraph: Sendable, Hashable {
    /// The jobs found, by reference; a parent absent here does not exist.
    public var nodes: [JobReference: JobGraphNode]

    public init(nodes: [JobReference: JobGraphNode] = [:]) {
        self.nodes = nodes
    }

    /// The graph reachable from `start`, whose own parents are `parents`, asking `lookup`
    /// for every other job (nil: it does not exist).
    public static func reachable(
        from start: JobReference, parents: [JobReference], lookup: (JobReference) -> JobGraphNode?
    ) -> JobGraph {
        var nodes: [JobReference: JobGraphNode] = [:]
        var visited: Set<JobReference> = [start]
        var pending = parents
        while let next = pending.popLast() {
            guard visited.insert(next).inserted, let node = lookup(next) else { continue }
            nodes[next] = node
            pending += node.parents
        }
        if let own = lookup(start) { nodes[start] = JobGraphNode(state: own.state, parents: parents) }
        else { nodes[start] = JobGraphNode(state: .missing, parents: parents) }
        return JobGraph(nodes: nodes)
    }

    /// How far `job` got (``DependencyState/missing`` when it does not exist).
    public func state(of job: JobReference) -> DependencyState { nodes[job]?.state ?? .missing }

    /// The cycle through `start`, as the path that closes it and starts with `start`
    /// (`[a, b, a]`; a job depending on itself is `[a, a]`), or empty when there is none.
    public func cycle(through start: JobReference) -> [JobReference] {
        var path: [JobReference] = []
        var onPath: Set<JobReference> = []
        var done: Set<JobReference> = []
        func visit(_ node: JobReference) -> [JobReference]? {
            path.append(node)
            onPath.insert(node)
            for next in (nodes[node]?.parents ?? []).sorted() {
                if next == start { return path + [start] }
                if onPath.contains(next) || done.contains(next) { continue }
                if let found = visit(next) { return found }
            }
            path.removeLast()
            onPath.remove(node)
            done.insert(node)
            return nil
        }
        return visit(start) ?? []
    }

    /// `BatchJob cyc-a → SparkJob cyc-b → BatchJob cyc-a`.
    public static func describe(_ cycle: [JobReference]) -> String {
        cycle.map(\.description).joined(separator: " → ")
    }
}
