import KubeAPI
import KubeTesting
import Testing
@testable import KubeRuntime

/// `CompactJSON`: every value comes back as it went in (key order, number text, Unicode),
/// keys are numbered once per table, a full table writes keys in full, and bytes that are
/// not a whole compact value decode to nil, never trap.
@Suite("Compact JSON")
struct CompactJSONTests {
    static let strings = ["", "a", "metadata", "slipway.dev/job-name", "é", "日本語", "emoji 🚀", "quote \" and \\ and \n", String(repeating: "x", count: 300)]
    static let numbers = ["0", "-1", "1.50", "1e3", "12345678901234567890", "-0.0001", "2E-7"]

    static func value(_ random: inout SeededRandom, depth: Int) -> JSONValue {
        switch depth >= 5 ? random.below(4) : random.below(6) {
        case 0: return .null
        case 1: return .bool(random.below(2) == 0)
        case 2: return .number(JSONNumber(text: numbers[random.below(numbers.count)]))
        case 3: return .string(strings[random.below(strings.count)] + String(random.below(1000)))
        case 4: return .array((0..<random.below(5)).map { _ in value(&random, depth: depth + 1) })
        default:
            var object = JSONObject()
            for _ in 0..<random.below(6) {
                object[strings[random.below(strings.count)] + (random.below(3) == 0 ? String(random.below(50)) : "")] = value(&random, depth: depth + 1)
            }
            return .object(object)
        }
    }

    @Test func randomValuesComeBackExactly() {
        var random = SeededRandom(seed: 42)
        var keys = CompactJSON.Keys()
        var written: [(JSONValue, [UInt8])] = []
        for _ in 0..<2_000 {
            let value = Self.value(&random, depth: 0)
            let bytes = CompactJSON.encode(value, keys: &keys)
            written.append((value, bytes))
            // Decoded at once, and (below) after the table has grown: entries stay readable.
            #expect(CompactJSON.decode(bytes, keys: keys.names) == value)
        }
        for (value, bytes) in written {
            let back = CompactJSON.decode(bytes, keys: keys.names)
            #expect(back == value)
            #expect(back.map(JSON.string) == JSON.string(value), "key order and number text")
        }
    }

    @Test func keysAreNumberedOnceAndSmaller() throws {
        var keys = CompactJSON.Keys()
        let pod = try JSON.parse(#"{"metadata": {"name": "a-0-0", "labels": {"slipway.dev/job-name": "a"}}, "status": {"phase": "Pending"}}"#)
        let first = CompactJSON.encode(pod, keys: &keys)
        let second = CompactJSON.encode(pod, keys: &keys)
        #expect(first == second)
        #expect(keys.names == ["metadata", "name", "labels", "slipway.dev/job-name", "status", "phase"])
        #expect(first.count < JSON.serialize(pod).count / 2)
    }

    @Test func aFullTableWritesNewKeysInFull() {
        var keys = CompactJSON.Keys()
        for i in 0..<CompactJSON.Keys.limit { _ = keys.id(of: "k\(i)") }
        let value: JSONValue = ["k7": 1, "beyond": ["k8": "x", "also-beyond": nil]]
        let bytes = CompactJSON.encode(value, keys: &keys)
        #expect(keys.names.count == CompactJSON.Keys.limit)
        #expect(CompactJSON.decode(bytes, keys: keys.names) == value)
    }

    @Test func bytesThatAreNotAWholeValueDecodeToNil() {
        var keys = CompactJSON.Keys()
        let value: JSONValue = ["a": [1, "two", nil, true], "b": ["c": 3.5]]
        let bytes = CompactJSON.encode(value, keys: &keys)
        // Every prefix is cut short; a trailing byte is left over; an unknown tag and a key
        // number beyond the table are refused.
        for length in 0..<bytes.count { #expect(CompactJSON.decode(Array(bytes.prefix(length)), keys: keys.names) == nil) }
        #expect(CompactJSON.decode(bytes + [0], keys: keys.names) == nil)
        #expect(CompactJSON.decode([9], keys: []) == nil)
        #expect(CompactJSON.decode([6, 1, 5, 0], keys: ["only"]) == nil)
        #expect(CompactJSON.decode([4, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F], keys: []) == nil)
        // Random bytes never trap.
        var random = SeededRandom(seed: 7)
        for _ in 0..<20_000 {
            let noise = (0..<random.below(24)).map { _ in UInt8(truncatingIfNeeded: random.next() % 10 < 7 ? random.next() % 8 : random.next()) }
            _ = CompactJSON.decode(noise, keys: ["a", "b"])
        }
    }
}
