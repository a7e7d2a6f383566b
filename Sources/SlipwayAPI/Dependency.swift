import Foundation
import KubeAPI

/// Another job this one waits for.
public struct Dependency: JSONBacked {
    public var object: JSONObject
    public init(object: JSONObject) { self.object = object }

    public var name: String { get { self["name"] ?? "" } set { self["name"] = newValue } }
    /// One of ``kinds``; `BatchJob` when unset.
    public var kind: String { get { self["kind"] ?? "BatchJob" } set { self["kind"] = newValue } }

    /// The kinds of job a job may wait for (the schema refuses others): a new kind of job
    /// is added here.
    public static let kinds = [BatchJob.resource.kind, SparkJob.resource.kind]
    public var type: DependencyType {
        get { (self["type"] as String?).flatMap(DependencyType.init(rawValue:)) ?? .sequential }
        set { self["type"] = newValue.rawValue }
    }
}

public enum DependencyType: String, Sendable, Hashable, CaseIterable {
    /// After the whole parent succeeded.
    case sequential = "Sequential"
    /// Index i after the parent's index i (arrays of equal size).
    case nToN = "NToN"
}

// MARK: - Schema

extension Dependency {
    /// The schema of one `spec.dependsOn` entry.
    public static var schema: OpenAPISchema {
        .object([
            "name": .string(maxLength: 253).describe("The parent job's name."),
            "kind": OpenAPISchema.string(enum: kinds).defaulting("BatchJob"),
            "type": OpenAPISchema.string(enumOf: DependencyType.self).defaulting("Sequential")
                .describe("Sequential: after the whole parent succeeded. NToN: index i after the parent's index i (equal arraySize)."),
        ], required: ["name"])
    }
}
