import Foundation
import KubeAPI
import Testing

@testable import LocalCluster

/// A tiny protobuf writer for hand-built test messages.
struct ProtobufTestWriter {
    var bytes: [UInt8] = []

    mutating func varint(_ value: UInt64) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(value & 0x7F) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }

    mutating func tag(_ field: Int, _ wireType: UInt8) { varint(UInt64(field) << 3 | UInt64(wireType)) }

    mutating func int(_ field: Int, _ value: Int64) {
        tag(field, 0)
        varint(UInt64(bitPattern: value))
    }

    mutating func bytes(_ field: Int, _ value: [UInt8]) {
        tag(field, 2)
        varint(UInt64(value.count))
        bytes += value
    }

    mutating func string(_ field: Int, _ value: String) { bytes(field, Array(value.utf8)) }

    mutating func message(_ field: Int, _ build: (inout ProtobufTestWriter) -> Void) {
        var inner = ProtobufTestWriter()
        build(&inner)
        bytes(field, inner.bytes)
    }

    mutating func mapEntry(_ field: Int, _ key: String, _ value: [UInt8]) {
        message(field) { entry in
            entry.string(1, key)
            entry.bytes(2, value)
        }
    }

    /// A full request body: magic, then `runtime.Unknown` around `raw`.
    static func envelope(apiVersion: String, kind: String, _ build: (inout ProtobufTestWriter) -> Void) -> [UInt8] {
        var raw = ProtobufTestWriter()
        build(&raw)
        var unknown = ProtobufTestWriter()
        unknown.message(1) { typeMeta in
            typeMeta.string(1, apiVersion)
            typeMeta.string(2, kind)
        }
        unknown.bytes(2, raw.bytes)
        unknown.string(3, "")
        unknown.string(4, "")
        return ProtobufEnvelope.magic + unknown.bytes
    }
}

/// The recorded kube-api reference folder (`../shared/reference/kube-api` beside the clone).
let kubeAPIReference = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("shared/reference/kube-api")

/// One recorded request or response: the parsed record file.
func recordedExchange(_ relativePath: String) throws -> JSONValue {
    let data = try Data(contentsOf: kubeAPIReference.appendingPathComponent(relativePath))
    return try JSON.parse(data)
}

/// The bytes of a recorded protobuf body (`{_binary, size, base64_head}`), checking that
/// the record holds the whole body.
func recordedProtobufBody(_ body: JSONValue?) throws -> [UInt8] {
    let base64 = try #require(body?["base64_head"]?.stringValue)
    let bytes = try #require(Data(base64Encoded: base64))
    #expect(bytes.count == body?["size"]?.numberValue?.int, "the record holds only the head of the body")
    return [UInt8](bytes)
}

/// The protobuf decoding error of `body`, or nil when it decodes.
func protobufError(_ body: [UInt8], as type: ResourceType? = nil) -> ProtobufDecodingError? {
    do {
        if let type { _ = try KubernetesProtobuf.decodeObject(body, as: type) } else { _ = try KubernetesProtobuf.decodeObject(body) }
        return nil
    } catch {
        return error
    }
}
