import Foundation
import FuzzHarnesses
import LocalCluster
import Testing

/// Replays every committed seed (FuzzTesting/Seeds/<target>/) through its harness, then a
/// few thousand deterministic mutations of the seeds: the bounded part of fuzzing CI runs
/// (a harness whose property fails stops the test process with its message).
///
/// The replay is seconds of CPU with no suspension point: it runs on a thread of its own,
/// one target at a time, so that it never holds the test process's cooperative threads —
/// the in-process API servers of the end-to-end suites answer on those, and kubectl gives
/// up on an answer after 32 s.
@Suite(.serialized) struct FuzzCorpusTests {
    static let seedsRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../FuzzTesting/Seeds").standardized

    static func seeds(_ target: String) throws -> [[UInt8]] {
        let directory = seedsRoot.appendingPathComponent(target)
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
        return try names.map { [UInt8](try Data(contentsOf: directory.appendingPathComponent($0))) }
    }

    /// Mutations per harness: each a seed with a few bytes replaced, inserted, removed or
    /// spliced from another seed, from a fixed-seed generator.
    static let mutationsPerTarget = 5_000

    @Test("every harness has seeds its parser accepts and seeds it refuses", arguments: FuzzHarness.all.map(\.name))
    func hasSeeds(_ target: String) throws {
        let run = try #require(FuzzHarness.named(target))
        let accepted = try Self.seeds(target).map(run)
        #expect(accepted.count >= 3)
        #expect(accepted.contains(true))
        #expect(accepted.contains(false))
    }

    @Test("seeds and seeded mutations never trap or break a property", arguments: FuzzHarness.all.map(\.name))
    func replay(_ target: String) async throws {
        let run = try #require(FuzzHarness.named(target))
        let seeds = try Self.seeds(target)
        await Self.onOwnThread {
            for seed in seeds { _ = run(seed) }
            // Mutations start from the seeds libFuzzer would take whole (-max_len=4096 in
            // scripts/fuzz.sh); the long crash reproducers are replayed once, above.
            let small = seeds.filter { $0.count <= 4096 }
            var generator = SeededIdentifierGenerator(seed: UInt64(target.utf8.reduce(0) { $0 &* 31 &+ Int($1) }.magnitude))
            for _ in 0..<Self.mutationsPerTarget {
                _ = run(Self.mutate(small, using: &generator))
            }
        }
    }

    /// Runs `work` on a new thread and waits for it without holding a cooperative thread.
    static func onOwnThread(_ work: @escaping @Sendable () -> Void) async {
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            Thread.detachNewThread {
                work()
                done.resume()
            }
        }
    }

    @Test func seedCorpusDirectoriesMatchHarnesses() throws {
        let directories = try FileManager.default.contentsOfDirectory(atPath: Self.seedsRoot.path).filter { !$0.hasPrefix(".") }
        #expect(Set(directories) == Set(FuzzHarness.all.map(\.name)))
    }

    static func mutate(_ seeds: [[UInt8]], using generator: inout SeededIdentifierGenerator) -> [UInt8] {
        var bytes = seeds[Int(generator.next() % UInt64(seeds.count))]
        let interesting: [UInt8] = Array("0{}[]\",:.-e9\\/$()!=<>*?~ \n\u{0}\u{7f}".utf8) + [0xff, 0x80, 0xc3]
        for _ in 0...(generator.next() % 4) {
            let position = bytes.isEmpty ? 0 : Int(generator.next() % UInt64(bytes.count + 1))
            let byte = generator.next() % 2 == 0 ? interesting[Int(generator.next() % UInt64(interesting.count))] : UInt8(truncatingIfNeeded: generator.next())
            switch generator.next() % 5 {
            case 0 where position < bytes.count: bytes[position] = byte
            case 1: bytes.insert(byte, at: position)
            case 2 where position < bytes.count: bytes.remove(at: position)
            case 3:
                let other = seeds[Int(generator.next() % UInt64(seeds.count))]
                let start = other.isEmpty ? 0 : Int(generator.next() % UInt64(other.count))
                bytes.insert(contentsOf: other[start..<min(other.count, start + 8)], at: position)
            default:
                if position < bytes.count { bytes.insert(contentsOf: bytes[position..<min(bytes.count, position + 4)], at: position) }
            }
        }
        return bytes
    }
}
