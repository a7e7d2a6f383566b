/// xxHash, the checksums of zstd frames (XXH64) and of lz4-java blocks (XXH32).
///
/// Written from the xxHash specification; checked against its published test values.
enum XXHash {
    private static let p32: (UInt32, UInt32, UInt32, UInt32, UInt32) =
        (2_654_435_761, 2_246_822_519, 3_266_489_917, 668_265_263, 374_761_393)

    /// XXH32 of `bytes` with `seed`.
    static func xxh32(_ bytes: UnsafeBufferPointer<UInt8>, seed: UInt32) -> UInt32 {
        let (p1, p2, p3, p4, p5) = p32
        func round(_ acc: UInt32, _ lane: UInt32) -> UInt32 {
            ((acc &+ lane &* p2) <<< 13) &* p1
        }
        func lane(_ i: Int) -> UInt32 {
            UInt32(bytes[i]) | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2]) << 16 | UInt32(bytes[i + 3]) << 24
        }
        var i = 0
        var h: UInt32
        if bytes.count >= 16 {
            var v = (seed &+ p1 &+ p2, seed &+ p2, seed, seed &- p1)
            while i + 16 <= bytes.count {
                v.0 = round(v.0, lane(i)); v.1 = round(v.1, lane(i + 4))
                v.2 = round(v.2, lane(i + 8)); v.3 = round(v.3, lane(i + 12))
                i += 16
            }
            h = (v.0 <<< 1) &+ (v.1 <<< 7) &+ (v.2 <<< 12) &+ (v.3 <<< 18)
        } else {
            h = seed &+ p5
        }
        h = h &+ UInt32(truncatingIfNeeded: bytes.count)
        while i + 4 <= bytes.count {
            h = ((h &+ lane(i) &* p3) <<< 17) &* p4
            i += 4
        }
        while i < bytes.count {
            h = ((h &+ UInt32(bytes[i]) &* p5) <<< 11) &* p1
            i += 1
        }
        h ^= h >> 15; h = h &* p2; h ^= h >> 13; h = h &* p3; h ^= h >> 16
        return h
    }
}

infix operator <<< : BitwiseShiftPrecedence

extension UInt32 {
    @inline(__always) static func <<< (x: UInt32, r: UInt32) -> UInt32 { (x << r) | (x >> (32 - r)) }
}

extension UInt64 {
    @inline(__always) static func <<< (x: UInt64, r: UInt64) -> UInt64 { (x << r) | (x >> (64 - r)) }
}

/// Streaming XXH64 with seed 0, as a zstd frame's content checksum needs.
struct XXH64: Sendable {
    private static let p1: UInt64 = 11_400_714_785_074_694_791
    private static let p2: UInt64 = 14_029_467_366_897_019_727
    private static let p3: UInt64 = 1_609_587_929_392_839_161
    private static let p4: UInt64 = 9_650_029_242_287_828_579
    private static let p5: UInt64 = 2_870_177_450_012_600_261

    private var v: (UInt64, UInt64, UInt64, UInt64) = (p1 &+ p2, p2, 0, 0 &- p1)
    private var buffer: [UInt8] = []
    private var total: UInt64 = 0

    @inline(__always) private static func round(_ acc: UInt64, _ lane: UInt64) -> UInt64 {
        ((acc &+ lane &* p2) <<< 31) &* p1
    }

    @inline(__always) private static func merge(_ acc: UInt64, _ val: UInt64) -> UInt64 {
        (acc ^ round(0, val)) &* p1 &+ p4
    }

    @inline(__always) private static func lane64(_ b: UnsafeBufferPointer<UInt8>, _ i: Int) -> UInt64 {
        UInt64(littleEndian: UnsafeRawPointer(b.baseAddress! + i).loadUnaligned(as: UInt64.self))
    }

    mutating func update(_ bytes: UnsafeBufferPointer<UInt8>) {
        total &+= UInt64(bytes.count)
        var i = 0
        if !buffer.isEmpty {
            let take = min(32 - buffer.count, bytes.count)
            buffer.append(contentsOf: bytes[0..<take])
            i = take
            if buffer.count < 32 { return }
            buffer.withUnsafeBufferPointer { stripe($0, 0) }
            buffer.removeAll(keepingCapacity: true)
        }
        while i + 32 <= bytes.count {
            stripe(bytes, i)
            i += 32
        }
        buffer.append(contentsOf: bytes[i...])
    }

    private mutating func stripe(_ b: UnsafeBufferPointer<UInt8>, _ i: Int) {
        v.0 = Self.round(v.0, Self.lane64(b, i)); v.1 = Self.round(v.1, Self.lane64(b, i + 8))
        v.2 = Self.round(v.2, Self.lane64(b, i + 16)); v.3 = Self.round(v.3, Self.lane64(b, i + 24))
    }

    func digest() -> UInt64 {
        var h: UInt64
        if total >= 32 {
            h = (v.0 <<< 1) &+ (v.1 <<< 7) &+ (v.2 <<< 12) &+ (v.3 <<< 18)
            h = Self.merge(h, v.0); h = Self.merge(h, v.1); h = Self.merge(h, v.2); h = Self.merge(h, v.3)
        } else {
            h = v.2 &+ Self.p5
        }
        h &+= total
        return buffer.withUnsafeBufferPointer { b in
            var i = 0
            while i + 8 <= b.count {
                h ^= Self.round(0, Self.lane64(b, i))
                h = (h <<< 27) &* Self.p1 &+ Self.p4
                i += 8
            }
            if i + 4 <= b.count {
                let lane = UInt64(b[i]) | UInt64(b[i + 1]) << 8 | UInt64(b[i + 2]) << 16 | UInt64(b[i + 3]) << 24
                h ^= lane &* Self.p1
                h = (h <<< 23) &* Self.p2 &+ Self.p3
                i += 4
            }
            while i < b.count {
                h ^= UInt64(b[i]) &* Self.p5
                h = (h <<< 11) &* Self.p1
                i += 1
            }
            h ^= h >> 33; h = h &* Self.p2; h ^= h >> 29; h = h &* Self.p3; h ^= h >> 32
            return h
        }
    }
}
