import Foundation
import KubeAPI
import Testing

@testable import LocalCluster

@Suite struct ProtobufErrorTests {
    private let configMapBody = ProtobufTestWriter.envelope(apiVersion: "v1", kind: "ConfigMap") { cm in
        cm.message(1) { $0.string(1, "cm") }
        cm.mapEntry(2, "a", Array("b".utf8))
    }

    @Test func missingMagicIsRejected() {
        #expect(protobufError(Array(#"{"kind":"ConfigMap"}"#.utf8)) == .missingMagic)
        #expect(protobufError([0x6B, 0x38]) == .missingMagic)
    }

    @Test func everyTruncationIsAnErrorNotACrash() {
        // Cutting between two envelope fields leaves a valid (shorter) message: after
        // typeMeta (4 + 17 bytes) and before each of the two trailing empty strings.
        let count = configMapBody.count
        let boundaries: Set<Int> = [21, count - 4, count - 2]
        for length in 4..<count where !boundaries.contains(length) {
            let error = protobufError(Array(configMapBody.prefix(length)))
            #expect(error != nil, "prefix of \(length) bytes decoded")
        }
        #expect(protobufError(ProtobufEnvelope.magic) == .unsupportedKind(apiVersion: "", kind: ""))
    }

    @Test func unsupportedKindAndMismatchedKind() {
        let pod = ProtobufTestWriter.envelope(apiVersion: "v1", kind: "Pod") { $0.message(1) { $0.string(1, "p") } }
        #expect(protobufError(pod) == .unsupportedKind(apiVersion: "v1", kind: "Pod"))
        #expect(protobufError(configMapBody, as: .secrets) == .kindMismatch(expected: "v1/Secret", actual: "v1/ConfigMap"))
    }

    @Test func wrongWireTypeAndBadUTF8() {
        let wrongWire = ProtobufTestWriter.envelope(apiVersion: "v1", kind: "ConfigMap") { cm in
            cm.message(1) { $0.int(1, 5) }
        }
        #expect(protobufError(wrongWire) == .wrongWireType(field: "metadata.name", expected: 2, actual: 0))
        let badText = ProtobufTestWriter.envelope(apiVersion: "v1", kind: "ConfigMap") { cm in
            cm.message(1) { $0.bytes(1, [0xFF, 0xFE]) }
        }
        #expect(protobufError(badText) == .invalidUTF8(field: "metadata.name"))
    }

    @Test func groupsAndOverlongVarintsAreMalformed() {
        var group = ProtobufEnvelope.magic
        group += [0x4B]  // field 9 (unknown, so skipped), start group
        if case .malformed = protobufError(group) {} else { Issue.record("a group was accepted") }
        let overlong = ProtobufEnvelope.magic + [0x48] + Array(repeating: 0xFF, count: 11) + [0x01]
        if case .malformed = protobufError(overlong) {} else { Issue.record("an overlong varint was accepted") }
    }

    @Test func compressedContentIsRejected() {
        var unknown = ProtobufTestWriter()
        unknown.message(1) { $0.string(1, "v1"); $0.string(2, "ConfigMap") }
        unknown.bytes(2, [1, 2, 3])
        unknown.string(3, "gzip")
        #expect(protobufError(ProtobufEnvelope.magic + unknown.bytes) == .unsupportedContentEncoding("gzip"))
    }

    @Test func errorsBecome400BadRequest() {
        let status = ProtobufDecodingError.truncated.status
        #expect(status.code == 400)
        #expect(status.reason == "BadRequest")
        #expect(status.message == "unexpected end of protobuf message")
    }

    @Test func envelopeFieldsAreExposed() throws {
        let envelope = try ProtobufEnvelope(decoding: configMapBody)
        #expect(envelope.apiVersion == "v1")
        #expect(envelope.kind == "ConfigMap")
        #expect(envelope.contentEncoding.isEmpty && envelope.contentType.isEmpty)
        #expect(!envelope.raw.isEmpty)
    }
}
