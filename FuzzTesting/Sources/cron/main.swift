import FuzzHarnesses

/// libFuzzer's entry point: the `cron` harness on each input.
@_cdecl("LLVMFuzzerTestOneInput")
public func test(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    _ = FuzzHarness.named("cron")!([UInt8](UnsafeRawBufferPointer(start: start, count: count)))
    return 0
}
