import Foundation

/// The wire type of a protobuf field (the low three bits of its tag).
enum ProtobufWireType: UInt8, Sendable {
    case varint = 0
    case fixed64 = 1
    case lengthDelimited = 2
    case startGroup = 3
    case endGroup = 4
    case fixed32 = 5
}

/// A minimal reader of the protobuf wire format: tags, varints, length-delimited fields,
/// and skipping of everything else. Enough for the messages kubectl sends; no schema, no
/// reflection, no dependency.
///
/// The reader works on a slice of the request body; nested messages are read with a new
/// reader over the slice that ``readBytes()`` returns.
struct ProtobufReader {
    private let bytes: ArraySlice<UInt8>
    private var index: Int

    init(_ bytes: ArraySlice<UInt8>) {
        self.bytes = bytes
        self.index = bytes.startIndex
    }

    /// Whether every byte has been read.
    var isAtEnd: Bool { index >= bytes.endIndex }

    /// The next field's number and wire type, or nil at the end of the message.
    mutating func nextField() throws(ProtobufDecodingError) -> (number: Int, wireType: ProtobufWireType)? {
        guard !isAtEnd else { return nil }
        let tag = try readVarint()
        let number = Int(truncatingIfNeeded: tag >> 3)
        guard number > 0, tag >> 3 <= 0x1FFF_FFFF else { throw .malformed("invalid field number \(tag >> 3)") }
        guard let wireType = ProtobufWireType(rawValue: UInt8(tag & 7)) else {
            throw .malformed("invalid wire type \(tag & 7) for field \(number)")
        }
        return (number, wireType)
    }

    /// A base-128 varint (at most ten bytes).
    mutating func readVarint() throws(ProtobufDecodingError) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard index < bytes.endIndex else { throw .truncated }
            let byte = bytes[index]
            index += 1
            guard shift < 64 else { throw .malformed("varint longer than ten bytes") }
            result |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return result }
            shift += 7
        }
    }

    /// The payload of a length-delimited field (bytes, string, nested message, map entry).
    mutating func readBytes() throws(ProtobufDecodingError) -> ArraySlice<UInt8> {
        let length = try readVarint()
        guard length <= UInt64(bytes.endIndex - index) else { throw .truncated }
        let end = index + Int(length)
        defer { index = end }
        return bytes[index..<end]
    }

    /// Skips the value of a field of `wireType` (groups, which Kubernetes never uses, are an error).
    mutating func skip(_ wireType: ProtobufWireType) throws(ProtobufDecodingError) {
        switch wireType {
        case .varint: _ = try readVarint()
        case .lengthDelimited: _ = try readBytes()
        case .fixed64: try advance(8)
        case .fixed32: try advance(4)
        case .startGroup, .endGroup: throw .malformed("groups are not supported")
        }
    }

    private mutating func advance(_ count: Int) throws(ProtobufDecodingError) {
        guard bytes.endIndex - index >= count else { throw .truncated }
        index += count
    }
}

/// Typed reads of one field's value, checking the wire type the schema expects.
extension ProtobufReader {
    /// A `string` field: length-delimited, valid UTF-8.
    mutating func readString(_ wireType: ProtobufWireType, field: String) throws(ProtobufDecodingError) -> String {
        try expect(wireType, .lengthDelimited, field: field)
        let raw = try readBytes()
        guard let text = String(bytes: raw, encoding: .utf8) else { throw .invalidUTF8(field: field) }
        return text
    }

    /// A `bytes` field or an embedded message.
    mutating func readMessage(_ wireType: ProtobufWireType, field: String) throws(ProtobufDecodingError) -> ArraySlice<UInt8> {
        try expect(wireType, .lengthDelimited, field: field)
        return try readBytes()
    }

    /// An `int64` field (two's complement varint).
    mutating func readInt64(_ wireType: ProtobufWireType, field: String) throws(ProtobufDecodingError) -> Int64 {
        try expect(wireType, .varint, field: field)
        return Int64(bitPattern: try readVarint())
    }

    /// A `bool` field.
    mutating func readBool(_ wireType: ProtobufWireType, field: String) throws(ProtobufDecodingError) -> Bool {
        try expect(wireType, .varint, field: field)
        return try readVarint() != 0
    }

    private func expect(_ actual: ProtobufWireType, _ expected: ProtobufWireType, field: String) throws(ProtobufDecodingError) {
        guard actual == expected else { throw .wrongWireType(field: field, expected: expected.rawValue, actual: actual.rawValue) }
    }
}
