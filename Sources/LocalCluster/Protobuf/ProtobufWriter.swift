/// The writing side of ``ProtobufReader``, as far as the server needs it: length-delimited
/// fields (strings and nested messages), for the OpenAPI v2 document (``OpenAPIV2``).
struct ProtobufWriter {
    private(set) var bytes: [UInt8] = []

    mutating func string(_ field: Int, _ value: String) {
        message(field, Array(value.utf8))
    }

    mutating func message(_ field: Int, _ value: [UInt8]) {
        varint(UInt64(field) << 3 | UInt64(ProtobufWireType.lengthDelimited.rawValue))
        varint(UInt64(value.count))
        bytes += value
    }

    private mutating func varint(_ value: UInt64) {
        var rest = value
        while rest >= 0x80 {
            bytes.append(UInt8(rest & 0x7F) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
    }
}
