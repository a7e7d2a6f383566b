import Foundation
import KubeAPI
import Testing

/// Reads the JSON fixtures copied into the test bundle.
enum Fixture {
    static func bytes(_ name: String) throws -> [UInt8] {
        let url = try #require(Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Fixtures"))
        return Array(try Data(contentsOf: url))
    }

    static func value(_ name: String) throws -> JSONValue { try JSON.parse(bytes(name)) }

    static func object<T: JSONBacked>(_ name: String, as type: T.Type = T.self) throws -> T {
        try #require(T(json: value(name)))
    }
}
