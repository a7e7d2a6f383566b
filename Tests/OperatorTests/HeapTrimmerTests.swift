import SlipwayControllers
import Testing

/// `HeapTrimmer`: free memory inside the heap goes back to the system, and the trimming
/// task ends when cancelled.
@Suite("Heap trimmer")
struct HeapTrimmerTests {
    @Test func freedMemoryInsideTheHeapIsReleased() {
        #if canImport(Glibc)
        // 64 KiB blocks (below the mmap threshold: from the heap); every other one is freed,
        // so the free ones lie between used ones and cannot merge into the heap's top, which
        // free() would give back on its own.
        let size = 64 << 10
        let blocks: [UnsafeMutableRawPointer] = (0..<256).map { _ in
            let block = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 16)
            block.initializeMemory(as: UInt8.self, repeating: 1, count: size)
            return block
        }
        for (i, block) in blocks.enumerated() where i % 2 == 0 { block.deallocate() }
        #expect(HeapTrimmer.trim(), "pages of the freed blocks were given back")
        for (i, block) in blocks.enumerated() where i % 2 == 1 { block.deallocate() }
        #else
        #expect(!HeapTrimmer.trim())
        #endif
    }

    @Test func runEndsWhenCancelled() async {
        let task = Task { await HeapTrimmer.run(every: .milliseconds(5)) }
        try? await Task.sleep(for: .milliseconds(30))
        task.cancel()
        await task.value
    }
}
