import FuzzHarnesses

/// libFuzzer's entry point: the `quantity` harness on each input.
@_cdecl("LLVMFuzzerTestOneInput")
public func test(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    _ = FuzzHarness.named("quantity")!([UInt8](UnsafeRawBufferPointer(start: start, count: count)))
    return 0
}
