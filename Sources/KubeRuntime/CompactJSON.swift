import KubeAPI
import OrderedCollections

/// A compact binary form of a ``JSONValue`` for the caches that keep many objects
/// (``Store/Storage/compact``): object keys are numbered in a table the store shares, so the
/// field names that every cached pod repeats (`metadata`, `ownerReferences`,
/// `slipway.dev/job-name`, …) cost a byte or two instead of their text. Lossless: key order
/// and the exact text of numbers come back as they went in.
///
/// The form (lengths and counts as unsigned LEB128):
/// - `0` null, `1` false, `2` true;
/// - `3` number: length, then its text; `4` string: length, then its UTF-8;
/// - `5` array: count, then the values;
/// - `6` object: count, then for each member a key reference and the value. A key reference
///   is `n + 1` for entry `n` of the key table, or `0` followed by the key as length and
///   UTF-8 (once the table is full).
///
/// Only what ``encode(_:keys:)`` wrote is ever decoded; ``decode(_:keys:)`` still checks
/// every length and tag and answers nil for bytes it cannot read, never traps.
public enum CompactJSON {
    /// The key table of one store: append-only, at most ``limit`` keys.
    public struct Keys: Sendable {
        /// Beyond this many keys new ones are written in full (keys users choose, such as
        /// label keys, must not grow the table without bound).
        public static let limit = 65_536

        public private(set) var names: [String] = []
        private var ids: [String: Int] = [:]

        public init() {}

        /// The number of `key` in the table, adding it while there is room.
        mutating func id(of key: String) -> Int? {
            if let id = ids[key] { return id }
            guard names.count < Self.limit else { return nil }
            ids[key] = names.count
            names.append(key)
            return names.count - 1
        }
    }

    enum Tag: UInt8 {
        case null = 0, `false`, `true`, number, string, array, object
    }

    /// `value` in the compact form, adding its new keys to `keys`.
    public static func encode(_ value: JSONValue, keys: inout Keys) -> [UInt8] {
        var out: [UInt8] = []
        write(value, to: &out, keys: &keys)
        // An array of exactly its size: the store keeps it for the object's lifetime.
        var exact: [UInt8] = []
        exact.reserveCapacity(out.count)
        exact.append(contentsOf: out)
        return exact
    }

    /// The value `bytes` hold, read with the table they were written with (or a later state
    /// of it); nil when they are not a whole compact value.
    public static func decode(_ bytes: [UInt8], keys: [String]) -> JSONValue? {
        bytes.withUnsafeBufferPointer { buffer in
            var reader = Reader(bytes: buffer, keys: keys)
            guard let value = reader.value(depth: 0), reader.offset == buffer.count else { return nil }
            return value
        }
    }

    private static func write(_ value: JSONValue, to out: inout [UInt8], keys: inout Keys) {
        switch value {
        case .null: out.append(Tag.null.rawValue)
        case .bool(let b): out.append(b ? Tag.true.rawValue : Tag.false.rawValue)
        case .number(let n):
            out.append(Tag.number.rawValue)
            writeText(n.text, to: &out)
        case .string(let s):
            out.append(Tag.string.rawValue)
            writeText(s, to: &out)
        case .array(let items):
            out.append(Tag.array.rawValue)
            writeVarint(items.count, to: &out)
            for item in items { write(item, to: &out, keys: &keys) }
        case .object(let object):
            out.append(Tag.object.rawValue)
            writeVarint(object.count, to: &out)
            for (key, member) in object {
                if let id = keys.id(of: key) {
                    writeVarint(id + 1, to: &out)
                } else {
                    writeVarint(0, to: &out)
                    writeText(key, to: &out)
                }
                write(member, to: &out, keys: &keys)
            }
        }
    }

    private static func writeText(_ text: String, to out: inout [UInt8]) {
        var text = text
        text.withUTF8 { utf8 in
            writeVarint(utf8.count, to: &out)
            out.append(contentsOf: utf8)
        }
    }

    static func writeVarint(_ value: Int, to out: inout [UInt8]) {
        var v = UInt64(value)
        while v >= 0x80 {
            out.append(UInt8(v & 0x7F) | 0x80)
            v >>= 7
        }
        out.append(UInt8(v))
    }

    /// Reads one value at a time; every read checks that the bytes are there.
    struct Reader {
        let bytes: UnsafeBufferPointer<UInt8>
        let keys: [String]
        var offset = 0

        /// Deeper than any JSON the parser accepts (it stops at 512 levels).
        static let maxDepth = 1_000

        mutating func value(depth: Int) -> JSONValue? {
            guard depth < Self.maxDepth, offset < bytes.count, let tag = Tag(rawValue: bytes[offset]) else { return nil }
            offset += 1
            switch tag {
            case .null: return .null
            case .false: return .bool(false)
            case .true: return .bool(true)
            case .number: return text().map { .number(JSONNumber(text: $0)) }
            case .string: return text().map { .string($0) }
            case .array:
                guard let count = count() else { return nil }
                var items: [JSONValue] = []
                items.reserveCapacity(count)
                for _ in 0..<count {
                    guard let item = value(depth: depth + 1) else { return nil }
                    items.append(item)
                }
                return .array(items)
            case .object:
                guard let count = count() else { return nil }
                var members = JSONObject.Storage(minimumCapacity: count)
                for _ in 0..<count {
                    guard let reference = varint() else { return nil }
                    let key: String
                    if reference == 0 {
                        guard let inline = text() else { return nil }
                        key = inline
                    } else {
                        guard reference - 1 < keys.count else { return nil }
                        key = keys[reference - 1]
                    }
                    guard let member = value(depth: depth + 1) else { return nil }
                    members[key] = member
                }
                return .object(JSONObject(members))
            }
        }

        /// A count of items or members, each of which takes at least one byte.
        mutating func count() -> Int? {
            guard let n = varint(), n <= bytes.count - offset else { return nil }
            return n
        }

        mutating func text() -> String? {
            guard let length = varint(), length <= bytes.count - offset else { return nil }
            let slice = UnsafeBufferPointer(rebasing: bytes[offset..<offset + length])
            offset += length
            return String(decoding: slice, as: UTF8.self)
        }

        mutating func varint() -> Int? {
            var result: UInt64 = 0
            var shift: UInt64 = 0
            while offset < bytes.count, shift < 63 {
                let byte = bytes[offset]
                offset += 1
                result |= UInt64(byte & 0x7F) << shift
                if byte & 0x80 == 0 { return result <= UInt64(Int.max) ? Int(result) : nil }
                shift += 7
            }
            return nil
        }
    }
}
