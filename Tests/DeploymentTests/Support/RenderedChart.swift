import Foundation
import Yams

/// A parsed Kubernetes object from rendered YAML (a Yams mapping) with typed lookups.
struct Manifest: @unchecked Sendable {
    let object: [String: Any]

    var kind: String { object["kind"] as? String ?? "" }
    var apiVersion: String { object["apiVersion"] as? String ?? "" }
    var name: String { self["metadata", "name"] as? String ?? "" }
    var namespace: String? { self["metadata", "namespace"] as? String }

    /// The value at a path of mapping keys, nil when any step is missing.
    subscript(_ path: String...) -> Any? { Self.lookup(object, path) }

    static func lookup(_ value: Any?, _ path: [String]) -> Any? {
        var current = value
        for key in path { current = (current as? [String: Any])?[key] }
        return current
    }
}

/// `helm template` output: the documents, in order, without the empty ones.
struct RenderedChart: @unchecked Sendable {
    let manifests: [Manifest]

    init(yaml: String) throws {
        manifests = try Yams.load_all(yaml: yaml).compactMap { $0 as? [String: Any] }.map(Manifest.init)
    }

    func all(_ kind: String) -> [Manifest] { manifests.filter { $0.kind == kind } }

    func one(_ kind: String) throws -> Manifest {
        let found = all(kind)
        guard found.count == 1 else { throw ChartError("expected one \(kind), found \(found.count): \(found.map(\.name))") }
        return found[0]
    }

    /// The operator container of the Deployment.
    func operatorContainer() throws -> [String: Any] {
        let containers = try one("Deployment")["spec", "template", "spec", "containers"] as? [[String: Any]] ?? []
        guard let container = containers.first(where: { $0["name"] as? String == "operator" }) else {
            throw ChartError("the Deployment has no container named operator")
        }
        return container
    }

    /// The operator's command-line arguments.
    func operatorArgs() throws -> [String] { try operatorContainer()["args"] as? [String] ?? [] }
}

struct ChartError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
