import Foundation
import Testing
@testable import SparkAnalysis

/// One compressed case of the corpus and what its original was.
struct CorpusCase: Sendable, CustomTestStringConvertible {
    var file: URL
    var codec: EventLogCodec
    var length: Int
    var xxh64: String
    var setting: String

    var testDescription: String { "\(file.lastPathComponent) (\(setting))" }

    /// A corpus written by scripts/fuzz-codecs.sh, when $SLIPWAY_CODEC_CORPUS names one.
    static let fuzzDirectory = ProcessInfo.processInfo.environment["SLIPWAY_CODEC_CORPUS"].map { URL(fileURLWithPath: $0) }

    /// The committed corpus (written by Spark's own codec classes and the zstd tool, see
    /// scripts/make-codec-corpus.sh), or the fuzz corpus.
    static let all: [CorpusCase] = {
        let directory = fuzzDirectory ?? Fixtures.url("codecs")
        let manifest = (try? String(contentsOf: directory.appendingPathComponent("manifest.txt"), encoding: .utf8)) ?? ""
        return manifest.split(separator: "\n").compactMap { line in
            let f = line.split(separator: " ").map(String.init)
            guard f.count >= 4, let codec = EventLogCodec(rawValue: f[1]), let length = Int(f[2]) else { return nil }
            return CorpusCase(file: directory.appendingPathComponent(f[0]), codec: codec, length: length, xxh64: f[3],
                              setting: f.count > 4 ? f[4] : "-")
        }
    }()
}

@Suite(.serialized) struct CodecCorpusTests {
    @Test func theCorpusCoversEveryCodec() {
        let codecs = Set(CorpusCase.all.map(\.codec))
        #expect(codecs == [.zstd, .lz4, .snappy, .lzf])
        if CorpusCase.fuzzDirectory == nil { #expect(CorpusCase.all.contains { $0.setting.hasPrefix("zstd-cli") }) }
    }

    /// Every case decodes to its original, whole and cut into pieces of every kind of size
    /// (as a log read while Spark writes it).
    @Test(arguments: CorpusCase.all)
    func decodesToTheOriginal(_ c: CorpusCase) throws {
        let input = [UInt8](try Data(contentsOf: c.file))
        let pieces = [input.count, 1 + input.count / 3, 4093] + (input.count <= 40_000 ? [17] : [])
        for piece in pieces {
            let output = try decodeAll(c.codec, input, piece: piece)
            #expect(output.count == c.length, "piece \(piece)")
            #expect(xxh64Hex(output) == c.xxh64, "piece \(piece)")
        }
    }

    /// A log cut short — the last byte missing — is reported as truncated, never taken as complete.
    /// (compress-lzf writes nothing at all for an empty stream: an empty file is a complete one.)
    @Test(arguments: CorpusCase.all)
    func aTruncatedStreamIsAnError(_ c: CorpusCase) throws {
        let input = [UInt8](try Data(contentsOf: c.file))
        if input.isEmpty {
            #expect(c.length == 0 && c.codec == .lzf)
            #expect(try decodeAll(c.codec, input, piece: 1).isEmpty)
            return
        }
        #expect(throws: EventLogDecodingError.self) { try decodeAll(c.codec, Array(input.dropLast()), piece: input.count) }
    }

    /// Damaged bytes give an error or other bytes, never a crash or a runaway: every corpus file,
    /// with seeded flips, overwrites and cuts.
    @Test(arguments: EventLogCodec.allCases.filter { $0 != .none })
    func damagedInputNeverCrashes(_ codec: EventLogCodec) throws {
        var random = SplitMix64(seed: 0x5EED)
        for c in CorpusCase.all where c.codec == codec && c.length < 100_000 {
            let original = [UInt8](try Data(contentsOf: c.file))
            guard !original.isEmpty else { continue }
            for round in 0..<12 {
                var damaged = original
                switch round % 3 {
                case 0: damaged[Int.random(in: 0..<damaged.count, using: &random)] ^= UInt8(1 << Int.random(in: 0..<8, using: &random))
                case 1:
                    let at = Int.random(in: 0..<damaged.count, using: &random)
                    for i in at..<min(damaged.count, at + 8) { damaged[i] = UInt8.random(in: 0...255, using: &random) }
                default: damaged = Array(damaged.prefix(Int.random(in: 0..<damaged.count, using: &random)))
                }
                do {
                    let output = try decodeAll(codec, damaged, piece: 997)
                    #expect(output.count <= 64 * max(c.length, 1 << 16))
                } catch is EventLogDecodingError {
                    continue
                }
            }
        }
    }

    @Test func anotherCodecsStreamIsRejectedWithTheCodecNamed() throws {
        let zstd = try #require(CorpusCase.all.first { $0.codec == .zstd && $0.length > 0 })
        let bytes = [UInt8](try Data(contentsOf: zstd.file))
        for codec in [EventLogCodec.lz4, .snappy, .lzf] {
            let error = try #require(throws: EventLogDecodingError.self) { try decodeAll(codec, bytes, piece: bytes.count) }
            #expect(error.codec == codec.rawValue)
            #expect(error.description.contains("cannot decode the \(codec.rawValue) event log"))
        }
    }
}
