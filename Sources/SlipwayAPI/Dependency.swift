import Foundation
import KubeAPI

/// Another job this one waits for.
public struct Dependency: JSONBacked {
    public var object: JSONObject
    public init(object: JSONObject) { self.object = object }

    public var name: String { get { self["name"] ?? "" } set { self["name"] = newValue } }
    /// `BatchJob` (default) or `SparkJob`.
    public var kind: String { get { self["kind"] ?? "BatchJob" } set { self["kind"] = newValue } }
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
