import Foundation
import KubeAPI
import Testing

@testable import LocalCluster

@Suite("Table rendering against the wire reference")
struct TableTests {
    static func date(_ text: String) -> Date { RFC3339.parse(text)! }

    /// A Gadget rebuilt from a recorded row: its metadata plus the size in the cells.
    static func gadget(fromRow row: JSONValue) -> JSONObject {
        var object: JSONObject = ["apiVersion": "reference.example.com/v1", "kind": "Gadget"]
        object["metadata"] = row["object"]?["metadata"]
        object["spec"] = ["size": row["cells"]?.element(1) ?? .null]
        return object
    }

    @Test(arguments: ["05-get-output/002-GET-gadget-ns_gadgets.json", "05-get-output/010-GET-gadget-ns_gadgets_g1.json"])
    func customResourceTableEqualsReference(file: String) throws {
        let reference = try #require(Reference.body(file))
        let objects = (reference["rows"]?.arrayValue ?? []).map(Self.gadget(fromRow:))
        let ours = TableRenderer.table(
            for: Reference.gadgets, objects: objects, listMeta: reference["metadata"]!.objectValue!, now: Date())
        #expect(ours == reference)
    }

    @Test func watchEventsAreOneRowTables() throws {
        let record = try #require(Reference.record("08-get-watch/003-GET-gadget-ns_gadgets-watch.json"))
        let events = try #require(record["response"]?["events"]?.arrayValue)
        for (i, event) in events.enumerated() {
            let expected = try #require(event["event"]?["object"])
            let object = Self.gadget(fromRow: expected["rows"]!.element(0)!)
            let ours = TableRenderer.watchEventTable(for: Reference.gadgets, object: object, now: Date(), includeColumnDefinitions: i == 0)
            #expect(ours == expected)
        }
    }

    @Test func customResourceWithoutPrinterColumnsGetsNameAndAge() {
        var plain = Reference.gadgets
        plain.printerColumns = []
        let object = obj(#"{"metadata":{"name":"a","creationTimestamp":"2026-11-22T10:00:00Z"}}"#)
        let table = TableRenderer.table(for: plain, objects: [object], now: Self.date("2026-11-22T10:05:00Z"))
        #expect(table["columnDefinitions"]?.arrayValue?.compactMap { $0["name"]?.stringValue } == ["Name", "Age"])
        #expect(table["columnDefinitions"]?.element(1)?["type"] == "date")
        #expect(table["rows"]?.element(0)?["cells"] == ["a", "5m"])
    }

    @Test(arguments: [
        ("integer", #"{"v":7}"#, JSONValue.number(JSONNumber(7))), ("integer", #"{"v":7.9}"#, 7), ("integer", #"{"v":"7"}"#, nil),
        ("number", #"{"v":1.5}"#, 1.5), ("boolean", #"{"v":true}"#, true), ("boolean", #"{"v":"true"}"#, nil),
        ("string", #"{"v":"x"}"#, "x"), ("string", #"{"v":3}"#, "3"), ("string", #"{"v":{"b":1,"a":"x"}}"#, "map[a:x b:1]"),
        ("string", #"{"v":[1,2]}"#, "[1 2]"), ("string", #"{}"#, nil), ("date", #"{"v":"2026-11-22T09:00:00Z"}"#, "2d1h"),
        ("date", #"{"v":"yesterday"}"#, "<invalid>"),
    ])
    func customColumnCells(type: String, spec: String, expected: JSONValue) {
        var served = Reference.gadgets
        served.printerColumns = [PrinterColumn(name: "V", type: type, jsonPath: ".spec.v")]
        let object: JSONObject = ["metadata": ["name": "g"], "spec": parse(spec)]
        let row = TableRenderer.row(for: served, object: object, now: Self.date("2026-11-24T10:00:00Z"))
        #expect(row["cells"]?.element(1) == expected)
    }

    static let pathCases: [(String, JSONValue?)] = [
        (".spec.a.b", JSONValue.string("deep")), (".spec.list[1].name", "second"), (".spec.list[-1].name", "second"),
        (".spec.list[5].name", nil), (".metadata.labels['app.kubernetes.io/name']", "x"), (".spec.missing", nil),
    ]

    @Test(arguments: pathCases)
    func simpleJSONPath(path: String, expected: JSONValue?) {
        let object = parse(#"{"metadata":{"labels":{"app.kubernetes.io/name":"x"}},"spec":{"a":{"b":"deep"},"list":[{"name":"first"},{"name":"second"}]}}"#)
        #expect(SimpleJSONPath.evaluate(path, in: object) == expected)
    }

    @Test func includeObjectVariants() {
        let object = obj(#"{"kind":"Gadget","metadata":{"managedFields":[],"labels":{"a":"b"},"name":"g","uid":"u"},"spec":{"size":1}}"#)
        let metadataRow = TableRenderer.row(for: Reference.gadgets, object: object, now: t0)
        #expect(Array(metadataRow["object"]!["metadata"]!.objectValue!.keys) == ["name", "uid", "labels", "managedFields"])
        #expect(TableRenderer.row(for: Reference.gadgets, object: object, now: t0, includeObject: .object)["object"] == .object(object))
        #expect(TableRenderer.row(for: Reference.gadgets, object: object, now: t0, includeObject: .none)["object"] == .null, "the real server sends \"object\": null")
        #expect(TableIncludeObject(queryValue: "Object") == .object)
        #expect(TableIncludeObject(queryValue: nil) == .metadata)
    }
}
