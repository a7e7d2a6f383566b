import Foundation
import KubeAPI
import Testing

@testable import LocalCluster

/// A fixed clock value for tests.
let t0 = Date(timeIntervalSince1970: 1_790_000_000)

func parse(_ text: String) -> JSONValue {
    do { return try JSON.parse(text) } catch { Issue.record("bad JSON in test: \(text)"); return .null }
}

func obj(_ text: String) -> JSONObject { parse(text).objectValue ?? JSONObject() }
