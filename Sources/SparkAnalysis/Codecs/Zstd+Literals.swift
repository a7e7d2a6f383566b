extension ZstdFrameState {
    /// Decodes the literals section at the start of a compressed block (RFC 8878 §3.1.1.3.1)
    /// into `literals`; returns the bytes it took.
    mutating func decodeLiterals(_ src: UnsafeBufferPointer<UInt8>, into literals: inout [UInt8]) throws -> Int {
        guard let first = src.first else { throw ZstdCorruption("a compressed block without literals") }
        let type = Int(first & 3)
        let sizeFormat = Int(first >> 2) & 3
        func header(_ n: Int) throws -> Int {
            guard src.count >= n else { throw ZstdCorruption("a literals header longer than its block") }
            var h = 0
            for k in 0..<n { h |= Int(src[k]) << (8 * k) }
            return h
        }
        literals.removeAll(keepingCapacity: true)
        if type < 2 {
            let (headerSize, size): (Int, Int)
            switch sizeFormat {
            case 0, 2: (headerSize, size) = (1, Int(first) >> 3)
            case 1: (headerSize, size) = (2, try header(2) >> 4)
            default: (headerSize, size) = (3, try header(3) >> 4)
            }
            if type == 0 {
                guard headerSize + size <= src.count else { throw ZstdCorruption("raw literals longer than their block") }
                literals.append(contentsOf: src[headerSize..<(headerSize + size)])
                return headerSize + size
            }
            guard headerSize < src.count else { throw ZstdCorruption("RLE literals without their byte") }
            literals.append(contentsOf: repeatElement(src[headerSize], count: size))
            return headerSize + 1
        }
        let (headerSize, regenerated, compressed, streams): (Int, Int, Int, Int)
        switch sizeFormat {
        case 0, 1:
            let h = try header(3)
            (headerSize, regenerated, compressed, streams) = (3, (h >> 4) & 0x3FF, (h >> 14) & 0x3FF, sizeFormat == 0 ? 1 : 4)
        case 2:
            let h = try header(4)
            (headerSize, regenerated, compressed, streams) = (4, (h >> 4) & 0x3FFF, (h >> 18) & 0x3FFF, 4)
        default:
            let h = try header(5)
            (headerSize, regenerated, compressed, streams) = (5, (h >> 4) & 0x3FFFF, (h >> 22) & 0x3FFFF, 4)
        }
        guard headerSize + compressed <= src.count else { throw ZstdCorruption("compressed literals longer than their block") }
        guard regenerated <= 128 * 1024 else { throw ZstdCorruption("more than 128 KiB of literals in one block") }
        var body = UnsafeBufferPointer(rebasing: src[headerSize..<(headerSize + compressed)])
        if type == 2 {
            let (table, used) = try HuffmanTable.read(body)
            huffman = table
            body = UnsafeBufferPointer(rebasing: body[used...])
        }
        guard let huffman else { throw ZstdCorruption("treeless literals without an earlier Huffman table") }
        literals.reserveCapacity(regenerated)
        if streams == 1 {
            try huffman.decodeStream(body, count: regenerated, into: &literals)
        } else {
            try decodeFourStreams(body, regenerated: regenerated, table: huffman, into: &literals)
        }
        return headerSize + compressed
    }

    private func decodeFourStreams(
        _ body: UnsafeBufferPointer<UInt8>, regenerated: Int, table: HuffmanTable, into literals: inout [UInt8]
    ) throws {
        guard body.count >= 6 else { throw ZstdCorruption("a four-stream literals jump table longer than its block") }
        let sizes = (0..<3).map { Int(body[2 * $0]) | Int(body[2 * $0 + 1]) << 8 }
        let last = body.count - 6 - sizes.reduce(0, +)
        guard last > 0 else { throw ZstdCorruption("four literal streams longer than their block") }
        let segment = (regenerated + 3) / 4
        guard segment * 3 <= regenerated else { throw ZstdCorruption("too few literals for four streams") }
        var start = 6
        for (i, size) in (sizes + [last]).enumerated() {
            let count = i < 3 ? segment : regenerated - 3 * segment
            try table.decodeStream(UnsafeBufferPointer(rebasing: body[start..<(start + size)]), count: count, into: &literals)
            start += size
        }
    }
}
