import Foundation
import KubeAPI
import SlipwayAPI
import Testing
@testable import SlipwayCore

/// The dependency graph across kinds: cycles through a job, named by kind, and what is
/// visited to find them.
@Suite("JobGraph")
struct JobGraphTests {
    static func ref(_ text: String) -> JobReference {
        let parts = text.split(separator: " ")
        return JobReference(kind: String(parts[0]), namespace: "data", name: String(parts[1]))
    }

    static func graph(_ edges: [String: [String]]) -> JobGraph {
        var nodes: [JobReference: JobGraphNode] = [:]
        for (job, parents) in edges { nodes[ref(job)] = JobGraphNode(state: DependencyState(phase: .running), parents: parents.map(ref)) }
        return JobGraph(nodes: nodes)
    }

    @Test(arguments: [
        ([:], "BatchJob a", ""),
        (["BatchJob a": ["BatchJob b"], "BatchJob b": ["BatchJob c"]], "BatchJob a", ""),
        (["BatchJob a": ["BatchJob a"]], "BatchJob a", "BatchJob a → BatchJob a"),
        (["BatchJob a": ["BatchJob b"], "BatchJob b": ["BatchJob c"], "BatchJob c": ["BatchJob a"]], "BatchJob b",
         "BatchJob b → BatchJob c → BatchJob a → BatchJob b"),
        (["BatchJob cyc-a": ["SparkJob cyc-b"], "SparkJob cyc-b": ["BatchJob cyc-a"]], "BatchJob cyc-a",
         "BatchJob cyc-a → SparkJob cyc-b → BatchJob cyc-a"),
        (["BatchJob cyc-a": ["SparkJob cyc-b"], "SparkJob cyc-b": ["BatchJob cyc-a"]], "SparkJob cyc-b",
         "SparkJob cyc-b → BatchJob cyc-a → SparkJob cyc-b"),
        // The same name in two kinds is two jobs: no cycle.
        (["BatchJob x": ["SparkJob x"], "SparkJob x": []], "BatchJob x", ""),
        // A cycle elsewhere is not this job's.
        (["BatchJob x": ["BatchJob y"], "BatchJob y": ["BatchJob z"], "BatchJob z": ["BatchJob y"]], "BatchJob x", ""),
        (["BatchJob a": ["BatchJob b", "BatchJob c"], "BatchJob b": ["BatchJob d"], "BatchJob c": ["BatchJob d"], "BatchJob d": []], "BatchJob a", ""),
    ] as [([String: [String]], String, String)])
    func cyclesThroughAJob(_ edges: [String: [String]], _ start: String, _ expected: String) {
        #expect(JobGraph.describe(Self.graph(edges).cycle(through: Self.ref(start))) == expected)
    }

    @Test func onlyTheJobsReachableFromTheStartAreVisited() {
        var asked: [String] = []
        let all = Self.graph([
            "BatchJob a": ["SparkJob b"], "SparkJob b": ["BatchJob c"], "BatchJob c": [], "BatchJob unrelated": ["BatchJob a"],
        ])
        let graph = JobGraph.reachable(from: Self.ref("BatchJob a"), parents: [Self.ref("SparkJob b")]) { reference in
            asked.append(reference.description)
            return all.nodes[reference]
        }
        #expect(asked.sorted() == ["BatchJob a", "BatchJob c", "SparkJob b"])
        #expect(graph.state(of: Self.ref("SparkJob b")).phase == .running)
        #expect(graph.state(of: Self.ref("BatchJob missing")).phase == .missing)
    }
}
